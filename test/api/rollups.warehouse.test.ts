// Cube's rollups (pre_aggregations in cube/model/cubes, built by the warehouse build)
// must not change a figure: every query the finance page sends on opening, and the same
// queries filtered by period and segment, give the same rows to the cent whether Cube's
// planner answers them from a rollup or from the marts. The model without rollups is the
// same model folder with its pre_aggregations blocks taken out.
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { cubeConfigFile, cubeModelDir } from '../../config/settings.ts';
import { loadCubeConfig } from '../../cube/server/cube-config.ts';
import { SemanticModel } from '../../cube/server/semantic-model.ts';
import { WarehouseReader } from '../../cube/server/warehouse-reader.ts';
import { dashboardQueries } from '../../bench/queries.ts';
import {
  customerMarginQuery, customerProfitQuery, kpiQuery, monthlyMarginQuery, monthRangeQuery, segmentProductQuery, segmentValuesQuery, type FinanceFilters,
} from '../../dashboard/src/lib/api/queries.ts';
import { warehouseRows } from '../helpers/warehouse-rows.ts';

const warehouseFile = inject('warehouseFile');
const financeContext = { sub: 'finance', roles: ['finance'] };

/** The finance page's opening queries, which the rollups are declared for. */
const openingQueries = dashboardQueries.filter(({ name }) => !name.startsWith('service:'));
/** Those a rollup answers (the customer table asks for predicted margin, which no rollup holds). */
const answeredByRollup = ['KPI totals', 'revenue and margin by month', 'contribution margin of every customer (whale curve)', 'segment x product group'];

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
  const { contextToGroups } = loadCubeConfig(cubeConfigFile);
  withRollups = await SemanticModel.compile(cubeModelDir, contextToGroups!);
  withoutRollups = await SemanticModel.compile(plainModel, contextToGroups!);
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

async function answer(model: SemanticModel, query: Record<string, unknown>) {
  const planned = await model.plan(structuredClone(query), financeContext);
  const rows = await reader.query(planned.sql, planned.values);
  return { sql: planned.sql, rows: normalised(rows, planned.aliasNameToMember), raw: rows, planned };
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
      { name: 'whale curve, filtered', query: customerProfitQuery(filters, 50_000) },
      { name: 'segment x product group by customer type, filtered', query: segmentProductQuery(filters, 'customerType') },
      { name: 'customer table, filtered', query: customerMarginQuery(filters, { sort: 'revenue', descending: true, search: '', offset: 0, limit: 15 }) },
    ];
  });

  it.each(openingQueries)('$name', async ({ name, query }) => {
    const fromRollup = await answer(withRollups, query);
    const fromMarts = await answer(withoutRollups, query);
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
    // The filtered KPI comes from a rollup.
    expect((await answer(withRollups, filtered[0]!.query)).sql).toMatch(/pre_aggregations\./);
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
    const member = (name: string) => row[Object.entries(kpi.planned.aliasNameToMember).find(([, m]) => m === name)![0]];
    expect(comparable(member('finance.revenue'))).toBe(comparable(direct!.revenue));
    expect(comparable(member('finance.contribution_margin'))).toBe(comparable(direct!.contribution));
  });

  it('a query no rollup can answer (the customer table with predicted margin) still returns the right figure', async () => {
    const table = await answer(withRollups, customerMarginQuery({ period: null, region: null, customerType: null }, { sort: 'revenue', descending: true, search: '', offset: 0, limit: 5 }));
    expect(table.sql).not.toMatch(/pre_aggregations\./);
    const expected = await warehouseRows(
      warehouseFile,
      'SELECT customer_id, sum(net_revenue) AS revenue FROM finance.fct_customer_margin_monthly GROUP BY customer_id ORDER BY revenue DESC, customer_id LIMIT 5',
    );
    const alias = (name: string) => Object.entries(table.planned.aliasNameToMember).find(([, m]) => m === name)![0];
    expect(table.raw.map((row) => [row[alias('finance.customer_id')], comparable(row[alias('finance.revenue')])])).toEqual(
      expected.map((row) => [String(row.customer_id), comparable(row.revenue)]),
    );
  });
});
