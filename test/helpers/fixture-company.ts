// Helpers for the hand-computed fixture companies: write a company's exports in the
// source catalogue's formats, and read the warehouse built from them.
import { DuckDBInstance } from '@duckdb/node-api';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';
import { openEntityWriter } from '../../ingest/sample/writers/entity-writer.ts';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';

/**
 * Writes every entity of the catalogue into `dir` in its format, with the records the
 * company has for it (most entities empty). A name that is not in the catalogue is an
 * error, so a typo cannot leave an entity silently empty.
 */
export async function writeCompanyExports(dir: string, exports: Record<string, SampleRecord[]>, exportedAt: Date): Promise<void> {
  const known = new Set(readCatalogue().map(entityName));
  for (const name of Object.keys(exports)) if (!known.has(name)) throw new Error(`not in the catalogue: ${name}`);
  for (const spec of readCatalogue()) {
    const writer = openEntityWriter(spec, dir, { exportedAt });
    for (const record of exports[entityName(spec)] ?? []) writer.write(record);
    await writer.close();
  }
}

/** Rows of a query on the warehouse file, opened read-only for the one query. */
export async function readWarehouse(warehouseFile: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
