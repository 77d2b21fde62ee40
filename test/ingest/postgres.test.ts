// A partner network table read live from a real PostgreSQL server: a throwaway cluster
// (test/helpers/postgres-server.ts; bin/test.mjs installs Debian's postgresql when it is
// missing) gets the net schema with fixture rows, the loader reads it with COPY, a
// second run is a no-op, and a changed table adds only its changed rows. The test fails,
// never skips, when no server can be started.
import { afterAll, beforeAll, beforeEach, afterEach, describe, expect, it } from 'vitest';
import pg from 'pg';
import { loadEntity, SourceFileError } from '../../ingest/load/load-entity.ts';
import { startPostgres, type PostgresServer } from '../helpers/postgres-server.ts';
import { entity, expectEveryRowAccountedFor, openTestWarehouse, quarantineRows, type TestWarehouse } from './ingest-test-support.ts';

const partners = entity('net.partners');
let server: PostgresServer;
/** With a password: the loader must never write it anywhere. */
let url: string;
let warehouse: TestWarehouse;

async function sql(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  server = await startPostgres();
  url = server.url.replace('postgres://postgres@', 'postgres://postgres:salainen@');
  await sql(`
    CREATE SCHEMA net;
    CREATE TABLE net.partners (partner_id text PRIMARY KEY, partner_name text NOT NULL, partner_type text, joined_on date, commission_pct numeric(5,2), internal_note text);
    INSERT INTO net.partners VALUES
      ('PA1', 'Järvi Matkatoimisto Oy', 'reseller', '2025-01-01', 7.50, 'ei näy'),
      ('PA2', 'Löylymestarit Ky', 'installer', '2025-02-15', NULL, NULL),
      ('PA3', 'Åland Bastu Ab', 'alien', '2025-03-01', 5.00, NULL),
      ('PA4', 'Šaunaexpert € Oy', 'reseller', NULL, 12.25, NULL);`);
  process.env.ASIAKKUUS_TEST_PARTNER_DB = url;
});

afterAll(() => {
  delete process.env.ASIAKKUUS_TEST_PARTNER_DB;
  server?.stop();
});

beforeEach(async () => {
  warehouse = await openTestWarehouse();
});

afterEach(() => warehouse.close());

const load = () => loadEntity(warehouse.connection, partners, warehouse.dir);

describe('PostgreSQL source', () => {
  it('reads the catalogue columns live with COPY; rows numbered in key order; the load log names the table without the password', async () => {
    const result = await load();
    const location = `${server.url}#net.partners`;
    expect(result).toMatchObject({ status: 'loaded', format: 'postgres', file: location, rowsRead: 4, rowsAccepted: 2, rowsRejected: 2, rowsNewOrChanged: 2 });
    expect(result.note).toBeUndefined();
    expect(
      await warehouse.rows('SELECT partner_id, partner_name, partner_type, joined_on::VARCHAR AS joined_on, commission_pct::VARCHAR AS commission_pct, _source_row, _source_file FROM raw.net__partners ORDER BY 1'),
    ).toEqual([
      { partner_id: 'PA1', partner_name: 'Järvi Matkatoimisto Oy', partner_type: 'reseller', joined_on: '2025-01-01', commission_pct: '7.50', _source_row: 1n, _source_file: location },
      { partner_id: 'PA2', partner_name: 'Löylymestarit Ky', partner_type: 'installer', joined_on: '2025-02-15', commission_pct: null, _source_row: 2n, _source_file: location },
    ]);
    expect(await quarantineRows(warehouse)).toEqual([
      [location, 3, 'partner_type', 'alien', 'unknown code; allowed: reseller, installer'],
      [location, 4, 'joined_on', null, 'required field is empty'],
    ]);
    const logged = await warehouse.rows<{ text: string }>(`SELECT (SELECT string_agg(source_file, ' ') FROM raw.load_log) || (SELECT string_agg(source_file || record::VARCHAR, ' ') FROM raw.quarantine) AS text`);
    expect(logged[0]!.text).not.toContain('salainen');
    await expectEveryRowAccountedFor(warehouse);
  });

  it('treats an unchanged table as a no-op and adds only changed rows, keeping the older versions', async () => {
    await load();
    expect(await load()).toMatchObject({ status: 'unchanged', loadId: null });
    await sql(`UPDATE net.partners SET partner_name = 'Järvi Matkat Oy' WHERE partner_id = 'PA1';
               INSERT INTO net.partners VALUES ('PA5', 'Uusi Kumppani Oy', 'installer', '2026-10-01', NULL, NULL);`);
    try {
      expect(await load()).toMatchObject({ status: 'loaded', rowsRead: 5, rowsAccepted: 3, rowsRejected: 2, rowsNewOrChanged: 2 });
      expect(await warehouse.rows('SELECT partner_id, partner_name, _load_id::INT AS load FROM raw.net__partners ORDER BY 1, 3')).toEqual([
        { partner_id: 'PA1', partner_name: 'Järvi Matkatoimisto Oy', load: 1 },
        { partner_id: 'PA1', partner_name: 'Järvi Matkat Oy', load: 2 },
        { partner_id: 'PA2', partner_name: 'Löylymestarit Ky', load: 1 },
        { partner_id: 'PA5', partner_name: 'Uusi Kumppani Oy', load: 2 },
      ]);
      await expectEveryRowAccountedFor(warehouse);
    } finally {
      await sql(`UPDATE net.partners SET partner_name = 'Järvi Matkatoimisto Oy' WHERE partner_id = 'PA1'; DELETE FROM net.partners WHERE partner_id = 'PA5';`);
    }
  });

  it('names the table when a catalogue column is missing from it, and the server when it cannot connect', async () => {
    await sql('ALTER TABLE net.partners RENAME COLUMN commission_pct TO provision_pct');
    try {
      const attempt = load();
      await expect(attempt).rejects.toBeInstanceOf(SourceFileError);
      await expect(attempt).rejects.toThrow(/^postgres:\/\/postgres@127\.0\.0\.1:\d+\/postgres#net\.partners: cannot be read: column "commission_pct" does not exist/);
    } finally {
      await sql('ALTER TABLE net.partners RENAME COLUMN provision_pct TO commission_pct');
    }
    process.env.ASIAKKUUS_TEST_PARTNER_DB = 'postgres://nobody:secret@127.0.0.1:1/none';
    try {
      await expect(load()).rejects.toThrow(/^postgres:\/\/nobody@127\.0\.0\.1:1\/none#net\.partners: cannot connect/);
    } finally {
      process.env.ASIAKKUUS_TEST_PARTNER_DB = url;
    }
  });
});
