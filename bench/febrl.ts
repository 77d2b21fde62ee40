// The identity engine on the public FEBRL data sets, as its own CLI measures it
// (python -m asiakkuus_identity.febrl --json), in the shape of the bench report.
import { execFileSync } from 'node:child_process';
import { pythonPackagesEnv, venvBinary } from '../pipeline/python-env.ts';
import type { FebrlResults } from './result.ts';

interface PairScores {
  predicted_pairs: number;
  true_pairs: number;
  correct_pairs: number;
  precision: number;
  recall: number;
  f1: number;
  seconds: number;
}

/** What `python -m asiakkuus_identity.febrl --json` prints: per data set, the engine (pairs and clusters) and the baseline. */
export interface FebrlReport {
  datasets: Record<string, {
    records: number;
    engine: PairScores & { blocking_recall: number; clusters: PairScores & { entities_exactly_recovered: number } };
    baseline: PairScores;
  }>;
  seconds: number;
}

/** Runs the engine's FEBRL CLI (the package imported from models/python, as the dbt Python models do). Shared by the bench and test/identity/febrl-benchmark.test.ts. */
export function runFebrl(): FebrlReport {
  const output = execFileSync(venvBinary('python'), ['-m', 'asiakkuus_identity.febrl', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: pythonPackagesEnv(),
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(output) as FebrlReport;
}

export function measureFebrl(): FebrlResults {
  const report = runFebrl();
  return Object.fromEntries(
    Object.entries(report.datasets).map(([name, d]) => [
      name,
      {
        records: d.records,
        splink: { precision: d.engine.precision, recall: d.engine.recall, f1: d.engine.f1, seconds: d.engine.seconds },
        baseline: { precision: d.baseline.precision, recall: d.baseline.recall, f1: d.baseline.f1 },
      },
    ]),
  );
}
