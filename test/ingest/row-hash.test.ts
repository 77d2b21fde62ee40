// Raw tables fingerprint each row with DuckDB's hash(); a warehouse whose raw table was
// fingerprinted otherwise (the md5 text of older releases, or another DuckDB release)
// is re-fingerprinted from its stored values, so re-loading an unchanged export still
// adds nothing and history does not grow spurious versions.
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
  expect(await warehouse.rows('SELECT raw_table, scheme FROM raw.row_hash_schemes')).toEqual([{ raw_table: 'raw.shop__customers', scheme: expect.stringMatching(/^duckdb hash\(\) v\d/) }]);
});
