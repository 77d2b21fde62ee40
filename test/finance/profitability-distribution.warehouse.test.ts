// The page's whale curve, deciles and top share come from the warehouse's ranking of
// the period's customers (profitRankingQuery, a few hundred rows of sums) and must be
// what a person gets from every customer's margin by sorting and cumulating
// (test/helpers/profitability-from-margins.ts): for the whole history, where both also
// agree with the dbt mart fct_customer_profitability, and for a period and segment.
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { distributionFromRanking, rankingSumsOf, type ProfitabilityDistribution } from '../../dashboard/src/lib/finance/profitability.ts';
import { financeMembers as m, noFilters, profitRankingQuery, type FinanceFilters } from '../../dashboard/src/lib/api/queries.ts';
import { addMonths, defaultPeriod, toDateRange, type MonthPeriod } from '../../dashboard/src/lib/finance/period.ts';
import { loadRest, rowsOf, signIn } from '../helpers/api-client.ts';
import { profitabilityFromMargins } from '../helpers/profitability-from-margins.ts';
import { rowsOutOfOrder, warehouseRows } from '../helpers/warehouse-rows.ts';

const apiUrl = inject('apiUrl');
const warehouseFile = inject('warehouseFile');

interface MartGroup {
  group: number;
  customers: number;
  margin: number;
}

let token: string;
let martGroups: MartGroup[];
let martTopShare: number;
let martLossMakers: number;
let filtered: FinanceFilters;
/** The warehouse's parameters (dbt vars profitability_groups and profitability_top_share). */
let groupCount: number;
let topShare: number;

/** Every customer's margin sorted by hand, cut with the warehouse's parameters. */
const byHandOf = (margins: readonly number[]) => profitabilityFromMargins(margins, groupCount, topShare);

/** Every customer's contribution margin under the filters, one row per customer. */
async function everyMargin(filters: FinanceFilters, segment: readonly object[] = segmentOf(filters)): Promise<number[]> {
  const { status, body } = await loadRest(apiUrl, token, {
    dimensions: [m.customerId],
    measures: [m.contributionMargin],
    timeDimensions: filters.period ? [{ dimension: m.month, dateRange: [filters.period.from, filters.period.to] }] : [],
    filters: [{ member: m.month, operator: 'set' }, ...segment],
    limit: 50_000,
  });
  expect(status).toBe(200);
  const rows = body.data as Record<string, string>[];
  expect(rows.length).toBeLessThan(50_000);
  return rows.map((row) => Number(row[m.contributionMargin]));
}

/** The page's segment filters: the customer type and the region, each equal to one value. */
function segmentOf(filters: FinanceFilters): object[] {
  return [
    ...(filters.customerType ? [{ member: m.customerType, operator: 'equals', values: [filters.customerType] }] : []),
    ...(filters.region ? [{ member: m.region, operator: 'equals', values: [filters.region] }] : []),
  ];
}

/**
 * What the page draws: the ranking query through the API, put together as the page does;
 * `segment` asks any other segment filters in place of the page's.
 */
async function pageDistribution(filters: FinanceFilters, segment?: readonly object[]): Promise<ProfitabilityDistribution> {
  const query = profitRankingQuery(filters);
  if (segment) query.filters = [...segment, { member: m.profitCurveRank, operator: 'set' }] as typeof query.filters;
  const { status, body } = await loadRest(apiUrl, token, query);
  expect(status).toBe(200);
  return distributionFromRanking(rowsOf(body.data).map(rankingSumsOf));
}

function expectSameDistribution(page: ProfitabilityDistribution, byHand: ProfitabilityDistribution) {
  expect(page.customers).toBe(byHand.customers);
  expect(page.total).toBeCloseTo(byHand.total, 2);
  expect(page.lossMakers).toBe(byHand.lossMakers);
  expect(page.groups).toHaveLength(byHand.groups.length);
  page.groups.forEach((sum, index) => expect(sum, `decile ${index + 1}`).toBeCloseTo(byHand.groups[index]!, 2));
  expect(page.topSharePct!).toBeCloseTo(byHand.topSharePct!, 9);
  expect(page.topShareOfCustomersPct).toBeCloseTo(byHand.topShareOfCustomersPct!, 9);
  expect(page.curve).toHaveLength(byHand.curve.length);
  page.curve.forEach((point, index) => {
    expect(point.customerShare, `curve point ${index}`).toBeCloseTo(byHand.curve[index]!.customerShare, 9);
    expect(point.profitShare, `curve point ${index}`).toBeCloseTo(byHand.curve[index]!.profitShare, 9);
  });
  expect(page.peak.customerShare).toBeCloseTo(byHand.peak.customerShare, 9);
  expect(page.peak.profitShare).toBeCloseTo(byHand.peak.profitShare, 9);
}

beforeAll(async () => {
  token = await signIn(apiUrl);
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const groups = await connection.runAndReadAll(`
    select profitability_group, count(*)::integer, sum(contribution_margin)::double
    from finance.fct_customer_profitability group by 1 order by 1`);
  martGroups = groups.getRows().map(([group, customers, margin]) => ({ group: Number(group), customers: Number(customers), margin: Number(margin) }));
  const summary = await connection.runAndReadAll(`
    select 100 * sum(contribution_margin) filter (where is_in_top_share) / sum(contribution_margin),
           count(*) filter (where is_loss_making)::integer
    from finance.fct_customer_profitability`);
  const [top, losers] = summary.getRows()[0]!;
  martTopShare = Number(top);
  martLossMakers = Number(losers);
  const parameters = await connection.runAndReadAll(`
    select profitability_groups::integer, profitability_top_share::double from finance.dim_profitability_parameters`);
  expect(parameters.getRows()).toHaveLength(1);
  [groupCount, topShare] = parameters.getRows()[0]!.map(Number) as [number, number];
  connection.closeSync();
  instance.closeSync();

  // A period of the middle months and the most common customer type.
  const months = await warehouseRows(
    warehouseFile,
    `SELECT DISTINCT strftime(month, '%Y-%m-%d') AS first_day, strftime(last_day(month), '%Y-%m-%d') AS last_day
     FROM finance.fct_customer_margin_monthly ORDER BY first_day`,
  );
  const [segment] = await warehouseRows(warehouseFile, 'SELECT mode(customer_type) AS customer_type FROM core.dim_customers');
  filtered = {
    period: { from: String(months[2]!.first_day), to: String(months[months.length - 3]!.last_day) },
    customerType: String(segment!.customer_type),
    region: null,
  };
});

describe('customer profitability distribution', () => {
  it('over the whole history: the same as every customer sorted by hand and as the mart', async () => {
    const byHand = byHandOf(await everyMargin(noFilters));
    const page = await pageDistribution(noFilters);
    expectSameDistribution(page, byHand);
    expect(page.customers).toBe(martGroups.reduce((sum, g) => sum + g.customers, 0));
    // The cube cuts the groups and the top share the mart cuts: the same dbt vars.
    expect(page.groups).toHaveLength(martGroups.length);
    expect(page.topShareOfCustomersPct).toBeCloseTo(100 * topShare, 9);
    expect(page.topSharePct!).toBeCloseTo(martTopShare, 6);
    expect(page.lossMakers).toBe(martLossMakers);
    page.groups.forEach((sum, index) => expect(sum, `decile ${index + 1}`).toBeCloseTo(martGroups[index]!.margin, 2));
  });

  it('for a period and a customer type: ranked among those customers only', async () => {
    const margins = await everyMargin(filtered);
    const all = await everyMargin(noFilters);
    expect(margins.length).toBeGreaterThan(20);
    expect(margins.length).toBeLessThan(all.length);
    expectSameDistribution(await pageDistribution(filtered), byHandOf(margins));
  });

  it('for one region of the same period', async () => {
    const [region] = await warehouseRows(warehouseFile, 'SELECT mode(region) AS region FROM core.dim_customers');
    const byRegion = { ...filtered, customerType: null, region: String(region!.region) };
    expectSameDistribution(await pageDistribution(byRegion), byHandOf(await everyMargin(byRegion)));
  });

  // The ranking ranks among the segment's customers in one of two ways (the cube's
  // segment_margins): a segment asked with values as a semi join on the customers who
  // are in it, anything else (no segment, or one asked without values, "set" and "not
  // set", or an either-or with such a part) by leaving out the customers who are not.
  // The page asks the first; these are the second with a segment that leaves some out.
  it('for a segment asked without values, or as an either-or: ranked among those customers only', async () => {
    const all = await everyMargin(noFilters);
    const [common] = await warehouseRows(warehouseFile, 'SELECT mode(customer_type) AS customer_type FROM core.dim_customers');
    const segments: Record<string, object[]> = {
      'region is set': [{ member: m.region, operator: 'set' }],
      'region is not set': [{ member: m.region, operator: 'notSet' }],
      'another customer type, or no region': [
        { or: [{ member: m.customerType, operator: 'notEquals', values: [String(common!.customer_type)] }, { member: m.region, operator: 'notSet' }] },
      ],
    };
    for (const [name, segment] of Object.entries(segments)) {
      const margins = await everyMargin(noFilters, segment);
      expect(margins.length, name).toBeGreaterThan(10);
      expect(margins.length, name).toBeLessThan(all.length);
      const page = await pageDistribution(noFilters, segment);
      expect(page.customers, name).toBe(margins.length);
      expectSameDistribution(page, byHandOf(margins));
    }
  });

  // The build stores the default period's ranking (fct_customer_profitability_default_period)
  // and the cube reads it when a query asks exactly that period with no segment that
  // leaves a customer out; any other period or segment is ranked on the marts. Both must
  // be what sorting by hand gives.
  it("for the page's default period, whose ranking the build stores, and the periods and segments next to it", async () => {
    const months = (await warehouseRows(warehouseFile, `SELECT strftime(month, '%Y-%m') AS month, is_in_default_period FROM finance.dim_margin_months ORDER BY month`))
      .map((row) => ({ month: String(row.month), isInDefaultPeriod: row.is_in_default_period === true }));
    const pagePeriod = defaultPeriod(months.map((row) => row.month))!;
    // The build's default period (dbt var default_period_months) is the dashboard's.
    for (const { month, isInDefaultPeriod } of months) {
      expect(isInDefaultPeriod, month).toBe(month >= pagePeriod.from && month <= pagePeriod.to);
    }
    expect(months.filter((row) => !row.isInDefaultPeriod).length, 'months before the default period').toBeGreaterThan(0);
    const [stored] = await warehouseRows(warehouseFile, 'SELECT count(*)::integer AS customers FROM finance.fct_customer_profitability_default_period');

    const periodFilters = (period: MonthPeriod): FinanceFilters => ({ ...noFilters, period: toDateRange(period) });
    const defaultFilters = periodFilters(pagePeriod);
    const defaultMargins = await everyMargin(defaultFilters);
    expect(defaultMargins.length).toBe(Number(stored!.customers));
    const page = await pageDistribution(defaultFilters);
    expectSameDistribution(page, byHandOf(defaultMargins));

    const nextTo: Record<string, { filters: FinanceFilters; segment?: object[] }> = {
      'one month more at the start': { filters: periodFilters({ ...pagePeriod, from: addMonths(pagePeriod.from, -1) }) },
      'one month less at the end': { filters: periodFilters({ ...pagePeriod, to: addMonths(pagePeriod.to, -1) }) },
      'the default period, one customer type': { filters: { ...defaultFilters, customerType: filtered.customerType } },
      'the default period, region is set': { filters: defaultFilters, segment: [{ member: m.region, operator: 'set' }] },
    };
    for (const [name, { filters, segment }] of Object.entries(nextTo)) {
      const margins = await everyMargin(filters, segment ?? segmentOf(filters));
      expect(margins.length, name).not.toBe(defaultMargins.length);
      const other = await pageDistribution(filters, segment);
      expect(other.customers, name).toBe(margins.length);
      expectSameDistribution(other, byHandOf(margins));
    }
  });

  it("reads the customer months stored by customer, then month (the ranking's grouping is faster on them in that order)", async () => {
    const { rows, outOfOrder } = await rowsOutOfOrder(warehouseFile, 'finance.fct_customer_margin_monthly', 'customer_id, month');
    expect(rows).toBeGreaterThan(1000);
    expect(outOfOrder).toBe(0);
  });

  it('draws a whale curve from (0, 0) to (100 %, 100 %) that peaks above 100 % when some customers lose money', async () => {
    const distribution = await pageDistribution(noFilters);
    expect(distribution.curve[0]).toEqual({ customerShare: 0, profitShare: 0 });
    expect(distribution.curve.length).toBeLessThanOrEqual(401);
    const last = distribution.curve[distribution.curve.length - 1]!;
    expect(last.customerShare).toBeCloseTo(100, 9);
    expect(last.profitShare).toBeCloseTo(100, 9);
    if (distribution.lossMakers > 0) expect(distribution.peak.profitShare).toBeGreaterThan(100);
  });

  it('puts hand-made sums together the way SQL ntile and the curve points cut them', () => {
    // 23 customers with margins 23..1 (all profitable): one curve point per rank (23 < 400),
    // ntile(10) gives three groups of 3, then seven of 2; the top 20 % is ceil(4.6) = 5.
    const margins = Array.from({ length: 23 }, (_, i) => 23 - i);
    const sizes = [3, 3, 3, 2, 2, 2, 2, 2, 2, 2];
    const decileOf = (rank: number) => {
      let end = 0;
      return sizes.findIndex((size) => (end += size) >= rank) + 1;
    };
    const rows = margins.map((margin, index) => ({
      curveRank: index + 1,
      decile: decileOf(index + 1),
      inTopShare: index + 1 <= 5,
      customers: 1,
      contributionMargin: margin,
      lossMakers: 0,
      profitableCustomers: 1,
      profitableMargin: margin,
      topShareOfCustomersPct: 20,
      groupCount: 10,
    }));
    const distribution = distributionFromRanking(rows);
    expect(distribution.groups).toEqual([23 + 22 + 21, 20 + 19 + 18, 17 + 16 + 15, 14 + 13, 12 + 11, 10 + 9, 8 + 7, 6 + 5, 4 + 3, 2 + 1]);
    expect(distribution.total).toBe(276);
    expect(distribution.topSharePct).toBeCloseTo((100 * (23 + 22 + 21 + 20 + 19)) / 276, 12);
    expect(distribution.peak).toEqual({ customerShare: 100, profitShare: 100 });
    expectSameDistribution(distribution, profitabilityFromMargins(margins));
  });

  it('peaks at the last profitable customer, or at the end when the total is a loss', () => {
    const row = (curveRank: number, margin: number) => ({
      curveRank, decile: curveRank, inTopShare: curveRank === 1, customers: 1, contributionMargin: margin,
      lossMakers: margin < 0 ? 1 : 0, profitableCustomers: margin > 0 ? 1 : 0, profitableMargin: Math.max(margin, 0),
      topShareOfCustomersPct: 20, groupCount: 10,
    });
    // 50, 30, 0, -20: the cumulative margin is 50, 80, 80, 60; the peak is the first 80.
    const gain = distributionFromRanking([row(1, 50), row(2, 30), row(3, 0), row(4, -20)]);
    expect(gain.peak.customerShare).toBe(50);
    expect(gain.peak.profitShare).toBeCloseTo((100 * 80) / 60, 12);
    expect(gain.lossMakers).toBe(1);
    // 10, -40: the total is -30, so shares flip sign and the end (100 %) is the highest.
    const loss = distributionFromRanking([row(1, 10), row(2, -40)]);
    expect(loss.peak).toEqual({ customerShare: 100, profitShare: 100 });
    for (const margins of [[50, 30, 0, -20], [10, -40]]) {
      const byHand = profitabilityFromMargins(margins);
      const fromRows = distributionFromRanking(margins.map((margin, index) => row(index + 1, margin)));
      expect(fromRows.peak).toEqual(byHand.peak);
    }
  });
});
