// The Cube queries the management page issues, as plain data. Kept free of browser code
// so the benchmark (bench/management-queries.ts) and the tests send exactly what the
// page sends.
import type { Filter, Query } from '@cubejs-client/core';

/** Member names of the Cube view `management` (cube/model/views/management.yml). */
/** The account_owner value the management marts give a customer with no account owner (labels.ts shows it as t("management.noOwner")). */
export const noOwner = '(none)';

export const managementMembers = {
  customerId: 'management.customer_id',
  customerName: 'management.customer_name',
  customerType: 'management.customer_type',
  region: 'management.region',
  asOfMonth: 'management.as_of_month',
  valueQuadrant: 'management.value_quadrant',
  relationshipNature: 'management.relationship_nature',
  natureRule: 'management.nature_rule',
  careClass: 'management.care_class',
  careClassRule: 'management.care_class_rule',
  accountOwner: 'management.account_owner',
  currentValue: 'management.current_value',
  potentialValue: 'management.potential_value',
  customerRevenue: 'management.customer_revenue',
  currentValueCut: 'management.current_value_cut',
  potentialValueCut: 'management.potential_value_cut',
  currentValueBand: 'management.current_value_band',
  potentialValueBand: 'management.potential_value_band',
  ordersInWindow: 'management.orders_in_window',
  discountedShare: 'management.discounted_share',
  flagAWithoutCarePlan: 'management.flag_a_without_care_plan',
  flagPlanBehind: 'management.flag_plan_behind',
  flagDGrowthSignal: 'management.flag_d_growth_signal',
  customerCount: 'management.customer_count',
  revenue: 'management.revenue',
  grossMargin: 'management.gross_margin',
  contributionMargin: 'management.contribution_margin',
  flaggedAWithoutCarePlan: 'management.flagged_a_without_care_plan',
  flaggedPlanBehind: 'management.flagged_plan_behind',
  flaggedDGrowthSignal: 'management.flagged_d_growth_signal',
  // Account plans.
  planId: 'management.plan_id',
  planYear: 'management.plan_year',
  planOwner: 'management.plan_owner',
  goal: 'management.goal',
  planSource: 'management.plan_source',
  plannedVisits: 'management.planned_visits',
  plannedVisitsToDate: 'management.planned_visits_to_date',
  actualVisits: 'management.actual_visits',
  targetRevenue: 'management.target_revenue',
  targetRevenueToDate: 'management.target_revenue_to_date',
  actualRevenue: 'management.actual_revenue',
  plansBehind: 'management.plans_behind',
  // Transitions.
  fromMonth: 'management.from_month',
  toMonth: 'management.to_month',
  transitionDimension: 'management.transition_dimension',
  fromValue: 'management.from_value',
  toValue: 'management.to_value',
  movedCustomers: 'management.moved_customers',
  movedRevenue: 'management.moved_revenue',
  // Maturity.
  maturityMonth: 'management.maturity_month',
  scopeType: 'management.scope_type',
  scopeValue: 'management.scope_value',
  indicator: 'management.indicator',
  indicatorLevel: 'management.indicator_level',
  threshold: 'management.threshold',
  higherIsBetter: 'management.higher_is_better',
  passed: 'management.passed',
  indicatorValue: 'management.indicator_value',
  numerator: 'management.numerator',
  denominator: 'management.denominator',
  levelMonth: 'management.level_month',
  levelScopeType: 'management.level_scope_type',
  levelScopeValue: 'management.level_scope_value',
  levelReached: 'management.level_reached',
  behindIndicator: 'management.behind_indicator',
  behindMonth: 'management.behind_month',
  behindCareClass: 'management.behind_care_class',
  behindAccountOwner: 'management.behind_account_owner',
} as const;

const m = managementMembers;

export type TransitionDimension = 'relationship_nature' | 'care_class' | 'value_quadrant';
export type MaturityScope = 'company' | 'care_class' | 'account_owner';

/** What the management page's portfolio panels are filtered by. */
export interface PortfolioFilters {
  customerType: string | null;
  quadrant: string | null;
  careClass: string | null;
  nature: string | null;
}

export const noPortfolioFilters: PortfolioFilters = { customerType: null, quadrant: null, careClass: null, nature: null };

function portfolioFilters(filters: PortfolioFilters): Filter[] {
  const result: Filter[] = [];
  if (filters.customerType) result.push({ member: m.customerType, operator: 'equals', values: [filters.customerType] });
  if (filters.quadrant) result.push({ member: m.valueQuadrant, operator: 'equals', values: [filters.quadrant] });
  if (filters.careClass) result.push({ member: m.careClass, operator: 'equals', values: [filters.careClass] });
  if (filters.nature) result.push({ member: m.relationshipNature, operator: 'equals', values: [filters.nature] });
  return result;
}

/** The as-of month and the months with a history, for the transition month pickers. */
export const portfolioMonthsQuery = {
  // Customer-months, not distinct customers: the same per month, and additive, so the
  // months rollup answers it (a distinct count matches a rollup only at its exact grain).
  measures: ['management.customer_months'],
  timeDimensions: [{ dimension: 'management.month', granularity: 'month' }],
  order: { 'management.month': 'asc' },
} satisfies Query;

/** Customers, revenue and margin per value of one portfolio dimension (the distributions). */
export function portfolioBreakdownQuery(dimension: 'valueQuadrant' | 'relationshipNature' | 'careClass', filters: PortfolioFilters) {
  return {
    dimensions: [m[dimension]],
    measures: [m.customerCount, m.revenue, m.grossMargin, m.contributionMargin, m.flaggedAWithoutCarePlan, m.flaggedPlanBehind, m.flaggedDGrowthSignal],
    filters: portfolioFilters(filters),
    order: { [m[dimension]]: 'asc' },
  } satisfies Query;
}

/** The customers with a current and potential value (the quadrant chart's points and cells). */
const valuedOnly: Filter = { member: m.valueQuadrant, operator: 'notEquals', values: ['not_valued'] };

/**
 * At most this many customers, those with the most revenue, are drawn as points in the
 * quadrant chart; the density cells below them show every customer. 50,000 points took
 * ~300 ms to answer at 100,000 customers, most of it turning 400,000 values into JSON,
 * and drew a blot in which no single point could be told apart (docs/performance.md,
 * "The quadrant's density").
 */
export const quadrantPointLimit = 5_000;

/**
 * The quadrant chart's scale: linear up to about `linearBelow` euros and logarithmic
 * above (asinh(value / linearBelow)), and the density cells' step on it (1 / bandsPerUnit).
 * The cube's bands (customer_portfolio current_value_band, potential_value_band) are
 * floor(bandsPerUnit x asinh(value / linearBelow)) with the same constants.
 */
export const quadrantScale = { linearBelow: 100, bandsPerUnit: 8 } as const;

/** Valued customers per density cell and quadrant (the quadrant chart's shading). */
export function quadrantDensityQuery(filters: PortfolioFilters) {
  return {
    dimensions: [m.currentValueBand, m.potentialValueBand, m.valueQuadrant],
    measures: [m.customerCount],
    filters: [...portfolioFilters(filters), valuedOnly],
    order: [[m.currentValueBand, 'asc'], [m.potentialValueBand, 'asc'], [m.valueQuadrant, 'asc']],
    limit: 50_000,
    // Compact, as the points: about 10,500 cells at 100,000 customers, whose member names
    // on every row were most of the 429 KB the server serialized for each (docs/performance.md,
    // "The quadrant density and the maturity indicators in Cube's compact form").
    responseFormat: 'compact' as const,
  } satisfies Query;
}

/**
 * Every valued customer's current and potential value and revenue (the quadrant chart).
 * In Cube's compact response format: one row per customer, so the member names repeated
 * on every row were most of the answer's bytes (docs/performance.md, "The quadrant points").
 */
export function quadrantPointsQuery(filters: PortfolioFilters, limit: number) {
  return {
    responseFormat: 'compact' as const,
    dimensions: [m.customerId, m.customerName, m.valueQuadrant, m.currentValue, m.potentialValue, m.customerRevenue, m.currentValueCut, m.potentialValueCut],
    filters: [...portfolioFilters(filters), valuedOnly],
    order: [[m.customerRevenue, 'desc'], [m.customerId, 'asc']],
    limit,
  } satisfies Query;
}

/** The customers behind a maturity indicator: in which month, and of which scope (company, a care class or an account owner that month). */
export interface BehindFilter {
  indicator: string;
  /** First day of the month, YYYY-MM-DD. */
  month: string;
  scope: 'company' | 'care_class' | 'account_owner';
  scopeValue: string;
}

/** The filters that pick the customers behind an indicator in one month and scope. */
export function behindFilters(behind: BehindFilter): Filter[] {
  return [
    { member: m.behindIndicator, operator: 'equals', values: [behind.indicator] },
    // `equals`, not inDateRange [month, month]: Cube writes a date range as
    // `month >= ?::timestamp`, which DuckDB evaluates on every row of the indicator
    // (CAST(month AS TIMESTAMP)); `month = ?` compares the DATE column with a constant, so
    // DuckDB skips every row group of another month (docs/performance.md, "The management
    // lists without the customer join").
    { member: m.behindMonth, operator: 'equals', values: [behind.month] },
    ...(behind.scope === 'care_class' ? [{ member: m.behindCareClass, operator: 'equals', values: [behind.scopeValue] } as Filter] : []),
    ...(behind.scope === 'account_owner' ? [{ member: m.behindAccountOwner, operator: 'equals', values: [behind.scopeValue] } as Filter] : []),
  ];
}

export interface PortfolioCustomerRequest {
  search: string;
  /** Only the customers behind a maturity indicator in a month and scope; null = all. */
  behind?: BehindFilter | null;
  offset: number;
  limit: number;
}

/**
 * One page of the portfolio's customers (most revenue first), and the total count.
 * Ungrouped (cube/cube.js): the portfolio has one row per customer, and the customers
 * behind an indicator one per customer, month and indicator, of which behindFilters keeps
 * one month and one indicator; grouped, Cube would group by all 17 columns.
 */
export function portfolioCustomersQuery(filters: PortfolioFilters, request: PortfolioCustomerRequest) {
  const search = request.search.trim();
  return {
    ungrouped: true,
    dimensions: [
      m.customerId, m.customerName, m.customerType, m.valueQuadrant, m.relationshipNature, m.natureRule, m.careClass, m.careClassRule,
      m.accountOwner, m.currentValue, m.potentialValue, m.customerRevenue, m.ordersInWindow, m.discountedShare,
      m.flagAWithoutCarePlan, m.flagPlanBehind, m.flagDGrowthSignal,
    ],
    filters: [
      ...portfolioFilters(filters),
      ...(request.behind ? behindFilters(request.behind) : []),
      ...(search ? [{ or: [
        { member: m.customerName, operator: 'contains', values: [search] },
        { member: m.customerId, operator: 'contains', values: [search] },
      ] } as Filter] : []),
    ],
    order: [[m.customerRevenue, 'desc'], [m.customerId, 'asc']],
    limit: request.limit,
    offset: request.offset,
    total: true,
  } satisfies Query;
}

/** Customers moving between natures or classes from one month to another. */
export function transitionsQuery(dimension: TransitionDimension, fromMonth: string, toMonth: string) {
  return {
    dimensions: [m.fromValue, m.toValue],
    measures: [m.movedCustomers, m.movedRevenue],
    filters: [{ member: m.transitionDimension, operator: 'equals', values: [dimension] }],
    timeDimensions: [
      { dimension: m.fromMonth, dateRange: [fromMonth, fromMonth] },
      { dimension: m.toMonth, dateRange: [toMonth, toMonth] },
    ],
    limit: 1_000,
  } satisfies Query;
}

/** Every indicator's value, threshold and pass per month for one scope value. */
export function maturityIndicatorsQuery(scope: MaturityScope, scopeValue: string) {
  return {
    dimensions: [m.indicator, m.indicatorLevel, m.threshold, m.higherIsBetter, m.passed],
    measures: [m.indicatorValue, m.numerator, m.denominator],
    timeDimensions: [{ dimension: m.maturityMonth, granularity: 'month' }],
    filters: [
      { member: m.scopeType, operator: 'equals', values: [scope] },
      { member: m.scopeValue, operator: 'equals', values: [scopeValue] },
    ],
    order: [[m.maturityMonth, 'asc'], [m.indicatorLevel, 'asc'], [m.indicator, 'asc']],
    limit: 5_000,
    // Compact: a row per indicator and month (about 400), whose ten member names were most
    // of its 129 KB (docs/performance.md, "The quadrant density and the maturity indicators in Cube's compact form").
    responseFormat: 'compact' as const,
  } satisfies Query;
}

/** The level reached per month for every value of a scope (company: one line). */
export function maturityLevelsQuery(scope: MaturityScope) {
  return {
    dimensions: [m.levelScopeValue],
    measures: [m.levelReached],
    timeDimensions: [{ dimension: m.levelMonth, granularity: 'month' }],
    filters: [{ member: m.levelScopeType, operator: 'equals', values: [scope] }],
    order: [[m.levelMonth, 'asc'], [m.levelScopeValue, 'asc']],
    limit: 5_000,
  } satisfies Query;
}

/** The account plans of a year with planned vs actual visits and target vs actual revenue. */
export function accountPlansQuery(year: number, filters: PortfolioFilters, page: { offset: number; limit: number }) {
  return {
    dimensions: [m.planId, m.customerId, m.customerName, m.careClass, m.planOwner, m.goal, m.planSource],
    measures: [m.plannedVisits, m.plannedVisitsToDate, m.actualVisits, m.targetRevenue, m.targetRevenueToDate, m.actualRevenue, m.plansBehind],
    filters: [...portfolioFilters(filters), { member: m.planYear, operator: 'equals', values: [String(year)] }],
    order: [[m.plansBehind, 'desc'], [m.targetRevenue, 'desc'], [m.planId, 'asc']],
    // One page: the bench's 100,000 customers have 8,859 plans in a year, which as one
    // table took the page seconds to lay out (docs/performance.md).
    limit: page.limit,
    offset: page.offset,
    total: true,
  } satisfies Query;
}

/** Account plans a page of the management page's plan table shows. */
export const accountPlanPageSize = 15;
