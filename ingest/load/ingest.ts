// Loads every entity of the source catalogue from a source folder into a warehouse file.
// An entity that cannot be read at all is reported and skipped; the others still load.
import { DuckDBInstance } from '@duckdb/node-api';
import { entityName, readCatalogueFile, type Catalogue, type EntitySpec } from './catalogue.ts';
import { ensureBookkeeping, writeCatalogueTables } from './bookkeeping.ts';
import { loadEntity, SourceFileError, type EntityLoadResult } from './load-entity.ts';

export interface IngestOptions {
  warehouseFile: string;
  sourceDir: string;
  catalogue?: Catalogue;
  /** Only these entities ("source.entity"); all when absent. */
  only?: string[];
  onStart?: (entity: EntitySpec, index: number, total: number) => void;
  onResult?: (result: EntityLoadResult) => void;
  onFailure?: (failure: EntityFailure) => void;
}

export interface EntityFailure {
  source: string;
  entity: string;
  error: string;
}

export interface IngestReport {
  results: EntityLoadResult[];
  failures: EntityFailure[];
}

export async function ingestAll(options: IngestOptions): Promise<IngestReport> {
  const catalogue = options.catalogue ?? readCatalogueFile();
  const entities = options.only ? catalogue.entities.filter((e) => options.only!.includes(entityName(e))) : catalogue.entities;
  if (options.only) {
    const unknown = options.only.filter((name) => !catalogue.entities.some((e) => entityName(e) === name));
    if (unknown.length) throw new Error(`unknown entit${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')}`);
  }
  const instance = await DuckDBInstance.create(options.warehouseFile);
  const connection = await instance.connect();
  try {
    await ensureBookkeeping(connection);
    await writeCatalogueTables(connection, catalogue);
    const report: IngestReport = { results: [], failures: [] };
    for (const [index, entity] of entities.entries()) {
      options.onStart?.(entity, index, entities.length);
      try {
        const result = await loadEntity(connection, entity, options.sourceDir);
        options.onResult?.(result);
        report.results.push(result);
      } catch (error) {
        if (!(error instanceof SourceFileError)) throw error;
        const failure = { source: entity.source, entity: entity.name, error: error.message };
        options.onFailure?.(failure);
        report.failures.push(failure);
      }
    }
    return report;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export function formatResult(result: EntityLoadResult): string {
  const name = `${result.source}.${result.entity}`.padEnd(28);
  const note = result.note ? ` (${result.note})` : '';
  if (result.status === 'unchanged') return `  ${name} unchanged (same content already loaded)${note}`;
  return (
    `  ${name} load ${result.loadId}: read ${result.rowsRead}, accepted ${result.rowsAccepted}, ` +
    `rejected ${result.rowsRejected}, new or changed ${result.rowsNewOrChanged}${note}`
  );
}
