// Parquet with DuckDB's read_parquet. A column stored in exactly its catalogue type is
// staged as it is: its values are already of that type, and the text round trip the
// shared rules would make (DATE, TIMESTAMP, DECIMAL, integers, DOUBLE and BOOLEAN text
// casts back exactly) would only cost a conversion per value. Any other column (another
// type, or a date or timestamp the options give a text pattern for) is cast to text
// for the shared rules, which refuse what does not convert. rules.ts checks both alike.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec, EntityOptions, EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { ident, literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { describeColumnTypes } from './describe.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { stageNumbered } from './staging.ts';

/** Whether the stored value needs no conversion: same type, and no text pattern that its text would have to match. */
export function storedAsDeclared(column: ColumnSpec, storedType: string | undefined, options: EntityOptions): boolean {
  if (storedType !== column.type || column.type === 'VARCHAR') return false;
  if (column.type === 'DATE' && options.date_format) return false;
  if (column.type === 'TIMESTAMP' && options.timestamp_format) return false;
  return true;
}

export async function openParquet(spec: EntitySpec, path: string, options: EntityOptions = {}): Promise<OpenedSource> {
  return openedFile(path, async (connection: DuckDBConnection, progress?: ProgressReport) => {
    progress?.('staging');
    const stored = await describeColumnTypes(connection, `read_parquet(${literal(path)})`, path);
    checkColumns(spec, [...stored.keys()], path);
    const columns = spec.columns.map((c) =>
      storedAsDeclared(c, stored.get(c.name), options) ? ident(c.name) : `CAST(${ident(c.name)} AS VARCHAR) AS ${ident(c.name)}`,
    );
    // file_row_number numbers the rows in parallel; the first row is row 1.
    await stageNumbered(connection, spec, `(SELECT file_row_number + 1 AS _source_row, ${columns.join(', ')} FROM read_parquet(${literal(path)}, file_row_number = true))`, path);
  });
}
