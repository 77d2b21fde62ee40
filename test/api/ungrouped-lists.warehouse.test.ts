// The dashboard's lists are asked ungrouped (cube/cube.js): the rows as the marts hold
// them, without Cube's GROUP BY over every column. That is only right where the list's
// joins cannot repeat a row. Each list query is asked here both ways on the sample
// warehouse, whole, and must give the same rows (as a multiset) and the same total; a
// join that repeated a row would give it twice ungrouped and once grouped. The last case
// shows that this check catches such a join: the customers behind an indicator over two
// months repeat a customer behind in both, which is why behindFilters keeps one month.
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { behindFilters, managementMembers as m, noPortfolioFilters, portfolioCustomersQuery, type BehindFilter } from '../../dashboard/src/lib/api/management-queries.ts';
import { breachListQuery, contactTimelineQuery, noServiceFilters, serviceCustomersQuery, serviceMembers as s, serviceMoneyMembers } from '../../dashboard/src/lib/api/service-queries.ts';
import { withoutMembers } from '../../dashboard/src/lib/api/queries.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';

const apiUrl = inject('apiUrl');

type Row = Record<string, unknown>;
type ListQuery = Record<string, unknown> & { ungrouped?: boolean };

const tokens: Record<string, string> = {};
let busiest: BehindFilter;

beforeAll(async () => {
  for (const role of ['management', 'service', 'sales']) tokens[role] = await signIn(apiUrl, role);
  // The indicator, month and care class with the most customers behind in the sample.
  const { status, body } = await loadRest(apiUrl, tokens.management!, {
    dimensions: [m.behindIndicator, m.behindMonth, m.behindCareClass],
    measures: [m.customerCount],
    filters: [{ member: m.behindIndicator, operator: 'set' }, { member: m.behindCareClass, operator: 'set' }],
    order: [[m.customerCount, 'desc'], [m.behindIndicator, 'asc'], [m.behindMonth, 'asc'], [m.behindCareClass, 'asc']],
    limit: 1,
  });
  expect(status, JSON.stringify(body)).toBe(200);
  const most = (body.data as Row[])[0]!;
  busiest = { indicator: String(most[m.behindIndicator]), month: String(most[m.behindMonth]).slice(0, 10), scope: 'care_class', scopeValue: String(most[m.behindCareClass]) };
});

/** Every row of `query` (no page), asked grouped or not, and its total. */
async function whole(role: string, query: ListQuery, ungrouped: boolean): Promise<{ rows: string[]; total: number }> {
  const { status, body } = await loadRest(apiUrl, tokens[role]!, { ...query, ungrouped, offset: 0, limit: 50_000 });
  expect(status, JSON.stringify(body)).toBe(200);
  return { rows: (body.data as Row[]).map((row) => JSON.stringify(row)).sort(), total: Number(body.total) };
}

async function expectSameBothWays(role: string, query: ListQuery): Promise<number> {
  expect(query.ungrouped, 'the dashboard asks this list ungrouped').toBe(true);
  const [ungrouped, grouped] = await Promise.all([whole(role, query, true), whole(role, query, false)]);
  expect(ungrouped.rows.length).toBe(ungrouped.total);
  expect(ungrouped.total).toBe(grouped.total);
  expect(ungrouped.rows).toEqual(grouped.rows);
  return ungrouped.total;
}

describe('lists asked ungrouped give the rows the same query gives grouped', () => {
  it("the portfolio's customers", async () => {
    const query = portfolioCustomersQuery(noPortfolioFilters, { search: '', offset: 0, limit: 15 });
    expect(await expectSameBothWays('management', query)).toBeGreaterThan(1_000);
  });

  it('the customers behind an indicator in one month and care class', async () => {
    const query = portfolioCustomersQuery(noPortfolioFilters, { search: '', behind: busiest, offset: 0, limit: 15 });
    expect(await expectSameBothWays('management', query)).toBeGreaterThan(10);
  });

  // The service role sees every customer and case; a sales user only their own (the
  // row-level policy's filter goes into the same query either way).
  it.each(['service', 'sales'])('the service customers, as %s', async (role) => {
    // Without the money members, which neither role sees whole (the page leaves out what
    // a role may not see, withoutMembers).
    const asked = serviceCustomersQuery(noServiceFilters, { sort: 'openComplaints', descending: true, search: '', repeatComplainersOnly: false, offset: 0, limit: 15 });
    const query = withoutMembers(asked, serviceMoneyMembers);
    expect(await expectSameBothWays(role, query)).toBeGreaterThan(10);
  });

  it.each(['service', 'sales'])('the SLA breaches, as %s', async (role) => {
    expect(await expectSameBothWays(role, breachListQuery(noServiceFilters, 0, 15))).toBeGreaterThan(0);
  });

  it('the contacts of the customer with the most of them', async () => {
    const { status, body } = await loadRest(apiUrl, tokens.service!, {
      dimensions: [s.contactCustomerId], measures: ['service.contact_count'], order: [['service.contact_count', 'desc'], [s.contactCustomerId, 'asc']], limit: 1,
    });
    expect(status, JSON.stringify(body)).toBe(200);
    const customerId = String((body.data as Row[])[0]![s.contactCustomerId]);
    expect(await expectSameBothWays('service', contactTimelineQuery(customerId, 0, 15))).toBeGreaterThan(5);
  });

  it('would not: over two months a customer behind in both comes twice ungrouped', async () => {
    const query = portfolioCustomersQuery(noPortfolioFilters, { search: '', behind: busiest, offset: 0, limit: 15 });
    const previousMonth = new Date(`${busiest.month}T00:00:00Z`);
    previousMonth.setUTCMonth(previousMonth.getUTCMonth() - 1);
    const twoMonths = {
      ...query,
      filters: (query.filters as { member?: string }[]).map((filter) =>
        filter.member === m.behindMonth ? { ...filter, values: [previousMonth.toISOString().slice(0, 10), busiest.month] } : filter,
      ),
    };
    expect(behindFilters(busiest).some((filter) => 'member' in filter && filter.member === m.behindMonth)).toBe(true);
    const [ungrouped, grouped] = await Promise.all([whole('management', twoMonths, true), whole('management', twoMonths, false)]);
    expect(ungrouped.total).toBeGreaterThan(grouped.total);
  });
});

describe('an ungrouped query with measures', () => {
  it('is refused with 400: a measure ungrouped would be each row of the mart', async () => {
    const { status, body } = await loadRest(apiUrl, tokens.management!, { dimensions: [m.customerId], measures: [m.plannedVisits], ungrouped: true, limit: 10 });
    expect(status).toBe(400);
    expect(body.error).toMatch(/ungrouped queries take dimensions only/);
  });
});
