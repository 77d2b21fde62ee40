// The ingest bookkeeping tables: one row per load in raw.load_log, one row per refused
// field in raw.quarantine. Together they answer "what came in, from where, and what was
// refused, why".
import type { DuckDBConnection } from '@duckdb/node-api';
import type { Catalogue } from './catalogue.ts';
import { ensureRowHashSchemes } from './row-hash.ts';
import { literal } from './sql.ts';

export async function ensureBookkeeping(connection: DuckDBConnection): Promise<void> {
  await connection.run(`
    CREATE SCHEMA IF NOT EXISTS raw;
    CREATE SEQUENCE IF NOT EXISTS raw.load_id_seq START 1;
    CREATE TABLE IF NOT EXISTS raw.load_log (
      load_id BIGINT PRIMARY KEY,
      source VARCHAR NOT NULL,
      entity VARCHAR NOT NULL,
      format VARCHAR,
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
    -- Warehouses built before formats other than CSV existed.
    ALTER TABLE raw.load_log ADD COLUMN IF NOT EXISTS format VARCHAR;
  `);
  await ensureRowHashSchemes(connection);
}

/**
 * The parts of the source catalogue the models read: which columns of which entity are
 * customer attributes, and which source is master for each attribute. Rewritten at
 * every ingest so the warehouse always follows ingest/sources.yml.
 */
export async function writeCatalogueTables(connection: DuckDBConnection, catalogue: Catalogue): Promise<void> {
  // column_name is the column in the source's file (and raw table); staging_column its
  // name in the staging model, which int_customer_records reads.
  const records = catalogue.entities.flatMap((entity) =>
    Object.entries(entity.customerRecord ?? {}).map(([attribute, column]) => {
      const stagingColumn = entity.columns.find((c) => c.name === column)?.stagedAs ?? column;
      return `(${[entity.source, entity.name, attribute, column, stagingColumn].map(literal).join(', ')})`;
    }),
  );
  const masters = Object.entries(catalogue.attributeMasters).flatMap(([attribute, sources]) =>
    sources.map((source, index) => `(${literal(attribute)}, ${literal(source)}, ${index + 1})`),
  );
  await connection.run(`
    BEGIN TRANSACTION;
    CREATE OR REPLACE TABLE raw.catalogue_customer_records (source VARCHAR NOT NULL, entity VARCHAR NOT NULL, attribute VARCHAR NOT NULL, column_name VARCHAR NOT NULL, staging_column VARCHAR NOT NULL);
    CREATE OR REPLACE TABLE raw.catalogue_attribute_masters (attribute VARCHAR NOT NULL, source VARCHAR NOT NULL, rank INTEGER NOT NULL);
    ${records.length ? `INSERT INTO raw.catalogue_customer_records VALUES ${records.join(', ')};` : ''}
    ${masters.length ? `INSERT INTO raw.catalogue_attribute_masters VALUES ${masters.join(', ')};` : ''}
    COMMIT;
  `);
}
