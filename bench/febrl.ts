// The identity engine on the public FEBRL data sets, as its own CLI measures it
// (python -m asiakkuus_identity.febrl --json), in the shape of the bench report.
import { execFileSync } from 'node:child_process';
import { pythonPackagesEnv, venvBinary } from '../pipeline/python-env.ts';
import type { FebrlResults } from './result.ts';

interface Scores {
  precision: number;
  recall: number;
  f1: number;
  seconds: number;
}

interface EngineReport {
  datasets: Record<string, { records: number; engine: Scores; baseline: Scores }>;
}

export function measureFebrl(): FebrlResults {
  const output = execFileSync(venvBinary('python'), ['-m', 'asiakkuus_identity.febrl', '--json'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
    env: pythonPackagesEnv(),
  });
  const report = JSON.parse(output) as EngineReport;
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
