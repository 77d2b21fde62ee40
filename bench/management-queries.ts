// The queries the management page issues on opening (no filters; transitions from a year
// before the latest month to the latest; maturity for the whole company), built by the
// dashboard's own query module so the benchmark measures what users wait for.
import { DuckDBInstance } from '@duckdb/node-api';
import {
  accountPlanPageSize,
  accountPlansQuery,
  maturityIndicatorsQuery,
  maturityLevelsQuery,
  noPortfolioFilters,
  portfolioBreakdownQuery,
  portfolioCustomersQuery,
  portfolioMonthsQuery,
  quadrantDensityQuery,
  quadrantPointLimit,
  quadrantPointsQuery,
  transitionsQuery,
} from '../dashboard/src/lib/api/management-queries.ts';
import type { NamedQuery } from './api-latency.ts';

/**
 * The latest month of the management marts, "YYYY-MM-01", as the page finds it, and the
 * indicator and care class with the most customers behind it that month: a fixed pair
 * (say retention in class B) has nobody behind it in some companies, and a drill that
 * answers nothing measures nothing.
 */
async function openingFacts(warehouseFile: string): Promise<{ latest: string; indicator: string; careClass: string }> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const latestRows = await connection.runAndReadAll(`select strftime(max(month), '%Y-%m-01') from intermediate.int_management__months`);
    const latest = String(latestRows.getRowsJS()[0]![0]);
    const busiest = await connection.runAndReadAll(
      `select indicator, care_class from management.fct_maturity_customers_behind
       where month = '${latest}'::date and care_class is not null
       group by all order by count(*) desc, indicator, care_class limit 1`,
    );
    const [indicator, careClass] = busiest.getRowsJS()[0] ?? ['retention_rate', 'B'];
    return { latest, indicator: String(indicator), careClass: String(careClass) };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

export async function managementQueries(warehouseFile: string): Promise<NamedQuery[]> {
  const { latest, indicator, careClass } = await openingFacts(warehouseFile);
  const yearBefore = `${Number(latest.slice(0, 4)) - 1}${latest.slice(4)}`;
  const filters = noPortfolioFilters;
  return [
    { name: 'management: months', query: portfolioMonthsQuery },
    { name: 'management: quadrants', query: portfolioBreakdownQuery('valueQuadrant', filters) },
    { name: 'management: relationship natures', query: portfolioBreakdownQuery('relationshipNature', filters) },
    { name: 'management: care classes', query: portfolioBreakdownQuery('careClass', filters) },
    { name: 'management: quadrant chart points', query: quadrantPointsQuery(filters, quadrantPointLimit) },
    { name: 'management: quadrant chart density', query: quadrantDensityQuery(filters) },
    { name: 'management: customers, first page', query: portfolioCustomersQuery(filters, { search: '', offset: 0, limit: 15 }) },
    { name: 'management: account plans of the year', query: accountPlansQuery(Number(latest.slice(0, 4)), filters, { offset: 0, limit: accountPlanPageSize }) },
    { name: 'management: care class transitions', query: transitionsQuery('care_class', yearBefore, latest) },
    { name: 'management: value quadrant transitions', query: transitionsQuery('value_quadrant', yearBefore, latest) },
    {
      name: 'management: customers behind an indicator in a care class',
      query: portfolioCustomersQuery(filters, { search: '', offset: 0, limit: 15, behind: { indicator, month: latest, scope: 'care_class', scopeValue: careClass } }),
    },
    { name: 'management: maturity levels', query: maturityLevelsQuery('company') },
    { name: 'management: maturity indicators', query: maturityIndicatorsQuery('company', 'all') },
  ];
}
