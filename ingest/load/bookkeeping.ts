// The ingest bookkeeping tables: one row per load in raw.load_log, one row per refused
// field in raw.quarantine. Together they answer "what came in, from where, and what was
// refused, why".
import type { DuckDBConnection } from '@duckdb/node-api';

export async function ensureBookkeeping(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE SCHEMA IF NOT EXISTS raw;
    CREATE SEQUENCE IF NOT EXISTS raw.load_id_seq START 1;
    CREATE TABLE IF NOT EXISTS raw.load_log (
      load_id BIGINT PRIMARY KEY,
      source VARCHAR NOT NULL,
      entity VARCHAR NOT NULL,
      source_file VARCHAR NOT NULL,
      checksum_sha256 VARCHAR NOT NULL,
      rows_read BIGINT NOT NULL,
      rows_accepted BIGINT NOT NULL,
      rows_rejected BIGINT NOT NULL,
      rows_new_or_changed BIGINT NOT NULL,
      started_at TIMESTAMPTZ NOT NULL,
      finished_at TIMESTAMPTZ NOT NULL
    );
    CREATE TABLE IF NOT EXISTS raw.quarantine (
      load_id BIGINT NOT NULL,
      source VARCHAR NOT NULL,
      entity VARCHAR NOT NULL,
      source_file VARCHAR NOT NULL,
      source_row BIGINT NOT NULL,
      field VARCHAR NOT NULL,
      value VARCHAR,
      reason VARCHAR NOT NULL,
      record JSON NOT NULL
    );
  `);
}
