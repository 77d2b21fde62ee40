// Parquet exports (ERP contracts, the billing system, newsletter events) are written by
// DuckDB itself from a scratch CSV, with the catalogue's column types (DATE,
// DECIMAL(12,2), TIMESTAMP, VARCHAR ...); the scratch file is removed afterwards.
// Appending (the daily increment) rewrites the file with the old rows and the new ones.
import { renameSync, rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EntitySpec } from '../../load/catalogue.ts';
import { ident, literal } from '../../load/sql.ts';
import { openCsvWriter } from './csv.ts';
import { countingWriter } from './counting-writer.ts';
import type { EntityWriter, WriterOptions } from './entity-writer.ts';

async function convertCsvToParquet(spec: EntitySpec, csvPath: string, parquetPath: string, append: boolean): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const target = append ? `${parquetPath}.next` : parquetPath;
  try {
    const columns = spec.columns.map((c) => `CAST(NULLIF(${ident(c.name)}, '') AS ${c.type}) AS ${ident(c.name)}`).join(', ');
    const fresh = `SELECT ${columns} FROM read_csv(${literal(csvPath)}, header = true, all_varchar = true, delim = ',', quote = '"', escape = '"')`;
    const rows = append ? `SELECT * FROM read_parquet(${literal(parquetPath)}) UNION ALL ${fresh}` : fresh;
    await connection.run(`COPY (${rows}) TO ${literal(target)} (FORMAT parquet, COMPRESSION zstd)`);
    if (append) renameSync(target, parquetPath);
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(csvPath, { force: true });
    rmSync(`${parquetPath}.next`, { force: true });
  }
}

export function openParquetWriter(spec: EntitySpec, path: string, options: WriterOptions): EntityWriter {
  const scratchPath = `${path}.csv`;
  const scratch = openCsvWriter({ ...spec, format: 'csv', options: {} }, scratchPath, {});
  return countingWriter(path, (record) => scratch.write(record), async () => {
    await scratch.close();
    await convertCsvToParquet(spec, scratchPath, path, options.append === true);
  });
}
