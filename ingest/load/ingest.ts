// Loads every entity of the source catalogue from a source folder into a warehouse file.
// An entity that cannot be read at all is reported and skipped; the others still load.
import { DuckDBInstance } from '@duckdb/node-api';
import { entityName, readCatalogueFile, type Catalogue, type EntitySpec } from './catalogue.ts';
import { ensureBookkeeping, writeCatalogueTables } from './bookkeeping.ts';
import { loadEntity, SourceFileError, type EntityLoadResult } from './load-entity.ts';
import { peakMemoryBytes, resetPeakMemory } from './peak-memory.ts';
import { enableQueryProgress, type LoadPhase } from './progress.ts';
import { applyErasures, readErasureList } from './erasure.ts';
import { erasureListFile } from '../../config/settings.ts';

export interface IngestOptions {
  warehouseFile: string;
  sourceDir: string;
  catalogue?: Catalogue;
  /** Only these entities ("source.entity"); all when absent. */
  only?: string[];
  onStart?: (entity: EntitySpec, index: number, total: number) => void;
  /** Progress within the current entity's load (phase, 0..1 of it when known). */
  onProgress?: (entity: EntitySpec, phase: LoadPhase, fraction?: number) => void;
  onResult?: (result: EntityLoadResult) => void;
  onFailure?: (failure: EntityFailure) => void;
  /** The erasure list applied after loading (npm run erase); by default the one beside the warehouse. */
  erasureList?: string;
}

export interface EntityFailure {
  source: string;
  entity: string;
  format: string;
  error: string;
}

export interface IngestReport {
  results: EntityLoadResult[];
  failures: EntityFailure[];
  /** Raw rows the erasure list changed (erased people's data that the exports still hold). */
  erasedRows: number;
}

function selectEntities(catalogue: Catalogue, only: string[] | undefined): EntitySpec[] {
  if (!only) return catalogue.entities;
  const unknown = only.filter((name) => !catalogue.entities.some((e) => entityName(e) === name));
  if (unknown.length) throw new Error(`unknown entit${unknown.length > 1 ? 'ies' : 'y'}: ${unknown.join(', ')}; known: ${catalogue.entities.map(entityName).join(', ')}`);
  return catalogue.entities.filter((e) => only.includes(entityName(e)));
}

export async function ingestAll(options: IngestOptions): Promise<IngestReport> {
  const catalogue = options.catalogue ?? readCatalogueFile();
  const entities = selectEntities(catalogue, options.only);
  const instance = await DuckDBInstance.create(options.warehouseFile);
  const connection = await instance.connect();
  try {
    // No vacuum in the loads' checkpoints. A load's big INSERT writes its row groups into
    // the file as it runs (DuckDB's optimistic writes); DuckDB's checkpoint then
    // schedules vacuum tasks that rewrite those row groups, in the load's own checkpoint
    // and, left over, in the next loads' (a 232,000-row load paid 1.1 s after 3.8 million
    // invoices, 4.5 s after 31 million events). Raw tables are only appended to, so the
    // rewrite buys little; without it the same rows are in the file, a few MiB smaller
    // (docs/performance.md, "Vacuum in the ingest's checkpoints").
    await connection.run('SET max_vacuum_tasks = 0');
    await ensureBookkeeping(connection);
    await writeCatalogueTables(connection, catalogue);
    if (options.onProgress) await enableQueryProgress(connection);
    const report: IngestReport = { results: [], failures: [], erasedRows: 0 };
    for (const [index, entity] of entities.entries()) {
      options.onStart?.(entity, index, entities.length);
      try {
        const onProgress = options.onProgress && ((phase: LoadPhase, fraction?: number) => options.onProgress!(entity, phase, fraction));
        resetPeakMemory();
        const loaded = await loadEntity(connection, entity, options.sourceDir, onProgress ? { onProgress } : {});
        const result = { ...loaded, peakRssBytes: peakMemoryBytes() };
        options.onResult?.(result);
        report.results.push(result);
      } catch (error) {
        if (!(error instanceof SourceFileError)) throw error;
        const failure = { source: entity.source, entity: entity.name, format: entity.format, error: error.message };
        options.onFailure?.(failure);
        report.failures.push(failure);
      }
    }
    // Erased people stay erased: whatever the exports still hold of them is replaced
    // again before any model reads it.
    report.erasedRows = await applyErasures(connection, catalogue, readErasureList(options.erasureList ?? erasureListFile(options.warehouseFile)));
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
    `rejected ${result.rowsRejected}${result.rowsUnparseable ? ` (${result.rowsUnparseable} unparseable)` : ''}, new or changed ${result.rowsNewOrChanged}${note}`
  );
}
