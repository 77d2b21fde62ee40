// Parquet with DuckDB's read_parquet. Its typed values are cast to text for the shared
// rules, which cast them back: DATE, TIMESTAMP and DECIMAL text round-trips exactly.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { ident, literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { describeColumns } from './describe.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { stageNumbered } from './staging.ts';

export async function openParquet(spec: EntitySpec, path: string): Promise<OpenedSource> {
  return openedFile(path, async (connection: DuckDBConnection, progress?: ProgressReport) => {
    progress?.('staging');
    checkColumns(spec, await describeColumns(connection, `read_parquet(${literal(path)})`, path), path);
    const asText = spec.columns.map((c) => `CAST(${ident(c.name)} AS VARCHAR) AS ${ident(c.name)}`).join(', ');
    // file_row_number numbers the rows in parallel; the first row is row 1.
    await stageNumbered(connection, spec, `(SELECT file_row_number + 1 AS _source_row, ${asText} FROM read_parquet(${literal(path)}, file_row_number = true))`, path);
  });
}
