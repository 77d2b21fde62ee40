// Every page's opening queries, as the pages send them: finance and service (queries.ts;
// both on their default periods, which need the warehouse's months), management (needs the
// warehouse's latest month) and marketing.
import { managementQueries } from './management-queries.ts';
import { marketingQueries } from './marketing-queries.ts';
import { DuckDBInstance } from '@duckdb/node-api';
import { customerDetailsQuery } from '../dashboard/src/lib/api/queries.ts';
import { customerFiguresQueries, dashboardQueries, financeDefaultPeriodQueries, serviceDefaultPeriodQueries } from './queries.ts';
import type { NamedQuery } from './api-latency.ts';

/**
 * Every month with finance data, "YYYY-MM", in order (what the finance page's month list
 * holds); a page of 15 customers with months, whose details and figures the customer
 * table asks for after its page (which 15 does not change the query's cost); and every
 * month with cases or sales activities (the Service & sales page's month list).
 */
async function openingQueryInputs(warehouseFile: string): Promise<{ months: string[]; page: string[]; serviceMonths: string[] }> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const months = await connection.runAndReadAll(
      `select distinct strftime(month, '%Y-%m') from finance.fct_customer_margin_monthly where month is not null order by 1`,
    );
    const page = await connection.runAndReadAll(
      'select distinct customer_id from finance.fct_customer_margin_monthly order by customer_id limit 15',
    );
    // The months of the Service & sales page's two month lists together (the cases' opening
    // and the sales activities' times), which its default period is taken from.
    const serviceMonths = await connection.runAndReadAll(
      `select strftime(opened_at, '%Y-%m') from service.fct_cases where opened_at is not null
       union
       select strftime(occurred_at, '%Y-%m') from service.fct_sales_activities where occurred_at is not null
       order by 1`,
    );
    return {
      months: months.getRowsJS().map((row) => String(row[0])),
      page: page.getRowsJS().map((row) => String(row[0])),
      serviceMonths: serviceMonths.getRowsJS().map((row) => String(row[0])),
    };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function pageOpeningQueries(warehouseFile: string): Promise<NamedQuery[]> {
  const { months, page, serviceMonths } = await openingQueryInputs(warehouseFile);
  return [
    ...dashboardQueries,
    ...serviceDefaultPeriodQueries(serviceMonths),
    ...financeDefaultPeriodQueries(months),
    { name: "customer table: the page's customers (name, type, region, predicted value)", query: customerDetailsQuery(page) },
    ...customerFiguresQueries(months, page),
    ...(await managementQueries(warehouseFile)),
    ...marketingQueries,
  ];
}
