// The Cube queries the dashboard issues, as plain data. Kept free of browser code so
// the benchmark (bench/queries.ts) sends exactly what the pages send.
import type { Query } from '@cubejs-client/core';

/** Member names of the `finance` view. */
export const financeMembers = {
  revenue: 'finance.revenue',
  cost: 'finance.cost',
  grossMargin: 'finance.gross_margin',
  grossMarginPct: 'finance.gross_margin_pct',
  orderCount: 'finance.order_count',
  customerId: 'finance.customer_id',
  customerName: 'finance.customer_name',
  customerSegment: 'finance.customer_segment',
  region: 'finance.region',
  month: 'finance.month',
} as const;

const m = financeMembers;

/** An inclusive range of calendar days, each "YYYY-MM-DD". */
export interface DateRange {
  from: string;
  to: string;
}

/** Net revenue and gross margin per calendar month, optionally within `range`. */
export function monthlyMarginQuery(range?: DateRange) {
  return {
    measures: [m.revenue, m.grossMargin],
    timeDimensions: [
      {
        dimension: m.month,
        granularity: 'month',
        ...(range ? { dateRange: [range.from, range.to] as [string, string] } : {}),
      },
    ],
    order: { [m.month]: 'asc' },
  } satisfies Query;
}

/** The `limit` customers with the highest gross margin over all months. */
export function topCustomersQuery(limit: number) {
  return {
    measures: [m.revenue, m.cost, m.grossMargin, m.grossMarginPct],
    dimensions: [m.customerId, m.customerName],
    order: { [m.grossMargin]: 'desc' },
    limit,
  } satisfies Query;
}
