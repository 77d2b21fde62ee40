// Files as the tools people use write them (test/fixtures/ingest/corpus, written by
// make_corpus.py with LibreOffice, openpyxl, pandas, xlsxwriter, exceljs, pyarrow and
// DuckDB): every one loads the same rows as the clean original, value for value, with
// nothing refused. The clean original is checked against the rows written out here.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalogueFile, type EntitySpec } from '../../ingest/load/catalogue.ts';
import { loadEntity } from '../../ingest/load/load-entity.ts';
import { expectEveryRowAccountedFor, fixtures, openTestWarehouse, type TestWarehouse } from './ingest-test-support.ts';

const corpusDir = join(fixtures, 'corpus');
const corpus = readCatalogueFile(join(corpusDir, 'catalogue.yml')).entities;

/** The orders of make_corpus.py, as the warehouse should hold them. */
const expected = [
  { order_id: '000123', customer_name: 'Comma, Inc', order_date: '2025-06-30', shipped_at: '2025-06-30 23:59:59', amount: '0.00', quantity: 0, paid: false },
  { order_id: 'T0001', customer_name: 'Mäkelä Oy', order_date: '2026-01-05', shipped_at: '2026-01-07 09:30:00', amount: '12500.50', quantity: 3, paid: true },
  { order_id: 'T0002', customer_name: 'Öhman & Co', order_date: '2024-02-29', shipped_at: '2024-03-01 16:45:10', amount: '0.10', quantity: 1, paid: false },
  { order_id: 'T0003', customer_name: 'Hinta 12 € "tarjous"', order_date: '1999-12-31', shipped_at: null, amount: '1234567.89', quantity: 250, paid: true },
  { order_id: 'T0005', customer_name: 'Åbo Akademi – Žižek', order_date: '2000-02-29', shipped_at: '2000-03-01 00:00:01', amount: '-15.25', quantity: 12, paid: true },
  { order_id: 'T0006', customer_name: 'Rivi yksi\nrivi kaksi', order_date: '2026-11-30', shipped_at: '2026-12-01 08:00:00', amount: '99.99', quantity: 7, paid: false },
  { order_id: 'T0007', customer_name: 'Saunalahti', order_date: '1970-01-01', shipped_at: '1970-01-01 12:00:00', amount: '1.05', quantity: 2, paid: true },
  { order_id: 'T0008', customer_name: 'Järvi ja Ranta Ky', order_date: '2026-03-15', shipped_at: '2026-03-16 10:15:00', amount: '2500.00', quantity: 40, paid: true },
];

let warehouse: TestWarehouse;

beforeAll(async () => {
  warehouse = await openTestWarehouse();
});

afterAll(() => warehouse.close());

function ordersOf(spec: EntitySpec) {
  return warehouse.rows(
    `SELECT order_id, customer_name, order_date::VARCHAR AS order_date, shipped_at::VARCHAR AS shipped_at, amount::VARCHAR AS amount, quantity, paid
     FROM raw.corpus__${spec.name} ORDER BY order_id`,
  );
}

describe("real writers' files", () => {
  it('the clean original holds the orders as written', async () => {
    await loadEntity(warehouse.connection, corpus.find((e) => e.name === 'clean')!, corpusDir);
    expect(await ordersOf(corpus.find((e) => e.name === 'clean')!)).toEqual(expected);
  });

  it.each(corpus.filter((e) => e.name !== 'clean').map((e) => [e.name, e.file, e] as const))('%s (%s) loads the same rows as the clean original', async (_name, _file, spec) => {
    const result = await loadEntity(warehouse.connection, spec, corpusDir);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: expected.length, rowsAccepted: expected.length, rowsRejected: 0 });
    const rows = await ordersOf(spec);
    // Row by row, so a difference names the order it is in.
    for (const [index, row] of rows.entries()) expect(row).toEqual(expected[index]);
    expect(rows).toHaveLength(expected.length);
  });

  it('accounts for every row of every file', async () => {
    await expectEveryRowAccountedFor(warehouse);
  });
});
