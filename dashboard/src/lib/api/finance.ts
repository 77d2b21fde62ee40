// Loaders for the finance page: each runs one or two Cube queries on the `finance` view
// and returns typed plain data. Components call these, never Cube directly.
import type { ResultSet } from '@cubejs-client/core';
import { ApiError } from './errors.ts';
import { lastRefreshTimeOf, runQuery } from './cube.ts';
import { amount, monthOf, text, toNumber, totalOf, type Row } from './values.ts';
import { distributionFromRanking, rankingSumsOf, type ProfitabilityDistribution } from '../finance/profitability.ts';
import {
  customerByMonthQuery,
  customerByProductQuery,
  customerDetailsQuery,
  customerMarginQuery,
  customerPageFollowUpQueries,
  customerProductQuery,
  customerQuery,
  financeMembers,
  kpiQuery,
  monthlyMarginQuery,
  monthRangeQuery,
  orderLinesQuery,
  profitRankingQuery,
  segmentProductQuery,
  segmentValuesQuery,
  type CustomerTableRequest,
  type DateRange,
  type FinanceFilters,
  type SegmentKey,
} from './queries.ts';

const m = financeMembers;

export interface LoadOptions {
  signal?: AbortSignal;
}


const defaultCurrency = 'EUR';


export function currencyOf(resultSet: ResultSet, member: string): string {
  const currency = resultSet.annotation().measures[member]?.currency;
  return typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : defaultCurrency;
}

/**
 * Reads a percentage in percent units. The member's annotation decides the scale:
 * format "percent" means the value already is in percent (34.5 = 34.5 %); without it
 * the value is taken as a ratio (0.345 = 34.5 %).
 */
export function percentReader(resultSet: ResultSet, member: string): (row: Row) => number | null {
  const annotation = resultSet.annotation();
  const inPercent = (annotation.measures[member] ?? annotation.dimensions[member])?.format === 'percent';
  return (row) => {
    const number = toNumber(row[member]);
    return number === null ? null : inPercent ? number : number * 100;
  };
}


/** "YYYY-MM-DD" of a Cube time value. */
export function dayOf(value: unknown): string {
  return typeof value === 'string' ? value.slice(0, 10) : '';
}

const percentOf = (part: number, whole: number): number | null => (whole === 0 ? null : (100 * part) / whole);

// ---------------------------------------------------------------- filter options

export interface FilterOptions {
  /** Every month with sales or costs, "YYYY-MM", in order. */
  months: string[];
  customerTypes: string[];
  regions: string[];
}

export async function loadFilterOptions(options: LoadOptions = {}): Promise<FilterOptions> {
  const [months, types, regions] = await Promise.all([
    runQuery(monthRangeQuery, options.signal),
    runQuery(segmentValuesQuery('customerType'), options.signal),
    runQuery(segmentValuesQuery('region'), options.signal),
  ]);
  const values = (resultSet: ResultSet, member: string) =>
    resultSet.tablePivot().map((row) => text(row, member)).filter((value) => value !== '');
  return {
    months: months.tablePivot().map((row) => monthOf(row[`${m.month}.month`])),
    customerTypes: values(types, m.customerType),
    regions: values(regions, m.region),
  };
}

// ---------------------------------------------------------------- KPIs

export interface KpiFigures {
  revenue: number;
  grossMargin: number;
  grossMarginPct: number | null;
  costToServe: number;
  contributionMargin: number;
  contributionMarginPct: number | null;
}

export interface Kpis {
  currency: string;
  current: KpiFigures;
  /** The same figures for the period of the same length just before; null without a period. */
  previous: KpiFigures | null;
  lastRefreshTime?: string;
}

function kpiFigures(resultSet: ResultSet): KpiFigures {
  const row = resultSet.tablePivot()[0] ?? {};
  const revenue = amount(row, m.revenue);
  const grossMargin = amount(row, m.grossMargin);
  const contributionMargin = amount(row, m.contributionMargin);
  return {
    revenue,
    grossMargin,
    grossMarginPct: percentOf(grossMargin, revenue),
    costToServe: amount(row, m.costToServe),
    contributionMargin,
    contributionMarginPct: percentOf(contributionMargin, revenue),
  };
}

export async function loadKpis(filters: FinanceFilters, previousPeriod: DateRange | null, options: LoadOptions = {}): Promise<Kpis> {
  const [current, previous] = await Promise.all([
    runQuery(kpiQuery(filters), options.signal),
    previousPeriod ? runQuery(kpiQuery({ ...filters, period: previousPeriod }), options.signal) : Promise.resolve(null),
  ]);
  return {
    currency: currencyOf(current, m.revenue),
    current: kpiFigures(current),
    previous: previous ? kpiFigures(previous) : null,
    lastRefreshTime: lastRefreshTimeOf(current),
  };
}

// ---------------------------------------------------------------- monthly series

export interface MonthlyMargin {
  /** Calendar month, "YYYY-MM". */
  month: string;
  revenue: number;
  grossMargin: number;
  contributionMargin: number;
  /** Gross margin in percent of revenue (34.5 means 34.5 %); null when revenue is 0. */
  grossMarginPct: number | null;
}

export interface MonthlyMarginSeries {
  currency: string;
  /** One entry per month of the period, in order; months without data are 0. */
  months: MonthlyMargin[];
  lastRefreshTime?: string;
}

function monthlySeries(resultSet: ResultSet): MonthlyMargin[] {
  // chartPivot fills months without rows, so the x axis has no gaps.
  return resultSet.chartPivot().map((row): MonthlyMargin => {
    const revenue = amount(row, m.revenue);
    const grossMargin = amount(row, m.grossMargin);
    return { month: monthOf(row.x), revenue, grossMargin, contributionMargin: amount(row, m.contributionMargin), grossMarginPct: percentOf(grossMargin, revenue) };
  });
}

export async function loadMonthlyMargin(filters: FinanceFilters, options: LoadOptions = {}): Promise<MonthlyMarginSeries> {
  const resultSet = await runQuery(monthlyMarginQuery(filters), options.signal);
  return { currency: currencyOf(resultSet, m.revenue), months: monthlySeries(resultSet), lastRefreshTime: lastRefreshTimeOf(resultSet) };
}

// ---------------------------------------------------------------- customer table

export interface CustomerMargin {
  customerId: string;
  customerName: string;
  customerType: string;
  region: string;
  revenue: number;
  cost: number;
  grossMargin: number;
  grossMarginPct: number | null;
  costToServe: number;
  contributionMargin: number;
  orderCount: number;
  /** Predicted gross margin of the next 12 months (CLV); null for a customer who never bought. */
  predictedMargin: number | null;
}

export interface CustomerMarginPage {
  currency: string;
  customers: CustomerMargin[];
  /** Customers matching the filters and search, over all pages. */
  total: number;
}

function customerMargin(row: Row, percent: (row: Row) => number | null): CustomerMargin {
  return {
    customerId: text(row, m.customerId),
    customerName: text(row, m.customerName),
    customerType: text(row, m.customerType),
    region: text(row, m.region),
    revenue: amount(row, m.revenue),
    cost: amount(row, m.cost),
    grossMargin: amount(row, m.grossMargin),
    grossMarginPct: percent(row),
    costToServe: amount(row, m.costToServe),
    contributionMargin: amount(row, m.contributionMargin),
    orderCount: amount(row, m.orderCount),
    predictedMargin: toNumber(row[m.predictedMarginValue]),
  };
}

/**
 * Customers per details query: a CSV export's page of 50,000 customers asked at once would
 * be a request body of over a megabyte, which the API refuses.
 */
const detailsPerQuery = 2_000;

/** A result's rows by their customer id. */
function rowsById(resultSet: ResultSet): Map<string, Row> {
  return new Map(resultSet.tablePivot().map((row) => [text(row, m.customerId), row]));
}

/** Name, type, region and predicted value of the given customers, by customer id. */
async function customerDetails(ids: readonly string[], signal: AbortSignal | undefined): Promise<Map<string, Row>> {
  const details = new Map<string, Row>();
  for (let start = 0; start < ids.length; start += detailsPerQuery) {
    const resultSet = await runQuery(customerDetailsQuery(ids.slice(start, start + detailsPerQuery)), signal);
    for (const [id, row] of rowsById(resultSet)) details.set(id, row);
  }
  return details;
}

/**
 * Pages up to this many customers (a screen's page) ask for their figures apart: the page
 * sorted by one column, then every figure for its customers (customerFiguresQuery).
 * Longer pages (a CSV export's) ask for every figure at once: their customers' figures
 * asked apart would be many queries, each reading the whole period again.
 */
const figuresApartUpTo = detailsPerQuery;

/** A screen page's customers' details (by id) and figures, asked at once. */
async function pageFollowUps(filters: FinanceFilters, ids: string[], signal: AbortSignal | undefined): Promise<[Map<string, Row>, ResultSet]> {
  const [detailsQuery, figuresQuery] = customerPageFollowUpQueries(filters, ids);
  const [details, figures] = await Promise.all([runQuery(detailsQuery, signal), runQuery(figuresQuery, signal)]);
  return [rowsById(details), figures];
}

/**
 * One page of the customer table: the page's customers in order, then who they are and,
 * for a screen's page, their figures, both at once (customerPageFollowUpQueries).
 */
export async function loadCustomerMargins(filters: FinanceFilters, request: CustomerTableRequest, options: LoadOptions = {}): Promise<CustomerMarginPage> {
  const figuresApart = request.limit <= figuresApartUpTo;
  const page = await runQuery(customerMarginQuery(filters, request, figuresApart ? 'sort only' : 'all'), options.signal);
  const rows = page.tablePivot();
  const ids = rows.map((row) => text(row, m.customerId));
  const currency = currencyOf(page, m.contributionMargin);
  if (ids.length === 0) return { currency, customers: [], total: totalOf(page) };
  const [detailsById, figures] = figuresApart ? await pageFollowUps(filters, ids, options.signal) : [await customerDetails(ids, options.signal), page];
  const figuresById = rowsById(figures);
  const percent = percentReader(figures, m.grossMarginPct);
  return {
    currency,
    customers: rows.map((row) => {
      const id = text(row, m.customerId);
      return customerMargin({ ...detailsById.get(id), ...figuresById.get(id), ...row }, percent);
    }),
    total: totalOf(page),
  };
}

// ---------------------------------------------------------------- profitability

export interface CustomerProfits {
  currency: string;
  /** The period's customers ranked by contribution margin: whale curve, deciles, top share. */
  distribution: ProfitabilityDistribution;
}

export async function loadCustomerProfits(filters: FinanceFilters, options: LoadOptions = {}): Promise<CustomerProfits> {
  const resultSet = await runQuery(profitRankingQuery(filters), options.signal);
  const rows = resultSet.tablePivot().map(rankingSumsOf);
  return { currency: currencyOf(resultSet, m.rankedContributionMargin), distribution: distributionFromRanking(rows) };
}

// ---------------------------------------------------------------- matrices

export interface MarginMatrix {
  currency: string;
  /** Row labels (customers or segment values) and their ids. */
  rows: { id: string; label: string }[];
  columns: { id: string; label: string }[];
  /** Gross margin per [row index, column index]; missing pairs had no sales. */
  cells: { row: number; column: number; grossMargin: number; revenue: number }[];
}

function matrix(
  resultSet: ResultSet,
  rowOf: (row: Row) => { id: string; label: string },
  columnOf: (row: Row) => { id: string; label: string },
  rowOrder: string[] | null,
): MarginMatrix {
  const rows = new Map<string, { id: string; label: string }>();
  const columns = new Map<string, { id: string; label: string }>();
  const data = resultSet.tablePivot();
  for (const row of data) {
    const r = rowOf(row);
    const c = columnOf(row);
    if (!rows.has(r.id)) rows.set(r.id, r);
    if (!columns.has(c.id)) columns.set(c.id, c);
  }
  const rowList = rowOrder ? rowOrder.filter((id) => rows.has(id)).map((id) => rows.get(id)!) : [...rows.values()].sort((a, b) => a.label.localeCompare(b.label));
  const columnList = [...columns.values()].sort((a, b) => a.label.localeCompare(b.label));
  const rowIndex = new Map(rowList.map((r, i) => [r.id, i]));
  const columnIndex = new Map(columnList.map((c, i) => [c.id, i]));
  return {
    currency: currencyOf(resultSet, m.productGrossMargin),
    rows: rowList,
    columns: columnList,
    cells: data.flatMap((row) => {
      const r = rowIndex.get(rowOf(row).id);
      const c = columnIndex.get(columnOf(row).id);
      return r === undefined || c === undefined ? [] : [{ row: r, column: c, grossMargin: amount(row, m.productGrossMargin), revenue: amount(row, m.productRevenue) }];
    }),
  };
}

/** Gross margin per product for the `count` customers with the highest gross margin in the period. */
export async function loadCustomerProductMatrix(filters: FinanceFilters, count: number, options: LoadOptions = {}): Promise<MarginMatrix> {
  const top = await runQuery(customerMarginQuery(filters, { sort: 'grossMargin', descending: true, search: '', offset: 0, limit: count }, 'sort only'), options.signal);
  const ids = top.tablePivot().map((row) => text(row, m.customerId));
  if (ids.length === 0) return { currency: currencyOf(top, m.grossMargin), rows: [], columns: [], cells: [] };
  // Their names and their products, both by the ids, at once.
  const [details, resultSet] = await Promise.all([customerDetails(ids, options.signal), runQuery(customerProductQuery(filters, ids), options.signal)]);
  const nameOf = (id: string) => {
    const row = details.get(id);
    return row ? text(row, m.customerName) : id;
  };
  return matrix(
    resultSet,
    (row) => ({ id: text(row, m.customerId), label: nameOf(text(row, m.customerId)) }),
    (row) => ({ id: text(row, m.productId), label: text(row, m.productName) }),
    ids,
  );
}

/** Gross margin per segment value x product group; `labelOf` names a segment value. */
export async function loadSegmentProductMatrix(
  filters: FinanceFilters,
  segment: SegmentKey,
  labelOf: (value: string) => string,
  options: LoadOptions = {},
): Promise<MarginMatrix> {
  const resultSet = await runQuery(segmentProductQuery(filters, segment), options.signal);
  const dimension = resultSet.query().dimensions?.[0] ?? '';
  return matrix(
    resultSet,
    (row) => ({ id: text(row, dimension), label: labelOf(text(row, dimension)) }),
    (row) => ({ id: text(row, m.productGroup), label: text(row, m.productGroup) }),
    null,
  );
}

// ---------------------------------------------------------------- one customer

export interface ProductMargin {
  productId: string;
  productName: string;
  productGroup: string;
  quantity: number;
  returnedQuantity: number;
  revenue: number;
  cost: number;
  grossMargin: number;
  grossMarginPct: number | null;
}

export interface CustomerDetail {
  currency: string;
  customerName: string;
  customerType: string;
  region: string;
  city: string;
  products: ProductMargin[];
  months: MonthlyMargin[];
}

export async function loadCustomerDetail(filters: FinanceFilters, customerId: string, options: LoadOptions = {}): Promise<CustomerDetail> {
  const [who, products, months] = await Promise.all([
    runQuery(customerQuery(customerId), options.signal),
    runQuery(customerByProductQuery(filters, customerId), options.signal),
    runQuery(customerByMonthQuery(filters, customerId), options.signal),
  ]);
  const customer = who.tablePivot()[0];
  if (!customer) throw new ApiError(`no customer ${customerId}`, 'server');
  const percent = percentReader(products, m.productGrossMarginPct);
  return {
    currency: currencyOf(products, m.productRevenue),
    customerName: text(customer, m.customerName),
    customerType: text(customer, m.customerType),
    region: text(customer, m.region),
    city: text(customer, m.city),
    products: products.tablePivot().map((row) => ({
      productId: text(row, m.productId),
      productName: text(row, m.productName),
      productGroup: text(row, m.productGroup),
      quantity: amount(row, m.productQuantity),
      returnedQuantity: amount(row, m.productReturnedQuantity),
      revenue: amount(row, m.productRevenue),
      cost: amount(row, m.productCost),
      grossMargin: amount(row, m.productGrossMargin),
      grossMarginPct: percent(row),
    })),
    months: monthlySeries(months),
  };
}

export interface OrderLine {
  orderLineId: string;
  orderId: string;
  orderedOn: string;
  productId: string;
  productName: string;
  quantity: number;
  returnedQuantity: number;
  unitPrice: number;
  discountPct: number;
  unitCost: number;
  netSales: number;
  returnsAndCredits: number;
  revenue: number;
  cost: number;
  grossMargin: number;
  invoiceIds: string;
  returnIds: string;
  creditNoteIds: string;
  sourceFile: string;
  sourceRow: number;
  loadId: number;
}

export interface OrderLinePage {
  currency: string;
  lines: OrderLine[];
  total: number;
}

export async function loadOrderLines(
  filters: FinanceFilters,
  customerId: string,
  productId: string | null,
  offset: number,
  limit: number,
  options: LoadOptions = {},
): Promise<OrderLinePage> {
  const resultSet = await runQuery(orderLinesQuery(filters, customerId, productId, offset, limit), options.signal);
  return {
    currency: currencyOf(resultSet, m.lineRevenue),
    total: totalOf(resultSet),
    lines: resultSet.tablePivot().map((row) => ({
      orderLineId: text(row, m.orderLineId),
      orderId: text(row, m.orderId),
      orderedOn: dayOf(row[m.lineOrderedOn]),
      productId: text(row, m.lineProductId),
      productName: text(row, m.lineProductName),
      quantity: amount(row, m.lineQuantity),
      returnedQuantity: amount(row, m.lineReturnedQuantity),
      unitPrice: amount(row, m.unitPrice),
      discountPct: amount(row, m.discountPct),
      unitCost: amount(row, m.unitCost),
      netSales: amount(row, m.lineNetSales),
      returnsAndCredits: amount(row, m.lineReturnsAndCredits),
      revenue: amount(row, m.lineRevenue),
      cost: amount(row, m.lineCost),
      grossMargin: amount(row, m.lineGrossMargin),
      invoiceIds: text(row, m.invoiceIds),
      returnIds: text(row, m.returnIds),
      creditNoteIds: text(row, m.creditNoteIds),
      sourceFile: text(row, m.sourceFile),
      sourceRow: amount(row, m.sourceRow),
      loadId: amount(row, m.loadId),
    })),
  };
}
