// DuckDB's own reader of each source file, for the bench's side-by-side with the
// ingest: the same files read by read_csv / read_json / read_parquet with DuckDB's
// defaults (types detected, no rules, no quarantine, no row numbers, no fingerprints).
// Two figures per file:
//   read     CREATE TABLE AS SELECT * FROM <reader> in an in-memory database: the
//            reader alone, the "~1,000,000 rows/s" figure;
//   to file  the same into a new database file, CHECKPOINT and close included: the
//            same storage work an ingest does (compression, writing), without its rules.
// Excel has no reader in DuckDB without its excel extension (not installable here).
//
//   npx tsx bench/duckdb-read.ts --source-dir DIR [--catalogue FILE]   (prints JSON)
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { entityName, readCatalogueFile, defaultCatalogueFile, type EntitySpec, type FileFormat } from '../ingest/load/catalogue.ts';
import { peakMemoryBytes, resetPeakMemory } from '../ingest/load/peak-memory.ts';
import { literal } from '../ingest/load/sql.ts';
import { readCommandLine } from '../pipeline/command-line.ts';

export interface DuckDbReadFigure {
  seconds: number;
  peakRssBytes: number;
}

export interface DuckDbRead {
  entity: string;
  format: FileFormat;
  rows: number;
  /** DuckDB's reader into an in-memory table. */
  read: DuckDbReadFigure;
  /** DuckDB's reader into a table of a new database file, checkpointed. */
  toFile: DuckDbReadFigure;
}

/** The format a file of this entity is in (a postgres entity's fallback file), undefined where DuckDB has no reader. */
function fileFormat(spec: EntitySpec): FileFormat | undefined {
  const format = spec.format === 'postgres' ? (spec.options.fallback_format ?? 'csv') : spec.format;
  return format === 'xlsx' ? undefined : format;
}

/** DuckDB's reader of the file with its defaults; only what the catalogue says about the bytes is passed on. */
export function duckDbReader(spec: EntitySpec, format: FileFormat, path: string): string {
  const file = literal(path);
  switch (format) {
    case 'csv': {
      const options = spec.format === 'csv' ? spec.options : {};
      const delimiter = options.delimiter ? `, delim = ${literal(options.delimiter)}` : '';
      // DuckDB decodes Latin-1 itself; Windows-1252 differs only in 0x80-0x9F, same cost.
      const encoding = options.encoding === 'windows-1252' ? `, encoding = 'latin-1'` : '';
      return `read_csv(${file}${delimiter}${encoding})`;
    }
    case 'json':
      return `read_json(${file}, format = 'array')`;
    case 'ndjson':
      return `read_json(${file}, format = 'newline_delimited')`;
    case 'parquet':
      return `read_parquet(${file})`;
    case 'xlsx':
      throw new Error('DuckDB has no Excel reader here');
  }
}

async function timed(databaseFile: string, sql: string): Promise<{ figure: DuckDbReadFigure; rows: number }> {
  resetPeakMemory();
  const started = performance.now();
  const instance = await DuckDBInstance.create(databaseFile);
  const connection = await instance.connect();
  let rows: number;
  try {
    await connection.run(sql);
    rows = Number((await connection.runAndReadAll('SELECT count(*) FROM t')).getRowsJS()[0]![0]);
    if (databaseFile !== ':memory:') await connection.run('CHECKPOINT');
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { figure: { seconds: (performance.now() - started) / 1000, peakRssBytes: peakMemoryBytes() }, rows };
}

export async function measureDuckDbReads(sourceDir: string, entities: EntitySpec[]): Promise<DuckDbRead[]> {
  const scratch = mkdtempSync(join(tmpdir(), 'asiakkuus-duckdb-read-'));
  const found: DuckDbRead[] = [];
  try {
    for (const spec of entities) {
      const format = fileFormat(spec);
      if (!format) continue;
      const sql = `CREATE TABLE t AS SELECT * FROM ${duckDbReader(spec, format, join(sourceDir, spec.file))}`;
      const read = await timed(':memory:', sql);
      const file = join(scratch, `${entityName(spec)}.duckdb`);
      const toFile = await timed(file, sql);
      rmSync(file, { force: true });
      rmSync(`${file}.wal`, { force: true });
      found.push({ entity: entityName(spec), format, rows: read.rows, read: read.figure, toFile: toFile.figure });
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return found;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const values = readCommandLine('npx tsx bench/duckdb-read.ts --source-dir DIR [--catalogue FILE]', { options: { 'source-dir': { type: 'string' }, catalogue: { type: 'string' } } });
  if (!values['source-dir']) throw new Error('--source-dir is required');
  const catalogue = readCatalogueFile(values.catalogue ? resolve(values.catalogue) : defaultCatalogueFile);
  console.log(JSON.stringify(await measureDuckDbReads(resolve(values['source-dir']), catalogue.entities)));
}
