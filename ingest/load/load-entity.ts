// Loads one entity into its raw table in one transaction, in bulk (DuckDB's readers or a
// scratch CSV, never row by row). Every field is staged as text first, so a bad value is
// never a crash: each rule (required, type, allowed codes, duplicate key) a row breaks
// becomes a quarantine row naming file, row, field and reason, and the row is kept out
// of the raw table. Rows whose key and content already stand in the raw table as their
// latest version are not added again, so re-running a file changes nothing. Raw rows,
// quarantine rows and the load-log row commit together or not at all.
import type { DuckDBConnection } from '@duckdb/node-api';
import { entityName, rawTableName, type ColumnSpec, type EntitySpec, type Format } from './catalogue.ts';
import { blank, invalidValueReason, typedValue } from './convert.ts';
import { prepareSource, SourceFileError, type PreparedSource } from './readers/index.ts';
import { ident, literal } from './sql.ts';

export { SourceFileError } from './readers/index.ts';

export interface EntityLoadResult {
  source: string;
  entity: string;
  format: Format;
  /** File path, or the live table's redacted URL. */
  file: string;
  status: 'loaded' | 'unchanged';
  loadId: number | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsNewOrChanged: number;
  /** Wall-clock time of the load, reading and checksum included. */
  seconds: number;
  /** E.g. that a postgres entity was read from its fallback file. */
  note?: string;
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS()[0]?.[0];
}

function checkHeader(spec: EntitySpec, prepared: PreparedSource): void {
  const expected = spec.columns.map((c) => c.name);
  const missing = expected.filter((name) => !prepared.columns.includes(name));
  const unknown = prepared.columns.filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new SourceFileError(
      `${prepared.location}: columns do not match ${entityName(spec)} in the source catalogue` +
        (missing.length ? `; missing column(s): ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown column(s): ${unknown.join(', ')}` : '') +
        `; expected: ${expected.join(', ')}`,
    );
  }
}

/**
 * One pass over the staged rows: per row, the list of (field, value, reason) for every
 * rule it breaks. Duplicate keys need the whole file and are found separately.
 */
function violationsSql(spec: EntitySpec): string {
  const checks: string[] = [];
  const violation = (column: ColumnSpec, condition: string, reason: string) =>
    `CASE WHEN ${condition} THEN {'field': ${literal(column.name)}, 'value': ${ident(column.name)}, 'reason': ${literal(reason)}} END`;
  for (const column of spec.columns) {
    if (column.required) checks.push(violation(column, blank(column), 'required field is empty'));
    if (column.type !== 'VARCHAR') {
      checks.push(violation(column, `NOT ${blank(column)} AND ${typedValue(column, spec.options)} IS NULL`, invalidValueReason(column, spec.options)));
    }
    if (column.values) {
      const allowed = column.values.map(literal).join(', ');
      checks.push(violation(column, `NOT ${blank(column)} AND trim(${ident(column.name)}) NOT IN (${allowed})`, `unknown code; allowed: ${column.values.join(', ')}`));
    }
  }
  const key = spec.key.map(ident).join(', ');
  const perRow = `
    SELECT _source_row, unnest(list_filter([${checks.join(', ')}], v -> v IS NOT NULL)) AS v FROM _staged`;
  const duplicates = `
    SELECT _source_row, {'field': ${literal(spec.key.join('+'))}, 'value': concat_ws('|', ${key}), 'reason': 'duplicate key in file (first at row ' || first_row || ')'} AS v
    FROM (SELECT _source_row, ${key}, min(_source_row) OVER (PARTITION BY ${key}) AS first_row FROM _staged)
    WHERE _source_row > first_row`;
  return `SELECT _source_row AS source_row, v.field AS field, v.value AS value, v.reason AS reason FROM (${perRow} UNION ALL ${duplicates})`;
}

async function ensureRawTable(connection: DuckDBConnection, spec: EntitySpec): Promise<void> {
  const columns = spec.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${rawTableName(spec)} (${columns}, _load_id BIGINT NOT NULL, _source_file VARCHAR NOT NULL, ` +
      `_source_row BIGINT NOT NULL, _row_hash VARCHAR NOT NULL)`,
  );
}

/** Inserts the valid staged rows that are new or changed; returns how many. */
async function insertNewOrChanged(connection: DuckDBConnection, spec: EntitySpec, loadId: number, location: string): Promise<number> {
  const table = rawTableName(spec);
  const names = spec.columns.map((c) => ident(c.name));
  const keyColumns = spec.key.map(ident).join(', ');
  const typed = spec.columns.map((c) => `${typedValue(c, spec.options)} AS ${ident(c.name)}`).join(', ');
  // The first load of an entity has nothing to compare with; skipping the anti-join there
  // is most of the cost of a big initial load.
  const tableIsEmpty = Number(await scalar(connection, `SELECT count(*) FROM (SELECT 1 FROM ${table} LIMIT 1)`)) === 0;
  const keyMatch = spec.key.map((k) => `latest.${ident(k)} IS NOT DISTINCT FROM candidate.${ident(k)}`).join(' AND ');
  const inserted = await connection.run(`
    INSERT INTO ${table}
    WITH candidate AS (
      SELECT ${typed}, _source_row
      FROM _staged ANTI JOIN _rejected_rows USING (_source_row)
    ), hashed AS (
      SELECT *, md5(to_json(struct_pack(${names.map((n) => `${n} := ${n}`).join(', ')}))::VARCHAR) AS _row_hash FROM candidate
    )${
      tableIsEmpty
        ? ''
        : `, latest AS (
      SELECT ${keyColumns}, _row_hash FROM ${table}
      QUALIFY row_number() OVER (PARTITION BY ${keyColumns} ORDER BY _load_id DESC, _source_row DESC) = 1
    )`
    }
    SELECT ${names.join(', ')}, ${loadId}, ${literal(location)}, _source_row, _row_hash FROM hashed AS candidate
    ${tableIsEmpty ? '' : `WHERE NOT EXISTS (SELECT 1 FROM latest WHERE ${keyMatch} AND latest._row_hash = candidate._row_hash)`}
  `);
  return Number(inserted.rowsChanged);
}

export async function loadEntity(connection: DuckDBConnection, spec: EntitySpec, sourceDir: string): Promise<EntityLoadResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const prepared = await prepareSource(connection, spec, sourceDir);
  try {
    const base = { source: spec.source, entity: spec.name, format: spec.format, file: prepared.location, ...(prepared.note ? { note: prepared.note } : {}) };
    // Unchanged means identical to the newest load of this file; identical to an older
    // one is a real change (records went back to earlier values) and is loaded.
    const latestChecksum = await scalar(
      connection,
      `SELECT checksum_sha256 FROM raw.load_log WHERE source = ${literal(spec.source)} AND entity = ${literal(spec.name)} ` +
        `AND source_file = ${literal(prepared.location)} ORDER BY load_id DESC LIMIT 1`,
    );
    if (latestChecksum === prepared.checksum) {
      return { ...base, status: 'unchanged', loadId: null, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsNewOrChanged: 0, seconds: elapsed() };
    }
    checkHeader(spec, prepared);
    await ensureRawTable(connection, spec);

    const startedAt = new Date().toISOString();
    await connection.run('BEGIN TRANSACTION');
    try {
      const loadId = Number(await scalar(connection, `SELECT nextval('raw.load_id_seq')`));
      const staged = spec.columns.map((c) => ident(c.name)).join(', ');
      try {
        await connection.run(`CREATE OR REPLACE TEMP TABLE _staged AS SELECT row_number() OVER () AS _source_row, ${staged} FROM ${prepared.relation}`);
      } catch (error) {
        throw new SourceFileError(`${prepared.location}: cannot be read: ${error instanceof Error ? error.message.split('\n').slice(0, 6).join(' ') : String(error)}`);
      }
      await connection.run(`CREATE OR REPLACE TEMP TABLE _violations AS ${violationsSql(spec)}`);
      await connection.run(`CREATE OR REPLACE TEMP TABLE _rejected_rows AS SELECT DISTINCT source_row AS _source_row FROM _violations`);
      await connection.run(
        `INSERT INTO raw.quarantine SELECT ${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(prepared.location)}, ` +
          `v.source_row, v.field, v.value, v.reason, to_json(s) FROM _violations v JOIN _staged s ON s._source_row = v.source_row`,
      );
      const rowsNewOrChanged = await insertNewOrChanged(connection, spec, loadId, prepared.location);
      const rowsRead = Number(await scalar(connection, 'SELECT count(*) FROM _staged'));
      const rowsRejected = Number(await scalar(connection, 'SELECT count(*) FROM _rejected_rows'));
      const rowsAccepted = rowsRead - rowsRejected;
      await connection.run(
        `INSERT INTO raw.load_log (load_id, source, entity, format, source_file, checksum_sha256, rows_read, rows_accepted, rows_rejected, ` +
          `rows_new_or_changed, started_at, finished_at) VALUES (${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(spec.format)}, ` +
          `${literal(prepared.location)}, ${literal(prepared.checksum)}, ${rowsRead}, ${rowsAccepted}, ${rowsRejected}, ${rowsNewOrChanged}, ` +
          `${literal(startedAt)}, now())`,
      );
      await connection.run('DROP TABLE _staged; DROP TABLE _violations; DROP TABLE _rejected_rows');
      await maybePauseForTests(spec);
      await connection.run('COMMIT');
      return { ...base, status: 'loaded', loadId, rowsRead, rowsAccepted, rowsRejected, rowsNewOrChanged, seconds: elapsed() };
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  } finally {
    prepared.cleanup();
  }
}

/**
 * The atomicity test kills the loader between its last write and COMMIT. Setting
 * ASIAKKUUS_INGEST_PAUSE_BEFORE_COMMIT=<source.entity> makes the load print a marker
 * and wait there; nothing else sets it.
 */
async function maybePauseForTests(spec: EntitySpec): Promise<void> {
  if (process.env.ASIAKKUUS_INGEST_PAUSE_BEFORE_COMMIT !== entityName(spec)) return;
  process.stderr.write(`PAUSED BEFORE COMMIT ${entityName(spec)}\n`);
  await new Promise((resolvePause) => setTimeout(resolvePause, 60_000));
}
