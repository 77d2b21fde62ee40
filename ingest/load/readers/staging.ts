// The one shape every reader produces, so the rules (required, type, allowed codes,
// duplicate key) are one code path for all formats:
//
//   _staged(_source_row BIGINT, <every catalogue column> VARCHAR)
//
// (except that a Parquet column stored in exactly its catalogue type is staged typed,
// readers/parquet.ts; the rules tell the two apart by the staged column's type)
//
// `_staged` is a temp view over the temp table `_staged_rows`. Bulk readers create
// `_staged_rows` with CREATE TABLE AS from DuckDB's read_csv/read_json: with insertion
// order preserved (DuckDB's default) a table's rowid is then the row's position in the
// file, which numbers the rows for free; row_number() OVER () would force the whole
// read through a single thread.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntitySpec } from '../catalogue.ts';
import { ident } from '../sql.ts';
import { unreadable } from './describe.ts';
import { unparseable } from './unparseable.ts';

export const staged = '_staged';
const stagedRows = '_staged_rows';

/**
 * Stages a relation whose rows come in source order. `firstRow` is the _source_row of
 * the first data row: 2 for files with a header line (the row as a spreadsheet shows
 * it), 1 for JSON elements and table rows.
 */
export async function stageInOrder(connection: DuckDBConnection, spec: EntitySpec, relation: string, firstRow: number, location: string): Promise<void> {
  const columns = spec.columns.map((c) => ident(c.name)).join(', ');
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${stagedRows} AS SELECT ${columns} FROM ${relation}`);
  } catch (error) {
    throw unreadable(location, error);
  }
  await numberStagedRows(connection, spec, firstRow);
}

/**
 * Exposes _staged over _staged_rows (rows in file order, no numbers) with each row's
 * number: its position + firstRow, and around the broken rows set aside in
 * _unparseable when there are any.
 */
export async function numberStagedRows(connection: DuckDBConnection, spec: EntitySpec, firstRow: number): Promise<void> {
  const columns = spec.columns.map((c) => ident(c.name)).join(', ');
  if (!(await anyUnparseable(connection))) {
    await connection.run(`CREATE OR REPLACE TEMP VIEW ${staged} AS SELECT rowid + ${firstRow} AS _source_row, ${columns} FROM ${stagedRows}`);
    return;
  }
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${renumberedRows} AS ${numberedAround(stagedRows, firstRow, columns)}`);
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${staged} AS SELECT * FROM ${renumberedRows}`);
}

/** Staged rows numbered around the broken rows set aside (see numberedAround). */
const renumberedRows = '_staged_renumbered';

async function anyUnparseable(connection: DuckDBConnection): Promise<boolean> {
  const reader = await connection.runAndReadAll(`SELECT count(*) FROM duckdb_tables() WHERE temporary AND table_name = '${unparseable}'`);
  if (Number(reader.getRowsJS()[0]![0]) === 0) return false;
  return Number((await connection.runAndReadAll(`SELECT count(*) FROM ${unparseable}`)).getRowsJS()[0]![0]) > 0;
}

/**
 * `table`'s rows (in file order, rowid 0 first) as `_source_row, <columns>`, numbered
 * as if the broken rows in _unparseable were still among them: a parsed row's number
 * is its position + firstRow + the number of broken rows before it. With the broken
 * rows' numbers sorted (b_1 < b_2 < ...), parsed position p comes after the i-th broken
 * row exactly when p >= b_i - firstRow - (i - 1), so an ASOF join finds that count for
 * every row in one pass.
 */
export function numberedAround(table: string, firstRow: number, columns: string): string {
  return `
    WITH steps AS (
      SELECT source_row - ${firstRow} - (row_number() OVER (ORDER BY source_row) - 1) AS from_position,
             row_number() OVER (ORDER BY source_row) AS broken_before
      FROM ${unparseable}
    )
    SELECT parsed._position + ${firstRow} + coalesce(steps.broken_before, 0) AS _source_row, ${columns}
    FROM (SELECT rowid AS _position, * FROM ${table}) AS parsed
    ASOF LEFT JOIN steps ON parsed._position >= steps.from_position`;
}

/** Stages a relation that brings its own `_source_row` (Parquet's file_row_number). */
export async function stageNumbered(connection: DuckDBConnection, spec: EntitySpec, relation: string, location: string): Promise<void> {
  const columns = spec.columns.map((c) => ident(c.name)).join(', ');
  try {
    await connection.run(`CREATE OR REPLACE TEMP TABLE ${stagedRows} AS SELECT _source_row, ${columns} FROM ${relation}`);
  } catch (error) {
    throw unreadable(location, error);
  }
  await exposeStagedRows(connection);
}

/**
 * Stages a relation that brings its own `_source_row` as a view, not a table: the rules
 * then convert straight from the relation in their one pass, and the rows are not
 * copied into a temp table first. For a relation that is cheap to read again and cannot
 * fail (the Excel reader's own scratch CSV); the broken rows, if any, are read again.
 */
export async function stageNumberedView(connection: DuckDBConnection, spec: EntitySpec, relation: string): Promise<void> {
  const columns = spec.columns.map((c) => ident(c.name)).join(', ');
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${staged} AS SELECT _source_row, ${columns} FROM ${relation}`);
}

/** Creates the empty `_staged_rows` table for readers that fill it with the appender. */
export async function createStagedRows(connection: DuckDBConnection, spec: EntitySpec): Promise<{ table: string; schema: string; catalog: string }> {
  const columns = spec.columns.map((c) => `${ident(c.name)} VARCHAR`).join(', ');
  await connection.run(`CREATE OR REPLACE TEMP TABLE ${stagedRows} (_source_row BIGINT NOT NULL, ${columns})`);
  return { table: stagedRows, schema: 'main', catalog: 'temp' };
}

export async function exposeStagedRows(connection: DuckDBConnection): Promise<void> {
  await connection.run(`CREATE OR REPLACE TEMP VIEW ${staged} AS SELECT * FROM ${stagedRows}`);
}

export async function dropStaged(connection: DuckDBConnection): Promise<void> {
  await connection.run(`DROP VIEW IF EXISTS ${staged}; DROP TABLE IF EXISTS ${stagedRows}; DROP TABLE IF EXISTS ${renumberedRows}`);
}
