// The semantic API end to end: a generated sample company goes through ingest, dbt
// build and the embedded Cube API; net revenue, cost of goods and gross margin per ERP
// customer number must equal those computed here directly from the generated export
// files (test/helpers/expected-margins.ts: discounts, returns, credit notes, cost on
// the order date), to the cent, for every customer.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, inject, it, beforeAll } from 'vitest';
import { repoRoot } from '../../config/settings.ts';
import cube from '@cubejs-client/core';
import jwt from 'jsonwebtoken';
import { expectedMarginsByCustomer, toCents, type Money } from '../helpers/expected-margins.ts';
import { loadRest, rowsOf, signIn } from '../helpers/api-client.ts';
import { openWarehouse } from '../helpers/warehouse-rows.ts';
import { customerMarginQuery, financeMembers, noFilters } from '../../dashboard/src/lib/api/queries.ts';

const apiUrl = inject('apiUrl');
const expected = await expectedMarginsByCustomer(inject('sampleDir'));
const marginQuery = {
  measures: ['finance.line_revenue', 'finance.line_cost', 'finance.line_gross_margin'],
  dimensions: ['finance.erp_customer_number'],
  filters: [{ member: 'finance.erp_customer_number', operator: 'set' as const }],
  limit: 50_000,
};

/** Three customers a person would check by hand: the most lines, the fewest, and one in between. */
function customersToCheck(): [string, Money][] {
  const byLines = [...expected.entries()].sort((a, b) => b[1].lines - a[1].lines || a[0].localeCompare(b[0]));
  return [byLines[0]!, byLines[Math.floor(byLines.length / 2)]!, byLines[byLines.length - 1]!];
}

let token: string;
beforeAll(async () => {
  token = await signIn(apiUrl);
});

describe('REST /cubejs-api/v1/load', () => {
  it('returns revenue, cost and margin per customer equal to the generated rows', async () => {
    const { status, body } = await loadRest(apiUrl, token, marginQuery);
    expect(status).toBe(200);
    const rows = body.data as Record<string, string>[];
    const byCustomer = new Map(rows.map((row) => [row['finance.erp_customer_number']!, row]));
    for (const [customerId, money] of customersToCheck()) {
      const row = byCustomer.get(customerId);
      expect(row, `customer ${customerId}`).toBeDefined();
      expect(toCents(row!['finance.line_revenue']!), `revenue of ${customerId}`).toBe(money.revenueCents);
      expect(toCents(row!['finance.line_cost']!), `cost of ${customerId}`).toBe(money.costCents);
      expect(toCents(row!['finance.line_gross_margin']!), `margin of ${customerId}`).toBe(money.marginCents);
    }
    // Every customer with sales, not only the three above.
    expect(byCustomer.size).toBe(expected.size);
    for (const [customerId, money] of expected) expect(toCents(byCustomer.get(customerId)!['finance.line_revenue']!)).toBe(money.revenueCents);
  });

  it('answers a monthly time series in the time format the client expects, summing to the total', async () => {
    const { status, body } = await loadRest(apiUrl, token, {
      measures: ['finance.revenue'],
      timeDimensions: [{ dimension: 'finance.month', granularity: 'month' }],
      // The view is rooted at the customer: customers without sales join as a row without a month.
      filters: [{ member: 'finance.month', operator: 'set' }],
      order: { 'finance.month': 'asc' },
    });
    expect(status).toBe(200);
    const rows = body.data as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(12);
    for (const row of rows) {
      expect(row['finance.month.month']).toMatch(/^\d{4}-\d{2}-01T00:00:00\.000$/);
      expect(row['finance.month']).toBe(row['finance.month.month']);
    }
    const total = [...expected.values()].reduce((sum, m) => sum + m.revenueCents, 0);
    expect(rows.reduce((sum, row) => sum + toCents(row['finance.revenue']!), 0)).toBe(total);
    expect(body.annotation.measures['finance.revenue']).toMatchObject({ format: 'currency', currency: 'EUR', shortTitle: 'Net revenue' });
  });

  it('rejects requests without a valid token with 401', async () => {
    expect((await loadRest(apiUrl, null, marginQuery)).status).toBe(401);
    expect((await loadRest(apiUrl, 'not-a-token', marginQuery)).status).toBe(401);
    const forged = jwt.sign({ sub: 'finance', role: 'finance' }, 'some-other-secret');
    expect((await loadRest(apiUrl, forged, marginQuery)).status).toBe(401);
    const meta = await fetch(`${apiUrl}/cubejs-api/v1/meta`);
    expect(meta.status).toBe(401);
  });

  it('rejects an unknown member with 400 naming the member, and keeps serving', async () => {
    const { status, body } = await loadRest(apiUrl, token, { measures: ['finance.no_such_measure'] });
    expect(status).toBe(400);
    expect(body.error).toContain('finance.no_such_measure');
    const malformed = await loadRest(apiUrl, token, { measures: 'finance.revenue', limit: -1 });
    expect(malformed.status).toBe(400);
    const after = await loadRest(apiUrl, token, { measures: ['finance.revenue'] });
    expect(after.status).toBe(200);
  });

  it('refuses a wrong password', async () => {
    await expect(signIn(apiUrl, 'finance', 'wrong')).rejects.toThrow(/401/);
  });
});

describe('@cubejs-client/core against the API', () => {
  it('gives a ResultSet whose tablePivot holds the same per-customer figures', async () => {
    const api = cube(token, { apiUrl: `${apiUrl}/cubejs-api/v1` });
    const resultSet = await api.load(marginQuery, { castNumerics: true });
    const pivot = resultSet.tablePivot();
    const byCustomer = new Map(pivot.map((row) => [String(row['finance.erp_customer_number']), row]));
    for (const [customerId, money] of customersToCheck()) {
      const row = byCustomer.get(customerId)!;
      expect(Math.round(Number(row['finance.line_revenue']) * 100)).toBe(money.revenueCents);
      expect(Math.round(Number(row['finance.line_cost']) * 100)).toBe(money.costCents);
      expect(Math.round(Number(row['finance.line_gross_margin']) * 100)).toBe(money.marginCents);
    }
  });

  it('reads /meta: only the views (one per file in cube/model/views), with titles and formats', async () => {
    // Management sees every view; other roles see only those their policies grant (access.test.ts).
    const api = cube(await signIn(apiUrl, 'management'), { apiUrl: `${apiUrl}/cubejs-api/v1` });
    const meta = await api.meta();
    const views = readdirSync(join(repoRoot, 'cube/model/views')).filter((file) => file.endsWith('.yml')).map((file) => file.replace(/\.yml$/, ''));
    expect(meta.cubes.map((c) => c.name).sort()).toEqual(views.sort());
    expect(views).toContain('finance');
    const revenue = meta.resolveMember('finance.revenue', 'measures');
    expect(revenue).toMatchObject({ title: 'Finance Net revenue', format: 'currency' });
  });

  it('fills the missing months of a time series', async () => {
    const api = cube(token, { apiUrl: `${apiUrl}/cubejs-api/v1` });
    const resultSet = await api.load({
      measures: ['finance.revenue'],
      timeDimensions: [{ dimension: 'finance.month', granularity: 'month', dateRange: ['2025-01-01', '2025-12-31'] }],
    }, { castNumerics: true });
    const series = resultSet.chartPivot();
    expect(series.map((point) => point.x)).toEqual(
      Array.from({ length: 12 }, (_, m) => `2025-${String(m + 1).padStart(2, '0')}-01T00:00:00.000`),
    );
  });
});

describe('REST /cubejs-api/v1/sql', () => {
  async function plannedSql(query: unknown): Promise<{ sql: [string, string[]]; totalSql?: [string, string[]]; aliasNameToMember: Record<string, string> }> {
    const url = new URL('/cubejs-api/v1/sql', apiUrl);
    url.searchParams.set('query', JSON.stringify(query));
    const response = await fetch(url, { headers: { authorization: token } });
    expect(response.status).toBe(200);
    return ((await response.json()) as { sql: never }).sql;
  }

  it("gives a paged load's count statement beside its main one, each giving what the load answers", async () => {
    const query = customerMarginQuery(noFilters, { sort: 'contributionMargin', descending: true, search: '', offset: 5, limit: 7 });
    const { status, body } = await loadRest(apiUrl, token, query);
    expect(status).toBe(200);
    const pageIds = rowsOf(body.data).map((row) => row[financeMembers.customerId]);
    expect(pageIds).toHaveLength(7);
    const planned = await plannedSql(query);
    expect(planned.totalSql, 'a load with total: true runs a count beside its main query').toBeDefined();
    const warehouse = await openWarehouse(inject('warehouseFile'));
    try {
      const idAlias = Object.entries(planned.aliasNameToMember).find(([, member]) => member === financeMembers.customerId)![0];
      const mainRows = await warehouse.jsonRows(planned.sql[0], planned.sql[1]);
      expect(mainRows.map((row) => row[idAlias])).toEqual(pageIds);
      const [countRow] = await warehouse.jsonRows(planned.totalSql![0], planned.totalSql![1]);
      expect(Number(countRow!.total_count)).toBe(body.total);
      expect(body.total).toBeGreaterThan(12);
    } finally {
      warehouse.close();
    }
    expect((await plannedSql({ ...query, total: false })).totalSql, 'no count for a load that does not ask for it').toBeUndefined();
  });
});
