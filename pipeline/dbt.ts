// Runs the project's pinned dbt against a given warehouse file. The profile in
// models/profiles.yml reads the path from DBT_DUCKDB_PATH; the identity decisions
// file's path goes in ASIAKKUUS_IDENTITY_DECISIONS. The project's Python packages
// (models/python: identity engine, customer value) go on PYTHONPATH for the Python models.
import { dbtProjectDir, identityDecisionsFile } from '../config/settings.ts';
import { ensurePythonEnv, pythonPackagesEnv, venvBinary } from './python-env.ts';
import { runCommand } from './run-command.ts';

/** dbt commands that change the warehouse; their working copy is published on success. */
const writingCommands = new Set(['build', 'run', 'seed', 'snapshot', 'run-operation', 'retry', 'clone']);

export function dbtCommandWrites(args: readonly string[]): boolean {
  const command = args.find((arg) => !arg.startsWith('-'));
  return command !== undefined && writingCommands.has(command);
}

export async function runDbt(args: readonly string[], warehouseFile: string): Promise<void> {
  await ensurePythonEnv();
  await runCommand(venvBinary('dbt'), [...args, '--project-dir', dbtProjectDir, '--profiles-dir', dbtProjectDir], {
    cwd: dbtProjectDir,
    env: { ...pythonPackagesEnv(), DBT_DUCKDB_PATH: warehouseFile, ASIAKKUUS_IDENTITY_DECISIONS: identityDecisionsFile() },
  });
}
