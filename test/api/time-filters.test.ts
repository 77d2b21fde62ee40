// Period filters and month grouping on the marts give the same months whatever the
// DuckDB session's time zone. cube/cube.js gives Cube a DuckDB dialect that treats the
// marts' DATE and TIMESTAMP columns as the plain UTC values they are: bounds compared as
// plain timestamps, and no time-zone conversion before truncating to a month in a UTC
// query. Cube's own dialect casts to TIMESTAMPTZ, which DuckDB computes row by row through
// the time-zone library (~10x slower, docs/performance.md) and which, grouping by month,
// read each date as local midnight: in a Helsinki session November's figures landed in
// October. Planned by the project's model and run on a hand-made company in an in-memory
// DuckDB.
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { projectModel } from '../../cube/server/project-model.ts';
import type { PlannedQuery } from '../../cube/server/semantic-model.ts';

let instance: DuckDBInstance;
let planned: PlannedQuery;

beforeAll(async () => {
  const { model } = await projectModel();
  // The customers ranked on contribution margin over November 2025 - October 2026, by
  // the month of their last margin (the ranking has no rollup: it runs on the marts).
  planned = await model.plan(
    {
      measures: ['finance.ranked_customers'],
      timeDimensions: [{ dimension: 'finance.profit_month', granularity: 'month', dateRange: ['2025-11-01', '2026-10-31'] }],
      order: { 'finance.profit_month': 'asc' },
    },
    { sub: 'finance-user', roles: ['finance'] } as never,
  );
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
  `);
  connection.closeSync();
});

afterAll(() => instance?.closeSync());

/** "month: customers" for each row of the planned query, in a session of the given time zone. */
async function rankedCustomersByMonthIn(timeZone: string): Promise<string[]> {
  const connection = await instance.connect();
  try {
    await connection.run(`SET TimeZone = '${timeZone}'`);
    const reader = await connection.runAndReadAll(planned.sql, planned.values as never[]);
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

  it('compare and truncate the marts\' times as plain timestamps', () => {
    // What makes DuckDB fast here: no per-row TIMESTAMPTZ conversion of a mart column.
    expect(planned.sql).not.toMatch(/timestamptz|timezone\(/i);
    expect(planned.sql).toMatch(/>= \?::timestamp\b/);
  });
});
