// Loaders for the management page: each runs Cube queries on the `management` view and
// returns typed plain data. Components call these, never Cube directly.
import type { ResultSet } from '@cubejs-client/core';
import { runQuery } from './cube.ts';
import {
  accountPlansQuery,
  managementMembers,
  maturityIndicatorsQuery,
  maturityLevelsQuery,
  portfolioBreakdownQuery,
  portfolioCustomersQuery,
  portfolioMonthsQuery,
  quadrantDensityQuery,
  quadrantPointLimit,
  quadrantPointsQuery,
  transitionsQuery,
  type MaturityScope,
  type PortfolioCustomerRequest,
  type PortfolioFilters,
  type TransitionDimension,
} from './management-queries.ts';
import { amount, flag, monthOf, text, toNumber, totalOf, type Row } from './values.ts';

export {
  accountPlanPageSize,
  behindFilters,
  managementMembers,
  noPortfolioFilters,
  quadrantPointLimit,
  quadrantScale,
  type BehindFilter,
  type MaturityScope,
  type PortfolioCustomerRequest,
  type PortfolioFilters,
  type TransitionDimension,
} from './management-queries.ts';

const m = managementMembers;

interface LoadOptions {
  signal?: AbortSignal;
}

const rows = (resultSet: ResultSet): Row[] => resultSet.tablePivot() as Row[];
const shareOf = (part: number, whole: number): number | null => (whole === 0 ? null : (100 * part) / whole);

// ---------------------------------------------------------------- months

export interface PortfolioMonths {
  /** Every month with a history, "YYYY-MM", in order; the last is the as-of month. */
  months: string[];
}

export async function loadPortfolioMonths(options: LoadOptions = {}): Promise<PortfolioMonths> {
  const resultSet = await runQuery(portfolioMonthsQuery, options.signal);
  return { months: rows(resultSet).map((row) => monthOf(row['management.month.month'])) };
}

// ---------------------------------------------------------------- distributions

export type PortfolioDimension = 'valueQuadrant' | 'relationshipNature' | 'careClass';

export interface PortfolioGroup {
  value: string;
  customers: number;
  revenue: number;
  grossMargin: number;
  contributionMargin: number;
  /** Shares of the whole (filtered) portfolio, percent. */
  customerShare: number | null;
  revenueShare: number | null;
  marginShare: number | null;
  flaggedAWithoutCarePlan: number;
  flaggedPlanBehind: number;
  flaggedDGrowthSignal: number;
}

export interface PortfolioBreakdown {
  dimension: PortfolioDimension;
  groups: PortfolioGroup[];
  totals: { customers: number; revenue: number; contributionMargin: number };
}

export async function loadPortfolioBreakdown(dimension: PortfolioDimension, filters: PortfolioFilters, options: LoadOptions = {}): Promise<PortfolioBreakdown> {
  const resultSet = await runQuery(portfolioBreakdownQuery(dimension, filters), options.signal);
  const raw = rows(resultSet).map((row) => ({
    value: text(row, m[dimension]),
    customers: amount(row, m.customerCount),
    revenue: amount(row, m.revenue),
    grossMargin: amount(row, m.grossMargin),
    contributionMargin: amount(row, m.contributionMargin),
    flaggedAWithoutCarePlan: amount(row, m.flaggedAWithoutCarePlan),
    flaggedPlanBehind: amount(row, m.flaggedPlanBehind),
    flaggedDGrowthSignal: amount(row, m.flaggedDGrowthSignal),
  }));
  const totals = {
    customers: raw.reduce((sum, g) => sum + g.customers, 0),
    revenue: raw.reduce((sum, g) => sum + g.revenue, 0),
    contributionMargin: raw.reduce((sum, g) => sum + g.contributionMargin, 0),
  };
  return {
    dimension,
    totals,
    groups: raw.map((g) => ({
      ...g,
      customerShare: shareOf(g.customers, totals.customers),
      revenueShare: shareOf(g.revenue, totals.revenue),
      marginShare: shareOf(g.contributionMargin, totals.contributionMargin),
    })),
  };
}

// ---------------------------------------------------------------- quadrant chart

export interface QuadrantPoint {
  customerId: string;
  customerName: string;
  quadrant: string;
  currentValue: number;
  potentialValue: number;
  revenue: number;
}

/** Valued customers in one density cell of the quadrant chart (bands on quadrantScale). */
export interface QuadrantDensityCell {
  currentBand: number;
  potentialBand: number;
  quadrant: string;
  customers: number;
}

/** The customers counted in density cells. */
export function customersIn(cells: readonly QuadrantDensityCell[]): number {
  return cells.reduce((sum, cell) => sum + cell.customers, 0);
}

export interface QuadrantChartData {
  points: QuadrantPoint[];
  /** Every valued customer, counted per cell and quadrant: the chart's shading. */
  density: QuadrantDensityCell[];
  currentValueCut: number | null;
  potentialValueCut: number | null;
  truncated: boolean;
}

export async function loadQuadrantPoints(filters: PortfolioFilters, options: LoadOptions = {}): Promise<QuadrantChartData> {
  const [resultSet, densitySet] = await Promise.all([
    runQuery(quadrantPointsQuery(filters, quadrantPointLimit), options.signal),
    runQuery(quadrantDensityQuery(filters), options.signal),
  ]);
  // The rows as sent (one per customer): tablePivot would pivot thousands of rows on
  // every dimension first (at 50,000 points it held the page for about 0.7 s,
  // docs/performance.md).
  const data = resultSet.rawData() as Row[];
  const density = (densitySet.rawData() as Row[]).map((row) => ({
    currentBand: amount(row, m.currentValueBand),
    potentialBand: amount(row, m.potentialValueBand),
    quadrant: text(row, m.valueQuadrant),
    customers: amount(row, m.customerCount),
  }));
  return {
    density,
    points: data.map((row) => ({
      customerId: text(row, m.customerId),
      customerName: text(row, m.customerName),
      quadrant: text(row, m.valueQuadrant),
      currentValue: amount(row, m.currentValue),
      potentialValue: amount(row, m.potentialValue),
      revenue: amount(row, m.customerRevenue),
    })),
    currentValueCut: data[0] ? toNumber(data[0][m.currentValueCut]) : null,
    potentialValueCut: data[0] ? toNumber(data[0][m.potentialValueCut]) : null,
    truncated: data.length >= quadrantPointLimit,
  };
}

// ---------------------------------------------------------------- customer list

export interface PortfolioCustomer {
  customerId: string;
  customerName: string;
  customerType: string;
  quadrant: string;
  nature: string;
  natureRule: string;
  careClass: string;
  careClassRule: string;
  accountOwner: string;
  currentValue: number;
  potentialValue: number | null;
  revenue: number;
  orders: number;
  /** Percent of the list value bought at a discount; null without purchases. */
  discountedShare: number | null;
  flags: { aWithoutCarePlan: boolean; planBehind: boolean; dGrowthSignal: boolean };
}

export interface PortfolioCustomerPage {
  customers: PortfolioCustomer[];
  total: number;
}

export async function loadPortfolioCustomers(filters: PortfolioFilters, request: PortfolioCustomerRequest, options: LoadOptions = {}): Promise<PortfolioCustomerPage> {
  const resultSet = await runQuery(portfolioCustomersQuery(filters, request), options.signal);
  return {
    total: totalOf(resultSet),
    customers: rows(resultSet).map((row) => ({
      customerId: text(row, m.customerId),
      customerName: text(row, m.customerName),
      customerType: text(row, m.customerType),
      quadrant: text(row, m.valueQuadrant),
      nature: text(row, m.relationshipNature),
      natureRule: text(row, m.natureRule),
      careClass: text(row, m.careClass),
      careClassRule: text(row, m.careClassRule),
      accountOwner: text(row, m.accountOwner),
      currentValue: amount(row, m.currentValue),
      potentialValue: toNumber(row[m.potentialValue]),
      revenue: amount(row, m.customerRevenue),
      orders: amount(row, m.ordersInWindow),
      discountedShare: toNumber(row[m.discountedShare]),
      flags: { aWithoutCarePlan: flag(row, m.flagAWithoutCarePlan), planBehind: flag(row, m.flagPlanBehind), dGrowthSignal: flag(row, m.flagDGrowthSignal) },
    })),
  };
}

// ---------------------------------------------------------------- transitions

export interface Transition {
  from: string;
  to: string;
  customers: number;
  revenue: number;
}

export async function loadTransitions(dimension: TransitionDimension, fromMonth: string, toMonth: string, options: LoadOptions = {}): Promise<Transition[]> {
  const resultSet = await runQuery(transitionsQuery(dimension, `${fromMonth}-01`, `${toMonth}-01`), options.signal);
  return rows(resultSet)
    .map((row) => ({ from: text(row, m.fromValue), to: text(row, m.toValue), customers: amount(row, m.movedCustomers), revenue: amount(row, m.movedRevenue) }))
    .filter((t) => t.customers > 0);
}

// ---------------------------------------------------------------- maturity

export interface IndicatorMonth {
  month: string;
  /** Percent; null when there was nothing to measure. */
  value: number | null;
  passed: boolean;
  numerator: number;
  denominator: number;
}

export interface MaturityIndicator {
  indicator: string;
  level: number;
  /** Percent. */
  threshold: number;
  higherIsBetter: boolean;
  /** One entry per month, in order. */
  months: IndicatorMonth[];
}

export interface MaturityLevels {
  /** Scope value -> level reached per month. */
  series: { scopeValue: string; months: { month: string; level: number }[] }[];
}

export async function loadMaturityIndicators(scope: MaturityScope, scopeValue: string, options: LoadOptions = {}): Promise<MaturityIndicator[]> {
  const resultSet = await runQuery(maturityIndicatorsQuery(scope, scopeValue), options.signal);
  const byIndicator = new Map<string, MaturityIndicator>();
  for (const row of rows(resultSet)) {
    const name = text(row, m.indicator);
    let indicator = byIndicator.get(name);
    if (!indicator) {
      indicator = { indicator: name, level: amount(row, m.indicatorLevel), threshold: amount(row, m.threshold), higherIsBetter: flag(row, m.higherIsBetter), months: [] };
      byIndicator.set(name, indicator);
    }
    indicator.months.push({
      month: monthOf(row[`${m.maturityMonth}.month`]),
      value: toNumber(row[m.indicatorValue]),
      passed: flag(row, m.passed),
      numerator: amount(row, m.numerator),
      denominator: amount(row, m.denominator),
    });
  }
  return [...byIndicator.values()].sort((a, b) => a.level - b.level || a.indicator.localeCompare(b.indicator));
}

export async function loadMaturityLevels(scope: MaturityScope, options: LoadOptions = {}): Promise<MaturityLevels> {
  const resultSet = await runQuery(maturityLevelsQuery(scope), options.signal);
  const byScope = new Map<string, { month: string; level: number }[]>();
  for (const row of rows(resultSet)) {
    const scopeValue = text(row, m.levelScopeValue);
    if (!byScope.has(scopeValue)) byScope.set(scopeValue, []);
    byScope.get(scopeValue)!.push({ month: monthOf(row[`${m.levelMonth}.month`]), level: amount(row, m.levelReached) });
  }
  return { series: [...byScope].map(([scopeValue, months]) => ({ scopeValue, months })) };
}

// ---------------------------------------------------------------- account plans

export interface AccountPlan {
  planId: string;
  customerId: string;
  customerName: string;
  careClass: string;
  owner: string;
  goal: string;
  source: string;
  plannedVisits: number;
  plannedVisitsToDate: number;
  actualVisits: number;
  targetRevenue: number;
  targetRevenueToDate: number;
  actualRevenue: number;
  behind: boolean;
}

export interface AccountPlanPage {
  plans: AccountPlan[];
  /** Plans of the year under the filters, all pages. */
  total: number;
}

export async function loadAccountPlans(year: number, filters: PortfolioFilters, page: { offset: number; limit: number }, options: LoadOptions = {}): Promise<AccountPlanPage> {
  const resultSet = await runQuery(accountPlansQuery(year, filters, page), options.signal);
  return { total: totalOf(resultSet), plans: rows(resultSet).map((row) => ({
    planId: text(row, m.planId),
    customerId: text(row, m.customerId),
    customerName: text(row, m.customerName),
    careClass: text(row, m.careClass),
    owner: text(row, m.planOwner),
    goal: text(row, m.goal),
    source: text(row, m.planSource),
    plannedVisits: amount(row, m.plannedVisits),
    plannedVisitsToDate: amount(row, m.plannedVisitsToDate),
    actualVisits: amount(row, m.actualVisits),
    targetRevenue: amount(row, m.targetRevenue),
    targetRevenueToDate: amount(row, m.targetRevenueToDate),
    actualRevenue: amount(row, m.actualRevenue),
    behind: amount(row, m.plansBehind) > 0,
  })) };
}
