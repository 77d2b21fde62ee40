// fct_portfolio_transitions is kept up to date by changed customer: a build compares every
// customer's classified months with those the mart was last computed from (kept in
// fct_portfolio_transitions__history, with their runs in __runs) and adds each changed
// customer's moves now less its moves then (macros/management/portfolio_moves.sql). On a
// copy of the test warehouse the care classes and quadrants are changed in the ways a
// day's build changes them (a class or revenue in an old month, a month or a whole
// customer gone, a new customer, a gap), the mart is built incrementally, and it must
// equal a full refresh of the same data row for row; then the month list's first month
// moves, which changes every customer's moves from `new`, and the same holds.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { runDbt, dataBuildArgs } from '../../pipeline/dbt.ts';
import { changeWarehouseFile, warehouseRows } from '../helpers/warehouse-rows.ts';

const workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-transitions-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));
// Named as every build's working copy, so dbt reuses the saved parse (pipeline/dbt.ts);
// the full refresh gets a folder of its own for the same reason.
const incrementalFile = join(workDir, 'warehouse.duckdb.next');
const fullRefreshDir = join(workDir, 'full-refresh');
mkdirSync(fullRefreshDir);
const fullRefreshFile = join(fullRefreshDir, 'warehouse.duckdb.next');
copyFileSync(inject('warehouseFile'), incrementalFile);

const mart = 'management.fct_portfolio_transitions';
const care = 'management.fct_care_class_monthly';
const quadrants = 'management.fct_value_quadrant_history';
const buildMart = ['build', '--select', 'fct_portfolio_transitions', ...dataBuildArgs(false), '--quiet'];
// A row no change can reach (no month before 1900): an incremental build leaves it, a
// build that computes the mart whole empties the mart first.
const sentinel = `insert into ${mart} values ('1900-01-01', '1900-02-01', 'care_class', 'new', 'A', 1, 0, 0)`;
const sentinelRows = `select count(*) as n from ${mart} where from_month = '1900-01-01'`;

/**
 * How many rows of `a` are not in `b` and of `b` not in `a` (EXCEPT ALL), both read in
 * `file`; `{other}` in `b` names the schema prefix of `otherFile`, attached beside it.
 */
async function difference(file: string, a: string, b: string, otherFile?: string): Promise<[number, number]> {
  let counts: [number, number] = [0, 0];
  await changeWarehouseFile(file, async (connection) => {
    if (otherFile) await connection.run(`attach '${otherFile}' as other (read_only)`);
    const other = b.replaceAll('{other}', 'other.');
    const count = async (sql: string) => Number((await connection.runAndReadAll(`select count(*) from (${sql})`)).getRows()[0]![0]);
    counts = [await count(`(${a}) except all (${other})`), await count(`(${other}) except all (${a})`)];
  });
  return counts;
}

const martRows = `select * from ${mart}`;
const martRowsOther = `select * from {other}${mart}`;
const historyNow = `
  select customer_id, month, 'relationship_nature' as dimension, relationship_nature as class_value, net_revenue_in_window, contribution_margin_in_window from ${care}
  union all select customer_id, month, 'care_class', care_class, net_revenue_in_window, contribution_margin_in_window from ${care}
  union all select customer_id, as_of_month, 'value_quadrant', value_quadrant, revenue_in_window, contribution_margin_in_window from ${quadrants}`;
const historyKept = `select customer_id, month, dimension, class_value, revenue, contribution_margin from ${mart}__history`;
// The kept runs, month by month, must give every customer x dimension's months from the
// month list's first month to its last classified month once: its class where it has one,
// `new` where not. (Where a build cut a history at its first changed month, a run may end
// there and the next begin with the same class; spelled out, that is the same.)
const runsKept = `select customer_id, dimension, unnest(generate_series(first_month, last_month, interval 1 month))::date as month, class_value from ${mart}__runs`;
const runsNow = `
  select grid.customer_id, grid.dimension, grid.month, coalesce(history.class_value, 'new') as class_value
  from (
    select customer_id, dimension,
      unnest(generate_series((select min(month) from intermediate.int_management__months), max(month), interval 1 month))::date as month
    from (${historyNow}) group by customer_id, dimension
  ) as grid
  left join (${historyNow}) as history using (customer_id, dimension, month)`;

/** Builds the mart incrementally, checks it kept its rows and history, and compares it with a full refresh. */
async function buildAndCompare(): Promise<void> {
  await changeWarehouseFile(incrementalFile, (connection) => connection.run(sentinel).then(() => undefined));
  await runDbt(buildMart, incrementalFile);
  expect((await warehouseRows(incrementalFile, sentinelRows))[0]!.n).toBe(1n);
  await changeWarehouseFile(incrementalFile, (connection) => connection.run(`delete from ${mart} where from_month = '1900-01-01'`).then(() => undefined));
  expect(await difference(incrementalFile, historyNow, historyKept)).toEqual([0, 0]);
  expect(await difference(incrementalFile, runsNow, runsKept)).toEqual([0, 0]);

  copyFileSync(incrementalFile, fullRefreshFile);
  await runDbt([...buildMart, '--full-refresh'], fullRefreshFile);
  expect(await difference(incrementalFile, martRows, martRowsOther, fullRefreshFile)).toEqual([0, 0]);
}

describe('the class moves built by changed customer', () => {
  it('holds the kept history and runs of the build it came from', async () => {
    expect(await difference(incrementalFile, historyNow, historyKept)).toEqual([0, 0]);
    expect(await difference(incrementalFile, runsNow, runsKept)).toEqual([0, 0]);
  });

  it('equals a full refresh after classes, revenues, months and customers change', async () => {
    await changeWarehouseFile(incrementalFile, async (connection) => {
      const picked = (await connection.runAndReadAll(
        `select customer_id from ${care} group by customer_id having count(*) >= 8 order by customer_id limit 7`,
      )).getRows().map((row) => String(row[0]));
      expect(picked).toHaveLength(7);
      const [reclassed, firstMonthGone, gone, revenueChanged, copied, gapped, quadrantChanged] = picked;
      const monthOf = (customer: string, expression: string) => `(select ${expression} from ${care} where customer_id = '${customer}')`;
      // A class in the customer's third month, as a late credit note or a contract found later would change it.
      await connection.run(`update ${care} set care_class = case care_class when 'D' then 'C' else 'D' end
                            where customer_id = '${reclassed}' and month = ${monthOf(reclassed!, 'min(month) + interval 2 month')}`);
      // The first month gone (the customer's first purchase moved later).
      await connection.run(`delete from ${care} where customer_id = '${firstMonthGone}' and month = ${monthOf(firstMonthGone!, 'min(month)')}`);
      // A whole customer gone (merged into another).
      await connection.run(`delete from ${care} where customer_id = '${gone}'`);
      await connection.run(`delete from ${quadrants} where customer_id = '${gone}'`);
      // The revenue of an old month, the class unchanged.
      await connection.run(`update ${care} set net_revenue_in_window = net_revenue_in_window + 12.34
                            where customer_id = '${revenueChanged}' and month = ${monthOf(revenueChanged!, 'max(month) - interval 3 month')}`);
      // A new customer (split off another), with that one's history.
      await connection.run(`insert into ${care} select * replace ('SPLIT-' || customer_id as customer_id) from ${care} where customer_id = '${copied}'`);
      // A gap in the middle of a history, and another nature in the latest month.
      await connection.run(`delete from ${care} where customer_id = '${gapped}' and month = ${monthOf(gapped!, 'min(month) + interval 4 month')}`);
      await connection.run(`update ${care} set relationship_nature = 'partner'
                            where customer_id = '${gapped}' and month = ${monthOf(gapped!, 'max(month)')}`);
      // Another quadrant in the latest portfolio.
      await connection.run(`update ${quadrants} set value_quadrant = case value_quadrant when 'retain' then 'most_valuable' else 'retain' end
                            where customer_id = '${quadrantChanged}' and as_of_month = (select max(as_of_month) from ${quadrants})`);
    });
    await buildAndCompare();
    // The changes moved the figures: the mart is not the one it was built as.
    const [added, removed] = await difference(incrementalFile, martRows, martRowsOther, inject('warehouseFile'));
    expect(added).toBeGreaterThan(0);
    expect(removed).toBeGreaterThan(0);
  });

  it('equals a full refresh after the month list starts later', async () => {
    await changeWarehouseFile(incrementalFile, async (connection) => {
      await connection.run(`delete from finance.fct_customer_margin_monthly where month = (select min(month) from finance.fct_customer_margin_monthly)`);
      await connection.run(`delete from ${care} where month < (select min(month) from intermediate.int_management__months)`);
    });
    await buildAndCompare();
  });
});
