// Every page's opening queries, as the pages send them: finance and service
// (queries.ts), management (needs the warehouse's latest month) and marketing.
import { managementQueries } from './management-queries.ts';
import { marketingQueries } from './marketing-queries.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { customerDetailsQuery } from '../dashboard/src/lib/api/queries.ts';
import { customerFiguresQueries, dashboardQueries, financeDefaultPeriodQueries } from './queries.ts';
import type { NamedQuery } from './api-latency.ts';

/**
 * Every month with finance data, "YYYY-MM", in order (what the finance page's month list
 * holds), and a page of 15 customers with months, whose details and figures the customer
 * table asks for after its page (which 15 does not change the query's cost).
 */
async function financeMonthsAndPage(warehouseFile: string): Promise<{ months: string[]; page: string[] }> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const months = await connection.runAndReadAll(
      `select distinct strftime(month, '%Y-%m') from finance.fct_customer_margin_monthly where month is not null order by 1`,
    );
    const page = await connection.runAndReadAll(
      'select distinct customer_id from finance.fct_customer_margin_monthly order by customer_id limit 15',
    );
    return { months: months.getRowsJS().map((row) => String(row[0])), page: page.getRowsJS().map((row) => String(row[0])) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function pageOpeningQueries(warehouseFile: string): Promise<NamedQuery[]> {
  const { months, page } = await financeMonthsAndPage(warehouseFile);
  return [
    ...dashboardQueries,
    ...financeDefaultPeriodQueries(months),
    { name: "customer table: the page's customers (name, type, region, predicted value)", query: customerDetailsQuery(page) },
    ...customerFiguresQueries(months, page),
    ...(await managementQueries(warehouseFile)),
    ...marketingQueries,
  ];
}
