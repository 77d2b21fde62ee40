// Loading one entity file: rule violations go to quarantine with file, row, field and
// reason; nothing is lost or doubled; a re-run is a no-op; a changed file adds only the
// changed and new records; a wrong header or missing file names what was expected.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { readCatalogue, type EntitySpec } from '../../ingest/load/catalogue.ts';
import { ensureBookkeeping } from '../../ingest/load/bookkeeping.ts';
import { loadEntity, SourceFileError } from '../../ingest/load/load-entity.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/ingest');
const customers = readCatalogue().find((e) => e.source === 'erp' && e.name === 'customers') as EntitySpec;

let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
}

/** Loads a fixture through a fixed path, as a company re-exporting to the same file name would. */
async function loadFixture(name: string) {
  const target = join(dir, 'customers.csv');
  copyFileSync(join(fixtures, name), target);
  return loadEntity(connection, customers, target);
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-ingest-'));
  instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  connection = await instance.connect();
  await ensureBookkeeping(connection);
});

afterEach(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('loading a CSV export', () => {
  it('loads every valid row with its load id, file and row number', async () => {
    const result = await loadFixture('customers_valid.csv');
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 3, rowsAccepted: 3, rowsRejected: 0, rowsNewOrChanged: 3 });
    const loaded = await rows<{ customer_id: string; street_address: string; _source_row: bigint; _load_id: bigint }>(
      'SELECT customer_id, street_address, _source_row, _load_id FROM raw.erp__customers ORDER BY _source_row',
    );
    expect(loaded.map((r) => r.customer_id)).toEqual(['C1', 'C2', 'C3']);
    expect(loaded[1]!.street_address).toBe('Koulukatu 5, B 12');
    expect(loaded.map((r) => Number(r._source_row))).toEqual([1, 2, 3]);
    expect(new Set(loaded.map((r) => Number(r._load_id)))).toEqual(new Set([result.loadId]));
  });

  it('quarantines each broken rule with file, row, field and reason, and loads the rest', async () => {
    const result = await loadFixture('customers_bad_rows.csv');
    expect(result).toMatchObject({ rowsRead: 6, rowsAccepted: 2, rowsRejected: 4 });
    expect(result.rowsRead).toBe(result.rowsAccepted + result.rowsRejected);
    const quarantined = await rows<{ source_row: bigint; field: string; value: string | null; reason: string; source_file: string }>(
      'SELECT source_row, field, value, reason, source_file FROM raw.quarantine ORDER BY source_row, field',
    );
    expect(quarantined.map((q) => [Number(q.source_row), q.field, q.value, q.reason])).toEqual([
      [2, 'customer_id', null, 'required field is empty'],
      [3, 'created_at', '31.02.2025', 'not a valid DATE'],
      [4, 'customer_type', 'wholesale', 'unknown code; allowed: business, consumer'],
      [5, 'customer_id', 'C1', 'duplicate key in file (first at row 1)'],
    ]);
    expect(new Set(quarantined.map((q) => q.source_file))).toEqual(new Set([join(dir, 'customers.csv')]));
    const record = await rows<{ record: string }>('SELECT record::VARCHAR AS record FROM raw.quarantine WHERE source_row = 4');
    expect(JSON.parse(record[0]!.record)).toMatchObject({ customer_id: 'C4', company_name: 'Harjurakennus Oy' });
    const loaded = await rows<{ customer_id: string }>('SELECT customer_id FROM raw.erp__customers ORDER BY customer_id');
    expect(loaded.map((r) => r.customer_id)).toEqual(['C1', 'C6']);
    const log = await rows<{ rows_read: bigint; rows_accepted: bigint; rows_rejected: bigint }>('SELECT * FROM raw.load_log');
    expect(log.map((l) => [Number(l.rows_read), Number(l.rows_accepted), Number(l.rows_rejected)])).toEqual([[6, 2, 4]]);
  });

  it('treats a re-run of the same file as a no-op', async () => {
    await loadFixture('customers_valid.csv');
    for (let run = 0; run < 3; run++) expect((await loadFixture('customers_valid.csv')).status).toBe('unchanged');
    expect(await rows('SELECT count(*)::INT AS n FROM raw.erp__customers')).toEqual([{ n: 3 }]);
    expect(await rows('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 1 }]);
  });

  it('adds only new and changed records from a changed file, keeping the history', async () => {
    await loadFixture('customers_valid.csv');
    const result = await loadFixture('customers_changed.csv');
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 4, rowsAccepted: 4, rowsNewOrChanged: 2 });
    const versions = await rows<{ customer_id: string; email: string }>(
      'SELECT customer_id, email FROM raw.erp__customers ORDER BY customer_id, _load_id',
    );
    expect(versions).toEqual([
      { customer_id: 'C1', email: 'matti.virtanen@kuusimokit.fi' },
      { customer_id: 'C2', email: 'aino.makela@gmail.com' },
      { customer_id: 'C2', email: 'aino.uusi@gmail.com' },
      { customer_id: 'C3', email: 'vaino.ohman@luukku.com' },
      { customer_id: 'C4', email: 'eero.h@elisanet.fi' },
    ]);
    // Going back to the first file restores C2's first e-mail as the newest version.
    expect((await loadFixture('customers_valid.csv')).rowsNewOrChanged).toBe(1);
  });

  it('refuses a file whose header does not match, naming the file and the expected columns', async () => {
    const attempt = loadFixture('customers_wrong_header.csv');
    await expect(attempt).rejects.toBeInstanceOf(SourceFileError);
    await expect(attempt).rejects.toThrow(/customers\.csv: header does not match erp\.customers.*missing column\(s\): customer_type.*unknown column\(s\): type, vip.*expected: customer_id, customer_type/);
    expect(await rows('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
  });

  it('names a missing file', async () => {
    await expect(loadEntity(connection, customers, join(dir, 'nope.csv'))).rejects.toThrow(/nope\.csv: file not found \(expected by erp\.customers/);
  });
});
