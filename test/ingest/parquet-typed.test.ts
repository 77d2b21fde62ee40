// Parquet columns stored in their catalogue type are staged typed (readers/parquet.ts),
// the rest as text. Both ways must accept and quarantine the same rows with the same
// reasons, values and records: the same rows are written once with typed columns and
// once as text only, and both files are loaded.
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadEntity } from '../../ingest/load/load-entity.ts';
import { storedAsDeclared } from '../../ingest/load/readers/parquet.ts';
import { entity, expectEveryRowAccountedFor, openTestWarehouse, type TestWarehouse } from './ingest-test-support.ts';

const invoices = entity('bill.invoices');

// invoice_id VARCHAR required key, amount DECIMAL(12,2) required, invoice_date DATE
// required, sent_at TIMESTAMP optional, currency VARCHAR required, allowed EUR.
const rows = `(VALUES
  ('I1', 100.10, DATE '2026-01-31', TIMESTAMP '2026-01-31 12:00:00', 'EUR'),
  ('I2', NULL, DATE '2026-02-01', NULL, 'EUR'),
  ('I3', 5.00, NULL, NULL, 'SEK'),
  ('  ', 7.50, DATE '2026-02-03', NULL, 'EUR'),
  ('I1', 1.00, DATE '2026-02-04', NULL, 'EUR'),
  ('I6', 0.01, DATE '2026-02-05', TIMESTAMP '2026-02-05 00:00:00', ' EUR '),
  ('I7', -3.25, DATE '1999-12-31', NULL, NULL)
) AS t(invoice_id, amount, invoice_date, sent_at, currency)`;

const typedFile = `SELECT invoice_id, amount::DECIMAL(12,2) AS amount, invoice_date, sent_at, currency FROM ${rows}`;
const textFile = `SELECT invoice_id, amount::DECIMAL(12,2)::VARCHAR AS amount, invoice_date::VARCHAR AS invoice_date, sent_at::VARCHAR AS sent_at, currency FROM ${rows}`;

let typed: TestWarehouse;
let text: TestWarehouse;

beforeEach(async () => {
  [typed, text] = [await openTestWarehouse(), await openTestWarehouse()];
});
afterEach(() => {
  typed.close();
  text.close();
});

async function loadFrom(warehouse: TestWarehouse, select: string) {
  await warehouse.connection.run(`COPY (${select}) TO '${join(warehouse.dir, invoices.file)}' (FORMAT parquet)`);
  return loadEntity(warehouse.connection, invoices, warehouse.dir);
}

const rawRows = 'SELECT * EXCLUDE (_load_id, _source_file) FROM raw.bill__invoices ORDER BY _source_row';
const quarantined = 'SELECT source_row, field, value, reason, record::VARCHAR AS record FROM raw.quarantine ORDER BY source_row, field';

describe('Parquet columns in their catalogue type', () => {
  it('are staged typed only when the stored type is the declared one and no text pattern applies', () => {
    const [id, amount, date] = invoices.columns as [typeof invoices.columns[0], typeof invoices.columns[0], typeof invoices.columns[0]];
    expect(storedAsDeclared(amount, 'DECIMAL(12,2)', {})).toBe(true);
    expect(storedAsDeclared(amount, 'DECIMAL(18,3)', {})).toBe(false);
    expect(storedAsDeclared(date, 'DATE', {})).toBe(true);
    expect(storedAsDeclared(date, 'DATE', { date_format: '%d.%m.%Y' })).toBe(false);
    expect(storedAsDeclared(date, 'TIMESTAMP', {})).toBe(false);
    // Text keeps its trimming rules.
    expect(storedAsDeclared(id, 'VARCHAR', {})).toBe(false);
  });

  it('accept and quarantine the same rows, for the same reasons, as the same values staged as text', async () => {
    const typedResult = await loadFrom(typed, typedFile);
    const textResult = await loadFrom(text, textFile);
    const counts = { rowsRead: 7, rowsAccepted: 2, rowsRejected: 5, rowsNewOrChanged: 2 };
    expect(typedResult).toMatchObject(counts);
    expect(textResult).toMatchObject(counts);

    const expectedQuarantine = [
      [2, 'amount', null, 'required field is empty'],
      [3, 'currency', 'SEK', 'unknown code; allowed: EUR'],
      [3, 'invoice_date', null, 'required field is empty'],
      [4, 'invoice_id', '  ', 'required field is empty'],
      [5, 'invoice_id', 'I1', 'duplicate key in file (first at row 1)'],
      [7, 'currency', null, 'required field is empty'],
    ];
    const typedQuarantine = await typed.rows<{ source_row: bigint; field: string; value: string | null; reason: string; record: string }>(quarantined);
    expect(typedQuarantine.map((q) => [Number(q.source_row), q.field, q.value, q.reason])).toEqual(expectedQuarantine);
    // Values, records (the whole row as text) and all: the same as the text path's.
    expect(typedQuarantine).toEqual(await text.rows(quarantined));
    expect(JSON.parse(typedQuarantine[1]!.record)).toEqual({ invoice_id: 'I3', amount: '5.00', invoice_date: null, sent_at: null, currency: 'SEK' });

    const typedRaw = await typed.rows(rawRows);
    expect(typedRaw.map((r) => [r.invoice_id, String(r.amount), r._source_row])).toEqual([
      ['I1', '100.1', 1n],
      ['I6', '0.01', 6n],
    ]);
    expect(typedRaw[1]!.currency).toBe('EUR');
    // Same typed values and the same fingerprints: a later text-staged load of the same rows adds nothing.
    expect(typedRaw).toEqual(await text.rows(rawRows));
    await expectEveryRowAccountedFor(typed);
    await expectEveryRowAccountedFor(text);
  });
});
