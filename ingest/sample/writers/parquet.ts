// Parquet files are written by DuckDB itself from a scratch CSV, with the catalogue's
// column types, then the scratch file is removed.
import { rmSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import type { EntitySpec } from '../../load/catalogue.ts';
import { ident, literal } from '../../load/sql.ts';

export async function convertCsvToParquet(spec: EntitySpec, csvPath: string, parquetPath: string): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const columns = spec.columns.map((c) => `CAST(NULLIF(${ident(c.name)}, '') AS ${c.type}) AS ${ident(c.name)}`).join(', ');
    await connection.run(
      `COPY (SELECT ${columns} FROM read_csv(${literal(csvPath)}, header = true, all_varchar = true)) TO ${literal(parquetPath)} (FORMAT parquet, COMPRESSION zstd)`,
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(csvPath, { force: true });
  }
}
