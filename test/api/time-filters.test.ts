// Period filters and month grouping on the marts give the same months whatever the
// DuckDB session's time zone. cube/cube.js gives Cube a DuckDB dialect that treats the
// marts' DATE and TIMESTAMP columns as the plain UTC values they are: bounds compared as
// plain timestamps, and no time-zone conversion before truncating to a month in a UTC
// query. Cube's own dialect casts to TIMESTAMPTZ, which DuckDB computes row by row through
// the time-zone library (~10x slower, docs/performance.md) and which, grouping by month,
// read each date as local midnight: in a Helsinki session November's figures landed in
// October. The same holds for the ranking cube's choice of the build's ranking of the
// default period, which compares the asked period with the months marked in the build.
// Planned by the project's model and run on a hand-made company in an in-memory DuckDB.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectModel } from '../../cube/server/project-model.ts';
import type { PlannedQuery } from '../../cube/server/semantic-model.ts';

let instance: DuckDBInstance;
let planned: PlannedQuery;
let plan: (dateRange: [string, string]) => Promise<PlannedQuery>;

beforeAll(async () => {
  const { model } = await projectModel();
  // The customers ranked on contribution margin over a period, by the month of their last
  // margin (the ranking has no rollup: it runs on the marts, or reads the build's ranking
  // of the default period).
  plan = (dateRange) =>
    model.plan(
      {
        measures: ['finance.ranked_customers'],
        timeDimensions: [{ dimension: 'finance.profit_month', granularity: 'month', dateRange }],
        order: { 'finance.profit_month': 'asc' },
      },
      { sub: 'finance-user', roles: ['finance'] } as never,
    );
  planned = await plan(['2025-11-01', '2026-10-31']);
  instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  // Four customers with one month of margin each: the month before the period, its first
  // and last month, and the month after it. Two of them are in the period.
  await connection.run(`
    CREATE SCHEMA core; CREATE SCHEMA finance;
    CREATE TABLE core.dim_customers AS SELECT * FROM (VALUES ('CU-BEFORE'), ('CU-FIRST'), ('CU-LAST'), ('CU-AFTER')) AS t(customer_id);
    CREATE TABLE finance.fct_customer_margin_monthly AS
      SELECT customer_id, month::DATE AS month, contribution_margin::DECIMAL(18,2) AS contribution_margin
      FROM (VALUES ('CU-BEFORE', '2025-10-01', 7), ('CU-FIRST', '2025-11-01', 10), ('CU-LAST', '2026-10-01', 5), ('CU-AFTER', '2026-11-01', 3))
        AS t(customer_id, month, contribution_margin);
    CREATE TABLE finance.dim_profitability_parameters AS SELECT 0.2::DECIMAL(5,4) AS profitability_top_share, 10 AS profitability_groups;
    -- The build's default period: the 12 months up to the last month with data, December
    -- 2025 - November 2026 (dim_margin_months). Its stored ranking holds one marker
    -- customer that the customer months do not have, so an answer shows which ranking it
    -- came from: ranked on the marts, that period has CU-LAST and CU-AFTER.
    CREATE TABLE finance.dim_margin_months AS
      SELECT month::DATE AS month, month::DATE > DATE '2025-11-01' AS is_in_default_period
      FROM (VALUES ('2025-10-01'), ('2025-11-01'), ('2026-10-01'), ('2026-11-01')) AS t(month);
    CREATE TABLE finance.fct_customer_profitability_default_period AS
      SELECT 'CU-STORED' AS customer_id, DATE '2026-11-01' AS last_month, 99::DECIMAL(18,2) AS contribution_margin,
        1::BIGINT AS profit_rank, 1::BIGINT AS profit_decile, 1::BIGINT AS ranked_customers;
  `);
  connection.closeSync();
});

afterAll(() => instance?.closeSync());

/** "month: customers" for each row of the planned query, in a session of the given time zone. */
async function rankedCustomersByMonthIn(timeZone: string, query: PlannedQuery = planned): Promise<string[]> {
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = '${timeZone}'`);
    const reader = await connection.runAndReadAll(query.sql, query.values as never[]);
    return reader.getRowObjectsJS().map((row) => `${(row.finance__profit_month_month as Date).toISOString().slice(0, 10)}: ${Number(row.finance__ranked_customers)}`);
  } finally {
    connection.closeSync();
  }
}

describe('periods and months on the marts (cube/cube.js dialectFactory)', () => {
  it('hold the first and the last month of the period, each in its own month, in any session time zone', async () => {
    for (const timeZone of ['UTC', 'Europe/Helsinki', 'America/New_York', 'Pacific/Auckland']) {
      expect({ timeZone, months: await rankedCustomersByMonthIn(timeZone) }).toEqual({ timeZone, months: ['2025-11-01: 1', '2026-10-01: 1'] });
    }
  });

  // The ranking cube reads the build's ranking when every month with data is in the asked
  // period exactly when it is in the default period, compared in the same plain timestamps.
  it('read the stored ranking for exactly the default period, and rank any other period on the marts, in any session time zone', async () => {
    const defaultPeriod = await plan(['2025-12-01', '2026-11-30']);
    const oneMonthMore = await plan(['2025-11-01', '2026-11-30']);
    const oneMonthLess = await plan(['2025-12-01', '2026-10-31']);
    for (const timeZone of ['UTC', 'Europe/Helsinki', 'America/New_York', 'Pacific/Auckland']) {
      expect({ timeZone, months: await rankedCustomersByMonthIn(timeZone, defaultPeriod) }).toEqual({ timeZone, months: ['2026-11-01: 1'] });
      expect({ timeZone, months: await rankedCustomersByMonthIn(timeZone, oneMonthMore) }).toEqual({ timeZone, months: ['2025-11-01: 1', '2026-10-01: 1', '2026-11-01: 1'] });
      expect({ timeZone, months: await rankedCustomersByMonthIn(timeZone, oneMonthLess) }).toEqual({ timeZone, months: ['2026-10-01: 1'] });
    }
  });

  it('compare and truncate the marts\' times as plain timestamps', () => {
    // What makes DuckDB fast here: no per-row TIMESTAMPTZ conversion of a mart column.
    expect(planned.sql).not.toMatch(/timestamptz|timezone\(/i);
    expect(planned.sql).toMatch(/>= \?::timestamp\b/);
  });
});
