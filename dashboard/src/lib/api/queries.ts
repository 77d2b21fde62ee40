// The Cube queries the finance page issues, as plain data. Kept free of browser code so
// the benchmark (bench/queries.ts) and the tests send exactly what the page sends.
import type { Filter, Query, TimeDimension } from '@cubejs-client/core';

/** Member names of the Cube view `finance` (cube/model/views/finance.yml). */
export const financeMembers = {
  // The customer and its segments.
  customerId: 'finance.customer_id',
  customerName: 'finance.customer_name',
  customerType: 'finance.customer_type',
  region: 'finance.region',
  city: 'finance.city',
  // Per customer and month.
  month: 'finance.month',
  netSales: 'finance.net_sales',
  returnsAndCredits: 'finance.returns_and_credits',
  revenue: 'finance.revenue',
  cost: 'finance.cost',
  grossMargin: 'finance.gross_margin',
  grossMarginPct: 'finance.gross_margin_pct',
  costToServe: 'finance.cost_to_serve',
  contributionMargin: 'finance.contribution_margin',
  contributionMarginPct: 'finance.contribution_margin_pct',
  orderCount: 'finance.order_count',
  customerCount: 'finance.customer_count',
  // Per customer, product and month.
  productId: 'finance.product_id',
  productName: 'finance.product_name',
  productGroup: 'finance.product_group',
  productMonth: 'finance.product_month',
  productRevenue: 'finance.product_revenue',
  productCost: 'finance.product_cost',
  productGrossMargin: 'finance.product_gross_margin',
  productGrossMarginPct: 'finance.product_gross_margin_pct',
  productQuantity: 'finance.product_quantity',
  productReturnedQuantity: 'finance.product_returned_quantity',
  // Order lines and their source rows.
  orderLineId: 'finance.order_line_id',
  orderId: 'finance.order_id',
  lineProductName: 'finance.line_product_name',
  lineProductId: 'finance.line_product_id',
  lineOrderedOn: 'finance.line_ordered_on',
  lineQuantity: 'finance.line_quantity',
  lineReturnedQuantity: 'finance.line_returned_quantity',
  unitPrice: 'finance.unit_price',
  discountPct: 'finance.discount_pct',
  unitCost: 'finance.unit_cost',
  lineNetSales: 'finance.line_net_sales',
  lineReturnsAndCredits: 'finance.line_returns_and_credits',
  lineRevenue: 'finance.line_revenue',
  lineCost: 'finance.line_cost',
  lineGrossMargin: 'finance.line_gross_margin',
  invoiceIds: 'finance.invoice_ids',
  returnIds: 'finance.return_ids',
  creditNoteIds: 'finance.credit_note_ids',
  sourceFile: 'finance.source_file',
  sourceRow: 'finance.source_row',
  loadId: 'finance.load_id',
  lineCount: 'finance.line_count',
  // Customer value.
  predictedMargin: 'finance.predicted_margin',
  /** The same figure as a per-customer dimension: what the customer table shows, so the customer x month rollup can answer it. */
  predictedMarginValue: 'finance.predicted_margin_value',
  probabilityAlive: 'finance.probability_alive',
  topShareOfProfit: 'finance.top_share_of_profit',
  // The profitability ranking within the asked period and segment (whale curve, deciles).
  profitMonth: 'finance.profit_month',
  profitCurveRank: 'finance.profit_curve_rank',
  profitDecile: 'finance.profit_decile',
  isInPeriodTopShare: 'finance.is_in_period_top_share',
  rankedCustomers: 'finance.ranked_customers',
  rankedContributionMargin: 'finance.ranked_contribution_margin',
  periodLossMakingCustomers: 'finance.period_loss_making_customers',
  profitableCustomers: 'finance.profitable_customers',
  profitableMargin: 'finance.profitable_margin',
  /** The share of customers the top-share flag marks (dbt var profitability_top_share), percent. */
  periodTopSharePct: 'finance.period_top_share_pct',
  /** How many equal groups the ranking is cut into (dbt var profitability_groups). */
  periodProfitabilityGroups: 'finance.period_profitability_groups',
} as const;

const m = financeMembers;

/** An inclusive range of calendar days, each "YYYY-MM-DD". */
/** The query without the members the user may not see (measures, dimensions and order), so a panel can fill the rest
 * (access.missing names them; docs/access.md). */
export function withoutMembers<Q extends Query>(query: Q, hidden: readonly string[]): Q {
  if (hidden.length === 0) return query;
  const shown = (member: string) => !hidden.includes(member);
  const order = Array.isArray(query.order)
    ? query.order.filter(([member]) => shown(member))
    : query.order && Object.fromEntries(Object.entries(query.order).filter(([member]) => shown(member)));
  return {
    ...query,
    ...(query.measures ? { measures: query.measures.filter(shown) } : {}),
    ...(query.dimensions ? { dimensions: query.dimensions.filter(shown) } : {}),
    ...(order ? { order } : {}),
  };
}

export interface DateRange {
  from: string;
  to: string;
}

/** The customer attributes a page can segment by. */
export const segmentDimensions = {
  customerType: m.customerType,
  region: m.region,
  city: m.city,
} as const;
export type SegmentKey = keyof typeof segmentDimensions;

/** What the finance page is filtered by; every panel applies the same filters. */
export interface FinanceFilters {
  /** Inclusive period; null = every month with data. */
  period: DateRange | null;
  customerType: string | null;
  region: string | null;
}

export const noFilters: FinanceFilters = { period: null, customerType: null, region: null };

/** The segment filters as Cube filters (the period goes on the time dimension). */
function segmentFilters(filters: FinanceFilters): Filter[] {
  const result: Filter[] = [];
  if (filters.customerType) result.push({ member: m.customerType, operator: 'equals', values: [filters.customerType] });
  if (filters.region) result.push({ member: m.region, operator: 'equals', values: [filters.region] });
  return result;
}

/** The period on the time dimension of the measures queried. */
function periodOn(dimension: string, filters: FinanceFilters, granularity?: 'month'): TimeDimension[] {
  if (!filters.period && !granularity) return [];
  return [
    {
      dimension,
      ...(granularity ? { granularity } : {}),
      ...(filters.period ? { dateRange: [filters.period.from, filters.period.to] as [string, string] } : {}),
    },
  ];
}

// The filter lists ask for values only, no measure. With the customers counted (a
// distinct count, which no rollup answers but at its exact grain) each took 100-150 ms on
// the marts at 100,000 customers, and 450-520 ms in the first render, where the page waits
// for them before it asks for anything else; as plain values the finance rollups answer
// them in 2-3 ms (docs/performance.md, "The filter lists").
/** The first and last month with sales or costs, and the segment values to offer. */
export const monthRangeQuery = {
  timeDimensions: [{ dimension: m.month, granularity: 'month' }],
  // Customers without sales or costs have no month.
  filters: [{ member: m.month, operator: 'set' }],
  order: { [m.month]: 'asc' },
} satisfies Query;

export function segmentValuesQuery(segment: SegmentKey) {
  return {
    dimensions: [segmentDimensions[segment]],
    order: { [segmentDimensions[segment]]: 'asc' },
    limit: 500,
  } satisfies Query;
}

/** The KPI totals for one period. */
export function kpiQuery(filters: FinanceFilters) {
  return {
    measures: [m.revenue, m.grossMargin, m.grossMarginPct, m.costToServe, m.contributionMargin, m.contributionMarginPct],
    timeDimensions: periodOn(m.month, filters),
    filters: segmentFilters(filters),
  } satisfies Query;
}

/** Net revenue and gross margin per calendar month. */
export function monthlyMarginQuery(filters: FinanceFilters = noFilters) {
  return {
    measures: [m.revenue, m.grossMargin, m.contributionMargin],
    timeDimensions: periodOn(m.month, filters, 'month'),
    // Customers without sales or costs join as a row without a month; leave it out.
    filters: [...segmentFilters(filters), { member: m.month, operator: 'set' }],
    order: { [m.month]: 'asc' },
  } satisfies Query;
}

/** Columns of the customer margin table a reader can sort by. */
export const customerSortColumns = {
  customerName: m.customerName,
  revenue: m.revenue,
  grossMargin: m.grossMargin,
  grossMarginPct: m.grossMarginPct,
  costToServe: m.costToServe,
  contributionMargin: m.contributionMargin,
  predictedMargin: m.predictedMarginValue,
} as const;
export type CustomerSortColumn = keyof typeof customerSortColumns;

export interface CustomerTableRequest {
  sort: CustomerSortColumn;
  descending: boolean;
  /** Part of the customer's name or id; empty = every customer. */
  search: string;
  offset: number;
  limit: number;
}

/** The figures the customer table shows per customer in the period. */
const customerFigures = [m.revenue, m.cost, m.grossMargin, m.grossMarginPct, m.costToServe, m.contributionMargin, m.orderCount];

/**
 * One page of customers with their margins in the period, and the total count, grouped by
 * the customer alone. The name, type, region and predicted value the table shows are one
 * per customer and come from customerDetailsQuery for the page's customers: as grouping
 * keys beside the id they made this query and its total count about twice as slow
 * (docs/performance.md, "The customer table grouped by the customer alone"). The name or
 * the predicted value is asked here only when the table is sorted by it.
 *
 * `figures: 'sort only'` asks for the column the page is sorted by (and the contribution
 * margin, which the filter sums anyway) instead of every figure: what a screen page sends,
 * followed by customerFiguresQuery for its customers. Every sum is worked out for every
 * customer of the period, and the page shows 15 of them: at 1,000,000 customers the page
 * and its count took 295 ms with every figure and 204 ms with the sort column alone
 * (docs/performance.md, "The customer table's figures for its page only").
 */
export function customerMarginQuery(filters: FinanceFilters, request: CustomerTableRequest, figures: 'all' | 'sort only' = 'all') {
  const search = request.search.trim();
  const sortMember = customerSortColumns[request.sort];
  const sortedByDetail = sortMember === m.customerName || sortMember === m.predictedMarginValue;
  const measures = figures === 'all' ? customerFigures : [...new Set([...(sortedByDetail ? [] : [sortMember]), m.contributionMargin])];
  return {
    dimensions: [m.customerId, ...(sortedByDetail ? [sortMember] : [])],
    measures,
    timeDimensions: periodOn(m.month, filters),
    filters: [
      ...segmentFilters(filters),
      // Customers with sales or cost-to-serve in the period only: every month row has a
      // contribution margin, so it is set exactly for them. A measure filter, not "month
      // is set", so that the whole history is answered by the rollup per customer
      // (cube/model/cubes/customers.yml, margin_by_customer), which has no month.
      { member: m.contributionMargin, operator: 'set' },
      ...(search ? [{ or: [
        { member: m.customerName, operator: 'contains', values: [search] },
        { member: m.customerId, operator: 'contains', values: [search] },
      ] } as Filter] : []),
    ],
    order: [
      [sortMember, request.descending ? 'desc' : 'asc'],
      [m.customerId, 'asc'],
    ],
    limit: request.limit,
    offset: request.offset,
    total: true,
  } satisfies Query;
}

/** The customer table's page as the finance page opens it (CustomerMarginTable's defaults). */
export const firstCustomerPage = { sort: 'contributionMargin', descending: true, search: '', offset: 0, limit: 15 } as const satisfies CustomerTableRequest;

/**
 * What a screen's page of the customer table asks after the page itself (customerMarginQuery
 * with `figures: 'sort only'`), both at once: who its customers are and their figures. The
 * cache warmer asks the same for the opening page (bench/queries.ts).
 */
export function customerPageFollowUpQueries(filters: FinanceFilters, customerIds: string[]) {
  return [customerDetailsQuery(customerIds), customerFiguresQuery(filters, customerIds)] as const;
}

/**
 * The customer table's figures in the period for the given customers (a page that
 * customerMarginQuery asked with `figures: 'sort only'`), one row each. The segment
 * filters are the page's, so that the same rollup answers both.
 */
export function customerFiguresQuery(filters: FinanceFilters, customerIds: string[]) {
  return {
    dimensions: [m.customerId],
    measures: customerFigures,
    timeDimensions: periodOn(m.month, filters),
    filters: [...segmentFilters(filters), { member: m.customerId, operator: 'equals', values: customerIds }],
    order: [[m.customerId, 'asc']],
    limit: Math.max(1, customerIds.length),
  } satisfies Query;
}

/** Who the customers of a table page are: name, type, region and predicted value, one row each. */
export function customerDetailsQuery(customerIds: string[]) {
  return {
    dimensions: [m.customerId, m.customerName, m.customerType, m.region, m.predictedMarginValue],
    filters: [{ member: m.customerId, operator: 'equals', values: customerIds }],
    order: [[m.customerId, 'asc']],
    limit: Math.max(1, customerIds.length),
  } satisfies Query;
}

/**
 * The whale curve, deciles and top-share of the period and segment: the customers
 * ranked by contribution margin in the warehouse (cube customer_profit_ranking), summed
 * per curve point x decile x top-share flag. At most about 420 rows, whatever the number
 * of customers (a curve point every ceil(n / 400) ranks).
 */
export function profitRankingQuery(filters: FinanceFilters) {
  return {
    dimensions: [m.profitCurveRank, m.profitDecile, m.isInPeriodTopShare],
    measures: [m.rankedCustomers, m.rankedContributionMargin, m.periodLossMakingCustomers, m.profitableCustomers, m.profitableMargin, m.periodTopSharePct, m.periodProfitabilityGroups],
    timeDimensions: periodOn(m.profitMonth, filters),
    filters: [...segmentFilters(filters), { member: m.profitCurveRank, operator: 'set' }],
    order: [[m.profitCurveRank, 'asc'], [m.profitDecile, 'asc'], [m.isInPeriodTopShare, 'asc']],
    limit: 5_000,
    // Ten members on each of ~410 rows: their names were two thirds of the answer.
    responseFormat: 'compact',
  } satisfies Query;
}

/** Gross margin per customer x product for the given customers. */
export function customerProductQuery(filters: FinanceFilters, customerIds: string[]) {
  return {
    dimensions: [m.customerId, m.productId, m.productName],
    measures: [m.productRevenue, m.productGrossMargin],
    timeDimensions: periodOn(m.productMonth, filters),
    filters: [...segmentFilters(filters), { member: m.customerId, operator: 'equals', values: customerIds }],
    limit: 10_000,
  } satisfies Query;
}

/** Gross margin per segment value x product group. */
export function segmentProductQuery(filters: FinanceFilters, segment: SegmentKey) {
  return {
    dimensions: [segmentDimensions[segment], m.productGroup],
    measures: [m.productRevenue, m.productGrossMargin, m.productGrossMarginPct],
    timeDimensions: periodOn(m.productMonth, filters),
    filters: [...segmentFilters(filters), { member: m.productId, operator: 'set' }],
    limit: 10_000,
  } satisfies Query;
}

/** One customer's margin per product in the period. */
export function customerByProductQuery(filters: FinanceFilters, customerId: string) {
  return {
    dimensions: [m.productId, m.productName, m.productGroup],
    measures: [m.productQuantity, m.productReturnedQuantity, m.productRevenue, m.productCost, m.productGrossMargin, m.productGrossMarginPct],
    timeDimensions: periodOn(m.productMonth, filters),
    filters: [{ member: m.customerId, operator: 'equals', values: [customerId] }, { member: m.productId, operator: 'set' }],
    order: { [m.productGrossMargin]: 'desc' },
    limit: 1_000,
  } satisfies Query;
}

/** Who a customer is: name, type and region. */
export function customerQuery(customerId: string) {
  return {
    dimensions: [m.customerId, m.customerName, m.customerType, m.region, m.city],
    filters: [{ member: m.customerId, operator: 'equals', values: [customerId] }],
    limit: 1,
  } satisfies Query;
}

/** One customer's margins per month in the period. */
export function customerByMonthQuery(filters: FinanceFilters, customerId: string) {
  return {
    measures: [m.revenue, m.grossMargin, m.contributionMargin],
    timeDimensions: periodOn(m.month, filters, 'month'),
    filters: [{ member: m.customerId, operator: 'equals', values: [customerId] }, { member: m.month, operator: 'set' }],
    order: { [m.month]: 'asc' },
  } satisfies Query;
}

/** The order lines behind a customer's figures (optionally one product's), newest first. */
export function orderLinesQuery(filters: FinanceFilters, customerId: string, productId: string | null, offset: number, limit: number) {
  return {
    dimensions: [
      m.orderLineId, m.orderId, m.lineOrderedOn, m.lineProductId, m.lineProductName, m.unitPrice, m.discountPct, m.unitCost,
      m.invoiceIds, m.returnIds, m.creditNoteIds, m.sourceFile, m.sourceRow, m.loadId,
    ],
    measures: [m.lineQuantity, m.lineReturnedQuantity, m.lineNetSales, m.lineReturnsAndCredits, m.lineRevenue, m.lineCost, m.lineGrossMargin],
    timeDimensions: periodOn(m.lineOrderedOn, filters),
    filters: [
      { member: m.customerId, operator: 'equals', values: [customerId] },
      { member: m.orderLineId, operator: 'set' },
      ...(productId ? [{ member: m.lineProductId, operator: 'equals', values: [productId] } as Filter] : []),
    ],
    order: [[m.lineOrderedOn, 'desc'], [m.orderLineId, 'asc']],
    limit,
    offset,
    total: true,
  } satisfies Query;
}
