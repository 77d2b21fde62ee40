// Loads every entity of the source catalogue from a source folder into a warehouse file.
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { readCatalogue, type EntitySpec } from './catalogue.ts';
import { ensureBookkeeping } from './bookkeeping.ts';
import { loadEntity, type EntityLoadResult } from './load-entity.ts';

export interface IngestOptions {
  warehouseFile: string;
  sourceDir: string;
  entities?: EntitySpec[];
  onResult?: (result: EntityLoadResult) => void;
}

export async function ingestAll(options: IngestOptions): Promise<EntityLoadResult[]> {
  const entities = options.entities ?? readCatalogue();
  const instance = await DuckDBInstance.create(options.warehouseFile);
  const connection = await instance.connect();
  try {
    await ensureBookkeeping(connection);
    const results: EntityLoadResult[] = [];
    for (const entity of entities) {
      const result = await loadEntity(connection, entity, join(options.sourceDir, entity.file));
      options.onResult?.(result);
      results.push(result);
    }
    return results;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export function formatResult(result: EntityLoadResult): string {
  const name = `${result.source}.${result.entity}`.padEnd(22);
  if (result.status === 'unchanged') return `  ${name} unchanged (same file already loaded)`;
  return (
    `  ${name} load ${result.loadId}: read ${result.rowsRead}, accepted ${result.rowsAccepted}, ` +
    `rejected ${result.rowsRejected}, new or changed ${result.rowsNewOrChanged}`
  );
}
