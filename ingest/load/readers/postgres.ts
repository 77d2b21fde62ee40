// A table read live from PostgreSQL with the pg client: COPY (SELECT the catalogue's
// columns) TO STDOUT as CSV, streamed to a scratch file that then takes the bulk CSV
// path. The checksum is that of the COPY output, so an unchanged table is a no-op
// like an unchanged file. Rows come in key order so the checksum is stable.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { EntitySpec } from '../catalogue.ts';
import { csvRelation } from './csv.ts';
import { describeColumns } from './describe.ts';
import type { PreparedSource } from './prepared-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { makeTempDir } from './temp-files.ts';

function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

function qualifiedTable(table: string): string {
  return table.split('.').map(quoteIdent).join('.');
}

/** The URL without its password, for the load log and messages. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    parsed.password = '';
    return parsed.toString().replace(/\/$/, '');
  } catch {
    return 'postgres://(unparseable url)';
  }
}

export async function preparePostgres(connection: DuckDBConnection, spec: EntitySpec, url: string): Promise<PreparedSource> {
  const table = spec.options.table!;
  const location = `${redactedUrl(url)}#${table}`;
  const temp = makeTempDir();
  const client = new pg.Client({ connectionString: url });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw new SourceFileError(`${location}: cannot connect: ${error instanceof Error ? error.message : String(error)}`);
    }
    const columns = spec.columns.map((c) => quoteIdent(c.name)).join(', ');
    const order = spec.key.map(quoteIdent).join(', ');
    const csv = temp.file('table.csv');
    const hash = createHash('sha256');
    const hashing = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        hash.update(chunk);
        done(null, chunk);
      },
    });
    try {
      const copy = client.query(copyTo(`COPY (SELECT ${columns} FROM ${qualifiedTable(table)} ORDER BY ${order}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
      await pipeline(copy, hashing, createWriteStream(csv));
    } catch (error) {
      throw new SourceFileError(`${location}: cannot be read: ${error instanceof Error ? error.message : String(error)}`);
    }
    const relation = csvRelation(csv);
    const found = await describeColumns(connection, relation, location);
    return { location, checksum: hash.digest('hex'), relation, columns: found, cleanup: temp.remove };
  } catch (error) {
    temp.remove();
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
