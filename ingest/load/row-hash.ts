// A raw row's content fingerprint, which makes a re-run a no-op: a staged row whose key
// already stands in the raw table with the same _row_hash as its newest version is not
// added again. DuckDB's hash() over the typed values is a UBIGINT, several times cheaper
// to compute and store than an md5 text, and 64 bits are plenty to tell the versions of
// one key apart. hash() is not promised to stay the same across DuckDB releases, so
// raw.row_hash_schemes records which release hashed each raw table; a table hashed by
// another release (or by the md5 text of older warehouses) is re-hashed from its stored
// values before it is compared with anything. The scheme also names the columns hashed,
// so a column added to the catalogue re-fingerprints the table the same way (its
// stored rows then hash with the new column empty, as an export without it would).
import type { DuckDBConnection } from '@duckdb/node-api';
import { rawTableName, type EntitySpec } from './catalogue.ts';
import { ident, literal } from './sql.ts';

/** SQL fingerprint of a row from its typed column values (by name, in catalogue order). */
export function rowHash(spec: EntitySpec, from?: string): string {
  return `hash(${spec.columns.map((c) => (from ? `${from}.${ident(c.name)}` : ident(c.name))).join(', ')})`;
}

async function currentScheme(connection: DuckDBConnection, spec: EntitySpec): Promise<string> {
  const reader = await connection.runAndReadAll('SELECT library_version FROM pragma_version()');
  return `duckdb hash() ${String(reader.getRowsJS()[0]![0])} of ${spec.columns.map((c) => c.name).join(', ')}`;
}

export async function ensureRowHashSchemes(connection: DuckDBConnection): Promise<void> {
  await connection.run('CREATE TABLE IF NOT EXISTS raw.row_hash_schemes (raw_table VARCHAR PRIMARY KEY, scheme VARCHAR NOT NULL)');
}

/** Brings an existing raw table's _row_hash to the current scheme; call inside the load's transaction. */
export async function rehashIfNeeded(connection: DuckDBConnection, spec: EntitySpec): Promise<void> {
  const table = rawTableName(spec);
  const scheme = await currentScheme(connection, spec);
  const reader = await connection.runAndReadAll(`SELECT scheme FROM raw.row_hash_schemes WHERE raw_table = ${literal(table)}`);
  const recorded = reader.getRowsJS()[0]?.[0];
  if (recorded === scheme) return;
  await connection.run(`ALTER TABLE ${table} ALTER _row_hash TYPE UBIGINT USING ${rowHash(spec)}`);
  await connection.run(`INSERT OR REPLACE INTO raw.row_hash_schemes VALUES (${literal(table)}, ${literal(scheme)})`);
}

/** Records that a raw table just created (still empty) is hashed by the current scheme. */
export async function recordRowHashScheme(connection: DuckDBConnection, spec: EntitySpec): Promise<void> {
  const scheme = await currentScheme(connection, spec);
  await connection.run(`INSERT OR REPLACE INTO raw.row_hash_schemes VALUES (${literal(rawTableName(spec))}, ${literal(scheme)})`);
}
