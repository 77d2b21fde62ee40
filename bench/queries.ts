// The queries the dashboard pages issue, as the benchmark sends them.
import type { NamedQuery } from './api-latency.ts';

export const dashboardQueries: NamedQuery[] = [
  {
    name: 'revenue and margin by month',
    query: { measures: ['finance.revenue', 'finance.gross_margin'], timeDimensions: [{ dimension: 'finance.month', granularity: 'month' }] },
  },
  {
    name: 'top 10 customers by margin',
    query: {
      measures: ['finance.revenue', 'finance.cost', 'finance.gross_margin', 'finance.gross_margin_pct'],
      dimensions: ['finance.customer_id', 'finance.customer_name'],
      order: { 'finance.gross_margin': 'desc' },
      limit: 10,
    },
  },
];
