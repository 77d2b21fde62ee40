// Runs one benchmark stage as a child process under bench/measure-process.py, which
// reports wall time, CPU time (user + system, every process of the stage) and peak
// memory (largest resident set of any process in the stage).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dbtServerVariable, repoRoot } from '../config/settings.ts';
import { venvBinary } from '../pipeline/python-env.ts';

export interface Measured {
  seconds: number;
  /** User plus system CPU time of every process of the stage. */
  cpuSeconds: number;
  maxRssBytes: number;
  stdout: string;
}

export async function measuredRun(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measured> {
  const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-bench-'));
  const reportFile = join(dir, 'measure.json');
  try {
    const child = spawn(venvBinary('python'), [join(repoRoot, 'bench/measure-process.py'), reportFile, command, ...args], {
      cwd: repoRoot,
      // dbt runs as a process of the stage, never on a dbt server the caller may have
      // (the test suite's, pipeline/dbt-server.ts): the server's processes are not the
      // stage's, so their time and memory would be left out of its figures.
      env: { ...process.env, [dbtServerVariable]: undefined, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exitCode = await new Promise<number | null>((resolvePromise, reject) => {
      child.on('error', reject);
      child.on('exit', resolvePromise);
    });
    if (exitCode !== 0) throw new Error(`bench stage failed (exit ${exitCode}): ${command} ${args.join(' ')}\n${stdout.slice(-2000)}`);
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as { seconds: number; cpuSeconds: number; maxRssBytes: number };
    return { seconds: report.seconds, cpuSeconds: report.cpuSeconds, maxRssBytes: report.maxRssBytes, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A TypeScript entry point of the project, run by node with tsx. */
export function tsEntry(entry: string, args: string[] = []): [string, string[]] {
  return [process.execPath, ['--import', 'tsx', join(repoRoot, entry), ...args]];
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
