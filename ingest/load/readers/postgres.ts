// A table read live from PostgreSQL with the pg client: COPY (SELECT the catalogue's
// columns) TO STDOUT as CSV, streamed to a scratch file that then takes the bulk CSV
// path. The checksum is that of the COPY output, so an unchanged table is a no-op like
// an unchanged file; rows come in key order and in fixed session settings (ISO dates,
// UTC) so the same table always gives the same bytes.
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import type { EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { ident } from '../sql.ts';
import { stageCsvFile } from './csv.ts';
import type { OpenedSource } from './opened-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { makeTempDir } from './temp-files.ts';

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

function reason(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Streams the COPY output to `file` and returns its SHA-256. */
async function copyTableToCsv(client: pg.Client, spec: EntitySpec, file: string): Promise<string> {
  const table = spec.options.table!.split('.').map(ident).join('.');
  const columns = spec.columns.map((c) => ident(c.name)).join(', ');
  const order = spec.key.map(ident).join(', ');
  await client.query(`SET DateStyle TO ISO, YMD; SET TimeZone TO 'UTC'; SET client_encoding TO 'UTF8'`);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      hash.update(chunk);
      done(null, chunk);
    },
  });
  const copy = client.query(copyTo(`COPY (SELECT ${columns} FROM ${table} ORDER BY ${order}) TO STDOUT WITH (FORMAT csv, HEADER true)`));
  await pipeline(copy, hashing, createWriteStream(file));
  return hash.digest('hex');
}

export async function openPostgres(spec: EntitySpec, url: string): Promise<OpenedSource> {
  const location = `${redactedUrl(url)}#${spec.options.table}`;
  const temp = makeTempDir();
  const csv = temp.file('table.csv');
  const client = new pg.Client({ connectionString: url });
  try {
    try {
      await client.connect();
    } catch (error) {
      throw new SourceFileError(`${location}: cannot connect: ${reason(error)}`);
    }
    let checksum: string;
    try {
      checksum = await copyTableToCsv(client, spec, csv);
    } catch (error) {
      // E.g. 'column "partner_type" does not exist' or 'relation "network.partners" does not exist'.
      throw new SourceFileError(`${location}: cannot be read: ${reason(error)}`);
    }
    return {
      location,
      checksum,
      async stage(connection: DuckDBConnection, progress?: ProgressReport) {
        progress?.('staging');
        // A table has no header line: its first row is row 1 (in key order).
        await stageCsvFile(connection, spec, csv, ',', location, 1);
      },
      cleanup: temp.remove,
    };
  } catch (error) {
    temp.remove();
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}
