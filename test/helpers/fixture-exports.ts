// Helpers for the hand-computed fixture companies: write each catalogue entity's export
// (most of them empty) in its catalogue format, build the warehouse from them in a
// temporary folder, serve it, sign in, and read the built warehouse.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';
import { openEntityWriter } from '../../ingest/sample/writers/entity-writer.ts';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { signIn } from './api-client.ts';
import { serverLogTo } from './server-log.ts';
import { warehouseJsonRows } from './warehouse-rows.ts';

/**
 * Build options for a small company a test builds itself: dbt quiet. Like every build of
 * data, it leaves out dbt's unit tests (pipeline/dbt.ts dataBuildArgs), which run in the
 * shared sample build of every full run (the warehouse project's global setup); the data
 * tests run on every fixture build.
 */
export const fixtureBuild = { dbtArgs: ['--quiet'], log: () => {} };

/**
 * Serve options for a fixture company: no result-cache warming. Warming runs every page's
 * opening queries under every role right after start, work these tests never read back
 * (they ask their own queries, answered the same warm or cold) and that competes with the
 * other test files for the two cores. The warmer itself is tested on the shared sample
 * warehouse (test/api/serving.warehouse.test.ts) and after a swap (rebuild-while-serving).
 */
export const fixtureServing = { warm: false } as const;

/** A fixture company's exports: catalogue entity name (source.entity) -> its records. */
export type FixtureExports = Record<string, SampleRecord[]>;

/** Writes `exports` (entity name -> records) into `dir`; every catalogue entity gets a file. */
export async function writeFixtureExports(exports: FixtureExports, dir: string, exportedAt: Date): Promise<void> {
  const known = new Set(readCatalogue().map(entityName));
  for (const name of Object.keys(exports)) if (!known.has(name)) throw new Error(`not in the catalogue: ${name}`);
  for (const spec of readCatalogue()) {
    const writer = openEntityWriter(spec, dir, { exportedAt });
    for (const record of exports[entityName(spec)] ?? []) writer.write(record);
    await writer.close();
  }
}

export interface FixtureCompany {
  warehouseFile: string;
  running: RunningServer;
  token: string;
  rows(sql: string): Promise<Record<string, unknown>[]>;
  close(): Promise<void>;
}

/** The company's exports through ingest and dbt into a fresh warehouse, served, with a signed-in user's token. */
export async function buildFixtureCompany(label: string, exports: Record<string, SampleRecord[]>, exportedAt: Date, username = 'finance'): Promise<FixtureCompany> {
  const workDir = mkdtempSync(join(tmpdir(), `asiakkuus-${label}-fixture-`));
  const sourceDir = join(workDir, 'source');
  const warehouseFile = join(workDir, 'warehouse.duckdb');
  // The partner network loads from its CSV fallback, not a live database.
  delete process.env.ASIAKKUUS_NETWORK_DB_URL;
  await writeFixtureExports(exports, sourceDir, exportedAt);
  await buildWarehouse({ sourceDir, warehouseFile, ...fixtureBuild });
  const running = await serve({ port: 0, warehouseFile, dashboardDir: join(workDir, 'no-dashboard'), log: serverLogTo(label), ...fixtureServing });
  return {
    warehouseFile,
    running,
    token: await signIn(running.url, username),
    rows: (sql) => warehouseJsonRows(warehouseFile, sql),
    close: async () => {
      await running.close();
      rmSync(workDir, { recursive: true, force: true });
    },
  };
}
