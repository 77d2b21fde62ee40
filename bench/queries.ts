// The queries the finance and Service & sales pages issue on opening, built by the
// dashboard's own query modules so the benchmark measures exactly what users wait for:
// finance's over every month and on its default period, the service page's filter lists
// and its queries on its default period.
import {
  customerFiguresQuery,
  customerMarginQuery,
  customerPageFollowUpQueries,
  firstCustomerPage,
  kpiQuery,
  monthlyMarginQuery,
  monthRangeQuery,
  noFilters,
  profitRankingQuery,
  segmentProductQuery,
  segmentValuesQuery,
  type FinanceFilters,
} from '../dashboard/src/lib/api/queries.ts';
import {
  activityMonthsQuery,
  caseMonthsQuery,
  filterValueQueries,
  noServiceFilters,
  serviceDefaultPeriod,
  serviceOpeningQueries,
} from '../dashboard/src/lib/api/service-queries.ts';
import { defaultPeriod, previousPeriod, toDateRange, type MonthPeriod } from '../dashboard/src/lib/finance/period.ts';
import type { NamedQuery } from './api-latency.ts';

export const dashboardQueries: NamedQuery[] = [
  // The filter lists: the page asks for them first and for everything else once they are in.
  { name: 'filter lists: months', query: monthRangeQuery },
  { name: 'filter lists: customer types', query: segmentValuesQuery('customerType') },
  { name: 'filter lists: regions', query: segmentValuesQuery('region') },
  { name: 'KPI totals', query: kpiQuery(noFilters) },
  { name: 'revenue and margin by month', query: monthlyMarginQuery(noFilters) },
  {
    name: 'customer table, first page by contribution margin',
    query: customerMarginQuery(noFilters, firstCustomerPage, 'sort only'),
    followUps: (customerIds) => [...customerPageFollowUpQueries(noFilters, customerIds)],
  },
  { name: 'profitability ranking (whale curve, deciles)', query: profitRankingQuery(noFilters) },
  { name: 'segment x product group', query: segmentProductQuery(noFilters, 'region') },
  // The Service & sales page's filter lists, which it asks first; its other opening queries
  // are on the period their months give (serviceDefaultPeriodQueries).
  { name: 'service: filter lists: case months', query: caseMonthsQuery },
  { name: 'service: filter lists: activity months', query: activityMonthsQuery },
  ...Object.entries(filterValueQueries).map(([name, query]) => ({ name: `service: filter lists: ${name}`, query })),
];

/**
 * The Service & sales page as it really opens: on the last three months with cases or
 * sales activities (serviceDefaultPeriod), no other filter. `months` is every such month,
 * "YYYY-MM", in order.
 */
export function serviceDefaultPeriodQueries(months: readonly string[]): NamedQuery[] {
  const period = serviceDefaultPeriod(months);
  if (!period) return [];
  return Object.entries(serviceOpeningQueries({ ...noServiceFilters, period: toDateRange(period) })).map(([name, query]) => ({ name: `service: ${name}`, query }));
}

/**
 * The finance page as it really opens: on the last twelve months with data, the KPIs
 * beside the twelve months before. `months` is every month with data, "YYYY-MM", in order.
 */
export function financeDefaultPeriodQueries(months: readonly string[]): NamedQuery[] {
  const period = defaultPeriod(months);
  if (!period) return [];
  const filters = financeDefaultFilters(period);
  return [
    { name: 'last 12 months: KPI totals', query: kpiQuery(filters) },
    { name: 'last 12 months: KPI totals of the 12 months before', query: kpiQuery({ ...noFilters, period: toDateRange(previousPeriod(period)) }) },
    { name: 'last 12 months: revenue and margin by month', query: monthlyMarginQuery(filters) },
    {
      name: 'last 12 months: customer table, first page',
      query: customerMarginQuery(filters, firstCustomerPage, 'sort only'),
      followUps: (customerIds) => [...customerPageFollowUpQueries(filters, customerIds)],
    },
    { name: 'last 12 months: whale curve and deciles', query: profitRankingQuery(filters) },
    { name: 'last 12 months: segment x product group', query: segmentProductQuery(filters, 'region') },
  ];
}

/** The finance page's filters as it opens: its default period, no segment. */
function financeDefaultFilters(period: MonthPeriod): FinanceFilters {
  return { ...noFilters, period: toDateRange(period) };
}

/**
 * The customer table's figures for its first page's customers (`page`, their ids), which
 * the table asks after the page itself: every month, and the default period.
 */
export function customerFiguresQueries(months: readonly string[], page: string[]): NamedQuery[] {
  const period = defaultPeriod(months);
  return [
    { name: "customer table: the page's figures", query: customerFiguresQuery(noFilters, page) },
    ...(period ? [{ name: "last 12 months: the customer table page's figures", query: customerFiguresQuery(financeDefaultFilters(period), page) }] : []),
  ];
}
