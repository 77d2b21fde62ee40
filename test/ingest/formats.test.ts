// Every source format through the same loader: what is loaded, what is refused with
// file, row, field and reason, and what makes a whole source unreadable. The test
// catalogue (fixtures/ingest/catalogue.yml) declares one entity per format; the
// fixtures live in one folder per format.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import iconv from 'iconv-lite';
import { readFileSync } from 'node:fs';
import { loadEntity, SourceFileError } from '../../ingest/load/load-entity.ts';
import { setScratchChunkBytes } from '../../ingest/load/readers/xlsx.ts';
import { entity, expectEveryRowAccountedFor, fixtures, openTestWarehouse, quarantineRows, type TestWarehouse } from './ingest-test-support.ts';

let warehouse: TestWarehouse;

beforeEach(async () => {
  warehouse = await openTestWarehouse();
});

afterEach(() => warehouse.close());

async function load(name: string, fixture?: string) {
  const spec = entity(name);
  if (fixture) warehouse.place(spec, fixture);
  return loadEntity(warehouse.connection, spec, warehouse.dir);
}

describe('UTF-8 CSV', () => {
  it('quarantines every broken rule with file, row, field and reason, and loads the rest', async () => {
    const result = await load('shop.customers', 'csv/customers_bad_rows.csv');
    expect(result).toMatchObject({ status: 'loaded', format: 'csv', rowsRead: 14, rowsAccepted: 2, rowsRejected: 12, rowsNewOrChanged: 2 });
    expect(await quarantineRows(warehouse)).toEqual([
      ['customers.csv', 3, 'customer_id', null, 'required field is empty'],
      ['customers.csv', 4, 'created_at', '31.02.2025', 'not a valid DATE'],
      ['customers.csv', 5, 'customer_type', 'wholesale', 'unknown code; allowed: business, consumer'],
      ['customers.csv', 6, 'customer_id', 'C1', 'duplicate key in file (first at row 2)'],
      ['customers.csv', 7, 'updated_at', 'eilen klo 12', 'not a valid TIMESTAMP'],
      ['customers.csv', 8, 'credit_limit', '12,50', 'not a valid DECIMAL(12,2)'],
      ['customers.csv', 9, 'loyalty_points', '2.5', 'not a valid INTEGER'],
      ['customers.csv', 10, 'lifetime_orders', 'paljon', 'not a valid BIGINT'],
      ['customers.csv', 11, 'discount_rate', 'n/a', 'not a valid DOUBLE'],
      ['customers.csv', 12, 'newsletter', 'kyllä', 'not a valid BOOLEAN'],
      ['customers.csv', 13, 'created_at', null, 'required field is empty'],
      ['customers.csv', 13, 'newsletter', 'maybe', 'not a valid BOOLEAN'],
      // A short line cannot be parsed into the columns: set aside whole, with its raw text.
      ['customers.csv', 15, '(row)', 'C14,consumer', 'wrong number of fields: 2 instead of 14'],
    ]);
    // The refused record is kept whole.
    const [record] = await warehouse.rows<{ record: string }>('SELECT record::VARCHAR AS record FROM raw.quarantine WHERE source_row = 5');
    expect(JSON.parse(record!.record)).toMatchObject({ customer_id: 'C4', company_name: 'Harjurakennus Oy', customer_type: 'wholesale' });
    // Surrounding spaces are not part of a value: " C13 " is C13 and " 7 " is 7.
    expect(
      await warehouse.rows(
        `SELECT customer_id, customer_type, company_name, email, created_at::VARCHAR AS created_at, updated_at::VARCHAR AS updated_at,
                credit_limit::VARCHAR AS credit_limit, loyalty_points, lifetime_orders, discount_rate, newsletter, _source_row
         FROM raw.shop__customers ORDER BY _source_row`,
      ),
    ).toEqual([
      { customer_id: 'C1', customer_type: 'business', company_name: 'Kuusimökit Oy', email: 'matti.virtanen@kuusimokit.fi', created_at: '2025-01-15', updated_at: null, credit_limit: null, loyalty_points: null, lifetime_orders: null, discount_rate: null, newsletter: null, _source_row: 2n },
      { customer_id: 'C13', customer_type: 'consumer', company_name: null, email: 'kalle@aalto.fi', created_at: '2025-07-06', updated_at: '2025-07-06 08:00:00', credit_limit: '1.50', loyalty_points: 7, lifetime_orders: 8n, discount_rate: 0.25, newsletter: true, _source_row: 14n },
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('keeps each row with its load id, file and row (the header is row 1); a quoted comma stays in its field', async () => {
    const result = await load('shop.customers', 'csv/customers_valid.csv');
    const loaded = await warehouse.rows<{ customer_id: string; city: string; _source_row: bigint; _load_id: bigint; _source_file: string }>(
      'SELECT customer_id, city, _source_row, _load_id, _source_file FROM raw.shop__customers ORDER BY _source_row',
    );
    const file = join(warehouse.dir, 'customers.csv');
    expect(loaded.map((r) => [r.customer_id, Number(r._source_row), Number(r._load_id), r._source_file])).toEqual([
      ['C1', 2, result.loadId, file],
      ['C2', 3, result.loadId, file],
      ['C3', 4, result.loadId, file],
    ]);
    expect(loaded[1]!.city).toBe('Helsinki, Kallio');
    const [log] = await warehouse.rows('SELECT source, entity, format, source_file, rows_read, rows_accepted, rows_rejected, rows_new_or_changed FROM raw.load_log');
    expect(log).toEqual({ source: 'shop', entity: 'customers', format: 'csv', source_file: file, rows_read: 3n, rows_accepted: 3n, rows_rejected: 0n, rows_new_or_changed: 3n });
  });

  it('refuses a header with unknown and missing columns, naming the file, both and what was expected', async () => {
    const attempt = load('shop.customers', 'csv/customers_wrong_header.csv');
    await expect(attempt).rejects.toBeInstanceOf(SourceFileError);
    await expect(attempt).rejects.toThrow(
      /\/customers\.csv: header columns do not match shop\.customers in the source catalogue; missing column\(s\): customer_type; unknown column\(s\): type, vip; expected: customer_id, customer_type, /,
    );
    await expect(load('shop.customers', 'csv/customers_missing_column.csv')).rejects.toThrow(/\/customers\.csv: header columns do not match shop\.customers.*; missing column\(s\): created_at; expected: /);
    expect(await warehouse.rows('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
    expect(await warehouse.rows(`SELECT count(*)::INT AS n FROM information_schema.tables WHERE table_name = 'shop__customers'`)).toEqual([{ n: 0 }]);
  });

  it('names a missing file and the entity that expected it', async () => {
    await expect(load('shop.customers')).rejects.toThrow(new RegExp(`${warehouse.dir}/customers\\.csv: file not found \\(expected by shop\\.customers in the source catalogue\\)`));
  });
});

describe('Windows-1252 CSV with semicolons, decimal commas and Finnish dates', () => {
  it('round-trips ä, ö, å, €, š and the rest of Windows-1252 exactly, reads 1 234,56 as 1234.56 and d.m.yyyy dates', async () => {
    const result = await load('crm.contacts', 'csv-windows-1252/contacts.csv');
    expect(result).toMatchObject({ status: 'loaded', format: 'csv', rowsRead: 5, rowsAccepted: 3, rowsRejected: 2 });
    const loaded = await warehouse.rows(
      'SELECT contact_id, last_name, note, credit_limit::VARCHAR AS credit_limit, visits, born_on::VARCHAR AS born_on, updated_at::VARCHAR AS updated_at FROM raw.crm__contacts ORDER BY contact_id',
    );
    expect(loaded).toEqual([
      { contact_id: 'K1', last_name: 'Mäkelä', note: 'Hinta 12 € ja š-kirjain; lainausmerkit "ok"', credit_limit: '1234.56', visits: 3, born_on: '1980-03-05', updated_at: '2025-11-12 14:07:00' },
      { contact_id: 'K2', last_name: 'Öhman', note: 'Åbo Akademi – Žižek', credit_limit: '12.50', visits: null, born_on: null, updated_at: '2026-01-01 08:00:00' },
      { contact_id: 'K5', last_name: 'Särkkä', note: '™ ‰ • … „lainaus“', credit_limit: '2500.00', visits: 12, born_on: '1984-02-29', updated_at: '2026-02-28 23:59:00' },
    ]);
    // Encoded back to Windows-1252, the stored text is byte for byte what the file held.
    const original = readFileSync(join(fixtures, 'csv-windows-1252/contacts.csv'));
    for (const row of loaded) for (const text of [row.last_name, row.note] as string[]) expect(original.includes(iconv.encode(text.replaceAll('"', '""'), 'win1252'))).toBe(true);
    expect(await quarantineRows(warehouse)).toEqual([
      ['contacts.csv', 4, 'born_on', '31.02.1990', 'not a valid DATE (expected format %d.%m.%Y)'],
      ['contacts.csv', 4, 'credit_limit', '12.34', 'not a valid DECIMAL(12,2) (decimal comma expected)'],
      ['contacts.csv', 5, 'updated_at', '2026-01-01 08:00', 'not a valid TIMESTAMP (expected format %d.%m.%Y %H:%M)'],
      ['contacts.csv', 5, 'visits', 'x', 'not a valid INTEGER'],
    ]);
    const [record] = await warehouse.rows<{ record: string }>('SELECT record::VARCHAR AS record FROM raw.quarantine WHERE source_row = 4 LIMIT 1');
    expect(JSON.parse(record!.record)).toMatchObject({ contact_id: 'K3', last_name: 'Åberg' });
    await expectEveryRowAccountedFor(warehouse);
  });
});

describe('Excel sheet', () => {
  // The reader converts its scratch CSV in chunks while it reads; with 1-byte chunks every row is a chunk of its own.
  it.each([
    ['in one chunk', undefined],
    ['one row per chunk', 1],
  ])('reads the named sheet: dates, formulas and rich text as shown; bad cells quarantined by Excel row (%s)', async (_, chunkBytes) => {
    const before = chunkBytes === undefined ? undefined : setScratchChunkBytes(chunkBytes);
    const result = await load('sheet.plans', 'xlsx/plans.xlsx').finally(() => before !== undefined && setScratchChunkBytes(before));
    expect(result).toMatchObject({ format: 'xlsx', rowsRead: 4, rowsAccepted: 3, rowsRejected: 1 });
    const loaded = await warehouse.rows(
      'SELECT plan_id, goal, target::VARCHAR AS target, visits, starts_on::VARCHAR AS starts_on, reviewed_at::VARCHAR AS reviewed_at, _source_row FROM raw.sheet__plans ORDER BY plan_id',
    );
    expect(loaded).toEqual([
      { plan_id: 'AP1', goal: 'Kasvattaa ostoja 20 %', target: '12500.50', visits: 4, starts_on: '2026-01-01', reviewed_at: '2026-01-05 09:30:00', _source_row: 2n },
      { plan_id: 'AP3', goal: 'Säilyttää asiakkuus', target: null, visits: null, starts_on: '2026-06-15', reviewed_at: null, _source_row: 4n },
      { plan_id: 'AP5', goal: 'Uusi tavoite', target: '0.10', visits: 1, starts_on: '2026-09-01', reviewed_at: '2026-09-01 12:00:00', _source_row: 6n },
    ]);
    expect(await quarantineRows(warehouse)).toEqual([
      ['plans.xlsx', 3, 'goal', null, 'required field is empty'],
      ['plans.xlsx', 3, 'starts_on', 'huomenna', 'not a valid DATE'],
      ['plans.xlsx', 3, 'target', 'paljon', 'not a valid DECIMAL(12,2)'],
      ['plans.xlsx', 3, 'visits', '2.5', 'not a valid INTEGER'],
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('names the sheets it found when the declared sheet is missing', async () => {
    await expect(load('sheet.plans', 'xlsx/plans_other_sheet.xlsx')).rejects.toThrow(/\/plans\.xlsx: no sheet named "Suunnitelmat"; the workbook has: Ohje, Plans/);
  });

  it('refuses a file that is not a workbook, naming it', async () => {
    writeFileSync(join(warehouse.dir, 'plans.xlsx'), 'plan_id,goal\n');
    await expect(load('sheet.plans')).rejects.toThrow(/\/plans\.xlsx: not a readable Excel workbook/);
  });
});

describe('JSON and NDJSON', () => {
  it('reads an array of objects; a null, a missing key, a non-boolean and a bad time are quarantined by element', async () => {
    const result = await load('web.accounts', 'json/accounts.json');
    expect(result).toMatchObject({ format: 'json', rowsRead: 5, rowsAccepted: 1, rowsRejected: 4 });
    expect(await warehouse.rows('SELECT account_id, consent, created_at::VARCHAR AS created_at, _source_row FROM raw.web__accounts')).toEqual([
      { account_id: 'W1', consent: true, created_at: '2025-03-01 10:15:00', _source_row: 1n },
    ]);
    expect(await quarantineRows(warehouse)).toEqual([
      ['accounts.json', 2, 'email', null, 'required field is empty'],
      ['accounts.json', 3, 'consent', 'maybe', 'not a valid BOOLEAN'],
      ['accounts.json', 4, 'created_at', 'yesterday', 'not a valid TIMESTAMP'],
      ['accounts.json', 5, 'email', null, 'required field is empty'],
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('refuses an unknown key in any object and malformed JSON, naming the file and the line', async () => {
    await expect(load('web.accounts', 'json/accounts_unknown_key.json')).rejects.toThrow(/\/accounts\.json: keys do not match web\.accounts in the source catalogue; unknown column\(s\): vip/);
    await expect(load('web.accounts', 'json/accounts_malformed.json')).rejects.toThrow(/\/accounts\.json: cannot be read: .*Malformed JSON.*(line|record\/value) \d+/);
    expect(await warehouse.rows('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
  });

  it('reads NDJSON line by line, with unknown codes and duplicate keys quarantined', async () => {
    const result = await load('desk.cases', 'ndjson/cases.ndjson');
    expect(result).toMatchObject({ format: 'ndjson', rowsRead: 3, rowsAccepted: 1, rowsRejected: 2 });
    expect(await quarantineRows(warehouse)).toEqual([
      ['cases.ndjson', 2, 'case_type', 'praise', 'unknown code; allowed: inquiry, complaint'],
      ['cases.ndjson', 3, 'case_id', 'CS1', 'duplicate key in file (first at row 1)'],
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('refuses an NDJSON object with an unknown key, naming the file; a malformed line is set aside, not the file', async () => {
    await expect(load('desk.cases', 'ndjson/cases_unknown_key.ndjson')).rejects.toThrow(/\/cases\.ndjson: keys do not match desk\.cases in the source catalogue; unknown column\(s\): priority/);
    const result = await load('desk.cases', 'ndjson/cases_malformed.ndjson');
    expect(result).toMatchObject({ rowsRead: 2, rowsAccepted: 1, rowsUnparseable: 1 });
    expect(await quarantineRows(warehouse)).toEqual([['cases.ndjson', 2, '(row)', '{"case_id": "CS2", "case_type": ', 'invalid JSON: Unexpected end of JSON input']]);
  });
});

describe('Parquet', () => {
  it('reads typed columns back exactly; a missing required value and an unknown code are quarantined', async () => {
    const result = await load('bill.invoices', 'parquet/invoices.parquet');
    expect(result).toMatchObject({ format: 'parquet', rowsRead: 4, rowsAccepted: 2, rowsRejected: 2 });
    expect(await warehouse.rows('SELECT invoice_id, amount::VARCHAR AS amount, invoice_date::VARCHAR AS d, sent_at::VARCHAR AS sent_at, _source_row FROM raw.bill__invoices ORDER BY 1')).toEqual([
      { invoice_id: 'I1', amount: '100.10', d: '2026-01-31', sent_at: '2026-01-31 12:00:00', _source_row: 1n },
      { invoice_id: 'I4', amount: '99999999.99', d: '1999-12-31', sent_at: '1999-12-31 23:59:59', _source_row: 4n },
    ]);
    expect(await quarantineRows(warehouse)).toEqual([
      ['invoices.parquet', 2, 'amount', null, 'required field is empty'],
      ['invoices.parquet', 3, 'currency', 'SEK', 'unknown code; allowed: EUR'],
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('refuses an unknown column and a file that is not Parquet, naming the file', async () => {
    await expect(load('bill.invoices', 'parquet/invoices_extra_column.parquet')).rejects.toThrow(/\/invoices\.parquet: columns do not match bill\.invoices in the source catalogue; unknown column\(s\): paid_by/);
    writeFileSync(join(warehouse.dir, 'invoices.parquet'), 'not parquet');
    await expect(load('bill.invoices')).rejects.toThrow(/\/invoices\.parquet: cannot be read: /);
  });
});

describe('PostgreSQL entity without a configured connection', () => {
  it('reads the fallback file and says so; the load log names the file', async () => {
    delete process.env.ASIAKKUUS_TEST_PARTNER_DB;
    writeFileSync(join(warehouse.dir, 'partners.csv'), 'partner_id,partner_name,partner_type,joined_on,commission_pct\nPA1,Järvi Matkatoimisto Oy,reseller,2025-01-01,7.50\n');
    const result = await load('net.partners');
    expect(result).toMatchObject({ format: 'postgres', rowsAccepted: 1, file: join(warehouse.dir, 'partners.csv'), note: 'ASIAKKUUS_TEST_PARTNER_DB not set; read the fallback file' });
    expect(await warehouse.rows('SELECT format, source_file FROM raw.load_log')).toEqual([{ format: 'postgres', source_file: join(warehouse.dir, 'partners.csv') }]);
  });
});
