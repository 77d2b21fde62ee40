// JSON (one array of objects) and NDJSON (one object per line) with DuckDB's read_json.
// The keys are found first, then every key is read as text, so a value of the wrong
// kind is quarantined by the rules instead of failing the whole file.
import type { DuckDBConnection } from '@duckdb/node-api';
import { ident, literal } from '../sql.ts';
import { sha256OfFile } from './checksum.ts';
import { describeColumns } from './describe.ts';
import type { PreparedSource } from './prepared-source.ts';

export async function prepareJson(connection: DuckDBConnection, path: string, layout: 'array' | 'newline_delimited'): Promise<PreparedSource> {
  const checksum = await sha256OfFile(path);
  const detect = `read_json(${literal(path)}, format = ${literal(layout)})`;
  const columns = await describeColumns(connection, detect, path);
  const asText = columns.map((name) => `${literal(name)}: 'VARCHAR'`).join(', ');
  const relation = `read_json(${literal(path)}, format = ${literal(layout)}, columns = {${asText}})`;
  return { location: path, checksum, relation, columns, cleanup: () => {} };
}

/** Parquet keeps its own types; they are cast to text here and back by the rules, exactly. */
export async function prepareParquet(connection: DuckDBConnection, path: string): Promise<PreparedSource> {
  const checksum = await sha256OfFile(path);
  const columns = await describeColumns(connection, `read_parquet(${literal(path)})`, path);
  const relation = `(SELECT ${columns.map((name) => `CAST(${ident(name)} AS VARCHAR) AS ${ident(name)}`).join(', ')} FROM read_parquet(${literal(path)}))`;
  return { location: path, checksum, relation, columns, cleanup: () => {} };
}
