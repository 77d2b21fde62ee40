// The dbt server the test suite sends its dbt commands to (pipeline/dbt-server.ts): a
// command runs as the `dbt` script would run it, in the caller's folder and environment,
// fails as runCommand fails, and the server does not outlive the process that started it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dbtProjectDir, repoRoot } from '../../config/settings.ts';
import { runOnDbtServer, startDbtServer, type DbtServer } from '../../pipeline/dbt-server.ts';
import { ensurePythonEnv, pythonPackagesEnv, venvBinary } from '../../pipeline/python-env.ts';
import { CommandFailedError, runCommand } from '../../pipeline/run-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-dbt-server-'));
let server: DbtServer;
beforeAll(async () => {
  await ensurePythonEnv();
  server = await startDbtServer();
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** `dbt show` of a row holding an environment variable, on a warehouse named relative to `cwd`. */
function showMark(folder: string, mark: string, logFile: string) {
  return {
    args: ['show', '--inline', "select '{{ env_var(\"ASIAKKUUS_SERVER_MARK\") }}' as mark", '--output', 'json', '--project-dir', dbtProjectDir, '--profiles-dir', dbtProjectDir],
    cwd: folder,
    env: { ...pythonPackagesEnv(), DBT_DUCKDB_PATH: 'relative.duckdb', ASIAKKUUS_SERVER_MARK: mark, DBT_TARGET_PATH: join(folder, 'target'), DBT_LOG_PATH: join(folder, 'target') },
    logFile,
  };
}

function shownMark(logFile: string): string | undefined {
  return /"mark": "([^"]*)"/.exec(readFileSync(logFile, 'utf8'))?.[1];
}

it("runs a command as the dbt script does, in the caller's folder and with the caller's environment", async () => {
  const served = showMark(join(dir, 'served'), 'from the server', join(dir, 'served.log'));
  const spawned = showMark(join(dir, 'spawned'), 'from a process', join(dir, 'spawned.log'));
  for (const folder of [served.cwd, spawned.cwd]) mkdirSync(folder, { recursive: true });
  await Promise.all([
    runOnDbtServer(server.socketPath, served),
    runCommand(venvBinary('dbt'), spawned.args, { cwd: spawned.cwd, env: spawned.env, logFile: spawned.logFile }),
  ]);
  expect(shownMark(served.logFile)).toBe('from the server');
  expect(shownMark(spawned.logFile)).toBe('from a process');
  // The profile's relative path is taken from the caller's folder, not the server's.
  expect(existsSync(join(served.cwd, 'relative.duckdb'))).toBe(true);
  expect(existsSync(join(repoRoot, 'relative.duckdb'))).toBe(false);
});

it("answers once dbt's process has let go of the warehouse, which the caller of a build opens next", async () => {
  const folder = join(dir, 'seeded');
  mkdirSync(folder, { recursive: true });
  const seed = showMark(folder, 'seed', join(dir, 'seeded.log'));
  // dbt-duckdb holds a writing command's database until its process ends (`dbt show` lets go before).
  const { pid } = await runOnDbtServer(server.socketPath, { ...seed, args: ['seed', ...seed.args.slice(seed.args.indexOf('--project-dir'))] });
  expect(pid).toBeGreaterThan(0);
  expect(processGone(pid)).toBe(true);
  const reopened = await DuckDBInstance.create(join(folder, 'relative.duckdb'));
  reopened.closeSync();
});

it('fails as a dbt process fails: with its exit code, naming the log and quoting its tail', async () => {
  const logFile = join(dir, 'failed.log');
  const failure = await runOnDbtServer(server.socketPath, { args: ['build', '--no-such-option'], cwd: dir, env: pythonPackagesEnv(), logFile }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(CommandFailedError);
  // click's exit code for a usage error, as the dbt script gives it.
  expect((failure as CommandFailedError).exitCode).toBe(2);
  expect((failure as CommandFailedError).message).toContain(`full output: ${logFile}`);
  // click's own words (coloured when the caller's environment asks for colour, as a test run's does).
  expect((failure as CommandFailedError).message).toContain('Usage: dbt build [OPTIONS]');
  expect((failure as CommandFailedError).message).toContain('--no-such-option');
});

/** Whether a process is gone (or a zombie waiting for its parent to reap it). */
function processGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

it('stops when the process that started it dies without stopping it', async () => {
  // A Node process that starts a server, prints its pid and waits to be killed.
  const starter = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', "const { startDbtServer } = await import('./pipeline/dbt-server.ts'); const s = await startDbtServer(); console.log(s.pid); setInterval(() => {}, 1000);"],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const serverPid = await new Promise<number>((resolvePid, reject) => {
    let printed = '';
    starter.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      if (printed.includes('\n')) resolvePid(Number(printed.trim()));
    });
    starter.once('exit', (code) => reject(new Error(`the starter exited (${code}) before its server listened`)));
  });
  expect(processGone(serverPid)).toBe(false);
  starter.kill('SIGKILL');
  // The server looks for its parent between requests, every half second.
  await expect.poll(() => processGone(serverPid), { timeout: 60_000, interval: 200 }).toBe(true);
});
