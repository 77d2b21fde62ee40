// The dbt server the test suite sends its dbt commands to (pipeline/dbt-server.ts): a
// command runs as the `dbt` script would run it, in the caller's folder and environment,
// fails as runCommand fails, and the server does not outlive the process that started it.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dbtProjectDir, dbtServerVariable, repoRoot } from '../../config/settings.ts';
import { runDbt } from '../../pipeline/dbt.ts';
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

/**
 * `dbt debug` (it reads the profile and connects, without parsing the project) in `folder`,
 * on a warehouse named relative to it. The profile takes the file from DBT_DUCKDB_PATH,
 * which only the caller's environment holds: the server's has none.
 */
function debugIn(folder: string, warehouse: string) {
  mkdirSync(folder, { recursive: true });
  return {
    args: ['debug', '--project-dir', dbtProjectDir, '--profiles-dir', dbtProjectDir],
    cwd: folder,
    env: { ...pythonPackagesEnv(), DBT_DUCKDB_PATH: warehouse, DBT_TARGET_PATH: join(folder, 'target'), DBT_LOG_PATH: join(folder, 'target') },
    logFile: join(folder, 'dbt.log.txt'),
  };
}

it("runs a command as the dbt script does, in the caller's folder and with the caller's environment", async () => {
  expect(process.env.DBT_DUCKDB_PATH).toBeUndefined();
  const served = debugIn(join(dir, 'served'), 'from-server.duckdb');
  const spawned = debugIn(join(dir, 'spawned'), 'from-process.duckdb');
  await runOnDbtServer(server.socketPath, served);
  await runCommand(venvBinary('dbt'), spawned.args, { cwd: spawned.cwd, env: spawned.env, logFile: spawned.logFile });
  for (const run of [served, spawned]) expect(readFileSync(run.logFile, 'utf8')).toContain('All checks passed!');
  // The profile's relative path is taken from the caller's folder, not the server's.
  expect(existsSync(join(served.cwd, 'from-server.duckdb'))).toBe(true);
  expect(existsSync(join(spawned.cwd, 'from-process.duckdb'))).toBe(true);
  expect(existsSync(join(repoRoot, 'from-server.duckdb'))).toBe(false);
});

it("answers once dbt's process has let go of the warehouse, which the caller of a build opens next", async () => {
  // dbt-duckdb keeps the database it connected to open until its process ends: a server
  // that answered from that process, before it exited, left the file locked.
  const { pid } = await runOnDbtServer(server.socketPath, debugIn(join(dir, 'reopened'), 'warehouse.duckdb'));
  expect(pid).toBeGreaterThan(0);
  expect(processGone(pid)).toBe(true);
  const reopened = await DuckDBInstance.create(join(dir, 'reopened', 'warehouse.duckdb'));
  reopened.closeSync();
});

it('ends a command as a dbt process ends: the database closed, so checkpointed, and nothing left to clean up', async () => {
  // Through runDbt, as the suite's builds go: `dbt seed` writes a table.
  const asked = process.env[dbtServerVariable];
  process.env[dbtServerVariable] = server.socketPath;
  const warehouse = join(dir, 'seeded', 'warehouse.duckdb.next');
  mkdirSync(join(dir, 'seeded'), { recursive: true });
  let logFile: string | undefined;
  try {
    logFile = await runDbt(['seed'], warehouse);
  } finally {
    if (asked === undefined) delete process.env[dbtServerVariable];
    else process.env[dbtServerVariable] = asked;
  }
  expect(logFile, 'the test run logs dbt to a file (ASIAKKUUS_DBT_LOG_DIR, vitest.config.ts)').toBeDefined();
  // dbt-duckdb closes the database in an exit handler, and DuckDB checkpoints it as it
  // closes: a child that skipped the handlers left the write-ahead log beside the file.
  expect(existsSync(warehouse)).toBe(true);
  expect(existsSync(`${warehouse}.wal`)).toBe(false);
  // multiprocessing's exit handler frees dbt's semaphores; skipped, its tracker warned.
  expect(readFileSync(logFile!, 'utf8')).not.toContain('leaked semaphore');
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

it('puts in the log what failed before dbt started: a folder that is not there', async () => {
  const logFile = join(dir, 'no-folder.log');
  const missing = join(dir, 'not-there');
  const failure = await runOnDbtServer(server.socketPath, { args: ['debug'], cwd: missing, env: pythonPackagesEnv(), logFile }).then(
    () => undefined,
    (error: unknown) => error,
  );
  expect(failure).toBeInstanceOf(CommandFailedError);
  expect((failure as CommandFailedError).exitCode).toBe(1);
  expect((failure as CommandFailedError).message).toContain(`FileNotFoundError: [Errno 2] No such file or directory: '${missing}'`);
});

/** Whether a process is gone (or a zombie waiting for its parent to reap it). */
function processGone(pid: number): boolean {
  try {
    return /^\d+ \(.*\) Z/.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return true;
  }
}

it('stops when the process that started it dies without stopping it, and removes its socket\'s folder', async () => {
  // A Node process that starts a server, prints its pid and socket and waits to be killed.
  const starter = spawn(
    process.execPath,
    ['--import', 'tsx', '-e', "const { startDbtServer } = await import('./pipeline/dbt-server.ts'); const s = await startDbtServer(); console.log(JSON.stringify({ pid: s.pid, socketPath: s.socketPath })); setInterval(() => {}, 1000);"],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const { pid: serverPid, socketPath } = await new Promise<{ pid: number; socketPath: string }>((resolveStarted, reject) => {
    let printed = '';
    starter.stdout.on('data', (chunk: Buffer) => {
      printed += chunk.toString('utf8');
      if (printed.includes('\n')) resolveStarted(JSON.parse(printed) as { pid: number; socketPath: string });
    });
    starter.once('exit', (code) => reject(new Error(`the starter exited (${code}) before its server listened`)));
  });
  expect(processGone(serverPid)).toBe(false);
  starter.kill('SIGKILL');
  // The server looks for its parent between requests, every half second.
  await expect.poll(() => processGone(serverPid), { timeout: 60_000, interval: 200 }).toBe(true);
  expect(existsSync(dirname(socketPath)), socketPath).toBe(false);
});
