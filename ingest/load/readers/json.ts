// JSON (one array of objects) and NDJSON (one object per line), every declared key read
// as text, so a value of the wrong kind is quarantined by the rules instead of failing
// the whole file. An unknown key in any object is refused like an unknown CSV column,
// never dropped silently.
//
// A JSON array is one document: if it does not parse, nothing in it can be trusted and
// the file is refused (read_json). An NDJSON file is independent lines: DuckDB's
// read_csv reads them as whole lines (with its reject table for bytes that are not
// UTF-8), json_valid sorts out the lines that are not a JSON object, which are set
// aside with their line number and raw text (unparseable.ts), and the values of the
// others are taken with json_extract_string. Blank lines are spacing. _source_row is
// the element for JSON (1 = the first object) and the line for NDJSON.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { ident, literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { unreadable } from './describe.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { exposeStagedRows, numberedAround, stageInOrder } from './staging.ts';
import { clearCsvRejects, collectCsvRejects, csvRejectOptions, enforceBrokenRowLimit, unparseable } from './unparseable.ts';

export type JsonLayout = 'array' | 'newline_delimited';

async function distinctKeys(connection: DuckDBConnection, sql: string, path: string): Promise<string[]> {
  try {
    return (await connection.runAndReadAll(sql)).getRowsJS().map((row) => String(row[0]));
  } catch (error) {
    throw unreadable(path, error);
  }
}

async function stageArray(connection: DuckDBConnection, spec: EntitySpec, path: string, progress?: ProgressReport): Promise<void> {
  progress?.('reading');
  const keys = await distinctKeys(connection, `SELECT DISTINCT unnest(json_keys(json)) AS key FROM read_json_objects(${literal(path)}, format = 'array') ORDER BY key`, path);
  // An empty export has no keys to compare; a key absent from every object is a missing column.
  if (keys.length > 0) checkColumns(spec, keys, path, 'keys');
  progress?.('staging');
  const asText = spec.columns.map((c) => `${literal(c.name)}: 'VARCHAR'`).join(', ');
  // Element n of the array is row n.
  await stageInOrder(connection, spec, `read_json(${literal(path)}, format = 'array', columns = {${asText}})`, 1, path);
}

const lines = '_ndjson_lines';

/** Why a line that is not a JSON object was set aside, in the words JSON.parse uses. */
function jsonReason(text: string): string {
  try {
    const value: unknown = JSON.parse(text);
    return `not a JSON object but ${Array.isArray(value) ? 'an array' : value === null ? 'null' : `a ${typeof value}`}`;
  } catch (error) {
    return `invalid JSON: ${error instanceof Error ? error.message : String(error)}`;
  }
}

async function stageLines(connection: DuckDBConnection, spec: EntitySpec, path: string, progress?: ProgressReport): Promise<void> {
  progress?.('reading');
  await clearCsvRejects(connection);
  // Whole lines: no quote, and a delimiter that valid JSON text cannot hold unescaped.
  const relation = `read_csv(${literal(path)}, header = false, auto_detect = false, columns = {'line': 'VARCHAR'}, delim = chr(1), quote = '', escape = '', strict_mode = false, ${csvRejectOptions()})`;
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE _ndjson_raw_lines AS SELECT line FROM ${relation}`);
  } catch (error) {
    throw unreadable(path, error);
  }
  // Blank lines are rows here (empty lines of one column), so DuckDB's line numbers fit.
  await collectCsvRejects(connection, path, 1, '', true);
  // Line n of the file is row n; a line DuckDB rejected keeps its place.
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${lines} AS SELECT _source_row, line FROM (${numberedAround('_ndjson_raw_lines', 1, 'line')}) WHERE trim(coalesce(line, '')) <> ''`);
  await connection.run('DROP TABLE _ndjson_raw_lines');
  // CASE, not AND: DuckDB evaluates both sides of an AND, and json_type fails on invalid JSON.
  const isObject = `CASE WHEN json_valid(line) THEN json_type(line) = 'OBJECT' ELSE false END`;
  await connection.run(`
    INSERT INTO ${unparseable} SELECT _source_row, line, CASE WHEN json_valid(line) THEN 'not a JSON object' ELSE 'invalid JSON' END FROM ${lines} WHERE NOT ${isObject};
    DELETE FROM ${lines} WHERE NOT ${isObject}`);
  const parsed = Number((await connection.runAndReadAll(`SELECT count(*) FROM ${lines}`)).getRowsJS()[0]![0]);
  await enforceBrokenRowLimit(connection, spec, path, parsed);
  // Within the limit the broken lines are few: name what is wrong with each, as JSON.parse does.
  const broken = (await connection.runAndReadAll(`SELECT source_row, raw_text FROM ${unparseable} WHERE reason IN ('invalid JSON', 'not a JSON object')`)).getRowsJS();
  if (broken.length > 0) {
    const reasons = broken.map(([row, text]) => `(${Number(row)}, ${literal(jsonReason(String(text)))})`);
    await connection.run(`UPDATE ${unparseable} SET reason = r.reason FROM (VALUES ${reasons.join(', ')}) AS r(source_row, reason) WHERE ${unparseable}.source_row = r.source_row`);
  }
  const keys = await distinctKeys(connection, `SELECT DISTINCT unnest(json_keys(line)) AS key FROM ${lines} ORDER BY key`, path);
  if (keys.length > 0) checkColumns(spec, keys, path, 'keys');
  progress?.('staging');
  // One parse per line: json_extract_string with a list of paths answers a list.
  const paths = spec.columns.map((c) => literal(`$."${c.name}"`)).join(', ');
  const columns = spec.columns.map((c, index) => `values[${index + 1}] AS ${ident(c.name)}`).join(', ');
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _staged_rows AS
    SELECT _source_row, ${columns} FROM (SELECT _source_row, json_extract_string(line, [${paths}]) AS values FROM ${lines})`);
  await connection.run(`DROP TABLE ${lines}`);
  await exposeStagedRows(connection);
}

export async function openJson(spec: EntitySpec, path: string, layout: JsonLayout): Promise<OpenedSource> {
  return openedFile(path, async (connection: DuckDBConnection, progress?: ProgressReport) => {
    if (layout === 'array') return stageArray(connection, spec, path, progress);
    try {
      return await stageLines(connection, spec, path, progress);
    } finally {
      await connection.run(`DROP TABLE IF EXISTS ${lines}; DROP TABLE IF EXISTS _ndjson_raw_lines`);
    }
  });
}

