// Queries on the Cube view `finance`, returned as typed plain data.
import type { ResultSet } from '@cubejs-client/core';
import { ApiError } from './errors.ts';
import { lastRefreshTimeOf, runQuery } from './cube.ts';
import { financeMembers, monthlyMarginQuery, topCustomersQuery, type DateRange } from './queries.ts';

const m = financeMembers;

export interface LoadOptions {
  signal?: AbortSignal;
}

export interface MonthlyMargin {
  /** Calendar month, "YYYY-MM". */
  month: string;
  revenue: number;
  grossMargin: number;
  /** Gross margin in percent of revenue (34.5 means 34.5 %); null when revenue is 0. */
  grossMarginPct: number | null;
}

export interface MonthlyMarginSeries {
  /** ISO 4217 code of the money amounts. */
  currency: string;
  /** One entry per month from the first to the last month with data, in order; months without orders are 0. */
  months: MonthlyMargin[];
  /** When the served data was last refreshed, as the server reports it (ISO time). */
  lastRefreshTime?: string;
}

export interface TopCustomer {
  customerId: string;
  customerName: string;
  revenue: number;
  cost: number;
  grossMargin: number;
  /** Gross margin in percent of revenue (34.5 means 34.5 %); null when revenue is 0. */
  grossMarginPct: number | null;
}

export interface TopCustomers {
  currency: string;
  customers: TopCustomer[];
  lastRefreshTime?: string;
}

const defaultCurrency = 'EUR';

function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

function currencyOf(resultSet: ResultSet, member: string): string {
  const currency = resultSet.annotation().measures[member]?.currency;
  return typeof currency === 'string' && /^[A-Z]{3}$/.test(currency) ? currency : defaultCurrency;
}

/**
 * Reads a percentage measure in percent units. The member's annotation decides the
 * scale: format "percent" means the value already is in percent (34.5 = 34.5 %);
 * without it the value is taken as a ratio (0.345 = 34.5 %).
 */
function percentReader(resultSet: ResultSet, member: string): (value: unknown) => number | null {
  const inPercent = resultSet.annotation().measures[member]?.format === 'percent';
  return (value) => {
    const number = toNumber(value);
    return number === null ? null : inPercent ? number : number * 100;
  };
}

function marginPercent(revenue: number, grossMargin: number): number | null {
  return revenue === 0 ? null : (100 * grossMargin) / revenue;
}

/** "YYYY-MM" of a Cube time value such as "2024-11-01T00:00:00.000". */
function monthOf(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})/.exec(value) : null;
  if (!match) throw new ApiError(`unexpected month value from the server: ${String(value)}`, 'server');
  return `${match[1]}-${match[2]}`;
}

/**
 * Net revenue and gross margin per calendar month, for all months with data or for
 * `range`. The margin % is computed from the two sums, so it is exact per month.
 */
export async function loadMonthlyMargin(range?: DateRange, options: LoadOptions = {}): Promise<MonthlyMarginSeries> {
  const query = monthlyMarginQuery(range);
  const resultSet = await runQuery(query, options.signal);
  // chartPivot fills months without rows, so the x axis has no gaps.
  const months = resultSet.chartPivot().map((row): MonthlyMargin => {
    const revenue = toNumber(row[m.revenue]) ?? 0;
    const grossMargin = toNumber(row[m.grossMargin]) ?? 0;
    return { month: monthOf(row.x), revenue, grossMargin, grossMarginPct: marginPercent(revenue, grossMargin) };
  });
  return { currency: currencyOf(resultSet, m.revenue), months, lastRefreshTime: lastRefreshTimeOf(resultSet) };
}

/** The `limit` customers with the highest gross margin over all months, highest first. */
export async function loadTopCustomers(limit = 10, options: LoadOptions = {}): Promise<TopCustomers> {
  const query = topCustomersQuery(limit);
  const resultSet = await runQuery(query, options.signal);
  const percent = percentReader(resultSet, m.grossMarginPct);
  const customers = resultSet.tablePivot().map((row): TopCustomer => {
    const revenue = toNumber(row[m.revenue]) ?? 0;
    const grossMargin = toNumber(row[m.grossMargin]) ?? 0;
    return {
      customerId: String(row[m.customerId] ?? ''),
      customerName: String(row[m.customerName] ?? ''),
      revenue,
      cost: toNumber(row[m.cost]) ?? 0,
      grossMargin,
      grossMarginPct: percent(row[m.grossMarginPct]),
    };
  });
  return { currency: currencyOf(resultSet, m.revenue), customers, lastRefreshTime: lastRefreshTimeOf(resultSet) };
}
