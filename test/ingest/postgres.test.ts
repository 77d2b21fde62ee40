// The partner network read live from a real PostgreSQL server: the generated company's
// network.sql is loaded with psql, the loader reads the tables with COPY, the rows equal
// the fallback CSVs, a second run is a no-op and a changed table adds only its changes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import pg from 'pg';
import { readCatalogue, type EntitySpec } from '../../ingest/load/catalogue.ts';
import { ensureBookkeeping } from '../../ingest/load/bookkeeping.ts';
import { loadEntity } from '../../ingest/load/load-entity.ts';
import { defaultSampleOptions, generateSampleCompany } from '../../ingest/sample/generate.ts';
import { readCsv } from '../helpers/csv.ts';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';

const network = readCatalogue().filter((e) => e.source === 'network');
let server: PostgresServer;
let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

beforeAll(async () => {
  server = await startPostgres();
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-pgsource-'));
  await generateSampleCompany({ ...defaultSampleOptions, customers: 400, seed: 11, outDir: join(dir, 'source') });
  execFileSync('psql', [server.url, '-q', '-f', join(dir, 'source/network/network.sql')], { stdio: 'pipe' });
  instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  connection = await instance.connect();
  await ensureBookkeeping(connection);
  process.env.ASIAKKUUS_NETWORK_DB_URL = server.url;
});

afterAll(() => {
  delete process.env.ASIAKKUUS_NETWORK_DB_URL;
  connection?.closeSync();
  instance?.closeSync();
  server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function rawRows(spec: EntitySpec): Promise<string[]> {
  const columns = spec.columns.map((c) => `coalesce(CAST(${c.name} AS VARCHAR), '')`).join(` || ',' || `);
  const reader = await connection.runAndReadAll(`SELECT ${columns} FROM raw.${spec.source}__${spec.name} ORDER BY 1`);
  return reader.getRowsJS().map((r) => String(r[0]));
}

describe('PostgreSQL source', () => {
  it('loads every network table live, equal to the fallback CSVs, and records where from', async () => {
    for (const spec of network) {
      const result = await loadEntity(connection, spec, join(dir, 'source'));
      expect(result.note).toBeUndefined();
      expect(result.file).toBe(`${server.url}#${spec.options.table}`);
      const csv = readCsv(join(dir, 'source', spec.file)).map((row) => spec.columns.map((c) => row[c.name] ?? '').join(','));
      expect(result.rowsRead).toBe(csv.length);
      expect(result.rowsRejected).toBe(0);
      expect(await rawRows(spec)).toEqual(csv.sort());
    }
  });

  it('treats an unchanged table as a no-op and adds only changed rows', async () => {
    const partners = network.find((e) => e.name === 'partners')!;
    expect((await loadEntity(connection, partners, join(dir, 'source'))).status).toBe('unchanged');
    const client = new pg.Client({ connectionString: server.url });
    await client.connect();
    await client.query(`UPDATE network.partners SET partner_name = partner_name || ' (uusi nimi)' WHERE partner_id = 'PA0001'`);
    await client.query(`INSERT INTO network.partners VALUES ('PA9999', 'Uusi Kumppani Oy', 'reseller', NULL, '2026-10-01')`);
    await client.end();
    const result = await loadEntity(connection, partners, join(dir, 'source'));
    expect(result).toMatchObject({ status: 'loaded', rowsNewOrChanged: 2 });
  });

  it('names the server when it cannot connect', async () => {
    process.env.ASIAKKUUS_NETWORK_DB_URL = 'postgres://nobody:secret@127.0.0.1:1/none';
    await expect(loadEntity(connection, network[0]!, join(dir, 'source'))).rejects.toThrow(/postgres:\/\/nobody@127\.0\.0\.1:1\/none#network\.partners: cannot connect/);
    process.env.ASIAKKUUS_NETWORK_DB_URL = server.url;
  });
});
