// The warehouse build: ingest the source exports and run `dbt build` in one working
// copy, then publish it over the served warehouse. Generates the sample company first
// when the source folder holds no exports yet.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { sourceDir as defaultSourceDir, warehousePath } from '../config/settings.ts';
import { defaultSampleOptions, generateSampleCompany } from '../ingest/sample/generate.ts';
import { formatResult, ingestAll } from '../ingest/load/ingest.ts';
import type { EntityLoadResult } from '../ingest/load/load-entity.ts';
import { buildRollups, formatRollupReport, type RollupsReport } from '../cube/server/rollup-builder.ts';
import { projectModel } from '../cube/server/project-model.ts';
import { runDbt, dataBuildArgs } from './dbt.ts';
import { withWorkingCopy } from './warehouse-swap.ts';

export interface BuildOptions {
  sourceDir?: string;
  warehouseFile?: string;
  /** Extra dbt arguments, e.g. ['--quiet']. */
  dbtArgs?: string[];
  /**
   * Rebuild the incremental marts from scratch (dbt --full-refresh) instead of applying
   * only what changed since the last build; also ASIAKKUUS_FULL_REFRESH=1.
   */
  fullRefresh?: boolean;
  /**
   * Train the identity engine's model afresh (int_identity_model) instead of scoring with
   * the kept one; every pair is then rescored. Also ASIAKKUUS_IDENTITY_RETRAIN=1.
   */
  retrainIdentity?: boolean;
  /**
   * Fit the customer value models afresh (int_customer_value_fit) instead of predicting
   * with the kept parameters. Also ASIAKKUUS_VALUE_REFIT=1.
   */
  refitValue?: boolean;
  /**
   * Run dbt's unit tests too (default: no). They check model rules on inline rows, the
   * same whatever data is built, so they belong where the code changes: the test suite's
   * shared sample build and a developer's `npx dbt build`, not every build of the data.
   */
  unitTests?: boolean;
  log?: (line: string) => void;
}

export interface BuildReport {
  loads: EntityLoadResult[];
  seconds: { ingest: number; dbt: number; rollups: number; total: number };
  /** The Cube rollups built into the warehouse before it was published. */
  rollups: RollupsReport;
}

export async function ensureSampleCompany(dir: string, log: (line: string) => void): Promise<void> {
  if (existsSync(join(dir, 'manifest.json'))) return;
  log(`No source exports in ${dir}; generating the sample company ...`);
  const summary = await generateSampleCompany({ ...defaultSampleOptions, outDir: dir });
  log(`  ${Object.entries(summary.files).map(([file, rows]) => `${file} ${rows}`).join(', ')}`);
}

const truthy = (value: string | undefined) => ['1', 'true', 'yes'].includes((value ?? '').toLowerCase());

/** ASIAKKUUS_FULL_REFRESH=1 (or true) asks every build for a full refresh. */
export function fullRefreshRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return truthy(env.ASIAKKUUS_FULL_REFRESH);
}

/** ASIAKKUUS_IDENTITY_RETRAIN=1 (or true) asks every build to retrain the identity model. */
export function identityRetrainRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return truthy(env.ASIAKKUUS_IDENTITY_RETRAIN);
}

/** ASIAKKUUS_VALUE_REFIT=1 (or true) asks every build to fit the customer value models afresh. */
export function valueRefitRequested(env: NodeJS.ProcessEnv = process.env): boolean {
  return truthy(env.ASIAKKUUS_VALUE_REFIT);
}

/** dbt's --vars for the refits asked for; none when nothing is asked. */
export function refitVars(retrainIdentity: boolean, refitValue: boolean): string[] {
  const vars = [...(retrainIdentity ? ['identity_retrain: true'] : []), ...(refitValue ? ['customer_value_refit: true'] : [])];
  return vars.length > 0 ? ['--vars', `{${vars.join(', ')}}`] : [];
}

export async function buildWarehouse(options: BuildOptions = {}): Promise<BuildReport> {
  const log = options.log ?? console.log;
  const dir = options.sourceDir ?? defaultSourceDir();
  const started = performance.now();
  let ingestSeconds = 0;
  let dbtSeconds = 0;
  let rollupSeconds = 0;
  let rollups: RollupsReport = { tables: [], bytes: 0, seconds: 0 };
  const loads = await withWorkingCopy(
    async (working) => {
      log('Ingesting source exports ...');
      const { results, failures } = await ingestAll({ warehouseFile: working, sourceDir: dir, onResult: (r) => log(formatResult(r)) });
      // A source that cannot be read would leave the models on partial data; stop and say which.
      if (failures.length > 0) {
        throw new Error(`${failures.length} source(s) could not be read:\n${failures.map((f) => `  ${f.source}.${f.entity}: ${f.error}`).join('\n')}`);
      }
      ingestSeconds = (performance.now() - started) / 1000;
      log('Running dbt build ...');
      const dbtStarted = performance.now();
      const fullRefresh = options.fullRefresh ?? fullRefreshRequested();
      const retrain = options.retrainIdentity ?? identityRetrainRequested();
      const refitValue = options.refitValue ?? valueRefitRequested();
      const dbtBuild = runDbt(
        ['build', ...(fullRefresh ? ['--full-refresh'] : []), ...refitVars(retrain, refitValue), ...dataBuildArgs(options.unitTests ?? false), ...(options.dbtArgs ?? [])],
        working,
      );
      // The rollups need Cube's model compiled (about 1.4 s of one core, once per
      // process). It compiles while dbt runs, which leaves a core idle for much of its
      // run (a day's build at 100,000 customers: one node at a time for 24 of 62 s), so
      // the rollups start as soon as dbt ends. A compile error is reported by
      // buildRollups, which asks for the same compile again.
      projectModel().catch(() => undefined);
      await dbtBuild;
      dbtSeconds = (performance.now() - dbtStarted) / 1000;
      // Cube's rollups (pre_aggregations) go in before the swap: a published warehouse
      // always has the tables the API's planner may send a query to.
      log('Building Cube rollups ...');
      const rollupsStarted = performance.now();
      rollups = await buildRollups(working);
      rollupSeconds = (performance.now() - rollupsStarted) / 1000;
      log(formatRollupReport(rollups));
      return results;
    },
    { publish: true, warehouse: options.warehouseFile ?? warehousePath() },
  );
  return { loads, rollups, seconds: { ingest: ingestSeconds, dbt: dbtSeconds, rollups: rollupSeconds, total: (performance.now() - started) / 1000 } };
}
