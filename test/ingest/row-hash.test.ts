// Raw tables fingerprint each row with DuckDB's hash(); a warehouse whose raw table was
// fingerprinted otherwise (the md5 text of older releases, or another DuckDB release)
// is re-fingerprinted from its stored values, so re-loading an unchanged export still
// adds nothing and history does not grow spurious versions. The same holds when the
// catalogue gains a column.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { loadEntity } from '../../ingest/load/load-entity.ts';
import { entity, openTestWarehouse, type TestWarehouse } from './ingest-test-support.ts';

let warehouse: TestWarehouse;
beforeEach(async () => {
  warehouse = await openTestWarehouse();
});
afterEach(() => warehouse.close());

it('re-fingerprints a raw table hashed by an older scheme before comparing', async () => {
  const customers = entity('shop.customers');
  warehouse.place(customers, 'csv/customers_valid.csv');
  await loadEntity(warehouse.connection, customers, warehouse.dir);
  // Make it look like a warehouse from before: md5 text fingerprints, no scheme recorded.
  await warehouse.connection.run(`
    ALTER TABLE raw.shop__customers ALTER _row_hash TYPE VARCHAR USING md5(customer_id);
    DELETE FROM raw.row_hash_schemes;
    UPDATE raw.load_log SET checksum_sha256 = 'from an older release'`);
  const again = await loadEntity(warehouse.connection, customers, warehouse.dir);
  expect(again).toMatchObject({ status: 'loaded', rowsRead: 3, rowsNewOrChanged: 0 });
  expect(await warehouse.rows(`SELECT data_type FROM information_schema.columns WHERE table_name = 'shop__customers' AND column_name = '_row_hash'`)).toEqual([{ data_type: 'UBIGINT' }]);
  expect(await warehouse.rows('SELECT raw_table, scheme FROM raw.row_hash_schemes')).toEqual([{ raw_table: 'raw.shop__customers', scheme: expect.stringMatching(/^duckdb hash\(\) v\d.* of customer_id, customer_type, /) }]);
});

it('keeps re-runs a no-op when a column is added to the catalogue and the export has it empty', async () => {
  const customers = entity('shop.customers');
  warehouse.place(customers, 'csv/customers_valid.csv');
  await loadEntity(warehouse.connection, customers, warehouse.dir);
  const widened = { ...customers, columns: [...customers.columns, { name: 'nickname', type: 'VARCHAR', required: false }] };
  const file = join(warehouse.dir, customers.file);
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  writeFileSync(file, [`${header},nickname`, ...lines.map((line) => `${line},`)].join('\n') + '\n');
  expect(await loadEntity(warehouse.connection, widened, warehouse.dir)).toMatchObject({ status: 'loaded', rowsRead: 3, rowsNewOrChanged: 0 });
  writeFileSync(file, [`${header},nickname`, ...lines.map((line, i) => `${line},${i === 0 ? 'Masa' : ''}`)].join('\n') + '\n');
  expect(await loadEntity(warehouse.connection, widened, warehouse.dir)).toMatchObject({ status: 'loaded', rowsRead: 3, rowsNewOrChanged: 1 });
  expect(await warehouse.rows(`SELECT customer_id, nickname FROM raw.shop__customers ORDER BY _load_id, customer_id`)).toEqual([
    { customer_id: 'C1', nickname: null },
    { customer_id: 'C2', nickname: null },
    { customer_id: 'C3', nickname: null },
    { customer_id: 'C1', nickname: 'Masa' },
  ]);
});
