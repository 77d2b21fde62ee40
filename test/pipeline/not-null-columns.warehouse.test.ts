// The not-null checks run as one dbt test per model (models/macros/test_not_null_columns.sql)
// instead of one per column. On a copy of the test warehouse, fct_order_lines' test passes
// as built, and fails once two of its values are nulled, naming the test and counting the
// nulls, as dbt's column-level not_null did.
import { expect, it } from 'vitest';
import { runDbt } from '../../pipeline/dbt.ts';
import { copyOfTestWarehouse } from '../helpers/warehouse-copy.ts';
import { changeWarehouseFile } from '../helpers/warehouse-rows.ts';

const warehouseFile = copyOfTestWarehouse('not-null');

const orderLinesNotNull = ['test', '--select', 'test_name:not_null_columns,fct_order_lines', '--quiet'];

it('passes on the warehouse as built and fails on nulls, counting them', async () => {
  await runDbt(orderLinesNotNull, warehouseFile);

  // One line loses its product, another its margin: two null values in two columns.
  await changeWarehouseFile(warehouseFile, async (connection) => {
    await connection.run(`update finance.fct_order_lines set product_id = null
                          where order_line_id = (select min(order_line_id) from finance.fct_order_lines)`);
    await connection.run(`update finance.fct_order_lines set gross_margin = null
                          where order_line_id = (select max(order_line_id) from finance.fct_order_lines)`);
  });
  const failure = await runDbt(orderLinesNotNull, warehouseFile).then(() => undefined, (error: Error) => error.message);
  expect(failure).toMatch(/Failure in test not_null_columns_fct_order_lines/);
  expect(failure).toMatch(/Got 2 results/);
});
