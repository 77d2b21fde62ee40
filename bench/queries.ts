// The queries the dashboard pages issue, built by the dashboard's own query module so
// the benchmark measures exactly what users wait for.
import { monthlyMarginQuery, topCustomersQuery } from '../dashboard/src/lib/api/queries.ts';
import type { NamedQuery } from './api-latency.ts';

export const dashboardQueries: NamedQuery[] = [
  { name: 'revenue and margin by month', query: monthlyMarginQuery() },
  { name: 'top 10 customers by margin', query: topCustomersQuery(10) },
];
