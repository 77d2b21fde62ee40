// Cube's rollups (pre_aggregations in cube/model/cubes, built by the warehouse build)
// must not change a figure: every query the finance, management, service and marketing
// pages send on opening (finance's under finance, the rest under management), and the finance queries filtered
// by period and segment, give the same rows to the cent whether Cube's
// planner answers them from a rollup or from the marts. The model without rollups is the
// same model folder with its pre_aggregations blocks taken out.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cubeModelDir } from '../../config/settings.ts';
import { projectModel } from '../../cube/server/project-model.ts';
import type { SemanticModel } from '../../cube/server/semantic-model.ts';
import { WarehouseReader } from '../../cube/server/warehouse-reader.ts';
import { pageOpeningQueries } from '../../bench/page-queries.ts';
import type { NamedQuery } from '../../bench/api-latency.ts';
import {
  customerMarginQuery, kpiQuery, monthlyMarginQuery, monthRangeQuery, noFilters, profitRankingQuery, segmentProductQuery, segmentValuesQuery, type FinanceFilters,
} from '../../dashboard/src/lib/api/queries.ts';
import { rowsOutOfOrder, warehouseRows } from '../helpers/warehouse-rows.ts';
import {
  carePlanOwnersQuery, carePlanPageSize, carePlansQuery, funnelQuery, noServiceFilters, pipelineBySalespersonQuery, serviceMoneyMembers, slaByGroupQuery, slaDailyQuery,
} from '../../dashboard/src/lib/api/service-queries.ts';
import { withoutMembers } from '../../dashboard/src/lib/api/queries.ts';
import {
  accountPlanPageSize, accountPlansQuery, noPortfolioFilters, portfolioBreakdownQuery, portfolioMonthsQuery, quadrantPointLimit, quadrantPointsQuery, transitionsQuery, type TransitionDimension,
} from '../../dashboard/src/lib/api/management-queries.ts';

const warehouseFile = inject('warehouseFile');
const financeContext = { sub: 'finance', roles: ['finance'] };

/** Every page's opening queries (bench/page-queries.ts; management's need the warehouse's latest month). */
const openingQueries: NamedQuery[] = await pageOpeningQueries(warehouseFile);
/**
 * Those a rollup must answer. The rest run on the marts: per-row listings (management and
 * service customers), the SLA summary's median, and so on
 * (docs/performance.md, "Which queries miss").
 */
const answeredByRollup = [
  'filter lists: months', 'filter lists: customer types', 'filter lists: regions',
  'KPI totals', 'revenue and margin by month', 'customer table, first page by contribution margin', 'profitability ranking (whale curve, deciles)',
  "customer table: the page's customers (name, type, region, predicted value)",
  "customer table: the page's figures", "last 12 months: the customer table page's figures",
  'segment x product group',
  'last 12 months: KPI totals', 'last 12 months: KPI totals of the 12 months before', 'last 12 months: revenue and margin by month',
  'last 12 months: customer table, first page', 'last 12 months: segment x product group',
  'service: slaDaily', 'service: slaByHandler', 'service: funnel', 'service: conversionBySalesperson', 'service: pipelineBySalesperson', 'service: mentionsMonthly', 'service: mentionsByCampaign',
  'service: carePlans', 'service: carePlanOwners', 'management: account plans of the year',
  'management: months', 'management: quadrants', 'management: relationship natures', 'management: care classes',
  'management: quadrant chart points', 'management: quadrant chart density', 'management: care class transitions', 'management: value quadrant transitions',
  'marketing: campaign funnel per campaign',
];
/**
 * Who asks: the finance queries under finance; the other pages' full queries (with their
 * money members, which the marketing and service roles' pages leave out) under
 * management, which has every page, as the bench signs in.
 */
function pageContext(name: string) {
  const role = /^(service|management|marketing):/.test(name) ? 'management' : 'finance';
  return { sub: role, roles: [role] };
}

let workDir: string;
let withRollups: SemanticModel;
let withoutRollups: SemanticModel;
let reader: WarehouseReader;

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-rollups-'));
  const plainModel = join(workDir, 'model');
  cpSync(cubeModelDir, plainModel, { recursive: true });
  for (const name of readdirSync(join(plainModel, 'cubes'))) {
    const file = join(plainModel, 'cubes', name);
    const document = parse(readFileSync(file, 'utf8')) as { cubes?: Record<string, unknown>[] };
    for (const cube of document.cubes ?? []) delete cube.pre_aggregations;
    writeFileSync(file, stringify(document));
  }
  withRollups = (await projectModel()).model;
  withoutRollups = (await projectModel(plainModel)).model;
  reader = new WarehouseReader(warehouseFile);
});
afterAll(async () => {
  await reader?.close();
  rmSync(workDir, { recursive: true, force: true });
});

/** A value as a person compares it: money and counts to the cent, text as is. */
function comparable(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  const number = Number(value);
  return typeof value !== 'boolean' && value !== '' && Number.isFinite(number) ? Math.round(number * 100) : value;
}

/** Rows with member names, sorted, every value comparable. */
function normalised(rows: Record<string, unknown>[], aliasNameToMember: Record<string, string>): string[] {
  return rows
    .map((row) => JSON.stringify(Object.keys(row).sort().map((alias) => [aliasNameToMember[alias] ?? alias, comparable(row[alias])])))
    .sort();
}

/** The column under which a planned answer holds `member`. */
function aliasOf(answered: { planned: { aliasNameToMember: Record<string, string> } }, member: string): string {
  return Object.entries(answered.planned.aliasNameToMember).find(([, m]) => m === member)![0];
}

async function answer(model: SemanticModel, query: Record<string, unknown>, context: Record<string, unknown> = financeContext) {
  const planned = await model.plan(structuredClone(query), context);
  const rows = await reader.query(planned.sql, planned.values);
  return { sql: planned.sql, rows: normalised(rows, planned.aliasNameToMember), raw: rows, planned };
}

/** `query` planned on a rollup, with rows, and the same rows as on the marts. */
async function sameFromRollup(name: string, query: Record<string, unknown>, context: Record<string, unknown>) {
  const fromRollup = await answer(withRollups, query, context);
  const fromMarts = await answer(withoutRollups, query, context);
  expect(fromRollup.sql, name).toMatch(/pre_aggregations\./);
  expect(fromRollup.rows.length, name).toBeGreaterThan(0);
  expect(fromRollup.rows, name).toEqual(fromMarts.rows);
  return { fromRollup, fromMarts };
}

/** The count Cube planned beside a paged query (total: true), run on the warehouse. */
async function totalOf(answered: Awaited<ReturnType<typeof answer>>): Promise<number> {
  const [row] = await reader.query(answered.planned.total!.sql, answered.planned.total!.values);
  return Number(Object.values(row!)[0]);
}

describe('the same figures with and without rollups', () => {
  let filtered: { name: string; query: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    // A period of the middle months of the data and the first region and customer type.
    const months = await warehouseRows(
      warehouseFile,
      `SELECT DISTINCT strftime(month, '%Y-%m-%d') AS first_day, strftime(last_day(month), '%Y-%m-%d') AS last_day
       FROM finance.fct_customer_margin_monthly WHERE month IS NOT NULL ORDER BY first_day`,
    );
    expect(months.length).toBeGreaterThan(6);
    const [segment] = await warehouseRows(warehouseFile, 'SELECT min(region) AS region, min(customer_type) AS customer_type FROM core.dim_customers');
    const filters: FinanceFilters = {
      period: { from: String(months[2]!.first_day), to: String(months[months.length - 3]!.last_day) },
      region: String(segment!.region),
      customerType: String(segment!.customer_type),
    };
    filtered = [
      { name: 'KPI totals, filtered', query: kpiQuery(filters) },
      { name: 'revenue and margin by month, filtered', query: monthlyMarginQuery(filters) },
      { name: 'whale curve and deciles, filtered', query: profitRankingQuery(filters) },
      // The whole history's ranking has a rollup (customer_profit_ranking.yml); a period
      // alone or a segment alone must still rank only the customers it asks for.
      { name: 'whale curve and deciles, the period only', query: profitRankingQuery({ ...noFilters, period: filters.period }) },
      { name: 'whale curve and deciles, the region only', query: profitRankingQuery({ ...noFilters, region: filters.region }) },
      { name: 'whale curve and deciles, the customer type only', query: profitRankingQuery({ ...noFilters, customerType: filters.customerType }) },
      { name: 'segment x product group by customer type, filtered', query: segmentProductQuery(filters, 'customerType') },
      { name: 'customer table, filtered', query: customerMarginQuery(filters, { sort: 'revenue', descending: true, search: '', offset: 0, limit: 15 }) },
    ];
  });

  it('covers every page', () => {
    for (const page of ['service:', 'management:', 'marketing:']) expect(openingQueries.some(({ name }) => name.startsWith(page)), page).toBe(true);
    for (const name of answeredByRollup) expect(openingQueries.map((q) => q.name)).toContain(name);
  });

  it.each(openingQueries)('$name', async ({ name, query }) => {
    const fromRollup = await answer(withRollups, query, pageContext(name));
    const fromMarts = await answer(withoutRollups, query, pageContext(name));
    expect(fromMarts.sql).not.toMatch(/pre_aggregations\./);
    if (answeredByRollup.includes(name)) expect(fromRollup.sql, 'Cube planned this query on a rollup').toMatch(/pre_aggregations\./);
    expect(fromRollup.rows.length).toBeGreaterThan(0);
    expect(fromRollup.rows).toEqual(fromMarts.rows);
  });

  it('the period list and segment lists', async () => {
    for (const query of [monthRangeQuery, segmentValuesQuery('region'), segmentValuesQuery('customerType')]) {
      expect((await answer(withRollups, query)).rows).toEqual((await answer(withoutRollups, query)).rows);
    }
  });

  it('filtered by period, region and customer type', async () => {
    for (const { name, query } of filtered) {
      const fromRollup = await answer(withRollups, query);
      const fromMarts = await answer(withoutRollups, query);
      expect(fromRollup.rows.length, name).toBeGreaterThan(0);
      expect(fromRollup.rows, name).toEqual(fromMarts.rows);
    }
    // Every one of them comes from a rollup but the profitability ranking, which ranks the
    // period's or segment's customers in the query itself (no rollup can hold that for
    // every period and segment; only the whole history's, unfiltered, has one).
    for (const { name, query } of filtered) {
      const sql = (await answer(withRollups, query)).sql;
      if (name.startsWith('whale curve')) expect(sql, name).not.toMatch(/pre_aggregations\./);
      else expect(sql, name).toMatch(/pre_aggregations\./);
    }
  });
});

describe('the other pages filtered, with and without rollups', () => {
  it('the SLA per day and per handler or channel, the funnel and pipeline for one salesperson and period, the portfolio for one customer type and care class', async () => {
    const [cases] = await warehouseRows(warehouseFile, 'SELECT min(case_type) AS case_type, min(channel) AS channel FROM service.fct_cases');
    const [portfolio] = await warehouseRows(
      warehouseFile,
      `SELECT p.care_class, c.customer_type FROM management.fct_customer_portfolio p JOIN core.dim_customers c USING (customer_id)
       GROUP BY ALL ORDER BY count(*) DESC LIMIT 1`,
    );
    // The service page's periods are whole months: the middle months of the cases and of the opportunities.
    const [caseMonths] = await warehouseRows(
      warehouseFile,
      `SELECT strftime(date_trunc('month', min(opened_at)) + INTERVAL 2 MONTH, '%Y-%m-%d') AS first_day,
              strftime(last_day(max(opened_at) - INTERVAL 2 MONTH), '%Y-%m-%d') AS last_day FROM service.fct_cases`,
    );
    const [sales] = await warehouseRows(
      warehouseFile,
      `SELECT salesperson, strftime(date_trunc('month', min(opened_on)) + INTERVAL 2 MONTH, '%Y-%m-%d') AS first_day,
              strftime(last_day(max(opened_on) - INTERVAL 2 MONTH), '%Y-%m-%d') AS last_day
       FROM service.fct_opportunities GROUP BY salesperson ORDER BY count(*) DESC, salesperson LIMIT 1`,
    );
    const casePeriod = { from: String(caseMonths!.first_day), to: String(caseMonths!.last_day) };
    const salesFilters = { ...noServiceFilters, salesperson: String(sales!.salesperson), period: { from: String(sales!.first_day), to: String(sales!.last_day) } };
    const checks = [
      { name: 'service: slaDaily', context: pageContext('service:'), query: slaDailyQuery({ ...noServiceFilters, caseType: String(cases!.case_type), channel: String(cases!.channel) }) },
      {
        name: 'service: slaByHandler, one case type in a period',
        context: pageContext('service:'),
        query: slaByGroupQuery({ ...noServiceFilters, caseType: String(cases!.case_type), period: casePeriod }, 'handler'),
      },
      { name: 'service: SLA by channel', context: pageContext('service:'), query: slaByGroupQuery(noServiceFilters, 'channel') },
      { name: 'service: funnel, one salesperson in a period', context: pageContext('service:'), query: funnelQuery(salesFilters) },
      { name: 'service: pipelineBySalesperson, one salesperson in a period', context: pageContext('service:'), query: pipelineBySalespersonQuery(salesFilters) },
      {
        name: 'management: quadrants',
        context: pageContext('management:'),
        query: portfolioBreakdownQuery('valueQuadrant', { ...noPortfolioFilters, customerType: String(portfolio!.customer_type), careClass: String(portfolio!.care_class) }),
      },
    ];
    for (const { name, context, query } of checks) await sameFromRollup(name, query, context);
  });
});

describe('the care plans from their rollup', () => {
  it("a salesperson's own plans of a year as the sales role asks them, each page and the total, and the service role's without the money", async () => {
    // The owner with the most plans in a year, so the list has more than one page.
    const [busiest] = await warehouseRows(
      warehouseFile,
      'SELECT owner, plan_year, count(*) AS plans FROM management.fct_account_plan_progress GROUP BY ALL ORDER BY plans DESC, owner LIMIT 1',
    );
    const plans = Number(busiest!.plans);
    expect(plans).toBeGreaterThan(carePlanPageSize);
    const year = String(busiest!.plan_year);
    const filters = { ...noServiceFilters, period: { from: `${year}-01-01`, to: `${year}-12-31` } };
    const sales = { sub: 'sales', roles: ['sales'], salesperson: String(busiest!.owner) };
    const service = { sub: 'service', roles: ['service'] };
    const checks = [
      ...[0, carePlanPageSize].map((offset) => ({ name: `sales, plans from ${offset}`, context: sales, query: carePlansQuery(filters, offset, carePlanPageSize) })),
      { name: 'sales, per owner', context: sales, query: carePlanOwnersQuery(filters) },
      { name: 'service, without the money', context: service, query: withoutMembers(carePlansQuery(filters, 0, carePlanPageSize), serviceMoneyMembers) },
    ];
    for (const { name, context, query } of checks) {
      const { fromRollup, fromMarts } = await sameFromRollup(name, query, context);
      // The page's "of N plans": the total counted on the rollup too.
      if (fromRollup.planned.total) {
        expect(await totalOf(fromRollup), name).toBe(await totalOf(fromMarts));
        if (context === sales) expect(await totalOf(fromRollup), name).toBe(plans);
      }
    }
  });
});

describe('the account plans from their rollup', () => {
  it('the plans of a year for one care class and customer type, each page and the total', async () => {
    // The care class and customer type with the most plans in a year, so the list has more than one page.
    const [busiest] = await warehouseRows(
      warehouseFile,
      `SELECT a.plan_year, p.care_class, p.customer_type, count(*) AS plans
       FROM management.fct_account_plan_progress a JOIN management.fct_customer_portfolio p USING (customer_id)
       GROUP BY ALL ORDER BY plans DESC, p.care_class, p.customer_type LIMIT 1`,
    );
    const plans = Number(busiest!.plans);
    expect(plans).toBeGreaterThan(accountPlanPageSize);
    const filters = { ...noPortfolioFilters, careClass: String(busiest!.care_class), customerType: String(busiest!.customer_type) };
    for (const offset of [0, accountPlanPageSize]) {
      const name = `plans from ${offset}`;
      const query = accountPlansQuery(Number(busiest!.plan_year), filters, { offset, limit: accountPlanPageSize });
      const { fromRollup, fromMarts } = await sameFromRollup(name, query, pageContext('management:'));
      expect(await totalOf(fromRollup), name).toBe(await totalOf(fromMarts));
      expect(await totalOf(fromRollup), name).toBe(plans);
    }
  });
});

describe('the management class moves and quadrant points from their rollups', () => {
  it('equal the view for every dimension between other months than the opening pair, and the points for one customer type and quadrant', async () => {
    // From months of the management month list to months the dimension's history has
    // (the quadrant history can be as short as the latest month): the second month to a
    // middle one, the first to the last.
    const monthList = async (table: string, column: string) =>
      (await warehouseRows(warehouseFile, `SELECT DISTINCT strftime(${column}, '%Y-%m-%d') AS day FROM ${table} ORDER BY day`)).map((row) => String(row.day));
    const fromMonths = await monthList('intermediate.int_management__months', 'month');
    expect(fromMonths.length).toBeGreaterThan(3);
    const toMonths: Record<TransitionDimension, string[]> = {
      relationship_nature: await monthList('management.fct_care_class_monthly', 'month'),
      care_class: await monthList('management.fct_care_class_monthly', 'month'),
      value_quadrant: await monthList('management.fct_value_quadrant_history', 'as_of_month'),
    };
    const pairs = (to: string[]) => {
      const candidates = [[fromMonths[1]!, to[Math.floor(to.length / 2)]!], [fromMonths[0]!, to[to.length - 1]!]] as const;
      const later = candidates.filter(([from, until]) => until !== undefined && from < until);
      expect(later.length).toBeGreaterThan(0);
      return later;
    };
    const [portfolio] = await warehouseRows(
      warehouseFile,
      `SELECT p.value_quadrant, c.customer_type FROM management.fct_customer_portfolio p JOIN core.dim_customers c USING (customer_id)
       WHERE p.value_quadrant <> 'not_valued' GROUP BY ALL ORDER BY count(*) DESC LIMIT 1`,
    );
    const checks = [
      ...(['relationship_nature', 'care_class', 'value_quadrant'] as TransitionDimension[]).flatMap((dimension) =>
        pairs(toMonths[dimension]).map(([from, to]) => ({ name: `${dimension} moves ${from} -> ${to}`, query: transitionsQuery(dimension, from, to) })),
      ),
      {
        name: 'quadrant points, one customer type and quadrant',
        query: quadrantPointsQuery({ ...noPortfolioFilters, customerType: String(portfolio!.customer_type), quadrant: String(portfolio!.value_quadrant) }, quadrantPointLimit),
      },
    ];
    for (const { name, query } of checks) {
      const fromRollup = await answer(withRollups, query, pageContext('management:'));
      const fromMarts = await answer(withoutRollups, query, pageContext('management:'));
      expect(fromRollup.sql, name).toMatch(/pre_aggregations\./);
      expect(fromRollup.rows.length, name).toBeGreaterThan(0);
      expect(fromRollup.rows, name).toEqual(fromMarts.rows);
    }
  });
});

describe('figures checked against the marts directly', () => {
  it('KPI revenue and contribution margin from the rollup equal the sums of the mart', async () => {
    const kpi = await answer(withRollups, kpiQuery({ period: null, region: null, customerType: null }));
    expect(kpi.sql).toMatch(/pre_aggregations\./);
    const [direct] = await warehouseRows(
      warehouseFile,
      'SELECT sum(net_revenue) AS revenue, sum(contribution_margin) AS contribution FROM finance.fct_customer_margin_monthly',
    );
    const row = kpi.raw[0]!;
    const member = (name: string) => row[aliasOf(kpi, name)];
    expect(comparable(member('finance.revenue'))).toBe(comparable(direct!.revenue));
    expect(comparable(member('finance.contribution_margin'))).toBe(comparable(direct!.contribution));
  });

  it("the service averages from the rollups (sum / count) are the marts' own averages", async () => {
    const context = pageContext('service:');
    const byHandler = await answer(withRollups, slaByGroupQuery(noServiceFilters, 'handler'), context);
    const pipeline = await answer(withRollups, pipelineBySalespersonQuery(noServiceFilters), context);
    const funnel = await answer(withRollups, funnelQuery(noServiceFilters), context);
    for (const { sql } of [byHandler, pipeline, funnel]) expect(sql).toMatch(/pre_aggregations\./);
    const figures = (result: typeof funnel, key: string, average: string) => {
      const alias = (name: string) => aliasOf(result, name);
      return result.raw.map((row) => [String(row[alias(key)]), comparable(row[alias(average)])]).sort();
    };
    const direct = async (sql: string) => (await warehouseRows(warehouseFile, sql)).map((row) => [String(row.key), comparable(row.average)]).sort();
    const handlers = await direct('SELECT handled_by AS key, avg(response_hours) AS average FROM service.fct_cases GROUP BY 1');
    expect(handlers.filter(([, average]) => average !== null).length).toBeGreaterThan(1);
    expect(figures(byHandler, 'service.case_handled_by', 'service.case_avg_response_hours')).toEqual(handlers);
    const salespeople = await direct('SELECT salesperson AS key, avg(days_to_close) AS average FROM service.fct_opportunities GROUP BY 1');
    expect(salespeople.filter(([, average]) => average !== null).length).toBeGreaterThan(1);
    expect(figures(pipeline, 'service.opportunity_salesperson', 'service.opportunity_avg_days_to_close')).toEqual(salespeople);
    const stages = await direct(
      `SELECT stage AS key, avg(CASE WHEN next_stage IS NOT NULL THEN days_in_stage END) AS average
       FROM service.fct_opportunity_stages WHERE stage_rank IS NOT NULL GROUP BY 1`,
    );
    expect(stages.filter(([, average]) => average !== null).length).toBeGreaterThan(0);
    expect(figures(funnel, 'service.stage_stage', 'service.stage_avg_days_in_stage')).toEqual(stages);
  });

  it('the rollups store their sums as 64-bit numbers, which DuckDB scans about ten times faster than 128-bit ones', async () => {
    const columns = await warehouseRows(
      warehouseFile,
      `SELECT table_name, column_name, data_type FROM duckdb_columns() WHERE schema_name = 'pre_aggregations'`,
    );
    expect(columns.filter((column) => /^DECIMAL\(18,/.test(String(column.data_type))).length).toBeGreaterThan(5);
    expect(columns.filter((column) => column.data_type === 'HUGEINT' || /^DECIMAL\((19|[2-3]\d),/.test(String(column.data_type)))).toEqual([]);
  });

  it("a rollup with declared indexes is stored in its first index's order (the customer x month rollup by customer, then month; the care plans by year, owner and plan)", async () => {
    const indexed = (await withRollups.rollups()).filter((build) => build.indexes.length > 0);
    expect(indexed.map((build) => build.tableName)).toContain('pre_aggregations.customers_margin_by_customer_month');
    expect(indexed.map((build) => build.tableName)).toContain('pre_aggregations.account_plan_progress_plans_by_plan');
    for (const build of indexed) {
      const { rows, outOfOrder } = await rowsOutOfOrder(warehouseFile, build.tableName, build.indexes[0]!.columns.join(', '));
      // Enough rows that an unordered write would show (the care plans' rollup holds the
      // sample's 304 plans; the customer x month one tens of thousands of rows).
      expect(rows, build.tableName).toBeGreaterThan(100);
      expect(outOfOrder, build.tableName).toBe(0);
    }
  });

  it('the management month list from the rollup: every month of the monthly classes, with its number of customers', async () => {
    const months = await answer(withRollups, portfolioMonthsQuery, pageContext('management:'));
    expect(months.sql).toMatch(/pre_aggregations\./);
    const expected = await warehouseRows(
      warehouseFile,
      `SELECT strftime(month, '%Y-%m') AS month, count(DISTINCT customer_id) AS customers
       FROM management.fct_care_class_monthly GROUP BY month ORDER BY month`,
    );
    expect(expected.length).toBeGreaterThan(6);
    const alias = (name: string) => aliasOf(months, name);
    expect(months.raw.map((row) => [String(row[alias('management.month.month')]).slice(0, 7), Number(row[alias('management.customer_months')])])).toEqual(
      expected.map((row) => [String(row.month), Number(row.customers)]),
    );
  });

  it('the customer table: the whole history from the rollup per customer, a period from the one per customer and month, each with exactly the customers that have months', async () => {
    const request = { sort: 'contributionMargin', descending: true, search: '', offset: 0, limit: 10_000 } as const;
    const whole = await answer(withRollups, customerMarginQuery(noFilters, request));
    expect(whole.sql).toMatch(/pre_aggregations\.customers_margin_by_customer\s/);
    const [period] = await warehouseRows(warehouseFile, `SELECT strftime(min(month), '%Y-%m-%d') AS first, strftime(last_day(min(month) + INTERVAL 5 MONTH), '%Y-%m-%d') AS last FROM finance.fct_customer_margin_monthly`);
    const halfYear = await answer(withRollups, customerMarginQuery({ ...noFilters, period: { from: String(period!.first), to: String(period!.last) } }, request));
    expect(halfYear.sql).toMatch(/pre_aggregations\.customers_margin_by_customer_month\s/);
    const ids = (answered: typeof whole) => answered.raw.map((row) => String(row[aliasOf(answered, 'finance.customer_id')])).sort();
    const [counts] = await warehouseRows(
      warehouseFile,
      `SELECT (SELECT count(*) FROM core.dim_customers) AS customers,
              (SELECT count(DISTINCT customer_id) FROM finance.fct_customer_margin_monthly) AS with_months`,
    );
    // Customers without a month (no sales, no cost-to-serve) exist and are left out.
    expect(Number(counts!.customers)).toBeGreaterThan(Number(counts!.with_months));
    const withMonths = await warehouseRows(warehouseFile, 'SELECT DISTINCT customer_id FROM finance.fct_customer_margin_monthly ORDER BY 1');
    expect(ids(whole)).toEqual(withMonths.map((row) => String(row.customer_id)).sort());
    const inPeriod = await warehouseRows(
      warehouseFile,
      `SELECT DISTINCT customer_id FROM finance.fct_customer_margin_monthly WHERE month BETWEEN '${period!.first}' AND '${period!.last}' ORDER BY 1`,
    );
    expect(inPeriod.length).toBeGreaterThan(0);
    expect(inPeriod.length).toBeLessThan(withMonths.length);
    expect(ids(halfYear)).toEqual(inPeriod.map((row) => String(row.customer_id)).sort());
  });

  it("the customer table's predicted value, from the rollup, is each customer's own from the customer value mart", async () => {
    const table = await answer(withRollups, customerMarginQuery(noFilters, { sort: 'predictedMargin', descending: true, search: '', offset: 0, limit: 5 }));
    expect(table.sql).toMatch(/pre_aggregations\./);
    const expected = await warehouseRows(
      warehouseFile,
      `SELECT v.customer_id, v.predicted_margin_value FROM finance.fct_customer_value v
       WHERE v.customer_id IN (SELECT customer_id FROM finance.fct_customer_margin_monthly WHERE month IS NOT NULL)
       ORDER BY v.predicted_margin_value DESC NULLS LAST, v.customer_id LIMIT 5`,
    );
    expect(expected).toHaveLength(5);
    const alias = (name: string) => aliasOf(table, name);
    expect(table.raw.map((row) => [row[alias('finance.customer_id')], comparable(row[alias('finance.predicted_margin_value')])])).toEqual(
      expected.map((row) => [String(row.customer_id), comparable(row.predicted_margin_value)]),
    );
  });

  it('a query no rollup can answer (predicted margin as a measure beside the months) still returns the right figure', async () => {
    // The measure is one row per customer summed over the month join: multiplied, which
    // Cube pre-aggregates nowhere.
    const query = {
      dimensions: ['finance.customer_id'],
      measures: ['finance.revenue', 'finance.predicted_margin'],
      filters: [{ member: 'finance.month', operator: 'set' }],
      order: [['finance.revenue', 'desc'], ['finance.customer_id', 'asc']],
      limit: 5,
    };
    const table = await answer(withRollups, query);
    expect(table.sql).not.toMatch(/pre_aggregations\./);
    const expected = await warehouseRows(
      warehouseFile,
      `SELECT m.customer_id, sum(m.net_revenue) AS revenue, any_value(v.predicted_margin_value) AS predicted
       FROM finance.fct_customer_margin_monthly m LEFT JOIN finance.fct_customer_value v USING (customer_id)
       WHERE m.month IS NOT NULL GROUP BY m.customer_id ORDER BY revenue DESC, m.customer_id LIMIT 5`,
    );
    const alias = (name: string) => aliasOf(table, name);
    expect(table.raw.map((row) => [row[alias('finance.customer_id')], comparable(row[alias('finance.revenue')]), comparable(row[alias('finance.predicted_margin')])])).toEqual(
      expected.map((row) => [String(row.customer_id), comparable(row.revenue), comparable(row.predicted)]),
    );
  });
});
