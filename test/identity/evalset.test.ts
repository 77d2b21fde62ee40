// Identity resolution on the evaluation set: records from a generator written apart from
// the sample company's (models/python/asiakkuus_identity/evalset.py, its noise model in
// the module docstring), with the variation real CRM exports carry and households and
// colleagues as hard negatives. Runs the production engine through the set's own CLI.
// Needs only the project virtualenv, not the warehouse.
import { beforeAll, expect, it } from 'vitest';
import { measureEvalSet, type EvalSetResult } from '../../bench/evalset.ts';
import { ensurePythonEnv } from '../../pipeline/python-env.ts';

// The variation kinds the noise model writes; each must be measured on its own.
const VARIATION_KINDS = [
  'plus_addressing', 'gmail_dots', 'googlemail', 'domain_typo', 'work_email', 'swapped_names', 'name_in_one_field',
  'married_name', 'nickname', 'second_given_name', 'phone_format', 'newsletter_only', 'name_typo', 'moved',
];

let result: EvalSetResult;

beforeAll(async () => {
  await ensurePythonEnv(() => {});
  result = measureEvalSet();
  console.log(`evaluation set: ${JSON.stringify(result.pairs)}\nrecall by kind: ${JSON.stringify(result.recall_by_kind)}\n` +
    `false merges: ${JSON.stringify(result.false_merges_by_kind)}`);
}, 900_000);

it('has at least 3,000 persons and measures every variation kind and hard-negative kind', () => {
  expect(result.persons).toBeGreaterThanOrEqual(3000);
  for (const kind of VARIATION_KINDS) expect(result.recall_by_kind[kind]?.pairs, kind).toBeGreaterThan(20);
  for (const kind of ['spouses', 'twins', 'parent_child', 'colleagues']) {
    expect(result.false_merges_by_kind[kind]?.person_pairs, kind).toBeGreaterThan(20);
  }
});

it('joins the same person with pairwise precision >= 0.99 and recall >= 0.95', () => {
  expect(result.pairs.precision).toBeGreaterThanOrEqual(0.99);
  expect(result.pairs.recall).toBeGreaterThanOrEqual(0.95);
});

it('merges no household whose people share only an address and a phone', () => {
  // Spouses and twins have different first names; merged without a shared e-mail means
  // merged on what a household shares.
  for (const kind of ['spouses', 'twins']) expect(result.false_merges_by_kind[kind]!.merged_without_shared_email, kind).toBe(0);
});

it('sends a family e-mail without a name to review instead of joining the spouses', () => {
  expect(result.recall_by_kind.nameless_family_email!.joined).toBe(0);
  expect(result.decisions.review).toBeGreaterThan(0);
});
