// The uniqueness tests of delete+insert incremental models check the rows the last build
// wrote (models/macros/test_where_written_by_the_last_build.sql): the rest were checked
// when they were written, and delete+insert removed every older row of a written key. On a
// copy of the test warehouse, the events' test passes as built, and fails once a row the
// last build wrote is there twice, naming the test and the one key.
import { expect, it } from 'vitest';
import { runDbt } from '../../pipeline/dbt.ts';
import { copyOfTestWarehouse } from '../helpers/warehouse-copy.ts';
import { changeWarehouseFile, warehouseRows } from '../helpers/warehouse-rows.ts';

const warehouseFile = copyOfTestWarehouse('written-rows');

const eventsUnique = ['test', '--select', 'test_name:unique,fct_customer_events', '--quiet'];

it('passes on the warehouse as built and fails on a key the last build wrote twice', async () => {
  await runDbt(eventsUnique, warehouseFile);

  await changeWarehouseFile(warehouseFile, async (connection) => {
    await connection.run(`insert into core.fct_customer_events
                          select * from core.fct_customer_events
                          where event_id = (select min(event_id) from core.fct_customer_events)`);
  });
  const [row] = await warehouseRows(warehouseFile, 'select count(*) - count(distinct event_id) as repeated from core.fct_customer_events');
  expect(Number(row!.repeated)).toBe(1);
  const failure = await runDbt(eventsUnique, warehouseFile).then(() => undefined, (error: Error) => error.message);
  expect(failure).toMatch(/Failure in test unique_fct_customer_events_event_id/);
  expect(failure).toMatch(/Got 1 result/);
});
