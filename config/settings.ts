// One place for every path, port and environment setting, so the loaders, the dbt
// wrapper, the semantic API and the tests agree on where the warehouse lives.
import { totalmem } from 'node:os';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');

function fromEnv(name: string, fallback: string, env: NodeJS.ProcessEnv = process.env): string {
  const value = env[name];
  return value !== undefined && value !== '' ? value : fallback;
}

/** The served warehouse. Builds write a working copy next to it and rename it over this file. */
export function warehousePath(): string {
  return resolve(repoRoot, fromEnv('ASIAKKUUS_WAREHOUSE', 'data/warehouse.duckdb'));
}

/** Folder holding source exports to ingest (the generated sample company by default). */
export function sourceDir(): string {
  return resolve(repoRoot, fromEnv('ASIAKKUUS_SOURCE_DIR', 'data/source/sample'));
}

/**
 * Reviewers' accept/reject decisions on candidate customer pairs; identity resolution
 * reads it back on every build (see docs/identity-resolution.md).
 */
export function identityDecisionsFile(): string {
  return resolve(repoRoot, fromEnv('ASIAKKUUS_IDENTITY_DECISIONS', 'config/identity-decisions.csv'));
}

export const dbtProjectDir = resolve(repoRoot, 'models');

/** The variable naming a running dbt server's socket (pipeline/dbt-server.ts), which the test suite starts; runDbt sends it the commands it logs to a file. */
export const dbtServerVariable = 'ASIAKKUUS_DBT_SERVER';

export function dbtServerSocket(): string | undefined {
  return process.env[dbtServerVariable] || undefined;
}

/**
 * When set (the test suite sets it), each dbt run's console output goes to its own file in
 * this folder instead of the console, and a failure names the file and quotes its tail.
 * Its target folder (manifest, run_results.json) and dbt.log then go beside the warehouse
 * it builds (dbtTargetDir), so builds of different warehouses can run at the same time.
 */
export function dbtLogDir(): string | undefined {
  const value = process.env.ASIAKKUUS_DBT_LOG_DIR;
  return value ? resolve(repoRoot, value) : undefined;
}

/**
 * The share of the machine's memory DuckDB may use in a dbt build, unless
 * ASIAKKUUS_DBT_MEMORY_LIMIT says otherwise. DuckDB's own default is 80 %, and the
 * profile's fallback, -1, is no limit at all (builds ran without one until 6 December
 * 2026). A build runs beside the API, which serves the previous warehouse from a DuckDB of
 * its own, and the Python models' frames come on top of DuckDB's share (about 1.5 GiB at
 * 1,000,000 customers). At 42.5 % (10.0 GiB on this 23.5 GiB machine) the
 * 1,000,000-customer bench built, and rebuilt a day, at a peak of 11.5 and 11.6 GiB:
 * within the 12 GiB target and half the machine. With DuckDB's 80 % a build at that size
 * peaked at 20.7 GiB (docs/performance.md, "DuckDB's memory limit by default").
 */
const dbtMemoryShare = 0.425;

/** DuckDB's memory limit for dbt's builds, in DuckDB's units: ASIAKKUUS_DBT_MEMORY_LIMIT (12GiB, 8000MB; -1 for no limit), or dbtMemoryShare of the machine's memory. */
export function dbtMemoryLimit(env: NodeJS.ProcessEnv = process.env, machineBytes = totalmem()): string {
  return fromEnv('ASIAKKUUS_DBT_MEMORY_LIMIT', `${Math.floor((machineBytes * dbtMemoryShare) / 2 ** 20)}MiB`, env);
}

/** dbt's target folder for a build of `warehouseFile`: models/target, or beside the warehouse when ASIAKKUUS_DBT_LOG_DIR is set. */
export function dbtTargetDir(warehouseFile: string): string {
  return dbtLogDir() ? resolve(dirname(warehouseFile), 'dbt-target') : resolve(dbtProjectDir, 'target');
}
export const cubeModelDir = resolve(repoRoot, 'cube/model');
export const dashboardDistDir = resolve(repoRoot, 'dashboard/dist');
export const pythonEnvDir = resolve(repoRoot, fromEnv('ASIAKKUUS_VENV', '.venv'));
export const pythonRequirementsFile = resolve(repoRoot, 'models/requirements.txt');
export function usersFile(): string {
  return resolve(repoRoot, fromEnv('ASIAKKUUS_USERS_FILE', 'config/users.yml'));
}

export function apiPort(): number {
  return Number(fromEnv('PORT', '4000'));
}

export function apiHost(): string {
  return fromEnv('HOST', '127.0.0.1');
}

/** Where the generated API secret is kept when CUBEJS_API_SECRET is not set. */
export function secretFile(warehouseFile = warehousePath()): string {
  return resolve(dirname(warehouseFile), '.api-secret');
}

/** The audit log of API queries (who queried which view, when), one JSON line each, beside the warehouse. */
export function auditLogFile(warehouseFile = warehousePath()): string {
  return resolve(dirname(warehouseFile), 'audit', 'queries.ndjson');
}

/** Where Cube's transpiled YAML of the model is kept between processes (cube/server/project-model.ts); a cache, safe to delete. */
export const cubeCompileCacheDir = resolve(repoRoot, 'node_modules/.cache/asiakkuus-cube');

/** The Cube project's configuration (contextToGroups, dialectFactory), read by the official Cube server too. */
export const cubeConfigFile = resolve(repoRoot, 'cube/cube.js');

/** The erasure list (npm run erase): erased people's source records and hashed e-mails and handles, which every ingest applies. Beside the warehouse, so a rebuild in place honours it. */
export function erasureListFile(warehouseFile = warehousePath()): string {
  return resolve(fromEnv('ASIAKKUUS_ERASURE_LIST', resolve(dirname(warehouseFile), 'erasure-list.csv')));
}
