// Helpers for the hand-computed fixture companies: write each catalogue entity's export
// (most of them empty) in its catalogue format, and read the built warehouse.
import { DuckDBInstance } from '@duckdb/node-api';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';
import { openEntityWriter } from '../../ingest/sample/writers/entity-writer.ts';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';

/** Writes `exports` (entity name -> records) into `dir`; every catalogue entity gets a file. */
export async function writeFixtureExports(exports: Record<string, SampleRecord[]>, dir: string, exportedAt: Date): Promise<void> {
  const known = new Set(readCatalogue().map(entityName));
  for (const name of Object.keys(exports)) if (!known.has(name)) throw new Error(`not in the catalogue: ${name}`);
  for (const spec of readCatalogue()) {
    const writer = openEntityWriter(spec, dir, { exportedAt });
    for (const record of exports[entityName(spec)] ?? []) writer.write(record);
    await writer.close();
  }
}

/** Rows of `sql` on the warehouse file, opened read-only for the one query. */
export async function warehouseRowsOf(warehouseFile: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
