// A hand-written company for the fixture tests: its exports written in the catalogue's
// formats (every entity gets a file, most of them empty), and read-only queries on the
// warehouse built from them.
import { DuckDBInstance } from '@duckdb/node-api';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';
import { openEntityWriter } from '../../ingest/sample/writers/entity-writer.ts';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';

export type FixtureExports = Record<string, SampleRecord[]>;

export async function writeFixtureExports(exports: FixtureExports, dir: string, exportedAt: Date): Promise<void> {
  const known = new Set(readCatalogue().map(entityName));
  for (const name of Object.keys(exports)) if (!known.has(name)) throw new Error(`not in the catalogue: ${name}`);
  for (const spec of readCatalogue()) {
    const writer = openEntityWriter(spec, dir, { exportedAt });
    for (const record of exports[entityName(spec)] ?? []) writer.write(record);
    await writer.close();
  }
}

export async function warehouseRows(warehouseFile: string, sql: string): Promise<Record<string, unknown>[]> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJson() as Record<string, unknown>[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
