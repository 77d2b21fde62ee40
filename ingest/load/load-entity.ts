// Loads one entity into its raw table in one transaction, in bulk. The format's reader
// stages every field as text (readers/staging.ts), so a bad value is never a crash:
// each rule a row breaks becomes a quarantine row naming file, row, field and reason
// (rules.ts), and the row is kept out of the raw table. Rows whose key and content
// already stand in the raw table as their newest version are not added again, so
// re-running a file changes nothing and a changed file adds only its changes, keeping
// the older versions as history. Raw rows, quarantine rows and the load-log row commit
// together or not at all.
import type { DuckDBConnection } from '@duckdb/node-api';
import { entityName, rawTableName, type EntitySpec, type Format } from './catalogue.ts';
import { runWithProgress, type ProgressReport } from './progress.ts';
import { openSource } from './readers/index.ts';
import { dropStaged } from './readers/staging.ts';
import { createUnparseable, dropUnparseable, unparseable } from './readers/unparseable.ts';
import { recordRowHashScheme, rehashIfNeeded, rowHash } from './row-hash.ts';
import { acceptedRows, checkStagedRows, dropCheckTables } from './rules.ts';
import { ident, literal } from './sql.ts';

export { SourceFileError } from './readers/index.ts';

export interface EntityLoadResult {
  source: string;
  entity: string;
  format: Format;
  /** File path, or the live table's URL without password. */
  file: string;
  status: 'loaded' | 'unchanged';
  loadId: number | null;
  rowsRead: number;
  rowsAccepted: number;
  rowsRejected: number;
  /** Of the rejected rows, those that could not be parsed at all (set aside with their raw text). */
  rowsUnparseable: number;
  rowsNewOrChanged: number;
  /** Wall-clock time of the load, reading and checksum included. */
  seconds: number;
  /** E.g. that a postgres entity was read from its fallback file. */
  note?: string;
  /** Where the seconds went (a loaded entity only); see LoadPhaseSeconds. */
  phaseSeconds?: LoadPhaseSeconds;
  /** Peak resident memory of the loading process during this entity's load (set by ingestAll). */
  peakRssBytes?: number;
}

/**
 * Wall-clock seconds of each step of a load: `open` the checksum (or a live table's
 * COPY), `staging` the format's reader into _staged, `checking` the rules and the
 * quarantine rows, `loading` the fingerprint, comparison and write of the new or changed
 * rows, `commit` the load log, COMMIT and the CHECKPOINT that writes the load's rows into the file.
 */
export interface LoadPhaseSeconds {
  open: number;
  staging: number;
  checking: number;
  loading: number;
  commit: number;
}

export interface LoadOptions {
  onProgress?: ProgressReport;
}

async function scalar(connection: DuckDBConnection, sql: string): Promise<unknown> {
  const reader = await connection.runAndReadAll(sql);
  return reader.getRowsJS()[0]?.[0];
}

async function ensureRawTable(connection: DuckDBConnection, spec: EntitySpec): Promise<void> {
  const [schema, table] = rawTableName(spec).split('.') as [string, string];
  // duckdb_columns() rather than information_schema.columns: the same rows, without the
  // view's joins over every catalog (17 ms a load, measured).
  const existing = await connection.runAndReadAll(`SELECT column_name FROM duckdb_columns() WHERE schema_name = ${literal(schema)} AND table_name = ${literal(table)}`);
  const present = new Set(existing.getRowsJS().map((row) => String(row[0])));
  if (present.size === 0) {
    const columns = spec.columns.map((c) => `${ident(c.name)} ${c.type}`).join(', ');
    await connection.run(
      `CREATE TABLE ${rawTableName(spec)} (${columns}, _load_id BIGINT NOT NULL, _source_file VARCHAR NOT NULL, ` +
        `_source_row BIGINT NOT NULL, _row_hash UBIGINT NOT NULL)`,
    );
    // A new table has no rows to re-hash: it is in the current scheme from the start.
    await recordRowHashScheme(connection, spec);
    return;
  }
  // A column added to the catalogue later is empty in the rows loaded before it.
  for (const column of spec.columns.filter((c) => !present.has(c.name))) {
    await connection.run(`ALTER TABLE ${rawTableName(spec)} ADD COLUMN ${ident(column.name)} ${column.type}`);
  }
  await rehashIfNeeded(connection, spec);
}

/**
 * Inserts the accepted rows that are new or changed; returns how many. The rows are
 * already typed (_checked), so this is the fingerprint, the comparison with each key's
 * newest version and the write.
 */
async function insertNewOrChanged(connection: DuckDBConnection, spec: EntitySpec, loadId: number, location: string, anyRejected: boolean): Promise<number> {
  const table = rawTableName(spec);
  const names = spec.columns.map((c) => ident(c.name));
  // The first load of an entity has nothing to compare with; skipping the comparison
  // there is most of the cost of a big initial load.
  const tableIsEmpty = (await scalar(connection, `SELECT count(*) FROM (SELECT 1 FROM ${table} LIMIT 1)`)) === 0n;
  const keyColumns = spec.key.map(ident);
  const sameKey = keyColumns.map((k) => `latest.${k} IS NOT DISTINCT FROM candidate.${k}`).join(' AND ');
  // Within one load a key occurs once (duplicates are quarantined), so the highest load id is the newest version.
  const newestVersions = `SELECT ${keyColumns.join(', ')}, arg_max(_row_hash, _load_id) AS _row_hash FROM ${table} GROUP BY ALL`;
  const inserted = await connection.run(`
    INSERT INTO ${table} (${names.join(', ')}, _load_id, _source_file, _source_row, _row_hash)
    SELECT ${names.map((n) => `candidate.${n}`).join(', ')}, ${loadId}, ${literal(location)}, candidate._source_row, candidate._row_hash
    FROM (SELECT *, ${rowHash(spec)} AS _row_hash FROM ${acceptedRows(anyRejected)}) AS candidate
    ${tableIsEmpty ? '' : `ANTI JOIN (${newestVersions}) AS latest ON ${sameKey} AND latest._row_hash = candidate._row_hash`}`);
  return Number(inserted.rowsChanged);
}

/**
 * The atomicity test kills the loader at a step of a load's transaction. Setting
 * ASIAKKUUS_INGEST_PAUSE=<source.entity>:<step> makes the load print
 * "PAUSED <source.entity>:<step>" on stderr and wait there; nothing else sets it.
 */
async function pauseForTests(spec: EntitySpec, step: 'quarantined' | 'inserted' | 'logged'): Promise<void> {
  const point = `${entityName(spec)}:${step}`;
  if (process.env.ASIAKKUUS_INGEST_PAUSE !== point) return;
  process.stderr.write(`PAUSED ${point}\n`);
  await new Promise((resolvePause) => setTimeout(resolvePause, 60_000));
}

export async function loadEntity(connection: DuckDBConnection, spec: EntitySpec, sourceDir: string, options: LoadOptions = {}): Promise<EntityLoadResult> {
  const started = performance.now();
  const elapsed = () => (performance.now() - started) / 1000;
  const startedAt = new Date().toISOString();
  const progress = options.onProgress;
  let phaseStarted = started;
  /** Seconds since the previous call: the phase that just ended. */
  const lap = () => {
    const now = performance.now();
    const seconds = (now - phaseStarted) / 1000;
    phaseStarted = now;
    return seconds;
  };
  progress?.('reading');
  const source = await openSource(spec, sourceDir);
  const base = { source: spec.source, entity: spec.name, format: spec.format, file: source.location, ...(source.note ? { note: source.note } : {}) };
  try {
    // Unchanged means identical to the newest load from the same place; identical to an
    // older one is a real change (records went back to earlier values) and is loaded.
    const latestChecksum = await scalar(
      connection,
      `SELECT checksum_sha256 FROM raw.load_log WHERE source = ${literal(spec.source)} AND entity = ${literal(spec.name)} ` +
        `AND source_file = ${literal(source.location)} ORDER BY load_id DESC LIMIT 1`,
    );
    if (latestChecksum === source.checksum) {
      return { ...base, status: 'unchanged', loadId: null, rowsRead: 0, rowsAccepted: 0, rowsRejected: 0, rowsUnparseable: 0, rowsNewOrChanged: 0, seconds: elapsed() };
    }
    const open = lap();
    await createUnparseable(connection);
    const stagedAs = await runWithProgress(connection, 'staging', progress, () => source.stage(connection, progress));
    const staging = lap();
    await connection.run('BEGIN TRANSACTION');
    try {
      await ensureRawTable(connection, spec);
      const loadId = Number(await scalar(connection, `SELECT nextval('raw.load_id_seq')`));
      const checked = await runWithProgress(connection, 'checking', progress, () => checkStagedRows(connection, spec, stagedAs?.checked === true));
      if (checked.rowsRejected > 0) {
        await connection.run(
          `INSERT INTO raw.quarantine SELECT ${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(source.location)}, ` +
            `source_row, field, value, reason, record FROM _violations`,
        );
      }
      // Rows that could not be parsed have no fields: the quarantine keeps their raw text.
      const rowsUnparseable = Number(await scalar(connection, `SELECT count(*) FROM ${unparseable}`));
      if (rowsUnparseable > 0) {
        await connection.run(
          `INSERT INTO raw.quarantine SELECT ${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(source.location)}, ` +
            `source_row, '(row)', raw_text, reason, to_json({'raw_text': raw_text}) FROM ${unparseable}`,
        );
      }
      const rowsRead = checked.rowsRead + rowsUnparseable;
      const rowsRejected = checked.rowsRejected + rowsUnparseable;
      const checking = lap();
      await pauseForTests(spec, 'quarantined');
      const rowsNewOrChanged = await runWithProgress(connection, 'loading', progress, () =>
        insertNewOrChanged(connection, spec, loadId, source.location, checked.rowsRejected > 0),
      );
      const loading = lap();
      await pauseForTests(spec, 'inserted');
      const rowsAccepted = rowsRead - rowsRejected;
      await connection.run(
        `INSERT INTO raw.load_log (load_id, source, entity, format, source_file, checksum_sha256, rows_read, rows_accepted, rows_rejected, ` +
          `rows_new_or_changed, started_at, finished_at) VALUES (${loadId}, ${literal(spec.source)}, ${literal(spec.name)}, ${literal(spec.format)}, ` +
          `${literal(source.location)}, ${literal(source.checksum)}, ${rowsRead}, ${rowsAccepted}, ${rowsRejected}, ${rowsNewOrChanged}, ` +
          `${literal(startedAt)}, now())`,
      );
      await pauseForTests(spec, 'logged');
      await connection.run('COMMIT');
      // The load's rows go from the WAL into the file now, at this load's cost. Left to
      // DuckDB, the checkpoint comes when the WAL passes its threshold: at the COMMIT of
      // whichever later load crosses it, which then pays for the rows of the loads before
      // it (a small workbook loaded after the 3-million-row newsletter events took 2.8 s
      // in the bench, all of it the events' checkpoint).
      await connection.run('CHECKPOINT');
      const phaseSeconds = { open, staging, checking, loading, commit: lap() };
      return { ...base, status: 'loaded', loadId, rowsRead, rowsAccepted, rowsRejected, rowsUnparseable, rowsNewOrChanged, seconds: elapsed(), phaseSeconds };
    } catch (error) {
      await connection.run('ROLLBACK');
      throw error;
    }
  } finally {
    await dropCheckTables(connection);
    await dropStaged(connection);
    await dropUnparseable(connection);
    source.cleanup();
  }
}
