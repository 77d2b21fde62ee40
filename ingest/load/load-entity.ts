// Loads one entity file into its raw table in one transaction, with DuckDB's own CSV
// reader (bulk, not row by row). Every field is read as text first, so a bad value is
// never a crash: each rule (required, type, allowed codes, duplicate key) that a row
// breaks becomes a quarantine row naming file, row, field and reason, and the row is
// kept out of the raw table. Rows whose key and content already stand in the raw table
// as their latest version are not added again, so re-running a file changes nothing.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rawTableName, type ColumnSpec, type EntitySpec } from './catalogue.ts';
import { ident, literal } from './sql.ts';

export interface EntityLoadResult {
  source: string;
  entity: string;
  file: string;
  status: 'loaded' | 'unchanged';
  loadId: number | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  rowsNewOrChanged: number;
  /** Wall-clock time of the load, checksum included. */
  seconds: number;
}

export class SourceFileError extends Error {}

function sha256OfFile(path: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const hash = createHash('sha256');
    createReadStream(path).on('data', (chunk) => hash.update(chunk)).on('error', reject).on('end', () => resolvePromise(hash.digest('hex')));
  });
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS()[0]?.[0];
}

function csvReader(path: string): string {
  return `read_csv(${literal(path)}, header = true, all_varchar = true, auto_detect = true)`;
}

async function checkHeader(connection: DuckDBConnection, spec: EntitySpec, path: string): Promise<void> {
  const reader = await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${csvReader(path)})`);
  const found = reader.getRowsJS().map((row) => String(row[0]));
  const expected = spec.columns.map((c) => c.name);
  const missing = expected.filter((name) => !found.includes(name));
  const unknown = found.filter((name) => !expected.includes(name));
  if (missing.length > 0 || unknown.length > 0) {
    throw new SourceFileError(
      `${path}: header does not match ${spec.source}.${spec.name} in the source catalogue` +
        (missing.length ? `; missing column(s): ${missing.join(', ')}` : '') +
        (unknown.length ? `; unknown column(s): ${unknown.join(', ')}` : '') +
        `; expected: ${expected.join(', ')}`,
    );
  }
}

/** One SELECT per rule, each yielding (row, field, value, reason) for the rows that break it. */
function ruleViolations(spec: EntitySpec): string[] {
  const checks: string[] = [];
  const blank = (c: ColumnSpec) => `(${ident(c.name)} IS NULL OR trim(${ident(c.name)}) = '')`;
  for (const column of spec.columns) {
    const col = ident(column.name);
    const field = literal(column.name);
    if (column.required) {
      checks.push(`SELECT _source_row, ${field}, ${col}, 'required field is empty' FROM _staged WHERE ${blank(column)}`);
    }
    if (column.type !== 'VARCHAR') {
      checks.push(
        `SELECT _source_row, ${field}, ${col}, ${literal(`not a valid ${column.type}`)} FROM _staged ` +
          `WHERE NOT ${blank(column)} AND TRY_CAST(trim(${col}) AS ${column.type}) IS NULL`,
      );
    }
    if (column.values) {
      const allowed = column.values.map(literal).join(', ');
      checks.push(
        `SELECT _source_row, ${field}, ${col}, ${literal(`unknown code; allowed: ${column.values.join(', ')}`)} FROM _staged ` +
          `WHERE NOT ${blank(column)} AND trim(${col}) NOT IN (${allowed})`,
      );
    }
  }
  const key = spec.key.map(ident).join(', ');
  checks.push(
    `SELECT _source_row, ${literal(spec.key.join('+'))}, concat_ws('|', ${key}), 'duplicate key in file (first at row ' || first_row || ')' ` +
      `FROM (SELECT _source_row, ${key}, min(_source_row) OVER (PARTITION BY ${key}) AS first_row FROM _staged) WHERE _source_row > first_row`,
  );
  return checks;
}

function typedColumn(column: ColumnSpec): string {
  const value = column.type === 'VARCHAR' ? `NULLIF(trim(${ident(column.name)}), '')` : `CAST(trim(${ident(column.name)}) AS ${column.type})`;
  return `${value} AS ${ident(column.name)}`;
}

async function ensureRawTable(connection: DuckDBConnection, spec: EntitySpec): Promise<void> {
  const columns = spec.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
  await connection.run(
    `CREATE TABLE IF NOT EXISTS ${rawTableName(spec)} (${columns}, _load_id BIGINT NOT NULL, _source_file VARCHAR NOT NULL, ` +
      `_source_row BIGINT NOT NULL, _row_hash VARCHAR NOT NULL)`,
  );
}

export async function loadEntity(connection: DuckDBConnection, spec: EntitySpec, path: string): Promise<EntityLoadResult> {
  if (!existsSync(path)) throw new SourceFileError(`${path}: file not found (expected by ${spec.source}.${spec.name} in the source catalogue)`);
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const checksum = await sha256OfFile(path);
  const base = { source: spec.source, entity: spec.name, file: path };
  // Unchanged means identical to the newest load of this file; identical to an older one
  // is a real change (a record went back to an earlier value) and is loaded.
  const latestChecksum = await scalar(
    connection,
    `SELECT checksum_sha256 FROM raw.load_log WHERE source = ${literal(spec.source)} AND entity = ${literal(spec.name)} ` +
      `AND source_file = ${literal(path)} ORDER BY load_id DESC LIMIT 1`,
  );
  if (latestChecksum === checksum) {
    return { ...base, status: 'unchanged', loadId: null, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsNewOrChanged: 0, seconds: elapsed() };
  }
  await checkHeader(connection, spec, path);
  await ensureRawTable(connection, spec);

  const startedAt = new Date().toISOString();
  await connection.run('BEGIN TRANSACTION');
  try {
    const loadId = Number(await scalar(connection, `SELECT nextval('raw.load_id_seq')`));
    await connection.run(`CREATE OR REPLACE TEMP TABLE _staged AS SELECT row_number() OVER () AS _source_row, * FROM ${csvReader(path)}`);
    await connection.run(
      `CREATE OR REPLACE TEMP TABLE _violations AS SELECT * FROM (${ruleViolations(spec).join(' UNION ALL ')}) AS v(source_row, field, value, reason)`,
    );
    await connection.run(
      `INSERT INTO raw.quarantine SELECT ${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(path)}, v.source_row, v.field, v.value, v.reason, to_json(s) ` +
        `FROM _violations v JOIN _staged s ON s._source_row = v.source_row`,
    );
    const table = rawTableName(spec);
    const names = spec.columns.map((c) => ident(c.name));
    const keyMatch = spec.key.map((k) => `latest.${ident(k)} IS NOT DISTINCT FROM candidate.${ident(k)}`).join(' AND ');
    const inserted = await connection.run(`
      INSERT INTO ${table}
      WITH candidate AS (
        SELECT ${spec.columns.map(typedColumn).join(', ')}, _source_row
        FROM _staged WHERE _source_row NOT IN (SELECT source_row FROM _violations)
      ), hashed AS (
        SELECT *, md5(to_json(struct_pack(${names.map((n) => `${n} := ${n}`).join(', ')}))::VARCHAR) AS _row_hash FROM candidate
      ), latest AS (
        SELECT ${spec.key.map(ident).join(', ')}, _row_hash FROM ${table}
        QUALIFY row_number() OVER (PARTITION BY ${spec.key.map(ident).join(', ')} ORDER BY _load_id DESC, _source_row DESC) = 1
      )
      SELECT ${names.join(', ')}, ${loadId}, ${literal(path)}, _source_row, _row_hash FROM hashed AS candidate
      WHERE NOT EXISTS (SELECT 1 FROM latest WHERE ${keyMatch} AND latest._row_hash = candidate._row_hash)
    `);
    const rowsNewOrChanged = Number(inserted.rowsChanged);
    const rowsRead = Number(await scalar(connection, 'SELECT count(*) FROM _staged'));
    const rowsRejected = Number(await scalar(connection, 'SELECT count(DISTINCT source_row) FROM _violations'));
    const rowsAccepted = rowsRead - rowsRejected;
    await connection.run(
      `INSERT INTO raw.load_log VALUES (${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(path)}, ${literal(checksum)}, ` +
        `${rowsRead}, ${rowsAccepted}, ${rowsRejected}, ${rowsNewOrChanged}, ${literal(startedAt)}, now())`,
    );
    await connection.run('DROP TABLE _staged; DROP TABLE _violations');
    await connection.run('COMMIT');
    return { ...base, status: 'loaded', loadId, rowsRead, rowsAccepted, rowsRejected, rowsNewOrChanged, seconds: elapsed() };
  } catch (error) {
    await connection.run('ROLLBACK');
    throw error;
  }
}
