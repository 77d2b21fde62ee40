// The relationship-nature rules against the sample company's true relationship types
// (the generator's persons.csv), which the models never read. Agreement is measured on
// the customers the rules gave a type as of the latest month; `unknown` (too little
// history) is coverage, reported beside it. The targets: >= 90 % overall and
// >= 80 % for each type.
import { describe, expect, inject, it } from 'vitest';
import { formatConfusion, measureRelationshipAgreement, relationshipTypes } from '../../bench/relationship-agreement.ts';

const warehouseFile = inject('warehouseFile');
const truthDir = inject('truthDir');

describe('relationship nature against the ground truth of the default sample company', () => {
  it('agrees on at least 80 % of the customers of each true type', async () => {
    const agreement = await measureRelationshipAgreement(warehouseFile, truthDir);
    console.log(`${formatConfusion(agreement)}\noverall ${(100 * agreement.overall).toFixed(1)} % of ${agreement.decided}, coverage ${(100 * agreement.coverage).toFixed(1)} % of ${agreement.customers}`);
    for (const type of relationshipTypes) {
      expect(agreement.perType[type].decided, type).toBeGreaterThan(0);
      expect(agreement.perType[type].agreement, type).toBeGreaterThanOrEqual(0.8);
    }
  });

  // Known gap: preference and transaction customers who bought once or twice in the
  // window look alike (docs/management.md, "Agreement with the sample's true types").
  // The rules follow seed 002 and are not tuned to the generator; this test turns red
  // when the overall target is met, so the gap is not forgotten.
  it.fails('agrees on at least 90 % overall (not met on the sample company yet)', async () => {
    const agreement = await measureRelationshipAgreement(warehouseFile, truthDir);
    expect(agreement.overall).toBeGreaterThanOrEqual(0.9);
  });
});
