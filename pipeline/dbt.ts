// Runs the project's pinned dbt against a given warehouse file. The profile in
// models/profiles.yml reads the path from DBT_DUCKDB_PATH; the identity decisions
// file's path goes in ASIAKKUUS_IDENTITY_DECISIONS. The project's Python packages
// (models/python: identity engine, customer value) go on PYTHONPATH for the Python models.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { dbtLogDir, dbtMemoryLimit, dbtProjectDir, dbtServerSocket, dbtTargetDir, identityDecisionsFile, repoRoot } from '../config/settings.ts';
import { runOnDbtServer } from './dbt-server.ts';
import { ensurePythonEnv, pythonPackagesEnv, venvBinary } from './python-env.ts';
import { runCommand } from './run-command.ts';

/** dbt commands that change the warehouse; their working copy is published on success. */
const writingCommands = new Set(['build', 'run', 'seed', 'snapshot', 'run-operation', 'retry', 'clone']);

export function dbtCommandWrites(args: readonly string[]): boolean {
  const command = args.find((arg) => !arg.startsWith('-'));
  return command !== undefined && writingCommands.has(command);
}

let runsLogged = 0;

/** A fresh log file in ASIAKKUUS_DBT_LOG_DIR for one dbt run, named after the command and the warehouse's folder (a fixture's temporary folder names the fixture); undefined when the setting is off. */
export function dbtRunLogFile(args: readonly string[], warehouseFile: string): string | undefined {
  const dir = dbtLogDir();
  if (!dir) return undefined;
  const command = args.find((arg) => !arg.startsWith('-')) ?? 'dbt';
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  runsLogged += 1;
  return join(dir, `${stamp}-${process.pid}-${runsLogged}-${command}-${basename(dirname(warehouseFile)).replace(/[^\w-]+/g, '_')}.log`);
}

/**
 * dbt's saved parse of the project (target/partial_parse.msgpack), shared by builds that
 * each have their own target folder (the test suite's fixtures, the bench). Without it
 * every such build parses the whole project again (about 16 s here); with it dbt reparses
 * only what changed. dbt itself checks the saved parse against the project's files, vars,
 * profile (the warehouse's path among it, hence the file named without its folder in
 * runDbt) and dbt version and parses in full when any differ, so a stale copy costs only
 * the full parse. Kept in this checkout's data/ folder, never shared between checkouts.
 *
 * One saved parse per warehouse file name, `--vars` and identity decisions file: the
 * parts of dbt's check that differ between the suite's builds. With one file for all, a
 * run with other vars (the incremental test's refit), another file name or another
 * decisions file replaced the parse the next fixture build would have reused.
 */
export function sharedPartialParseFile(args: readonly string[], warehouseFile: string): string {
  const varsAt = args.indexOf('--vars');
  const key = JSON.stringify([basename(warehouseFile), varsAt === -1 ? null : args[varsAt + 1], identityDecisionsFile()]);
  return resolve(repoRoot, 'data/cache/dbt', createHash('sha256').update(key).digest('hex').slice(0, 16), 'partial_parse.msgpack');
}

/** Seeds a new target folder with the shared saved parse. */
export function seedPartialParse(targetDir: string, shared: string): void {
  const own = join(targetDir, 'partial_parse.msgpack');
  if (existsSync(own) || !existsSync(shared)) return;
  mkdirSync(targetDir, { recursive: true });
  copyFileSync(shared, own);
}

/** Keeps a target folder's saved parse as the shared one; written whole and renamed, so a concurrent reader never sees half a file. */
export function sharePartialParse(targetDir: string, shared: string): void {
  const own = join(targetDir, 'partial_parse.msgpack');
  if (!existsSync(own)) return;
  mkdirSync(dirname(shared), { recursive: true });
  const partial = `${shared}.${process.pid}.tmp`;
  copyFileSync(own, partial);
  renameSync(partial, shared);
}

/**
 * dbt's arguments for a build of the data, with or without dbt's unit tests.
 *
 * A build of the data leaves the unit tests out: they check model rules on inline rows
 * (the same whatever data is built, as dbt's documentation describes them: logic on
 * static inputs, for development and CI), and cost about a sixth of a small build's dbt
 * time (20 unit tests, 3.5 s of 20 s at 150 customers). The test suite runs them once, in
 * its shared sample build.
 *
 * Such a build writes dbt's own log file (dbt.log) at info, not dbt's default debug: the
 * node lines, warnings and errors stay, the text of every statement and its status does
 * not. dbt formats and writes each of those lines while holding Python's lock, which its
 * two threads share, so they cost the build time: a build of the 150-customer company
 * with no new data took 20.8 / 21.2 / 20.9 s with debug and 18.9 / 20.3 / 19.5 s with
 * info (dbt alone, alternately; docs/performance.md). `npx dbt` by hand keeps dbt's
 * default, and its `--log-level-file` still chooses.
 */
export function dataBuildArgs(unitTests: boolean): string[] {
  return [...(unitTests ? [] : ['--exclude-resource-type', 'unit_test']), '--log-level-file', 'info'];
}

/** Runs dbt on `warehouseFile`; returns the file its output went to (dbtRunLogFile), if any. */
export async function runDbt(args: readonly string[], warehouseFile: string): Promise<string | undefined> {
  await ensurePythonEnv();
  const logFile = dbtRunLogFile(args, warehouseFile);
  const ownTargetDir = dbtLogDir() ? dbtTargetDir(warehouseFile) : undefined;
  const sharedParse = sharedPartialParseFile(args, warehouseFile);
  if (ownTargetDir) seedPartialParse(ownTargetDir, sharedParse);
  // Output that goes to a file keeps dbt's node-by-node lines (--quiet would leave only
  // the errors), so the log shows which node failed and what ran before it.
  const dbtArgs = logFile ? args.filter((arg) => arg !== '--quiet' && arg !== '-q') : args;
  // A build with its own target folder runs in the warehouse's folder and names the file
  // without its folder: dbt keys its saved parse on the profile, the path included, so
  // with the full path every fixture's build (each in its own temporary folder) found the
  // shared parse "changed" and parsed the whole project again; named alike
  // (warehouse.duckdb.next), they reuse it.
  const [cwd, duckdbPath] = ownTargetDir ? [dirname(warehouseFile), basename(warehouseFile)] : [dbtProjectDir, warehouseFile];
  const command = {
    args: [...dbtArgs, '--project-dir', dbtProjectDir, '--profiles-dir', dbtProjectDir],
    cwd,
    env: {
      ...pythonPackagesEnv(),
      DBT_DUCKDB_PATH: duckdbPath,
      ASIAKKUUS_DBT_MEMORY_LIMIT: dbtMemoryLimit(),
      ASIAKKUUS_IDENTITY_DECISIONS: identityDecisionsFile(),
      // Runs logged to a folder (the test suite) keep target/ and dbt.log beside their warehouse.
      ...(dbtLogDir() ? { DBT_TARGET_PATH: dbtTargetDir(warehouseFile), DBT_LOG_PATH: dbtTargetDir(warehouseFile) } : {}),
    },
  };
  // The test suite's dbt server runs the command in a process that has imported dbt
  // already (pipeline/dbt-server.ts); the output goes to the log file either way.
  const server = dbtServerSocket();
  if (server && logFile) await runOnDbtServer(server, { ...command, logFile });
  else await runCommand(venvBinary('dbt'), command.args, { cwd: command.cwd, env: command.env, logFile });
  if (ownTargetDir) sharePartialParse(ownTargetDir, sharedParse);
  return logFile;
}
