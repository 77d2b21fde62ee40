// Every source format through the same loader: what is loaded, what is refused with
// file, row, field and reason, and what makes a whole source unreadable. The test
// catalogue (fixtures/ingest/catalogue.yml) declares one entity per format.
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { readCatalogueFile, type EntitySpec } from '../../ingest/load/catalogue.ts';
import { ensureBookkeeping } from '../../ingest/load/bookkeeping.ts';
import { loadEntity, SourceFileError } from '../../ingest/load/load-entity.ts';

const fixtures = resolve(import.meta.dirname, '../fixtures/ingest');
const catalogue = readCatalogueFile(join(fixtures, 'catalogue.yml'));
const entity = (name: string) => catalogue.entities.find((e) => `${e.source}.${e.name}` === name) as EntitySpec;

let dir: string;
let instance: DuckDBInstance;
let connection: DuckDBConnection;

async function rows<T = Record<string, unknown>>(sql: string): Promise<T[]> {
  return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
}

async function quarantine(): Promise<[number, string, string | null, string][]> {
  const found = await rows<{ source_row: bigint; field: string; value: string | null; reason: string }>(
    'SELECT source_row, field, value, reason FROM raw.quarantine ORDER BY source_row, field',
  );
  return found.map((q) => [Number(q.source_row), q.field, q.value, q.reason]);
}

async function expectAccounted(): Promise<void> {
  const log = await rows<{ rows_read: bigint; rows_accepted: bigint; rows_rejected: bigint }>('SELECT * FROM raw.load_log');
  for (const entry of log) expect(Number(entry.rows_read)).toBe(Number(entry.rows_accepted) + Number(entry.rows_rejected));
  const quarantinedRows = await rows<{ load_id: bigint; n: bigint }>('SELECT load_id, count(DISTINCT source_row) AS n FROM raw.quarantine GROUP BY load_id');
  const rejectedByLoad = await rows<{ load_id: bigint; rows_rejected: bigint }>('SELECT load_id, rows_rejected FROM raw.load_log WHERE rows_rejected > 0');
  expect(quarantinedRows.map((q) => [Number(q.load_id), Number(q.n)]).sort()).toEqual(rejectedByLoad.map((r) => [Number(r.load_id), Number(r.rows_rejected)]).sort());
}

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-formats-'));
  instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  connection = await instance.connect();
  await ensureBookkeeping(connection);
});

afterEach(() => {
  connection.closeSync();
  instance.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('Windows-1252 CSV with semicolons, decimal commas and Finnish dates', () => {
  const header = 'contact_id;last_name;note;credit_limit;visits;born_on;updated_at';
  const lines = [
    'K1;Mäkelä;"Hinta 12 € ja š-kirjain; lainausmerkit ""ok""";1 234,56;3;05.03.1980;12.11.2025 14:07',
    'K2;Öhman;;12,5;;;01.01.2026 08:00',
    'K3;Åberg;;12.34;1;31.02.1990;01.01.2026 08:00',
    'K4;Virtanen;;;x;;2026-01-01 08:00',
  ];

  beforeEach(() => writeFileSync(join(dir, 'contacts.csv'), iconv.encode([header, ...lines].join('\r\n') + '\r\n', 'win1252')));

  it('keeps ä, ö, å, € and š exactly, reads 1 234,56 as 1234.56 and d.m.yyyy dates', async () => {
    const result = await loadEntity(connection, entity('crm.contacts'), dir);
    expect(result).toMatchObject({ status: 'loaded', format: 'csv', rowsRead: 4, rowsAccepted: 2, rowsRejected: 2 });
    const loaded = await rows<{ contact_id: string; last_name: string; note: string | null; credit_limit: unknown; visits: number | null; born_on: unknown; updated_at: unknown }>(
      'SELECT contact_id, last_name, note, credit_limit::VARCHAR AS credit_limit, visits, born_on::VARCHAR AS born_on, updated_at::VARCHAR AS updated_at FROM raw.crm__contacts ORDER BY contact_id',
    );
    expect(loaded).toEqual([
      { contact_id: 'K1', last_name: 'Mäkelä', note: 'Hinta 12 € ja š-kirjain; lainausmerkit "ok"', credit_limit: '1234.56', visits: 3, born_on: '1980-03-05', updated_at: '2025-11-12 14:07:00' },
      { contact_id: 'K2', last_name: 'Öhman', note: null, credit_limit: '12.50', visits: null, born_on: null, updated_at: '2026-01-01 08:00:00' },
    ]);
    expect(await quarantine()).toEqual([
      [3, 'born_on', '31.02.1990', 'not a valid DATE (expected format %d.%m.%Y)'],
      [3, 'credit_limit', '12.34', 'not a valid DECIMAL(12,2) (decimal comma expected)'],
      [4, 'updated_at', '2026-01-01 08:00', 'not a valid TIMESTAMP (expected format %d.%m.%Y %H:%M)'],
      [4, 'visits', 'x', 'not a valid INTEGER'],
    ]);
    // The quarantined record is kept whole, decoded.
    const record = await rows<{ record: string }>('SELECT record::VARCHAR AS record FROM raw.quarantine WHERE source_row = 3 LIMIT 1');
    expect(JSON.parse(record[0]!.record)).toMatchObject({ contact_id: 'K3', last_name: 'Åberg' });
    await expectAccounted();
  });
});

describe('UTF-8 CSV', () => {
  const load = (fixture: string) => {
    copyFileSync(join(fixtures, 'formats', fixture), join(dir, 'customers.csv'));
    return loadEntity(connection, entity('shop.customers'), dir);
  };

  it('quarantines each broken rule with row, field and reason, and loads the rest', async () => {
    const result = await load('customers_bad_rows.csv');
    expect(result).toMatchObject({ rowsRead: 6, rowsAccepted: 2, rowsRejected: 4 });
    expect(await quarantine()).toEqual([
      [2, 'customer_id', null, 'required field is empty'],
      [3, 'created_at', '31.02.2025', 'not a valid DATE'],
      [4, 'customer_type', 'wholesale', 'unknown code; allowed: business, consumer'],
      [5, 'customer_id', 'C1', 'duplicate key in file (first at row 1)'],
    ]);
    const files = await rows<{ source_file: string }>('SELECT DISTINCT source_file FROM raw.quarantine');
    expect(files).toEqual([{ source_file: join(dir, 'customers.csv') }]);
    const record = await rows<{ record: string }>('SELECT record::VARCHAR AS record FROM raw.quarantine WHERE source_row = 4');
    expect(JSON.parse(record[0]!.record)).toMatchObject({ customer_id: 'C4', company_name: 'Harjurakennus Oy' });
    expect((await rows<{ customer_id: string }>('SELECT customer_id FROM raw.shop__customers ORDER BY 1')).map((r) => r.customer_id)).toEqual(['C1', 'C6']);
    await expectAccounted();
  });

  it('keeps each row with its load id, file and row number; a quoted comma stays in its field', async () => {
    const result = await load('customers_valid.csv');
    const loaded = await rows<{ customer_id: string; street_address: string; _source_row: bigint; _load_id: bigint; _source_file: string }>(
      'SELECT customer_id, street_address, _source_row, _load_id, _source_file FROM raw.shop__customers ORDER BY _source_row',
    );
    expect(loaded.map((r) => [r.customer_id, Number(r._source_row), Number(r._load_id), r._source_file])).toEqual([
      ['C1', 1, result.loadId, join(dir, 'customers.csv')],
      ['C2', 2, result.loadId, join(dir, 'customers.csv')],
      ['C3', 3, result.loadId, join(dir, 'customers.csv')],
    ]);
    expect(loaded[1]!.street_address).toBe('Koulukatu 5, B 12');
  });

  it('refuses a wrong header, naming the file, the missing and unknown columns and what was expected', async () => {
    const attempt = load('customers_wrong_header.csv');
    await expect(attempt).rejects.toBeInstanceOf(SourceFileError);
    await expect(attempt).rejects.toThrow(/customers\.csv: columns do not match shop\.customers.*missing column\(s\): customer_type.*unknown column\(s\): type, vip.*expected: customer_id, customer_type/);
    expect(await rows('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
  });

  it('names a missing file and the entity that expected it', async () => {
    await expect(loadEntity(connection, entity('shop.customers'), dir)).rejects.toThrow(/customers\.csv: file not found \(expected by shop\.customers/);
  });
});

describe('Excel sheet', () => {
  async function writeWorkbook(sheetName: string): Promise<void> {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Ohje').addRow(['Tämä välilehti ei ole dataa']);
    const sheet = workbook.addWorksheet(sheetName);
    sheet.addRow(['plan_id', 'goal', 'target', 'visits', 'starts_on']);
    sheet.addRow(['AP1', 'Kasvattaa ostoja 20 %', 12500.5, 4, new Date(Date.UTC(2026, 0, 1))]);
    sheet.addRow(['AP2', '', 'paljon', 2.5, 'huomenna']);
    sheet.addRow(['AP3', 'Säilyttää asiakkuus', null, null, new Date(Date.UTC(2026, 5, 15))]);
    sheet.getColumn(5).numFmt = 'd.m.yyyy';
    await workbook.xlsx.writeFile(join(dir, 'plans.xlsx'));
  }

  it('reads the named sheet with real dates and numbers, and quarantines bad cells by Excel row', async () => {
    await writeWorkbook('Suunnitelmat');
    const result = await loadEntity(connection, entity('sheet.plans'), dir);
    expect(result).toMatchObject({ format: 'xlsx', rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    const loaded = await rows('SELECT plan_id, goal, target::VARCHAR AS target, visits, starts_on::VARCHAR AS starts_on FROM raw.sheet__plans ORDER BY plan_id');
    expect(loaded).toEqual([
      { plan_id: 'AP1', goal: 'Kasvattaa ostoja 20 %', target: '12500.50', visits: 4, starts_on: '2026-01-01' },
      { plan_id: 'AP3', goal: 'Säilyttää asiakkuus', target: null, visits: null, starts_on: '2026-06-15' },
    ]);
    expect(await quarantine()).toEqual([
      [2, 'goal', null, 'required field is empty'],
      [2, 'starts_on', 'huomenna', 'not a valid DATE'],
      [2, 'target', 'paljon', 'not a valid DECIMAL(12,2)'],
      [2, 'visits', '2.5', 'not a valid INTEGER'],
    ]);
    await expectAccounted();
  });

  it('names the sheets it found when the declared sheet is missing', async () => {
    await writeWorkbook('Plans');
    await expect(loadEntity(connection, entity('sheet.plans'), dir)).rejects.toThrow(/plans\.xlsx: no sheet named "Suunnitelmat"; the workbook has: Ohje, Plans/);
  });
});

describe('JSON and NDJSON', () => {
  it('reads an array of objects; a null, a non-boolean and a bad time are quarantined', async () => {
    copyFileSync(join(fixtures, 'formats/accounts.json'), join(dir, 'accounts.json'));
    const result = await loadEntity(connection, entity('web.accounts'), dir);
    expect(result).toMatchObject({ format: 'json', rowsRead: 4, rowsAccepted: 1, rowsRejected: 3 });
    expect(await rows('SELECT account_id, consent, created_at::VARCHAR AS created_at FROM raw.web__accounts')).toEqual([
      { account_id: 'W1', consent: true, created_at: '2025-03-01 10:15:00' },
    ]);
    expect(await quarantine()).toEqual([
      [2, 'email', null, 'required field is empty'],
      [3, 'consent', 'maybe', 'not a valid BOOLEAN'],
      [4, 'created_at', 'yesterday', 'not a valid TIMESTAMP'],
    ]);
    await expectAccounted();
  });

  it('reads NDJSON line by line, with unknown codes and duplicate keys quarantined', async () => {
    copyFileSync(join(fixtures, 'formats/cases.ndjson'), join(dir, 'cases.ndjson'));
    const result = await loadEntity(connection, entity('desk.cases'), dir);
    expect(result).toMatchObject({ format: 'ndjson', rowsRead: 3, rowsAccepted: 1, rowsRejected: 2 });
    expect(await quarantine()).toEqual([
      [2, 'case_type', 'praise', 'unknown code; allowed: inquiry, complaint'],
      [3, 'case_id', 'CS1', 'duplicate key in file (first at row 1)'],
    ]);
  });

  it('refuses an object with an unknown key, and a malformed file, naming the file', async () => {
    copyFileSync(join(fixtures, 'formats/cases_unknown_key.ndjson'), join(dir, 'cases.ndjson'));
    await expect(loadEntity(connection, entity('desk.cases'), dir)).rejects.toThrow(/cases\.ndjson: columns do not match desk\.cases in the source catalogue; unknown column\(s\): priority/);
    copyFileSync(join(fixtures, 'formats/cases_malformed.ndjson'), join(dir, 'cases.ndjson'));
    await expect(loadEntity(connection, entity('desk.cases'), dir)).rejects.toThrow(/cases\.ndjson: cannot be read/);
    expect(await rows('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
  });
});

describe('Parquet', () => {
  it('reads typed columns back exactly; a missing required value is quarantined', async () => {
    await connection.run(`COPY (SELECT * FROM (VALUES ('I1', 100.10::DECIMAL(12,2), DATE '2026-01-31'), ('I2', NULL, DATE '2026-02-28'), ('I3', 0.05::DECIMAL(12,2), DATE '2026-03-31')) t(invoice_id, amount, invoice_date))
      TO '${join(dir, 'invoices.parquet')}' (FORMAT parquet)`);
    const result = await loadEntity(connection, entity('bill.invoices'), dir);
    expect(result).toMatchObject({ format: 'parquet', rowsRead: 3, rowsAccepted: 2, rowsRejected: 1 });
    expect(await rows('SELECT invoice_id, amount::VARCHAR AS amount, invoice_date::VARCHAR AS d FROM raw.bill__invoices ORDER BY 1')).toEqual([
      { invoice_id: 'I1', amount: '100.10', d: '2026-01-31' },
      { invoice_id: 'I3', amount: '0.05', d: '2026-03-31' },
    ]);
    expect(await quarantine()).toEqual([[2, 'amount', null, 'required field is empty']]);
  });
});

describe('PostgreSQL entity without a configured connection', () => {
  it('reads the fallback file and says so', async () => {
    delete process.env.ASIAKKUUS_TEST_PARTNER_DB;
    writeFileSync(join(dir, 'partners.csv'), 'partner_id,partner_name,joined_on\nPA1,Järvi Matkatoimisto Oy,2025-01-01\n');
    const result = await loadEntity(connection, entity('net.partners'), dir);
    expect(result).toMatchObject({ format: 'postgres', rowsAccepted: 1, note: 'ASIAKKUUS_TEST_PARTNER_DB not set; read the fallback file' });
  });
});
