// Every page's opening queries, as the pages send them: finance and service
// (queries.ts), management (needs the warehouse's latest month) and marketing.
import { managementQueries } from './management-queries.ts';
import { marketingQueries } from './marketing-queries.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { dashboardQueries, financeDefaultPeriodQueries } from './queries.ts';
import type { NamedQuery } from './api-latency.ts';

/** Every month with finance data, "YYYY-MM", in order (what the finance page's month list holds). */
async function financeMonths(warehouseFile: string): Promise<string[]> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(
      `select distinct strftime(month, '%Y-%m') from finance.fct_customer_margin_monthly where month is not null order by 1`,
    );
    return reader.getRowsJS().map((row) => String(row[0]));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function pageOpeningQueries(warehouseFile: string): Promise<NamedQuery[]> {
  return [
    ...dashboardQueries,
    ...financeDefaultPeriodQueries(await financeMonths(warehouseFile)),
    ...(await managementQueries(warehouseFile)),
    ...marketingQueries,
  ];
}
