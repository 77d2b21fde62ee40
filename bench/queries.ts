// The queries the finance page issues on opening (default filters: every month, no
// segment), built by the dashboard's own query module so the benchmark measures
// exactly what users wait for.
import {
  customerMarginQuery,
  customerProfitQuery,
  kpiQuery,
  monthlyMarginQuery,
  noFilters,
  segmentProductQuery,
} from '../dashboard/src/lib/api/queries.ts';
import { noServiceFilters, serviceOpeningQueries } from '../dashboard/src/lib/api/service-queries.ts';
import type { NamedQuery } from './api-latency.ts';

export const dashboardQueries: NamedQuery[] = [
  { name: 'KPI totals', query: kpiQuery(noFilters) },
  { name: 'revenue and margin by month', query: monthlyMarginQuery(noFilters) },
  {
    name: 'customer table, first page by contribution margin',
    query: customerMarginQuery(noFilters, { sort: 'contributionMargin', descending: true, search: '', offset: 0, limit: 15 }),
  },
  { name: 'contribution margin of every customer (whale curve)', query: customerProfitQuery(noFilters, 50_000) },
  { name: 'segment x product group', query: segmentProductQuery(noFilters, 'region') },
  // The Service & sales page's opening queries (every month, no filter).
  ...Object.entries(serviceOpeningQueries(noServiceFilters)).map(([name, query]) => ({ name: `service: ${name}`, query })),
];
