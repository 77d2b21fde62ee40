// JSON (one array of objects) and NDJSON (one object per line) with DuckDB's read_json,
// every declared key read as text (`columns={...: 'VARCHAR'}`), so a value of the wrong
// kind is quarantined by the rules instead of failing the whole file. read_json with
// explicit columns ignores other keys, so the keys of every object are checked first:
// an unknown key is refused like an unknown CSV column, never dropped silently.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { unreadable } from './describe.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { stageInOrder } from './staging.ts';

export type JsonLayout = 'array' | 'newline_delimited';

/** Every key used by any object of the file. */
async function keysInFile(connection: DuckDBConnection, path: string, layout: JsonLayout): Promise<string[]> {
  try {
    const reader = await connection.runAndReadAll(`
      SELECT DISTINCT unnest(json_keys(json)) AS key FROM read_json_objects(${literal(path)}, format = ${literal(layout)}) ORDER BY key`);
    return reader.getRowsJS().map((row) => String(row[0]));
  } catch (error) {
    throw unreadable(path, error);
  }
}

export async function openJson(spec: EntitySpec, path: string, layout: JsonLayout): Promise<OpenedSource> {
  return openedFile(path, async (connection: DuckDBConnection, progress?: ProgressReport) => {
    progress?.('reading');
    const keys = await keysInFile(connection, path, layout);
    // An empty export has no keys to compare; a key absent from every object is a missing column.
    if (keys.length > 0) checkColumns(spec, keys, path, 'keys');
    progress?.('staging');
    const asText = spec.columns.map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ');
    // Element n of the array (line n of NDJSON) is row n.
    await stageInOrder(connection, spec, `read_json(${literal(path)}, format = ${literal(layout)}, columns = {${asText}})`, 1, path);
  });
}
