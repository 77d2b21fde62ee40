// A broken row, not a broken file: CSV and NDJSON lines that cannot be parsed are set
// aside in raw.quarantine with file, line, raw text and reason, and their neighbours
// load; past max_broken_rows, and for files that cannot be read at all, the whole file
// is refused with the real cause.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { EntitySpec } from '../../ingest/load/catalogue.ts';
import { loadEntity, SourceFileError } from '../../ingest/load/load-entity.ts';
import { entity, expectEveryRowAccountedFor, fixtures, openTestWarehouse, quarantineRows, testCatalogueFile, type TestWarehouse } from './ingest-test-support.ts';

let warehouse: TestWarehouse;

beforeEach(async () => {
  warehouse = await openTestWarehouse();
});

afterEach(() => warehouse.close());

const customersHeader = 'customer_id,customer_type,company_name,first_name,last_name,email,city,created_at,updated_at,credit_limit,loyalty_points,lifetime_orders,discount_rate,newsletter';

/** Record n (1-based) of a customers export: line n + 1 of the file. */
function customerLine(n: number): string {
  return `C${n},consumer,,Etu${n},Suku,,,2025-01-15,,,,,,`;
}

function writeSource(spec: EntitySpec, content: string | Buffer): void {
  writeFileSync(join(warehouse.dir, spec.file), content);
}

async function loaded(sql: string): Promise<Record<string, unknown>[]> {
  return warehouse.rows(sql);
}

describe('CSV', () => {
  it('sets aside a line with two extra fields and a short line of a 4,000-row export; the other 3,998 load with their line numbers', async () => {
    const spec = entity('shop.customers');
    const records = Array.from({ length: 4000 }, (_, i) => customerLine(i + 1));
    records[1233] = `${customerLine(1234)},extra,fields`; // line 1235
    records[2999] = 'C3000,consumer,,Etu3000'; // line 3001
    writeSource(spec, [customersHeader, ...records].join('\n') + '\n');
    const result = await loadEntity(warehouse.connection, spec, warehouse.dir);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 4000, rowsAccepted: 3998, rowsRejected: 2, rowsUnparseable: 2 });
    expect(await quarantineRows(warehouse)).toEqual([
      ['customers.csv', 1235, '(row)', `${customerLine(1234)},extra,fields`, 'wrong number of fields: 16 instead of 14'],
      ['customers.csv', 3001, '(row)', 'C3000,consumer,,Etu3000', 'wrong number of fields: 4 instead of 14'],
    ]);
    const [record] = await warehouse.rows<{ record: string }>('SELECT record::VARCHAR AS record FROM raw.quarantine WHERE source_row = 3001');
    expect(JSON.parse(record!.record)).toEqual({ raw_text: 'C3000,consumer,,Etu3000' });
    // The neighbours of each broken line load, numbered by their own lines.
    expect(
      await loaded(`SELECT customer_id, first_name, _source_row::INT AS line FROM raw.shop__customers WHERE customer_id IN ('C1', 'C1233', 'C1235', 'C2999', 'C3001', 'C4000') ORDER BY line`),
    ).toEqual([
      { customer_id: 'C1', first_name: 'Etu1', line: 2 },
      { customer_id: 'C1233', first_name: 'Etu1233', line: 1234 },
      { customer_id: 'C1235', first_name: 'Etu1235', line: 1236 },
      { customer_id: 'C2999', first_name: 'Etu2999', line: 3000 },
      { customer_id: 'C3001', first_name: 'Etu3001', line: 3002 },
      { customer_id: 'C4000', first_name: 'Etu4000', line: 4001 },
    ]);
    // Every loaded row sits on the line that holds its record.
    expect(await loaded(`SELECT count(*)::INT AS n FROM raw.shop__customers WHERE _source_row <> CAST(substr(customer_id, 2) AS INT) + 1`)).toEqual([{ n: 0 }]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('sets aside an unterminated quote, which takes the rest of the file with it, and bytes that are not UTF-8', async () => {
    const spec = entity('shop.customers');
    const lines = [customersHeader, customerLine(1), customerLine(2)];
    const latin1 = Buffer.from(`C3,consumer,,J\xe4rvi,Suku,,,2025-01-15,,,,,,\n`, 'latin1');
    const rest = [customerLine(4), `C5,consumer,"Oy Ab,Etu5,Suku,,,2025-01-15,,,,,,`, customerLine(6)];
    const withQuote = { ...spec, options: { max_broken_rows: '3' } };
    writeSource(spec, Buffer.concat([Buffer.from(lines.join('\n') + '\n'), latin1, Buffer.from(rest.join('\n') + '\n')]));
    const result = await loadEntity(warehouse.connection, withQuote, warehouse.dir);
    expect(result).toMatchObject({ rowsRead: 5, rowsAccepted: 3, rowsUnparseable: 2 });
    const quarantined = await quarantineRows(warehouse);
    expect(quarantined.map(([file, line, field, , reason]) => [file, line, field, reason])).toEqual([
      ['customers.csv', 4, '(row)', 'bytes that are not valid UTF-8 (an export in Windows-1252 needs encoding: windows-1252 in the source catalogue)'],
      ['customers.csv', 6, '(row)', 'unterminated quote: a quoted field is not closed, so every line after it was read into that field'],
    ]);
    // The raw text keeps what the line held, the byte that is not UTF-8 (Latin-1 ä) as \xE4.
    expect(quarantined[0]![3]).toBe('C3,consumer,,J\\xE4rvi,Suku,,,2025-01-15,,,,,,');
    expect(quarantined[1]![3]).toBe(`C5,consumer,"Oy Ab,Etu5,Suku,,,2025-01-15,,,,,,\n${customerLine(6)}`);
    expect(await loaded('SELECT customer_id, _source_row::INT AS line FROM raw.shop__customers ORDER BY line')).toEqual([
      { customer_id: 'C1', line: 2 },
      { customer_id: 'C2', line: 3 },
      { customer_id: 'C4', line: 5 },
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('numbers a broken line and its neighbours alike when blank lines stand above it (blank lines are not counted)', async () => {
    const spec = entity('shop.customers');
    writeSource(spec, [customersHeader, customerLine(1), '', customerLine(2), '', '', `${customerLine(3)},x`, customerLine(4), ''].join('\n'));
    const result = await loadEntity(warehouse.connection, spec, warehouse.dir);
    expect(result).toMatchObject({ rowsRead: 4, rowsAccepted: 3, rowsUnparseable: 1 });
    expect((await quarantineRows(warehouse)).map(([, line, , raw]) => [line, raw])).toEqual([[4, `${customerLine(3)},x`]]);
    expect(await loaded('SELECT customer_id, _source_row::INT AS line FROM raw.shop__customers ORDER BY line')).toEqual([
      { customer_id: 'C1', line: 2 },
      { customer_id: 'C2', line: 3 },
      { customer_id: 'C4', line: 5 },
    ]);
  });

  it('refuses a short export with two broken lines as a whole, naming them; max_broken_rows lets it load', async () => {
    const spec = entity('shop.customers');
    const records = Array.from({ length: 10 }, (_, i) => customerLine(i + 1));
    records[2] = `${customerLine(3)},x,y`; // line 4
    records[6] = 'C7;consumer;Etu7'; // line 8
    writeSource(spec, [customersHeader, ...records].join('\r\n') + '\r\n');
    const attempt = loadEntity(warehouse.connection, spec, warehouse.dir);
    await expect(attempt).rejects.toBeInstanceOf(SourceFileError);
    await expect(attempt).rejects.toThrow(
      `${warehouse.dir}/customers.csv: 2 of 10 rows cannot be parsed, more than max_broken_rows (1%) allows, so the export itself looks wrong and nothing was loaded; ` +
        `first: line 4: wrong number of fields: 16 instead of 14: "${customerLine(3)},x,y"; line 8: wrong number of fields: 1 instead of 14: "C7;consumer;Etu7"`,
    );
    expect(await loaded('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
    const result = await loadEntity(warehouse.connection, { ...spec, options: { max_broken_rows: '20%' } }, warehouse.dir);
    expect(result).toMatchObject({ rowsRead: 10, rowsAccepted: 8, rowsUnparseable: 2 });
    expect((await quarantineRows(warehouse)).map(([, line]) => line)).toEqual([4, 8]);
  });

  it('names the real cause of a file that cannot be read at all: empty without a header, a header that is not the catalogue\'s', async () => {
    const spec = entity('shop.customers');
    writeSource(spec, '');
    await expect(loadEntity(warehouse.connection, spec, warehouse.dir)).rejects.toThrow(`${warehouse.dir}/customers.csv: the file is empty; expected a header line with: customer_id,customer_type,`);
    // A Parquet file saved under the CSV's name: its header is not the catalogue's.
    writeSource(spec, readFileSync(join(fixtures, 'parquet/invoices.parquet')));
    await expect(loadEntity(warehouse.connection, spec, warehouse.dir)).rejects.toThrow(/customers\.csv: header columns do not match shop\.customers in the source catalogue; missing column\(s\): customer_id, /);
  });
});

describe('NDJSON', () => {
  it('sets aside invalid JSON and a line that is not an object by line number; blank lines and a BOM are spacing', async () => {
    const spec = entity('desk.cases');
    const lines = [
      '\ufeff{"case_id": "CS1", "case_type": "complaint", "opened_at": "2025-05-01T09:00:00"}',
      '',
      '{"case_id": "CS2", "case_type": ',
      '["CS3", "inquiry"]',
      '   ',
      '{"case_id": "CS4", "case_type": "inquiry", "opened_at": "2025-05-02T10:00:00"}',
    ];
    writeSource(spec, lines.join('\n') + '\n');
    const result = await loadEntity(warehouse.connection, { ...spec, options: { max_broken_rows: '2' } }, warehouse.dir);
    expect(result).toMatchObject({ rowsRead: 4, rowsAccepted: 2, rowsRejected: 2, rowsUnparseable: 2 });
    expect(await quarantineRows(warehouse)).toEqual([
      ['cases.ndjson', 3, '(row)', '{"case_id": "CS2", "case_type": ', 'invalid JSON: Unexpected end of JSON input'],
      ['cases.ndjson', 4, '(row)', '["CS3", "inquiry"]', 'not a JSON object but an array'],
    ]);
    expect(await loaded('SELECT case_id, opened_at::VARCHAR AS opened_at, _source_row::INT AS line FROM raw.desk__cases ORDER BY line')).toEqual([
      { case_id: 'CS1', opened_at: '2025-05-01 09:00:00', line: 1 },
      { case_id: 'CS4', opened_at: '2025-05-02 10:00:00', line: 6 },
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('still refuses an object with a key the catalogue does not declare', async () => {
    const spec = entity('desk.cases');
    warehouse.place(spec, 'ndjson/cases_unknown_key.ndjson');
    await expect(loadEntity(warehouse.connection, spec, warehouse.dir)).rejects.toThrow(/\/cases\.ndjson: keys do not match desk\.cases in the source catalogue; unknown column\(s\): priority/);
  });
});

describe('files that cannot be read at all', () => {
  it('refuses a truncated Parquet file and a text file saved as .xlsx, naming the cause', async () => {
    const invoices = entity('bill.invoices');
    const parquet = readFileSync(join(fixtures, 'parquet/invoices.parquet'));
    writeSource(invoices, parquet.subarray(0, Math.floor(parquet.length / 2)));
    await expect(loadEntity(warehouse.connection, invoices, warehouse.dir)).rejects.toThrow(/\/invoices\.parquet: cannot be read: .*(magic|too small|Parquet)/i);
    const plans = entity('sheet.plans');
    writeSource(plans, 'plan_id;goal\nAP1;Kasvu\n');
    await expect(loadEntity(warehouse.connection, plans, warehouse.dir)).rejects.toThrow(`${warehouse.dir}/plans.xlsx: not a readable Excel workbook: it is not a zip package; it starts with "plan_id;goal"`);
    expect(await loaded('SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: 0 }]);
  });
});

describe('the load summary', () => {
  it('says how many rows were set aside and why', () => {
    const records = Array.from({ length: 200 }, (_, i) => customerLine(i + 1));
    records[49] = `${customerLine(50)},x`; // line 51
    writeFileSync(join(warehouse.dir, 'customers.csv'), [customersHeader, ...records].join('\n') + '\n');
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--source-dir', warehouse.dir, '--warehouse', join(warehouse.dir, 'cli.duckdb'), '--catalogue', testCatalogueFile, '--only', 'shop.customers'], {
      cwd: resolve(import.meta.dirname, '../..'),
      encoding: 'utf8',
    });
    expect(run.stderr).not.toMatch(/failed/);
    const table = run.stdout.split('\n');
    expect(table[0]).toMatch(/^entity\s+format\s+read\s+loaded\s+rejected\s+unparseable\s+new\/changed\s+seconds\s+status$/);
    expect(table[1]).toMatch(/^shop\.customers\s+csv\s+200\s+199\s+1\s+1\s+199\s+[\d.]+\s+load 1$/);
    expect(run.stdout).toContain(`(row)  wrong number of fields: 15 instead of 14     1  ${join(warehouse.dir, 'customers.csv')}:51:(row) "${customerLine(50)},x"`);
  });
});
