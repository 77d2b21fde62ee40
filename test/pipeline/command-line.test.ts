import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../config/settings.ts';

/** Runs one of the project's command-line tools the way `npm run` does. */
function runTool(file: string, args: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', file, ...args], { cwd: repoRoot, encoding: 'utf8', timeout: 120_000 });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('command-line tools answer bad arguments with their usage, not a stack trace', () => {
  it('an unknown option exits 2 naming the option and the usage, before any work starts', () => {
    const run = runTool('pipeline/erase-cli.ts', ['--customer', 'CU-000001', '--requested-by', 'test', '--warehose', '/tmp/x.duckdb']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Unknown option '--warehose'");
    expect(run.stderr).toContain('usage: npm run erase -- --customer');
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('an option missing its value exits 2 naming the option', () => {
    const run = runTool('ingest/sample/cli.ts', ['--customers']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("Option '--customers <value>' argument missing");
    expect(run.stderr).toContain('usage: npm run generate --');
  });

  it('--help prints the usage and exits 0', () => {
    const run = runTool('ingest/sample/cli.ts', ['--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('usage: npm run generate -- [--customers N] [--seed N] [--as-of YYYY-MM-DD] [--months N] [--out DIR] [--truth DIR]\n');
  });
});
