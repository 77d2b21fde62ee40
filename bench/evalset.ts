// The identity engine on the evaluation set (a separate generator's records with real CRM
// variation and hard negatives), as its own CLI measures it:
// python -m asiakkuus_identity.evalset --json. Shared by the bench and the identity tests.
import { execFileSync } from 'node:child_process';
import { repoRoot } from '../config/settings.ts';
import { pythonPackagesEnv, venvBinary } from '../pipeline/python-env.ts';

export interface EvalSetResult {
  records: number;
  persons: number;
  seed: number;
  seconds: number;
  pairs: { true_pairs: number; predicted_pairs: number; correct_pairs: number; precision: number; recall: number; f1: number };
  /** Per variation kind: true pairs with a record of that kind, and how many were joined. */
  recall_by_kind: Record<string, { pairs: number; joined: number; recall: number }>;
  /** Per hard-negative kind: person pairs that must stay apart, merged, and merged with no shared e-mail. */
  false_merges_by_kind: Record<string, { person_pairs: number; merged: number; merged_without_shared_email: number }>;
  decisions: Record<string, number>;
}

export function measureEvalSet(): EvalSetResult {
  const output = execFileSync(venvBinary('python'), ['-m', 'asiakkuus_identity.evalset', '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: pythonPackagesEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output) as EvalSetResult;
}
