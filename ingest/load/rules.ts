// The catalogue's rules over the staged rows, in SQL, for every format alike: a
// required field is empty, a value is not of its type, a code is not allowed, a key
// repeats an earlier row's key.
//
// One pass over _staged converts every field to its type and decides whether the row
// breaks any rule (_checked). The rule conditions are written with the very same
// conversion expressions as the typed columns, so DuckDB computes each conversion once
// per value, and a row is valid exactly when no rule reports it. Only the rows that
// break something are looked at again, to name each broken rule (_violations: source
// row, field, value, reason, whole record), which the loader moves to raw.quarantine.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec, EntitySpec } from './catalogue.ts';
import { blank, codeText, invalidValueReason, typedValue } from './convert.ts';
import { staged } from './readers/staging.ts';
import { ident, literal } from './sql.ts';

/**
 * Columns a reader staged already in their catalogue type (a Parquet column of exactly
 * that type, readers/parquet.ts) rather than as text. Such a value needs no conversion:
 * it is valid exactly when its text would convert back to it, which for the types the
 * readers keep (no date or timestamp pattern in the options) is always. It is blank
 * exactly when it is NULL; its text (for the quarantine) is its cast to VARCHAR.
 */
type TypedColumns = ReadonlySet<string>;

async function typedColumns(connection: DuckDBConnection, spec: EntitySpec): Promise<TypedColumns> {
  const reader = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${staged})`);
  const types = new Map(reader.getRowsJS().map(([name, type]) => [String(name), String(type)]));
  return new Set(spec.columns.filter((c) => c.type !== 'VARCHAR' && types.get(c.name) === c.type).map((c) => c.name));
}

/** The staged field as the text a person would read (typed columns cast back to text). */
function stagedText(column: ColumnSpec, typed: TypedColumns, from?: string): string {
  const name = from ? `${from}.${ident(column.name)}` : ident(column.name);
  return typed.has(column.name) ? `CAST(${name} AS VARCHAR)` : name;
}

function isBlank(column: ColumnSpec, typed: TypedColumns): string {
  return typed.has(column.name) ? `(${ident(column.name)} IS NULL)` : blank(column);
}

interface Rule {
  /** SQL true when the row breaks the rule; never NULL. */
  broken: string;
  column: ColumnSpec;
  reason: string;
}

function rules(spec: EntitySpec, typed: TypedColumns): Rule[] {
  const found: Rule[] = [];
  for (const column of spec.columns) {
    const empty = isBlank(column, typed);
    if (column.required) found.push({ column, broken: empty, reason: 'required field is empty' });
    if (column.type !== 'VARCHAR' && !typed.has(column.name)) {
      found.push({ column, broken: `(NOT ${empty} AND ${typedValue(column, spec.options)} IS NULL)`, reason: invalidValueReason(column, spec.options) });
    }
    if (column.values) {
      const allowed = column.values.map(literal).join(', ');
      const code = typed.has(column.name) ? stagedText(column, typed) : codeText(column);
      found.push({ column, broken: `(NOT ${empty} AND ${code} NOT IN (${allowed}))`, reason: `unknown code; allowed: ${column.values.join(', ')}` });
    }
  }
  return found;
}

export interface CheckedRows {
  rowsRead: number;
  /** Rows that break at least one rule, duplicates included. */
  rowsRejected: number;
}

/**
 * The rows of `relation` (`_source_row` and every catalogue column, staged as text
 * except the typed ones) as _checked's rows: converted to their types, and whether each
 * breaks no per-row rule (_ok).
 */
export function checkedRows(spec: EntitySpec, relation: string, typed: TypedColumns = new Set()): string {
  const values = spec.columns.map((c) => `${typed.has(c.name) ? ident(c.name) : typedValue(c, spec.options)} AS ${ident(c.name)}`);
  const conditions = rules(spec, typed).map((rule) => rule.broken);
  const ok = conditions.length ? `NOT (${conditions.join(' OR ')})` : 'true';
  return `SELECT _source_row, ${values.join(', ')}, ${ok} AS _ok FROM ${relation}`;
}

/**
 * _checked(_source_row, <typed columns>, _ok): the staged rows through checkedRows(),
 * unless the reader already made it (`made`, see OpenedSource.stage). Counts in one
 * pass over it the rows, the broken ones, and how many rows repeat an earlier row's
 * key: counting distinct key hashes answers whether there may be any (equal keys hash
 * equally; a rare collision only costs the exact check in findDuplicates).
 */
async function convertAndCheck(connection: DuckDBConnection, spec: EntitySpec, typed: TypedColumns, made: boolean): Promise<{ rows: number; broken: number; repeats: number }> {
  if (!made) await connection.run(`CREATE OR REPLACE TEMP TABLE _checked AS ${checkedRows(spec, staged, typed)}`);
  const key = spec.key.map(ident).join(', ');
  const reader = await connection.runAndReadAll(`SELECT count(*), count(*) FILTER (WHERE NOT _ok), count(*) - count(DISTINCT hash(${key})) FROM _checked`);
  const [rows, broken, repeats] = reader.getRowsJS()[0] as [bigint, bigint, bigint];
  return { rows: Number(rows), broken: Number(broken), repeats: Number(repeats) };
}

/**
 * _duplicate_rows(_source_row, first_row): every row whose typed key an earlier row of
 * the same file already had. Only run when convertAndCheck counted repeats.
 */
async function findDuplicates(connection: DuckDBConnection, spec: EntitySpec, repeats: number): Promise<void> {
  const key = spec.key.map(ident).join(', ');
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _duplicate_rows AS
    SELECT _source_row, first_row FROM (
      SELECT _source_row, min(_source_row) OVER (PARTITION BY ${key}) AS first_row FROM _checked ${repeats > 0 ? '' : 'WHERE false'}
    ) WHERE _source_row > first_row`);
}

/** The whole source record as JSON, kept with each of its quarantine rows. */
function recordJson(spec: EntitySpec, typed: TypedColumns): string {
  return `to_json(struct_pack(${spec.columns.map((c) => `${ident(c.name)} := ${stagedText(c, typed, 's')}`).join(', ')}))`;
}

/** _violations: one row per broken rule of the rows that break any. */
async function nameViolations(connection: DuckDBConnection, spec: EntitySpec, typed: TypedColumns): Promise<void> {
  const parts = [`SELECT NULL::BIGINT AS source_row, NULL::STRUCT(field VARCHAR, value VARCHAR, reason VARCHAR) AS v, NULL::JSON AS record WHERE false`];
  const found = rules(spec, typed);
  if (found.length > 0) {
    const violations = found.map(
      (rule) => `CASE WHEN ${rule.broken} THEN {'field': ${literal(rule.column.name)}, 'value': ${stagedText(rule.column, typed)}, 'reason': ${literal(rule.reason)}} END`,
    );
    parts.push(`
      SELECT _source_row, unnest(list_filter([${violations.join(', ')}], v -> v IS NOT NULL)), ${recordJson(spec, typed)}
      FROM ${staged} AS s SEMI JOIN (SELECT _source_row FROM _checked WHERE NOT _ok) USING (_source_row)`);
  }
  const keyText = spec.key.map((name) => stagedText(spec.columns.find((c) => c.name === name)!, typed, 's')).join(', ');
  parts.push(`
    SELECT _source_row, {'field': ${literal(spec.key.join('+'))}, 'value': concat_ws('|', ${keyText}), 'reason': 'duplicate key in file (first at row ' || d.first_row || ')'},
           ${recordJson(spec, typed)}
    FROM ${staged} AS s JOIN _duplicate_rows AS d USING (_source_row)`);
  await connection.run(`
    CREATE OR REPLACE TEMP TABLE _violations AS
    SELECT source_row, v.field AS field, v.value AS value, v.reason AS reason, record FROM (${parts.join(' UNION ALL ')})`);
}

/**
 * Checks every staged row (`checkedMade`: the reader already converted them into
 * _checked, as checkedRows() does). Afterwards _checked holds the typed rows, acceptedRows()
 * those to load, and, when any row is rejected, _violations names what it broke.
 */
export async function checkStagedRows(connection: DuckDBConnection, spec: EntitySpec, checkedMade = false): Promise<CheckedRows> {
  const typed = await typedColumns(connection, spec);
  const { rows, broken, repeats } = await convertAndCheck(connection, spec, typed, checkedMade);
  // Nothing broken (most loads): _duplicate_rows and _violations are never read, so they are not made.
  if (broken === 0 && repeats === 0) return { rowsRead: rows, rowsRejected: 0 };
  await findDuplicates(connection, spec, repeats);
  await nameViolations(connection, spec, typed);
  const reader = await connection.runAndReadAll('SELECT count(DISTINCT source_row) FROM _violations');
  return { rowsRead: rows, rowsRejected: Number(reader.getRowsJS()[0]![0]) };
}

/** The typed rows that broke no rule, as a FROM-clause relation. */
export function acceptedRows(anyRejected: boolean): string {
  return anyRejected ? '(SELECT * EXCLUDE (_ok) FROM _checked WHERE _ok AND _source_row NOT IN (SELECT _source_row FROM _duplicate_rows))' : '(SELECT * EXCLUDE (_ok) FROM _checked)';
}

export async function dropCheckTables(connection: DuckDBConnection): Promise<void> {
  await connection.run('DROP TABLE IF EXISTS _checked; DROP TABLE IF EXISTS _duplicate_rows; DROP TABLE IF EXISTS _violations');
}
