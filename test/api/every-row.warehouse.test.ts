// The CSV exports of the six paged tables read every row, page by page (loadEveryRow),
// not one request capped at the API's row limit: each table's own query, paged here in
// a few pages of the sample warehouse, gives exactly its `total` rows, each once, in the
// order one request for all of them gives. A query without a total order (no unique
// tie-breaking key last) would page rows twice or not at all and fail here.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { loadEveryRow } from '../../dashboard/src/lib/api/every-row.ts';
import { customerMarginQuery, financeMembers as f, noFilters } from '../../dashboard/src/lib/api/queries.ts';
import { accountPlansQuery, managementMembers as m, noPortfolioFilters, portfolioCustomersQuery } from '../../dashboard/src/lib/api/management-queries.ts';
import { breachListQuery, carePlansQuery, noServiceFilters, serviceCustomersQuery, serviceMembers as s } from '../../dashboard/src/lib/api/service-queries.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';

const apiUrl = inject('apiUrl') ?? process.env.ASIAKKUUS_URL!;

type Row = Record<string, unknown>;
interface Page {
  rows: Row[];
  total: number;
}

let token: string;
beforeAll(async () => {
  token = await signIn(apiUrl, 'management');
});

async function page(query: unknown): Promise<Page> {
  const { status, body } = await loadRest(apiUrl, token, query);
  expect(status, JSON.stringify(body)).toBe(200);
  expect(typeof body.total, 'the query asks for its total').toBe('number');
  return { rows: body.data as Row[], total: body.total as number };
}

/** The year with the most planned visits in the sample (the account plan table shows one year). */
async function busiestPlanYear(): Promise<number> {
  const { status, body } = await loadRest(apiUrl, token, { dimensions: [m.planYear], measures: [m.plannedVisits], order: [[m.plannedVisits, 'desc'], [m.planYear, 'asc']], limit: 1 });
  expect(status, JSON.stringify(body)).toBe(200);
  return Number((body.data as Row[])[0]![m.planYear]);
}

/** Each paged table's query (as its component pages it) and the member that keys a row. */
const tables: { name: string; key: string; query: () => Promise<(offset: number, limit: number) => unknown> }[] = [
  {
    name: 'customer margins (finance)',
    key: f.customerId,
    query: async () => (offset, limit) => customerMarginQuery(noFilters, { sort: 'contributionMargin', descending: true, search: '', offset, limit }),
  },
  { name: 'portfolio customers (management)', key: m.customerId, query: async () => (offset, limit) => portfolioCustomersQuery(noPortfolioFilters, { search: '', offset, limit }) },
  {
    name: 'account plans (management)',
    key: m.planId,
    query: async () => {
      const year = await busiestPlanYear();
      return (offset, limit) => accountPlansQuery(year, noPortfolioFilters, { offset, limit });
    },
  },
  { name: 'SLA breaches (service)', key: s.caseId, query: async () => (offset, limit) => breachListQuery(noServiceFilters, offset, limit) },
  {
    // Sorted by open complaints, which most customers tie at 0: only the customer id orders them.
    name: 'service customers (service)',
    key: s.customerId,
    query: async () => (offset, limit) => serviceCustomersQuery(noServiceFilters, { sort: 'openComplaints', descending: true, search: '', repeatComplainersOnly: false, offset, limit }),
  },
  { name: 'care plans (service)', key: s.planId, query: async () => (offset, limit) => carePlansQuery(noServiceFilters, offset, limit) },
];

describe('a CSV export reads every page of its table', () => {
  it.each(tables)('$name: every row once, as many as the total, in the order of one request', async ({ key, query }) => {
    const queryAt = await query();
    const { total } = await page(queryAt(0, 1));
    // Four or five pages: a read that stopped after the first page would miss rows.
    const pageSize = Math.ceil(total / 4);
    expect(pageSize, 'enough rows for several pages').toBeGreaterThan(1);
    expect(total).toBeGreaterThan(pageSize);

    const rows = await loadEveryRow((offset, limit) => page(queryAt(offset, limit)), (p) => p.rows, (row) => String(row[key]));
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((row) => row[key])).size).toBe(total);
    const whole = await page(queryAt(0, total));
    expect(rows.map((row) => row[key])).toEqual(whole.rows.map((row) => row[key]));
  });
});
