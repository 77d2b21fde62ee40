// Who sees what, over the REST API, for every line of the access matrix
// (access-matrix.ts): each role's /meta lists its allowed members and none of its hidden
// ones; allowed members answer; hidden members are refused (403) whether asked as a
// measure, a dimension, a segment, a filter or an order, grouped or ungrouped; a
// salesperson sees only the customers they own, in every list, total and count, checked
// against the warehouse read directly; tokens that are expired, signed with another
// secret, unsigned (alg none) or carry a role their user was not given are refused.
import { existsSync, readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import jwt from 'jsonwebtoken';
import { auditLogFile, secretFile } from '../../config/settings.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { warehouseRows } from '../helpers/warehouse-rows.ts';
import { accessMatrix, demoUserOf, salespeople, type Role } from './access-matrix.ts';

const apiUrl = inject('apiUrl');
const warehouseFile = inject('warehouseFile');
const roles = Object.keys(demoUserOf) as Role[];

type MemberKind = 'measures' | 'dimensions' | 'segments';

async function metaOf(token: string): Promise<{ status: number; cubes: { name: string; measures: { name: string }[]; dimensions: { name: string }[]; segments: { name: string }[] }[] }> {
  const response = await fetch(`${apiUrl}/cubejs-api/v1/meta`, { headers: { authorization: token } });
  const body = (await response.json()) as { cubes?: never[] };
  return { status: response.status, cubes: body.cubes ?? [] };
}

function metaMembers(cubes: Awaited<ReturnType<typeof metaOf>>['cubes']): Map<string, MemberKind> {
  const members = new Map<string, MemberKind>();
  for (const cube of cubes) {
    for (const kind of ['measures', 'dimensions', 'segments'] as const) for (const member of cube[kind]) members.set(member.name, kind);
  }
  return members;
}

/** Rows of a query run on the served warehouse directly, read-only beside the API. */
const warehouseRowsOf = (sql: string, values: string[] = []) => warehouseRows(warehouseFile, sql, values);

const cents = (value: unknown) => Math.round(Number(value ?? 0) * 100);

const tokens = {} as Record<Role, string>;
/** Every member of the model by kind, as the management role (which sees everything) reads /meta. */
let kindOf: Map<string, MemberKind>;

beforeAll(async () => {
  for (const role of roles) tokens[role] = await signIn(apiUrl, demoUserOf[role], 'demo');
  kindOf = metaMembers((await metaOf(tokens.management)).cubes);
});

describe.each(accessMatrix)('view $view', ({ view, roles: access, rowRule, partRules }) => {
  it.each(roles)('/meta of %s lists its allowed members and none of its hidden ones', async (role) => {
    const { status, cubes } = await metaOf(tokens[role]);
    expect(status).toBe(200);
    const visible = metaMembers(cubes);
    for (const member of access[role].allowed) expect(visible.has(member), `${role} should see ${member}`).toBe(true);
    for (const member of access[role].hidden) expect(visible.has(member), `${role} should not see ${member}`).toBe(false);
  });

  it.each(roles)('%s: every allowed member answers', async (role) => {
    for (const member of access[role].allowed) {
      const kind = kindOf.get(member);
      expect(kind, `${member} is in the model`).toBeDefined();
      const query = kind === 'segments' ? { measures: [access[role].allowed.find((m) => kindOf.get(m) === 'measures')], segments: [member] } : { [kind!]: [member], limit: 5 };
      const { status, body } = await loadRest(apiUrl, tokens[role], query);
      expect(status, `${role} asking ${member}: ${JSON.stringify(body.error)}`).toBe(200);
    }
  });

  it.each(roles)('%s: hidden members are refused as measure, dimension, segment, filter and order, grouped or ungrouped', async (role) => {
    // A member the role may see, to ask beside the hidden one (service sees none: then the hidden one alone).
    const probe = access[role].allowed.find((member) => kindOf.get(member) === 'dimensions');
    const beside = probe ? { dimensions: [probe] } : {};
    for (const member of access[role].hidden) {
      const kind = kindOf.get(member);
      expect(kind, `${member} is in the model`).toBeDefined();
      const asked: [string, Record<string, unknown>][] = [[`as ${kind}`, kind === 'segments' ? { ...beside, measures: probe ? [] : ['finance.revenue'], segments: [member] } : { [kind!]: [member] }]];
      if (kind !== 'segments') {
        const filter = kind === 'measures' ? { member, operator: 'gt', values: ['0'] } : { member, operator: 'set' };
        asked.push(
          ['in a filter', { ...(probe ? beside : { measures: ['finance.revenue'] }), filters: [filter] }],
          ['in a nested filter', { ...(probe ? beside : { measures: ['finance.revenue'] }), filters: [{ or: [filter, { member: probe ?? 'finance.region', operator: 'set' }] }] }],
          ['in the order', { ...(probe ? beside : { measures: ['finance.revenue'] }), order: { [member]: 'desc' } }],
          ['ungrouped', { dimensions: [...(probe ? [probe] : []), ...(kind === 'dimensions' ? [member] : [])], ...(kind === 'measures' ? { measures: [member] } : {}), ungrouped: true }],
        );
      }
      for (const [how, query] of asked) {
        const { status, body } = await loadRest(apiUrl, tokens[role], query);
        expect(status, `${role} asking ${member} ${how}: ${JSON.stringify(body)}`.slice(0, 300)).toBe(403);
        expect(body.error).toContain(member);
        expect(body.data).toBeUndefined();
      }
    }
  });

  if (partRules) {
    describe('row-level, part by part: a salesperson sees only the rows of customers they own or handle', () => {
      /** Per part and salesperson: the mart's count of their rows, read from the warehouse. */
      const expected = new Map<string, number>();
      const key = (part: string, salesperson: string) => `${part}|${salesperson}`;

      beforeAll(async () => {
        for (const rule of partRules) {
          for (const { salesperson } of salespeople) {
            const bound = rule.expectedSql.split('?').slice(1).map(() => salesperson);
            const [row] = await warehouseRowsOf(rule.expectedSql, bound);
            expected.set(key(rule.part, salesperson), Number(row?.n ?? 0));
          }
        }
      });

      describe.each(partRules)('$part', (rule) => {
        it.each(salespeople)('$username ($salesperson): the count is exactly their rows, fewer than everyone\'s', async ({ username, salesperson }) => {
          const own = expected.get(key(rule.part, salesperson))!;
          expect(own, `the sample has ${rule.part} of ${salesperson}`).toBeGreaterThan(0);
          const token = await signIn(apiUrl, username, 'demo');
          const mine = await loadRest(apiUrl, token, { measures: [rule.countMeasure] });
          expect(mine.status, JSON.stringify(mine.body.error)).toBe(200);
          expect(Number(mine.body.data[0][rule.countMeasure])).toBe(own);
          const everyone = await loadRest(apiUrl, tokens.management, { measures: [rule.countMeasure] });
          expect(Number(everyone.body.data[0][rule.countMeasure])).toBeGreaterThan(own);
        });

        it.each(salespeople)('$username ($salesperson): every row they get names them as owner or handler', async ({ username, salesperson }) => {
          const token = await signIn(apiUrl, username, 'demo');
          const dimensions = [rule.ownerDimension, ...(rule.handlerDimension ? [rule.handlerDimension] : [])];
          const { status, body } = await loadRest(apiUrl, token, { measures: [rule.countMeasure], dimensions, limit: 50_000 });
          expect(status).toBe(200);
          const rows = body.data as Record<string, string>[];
          expect(rows.length).toBeGreaterThan(0);
          for (const row of rows) expect(dimensions.map((dimension) => row[dimension])).toContain(salesperson);
          // Asking for another salesperson's customers by filter gives only rows they handle themselves.
          const other = salespeople.find((person) => person.salesperson !== salesperson)!;
          const theirs = await loadRest(apiUrl, token, { measures: [rule.countMeasure], dimensions, filters: [{ member: rule.ownerDimension, operator: 'equals', values: [other.salesperson] }] });
          expect(theirs.status).toBe(200);
          for (const row of theirs.body.data as Record<string, string>[]) expect(rule.handlerDimension && row[rule.handlerDimension]).toBe(salesperson);
        });
      });
    });
  }

  if (rowRule) {
    describe('row-level: a salesperson sees only the customers they own', () => {
      const ownedTotals = new Map<string, { customers: Set<string>; revenueCents: number; customersWithSales: number }>();

      beforeAll(async () => {
        for (const { salesperson } of salespeople) {
          const customers = await warehouseRowsOf(`SELECT customer_id FROM core.dim_customers WHERE owner_salesperson = ?`, [salesperson]);
          const [money] = await warehouseRowsOf(
            `SELECT sum(lines.net_revenue) AS revenue
             FROM finance.fct_order_lines AS lines JOIN core.dim_customers AS customers USING (customer_id)
             WHERE customers.owner_salesperson = ?`,
            [salesperson],
          );
          // Customers with sales or cost-to-serve in some month (the view's customer_count).
          const [counted] = await warehouseRowsOf(
            `SELECT count(DISTINCT monthly.customer_id) AS customers
             FROM finance.fct_customer_margin_monthly AS monthly JOIN core.dim_customers AS customers USING (customer_id)
             WHERE customers.owner_salesperson = ?`,
            [salesperson],
          );
          ownedTotals.set(salesperson, {
            customers: new Set(customers.map((row) => String(row.customer_id))),
            revenueCents: cents(money?.revenue),
            customersWithSales: Number(counted?.customers ?? 0),
          });
        }
      });

      it.each(salespeople)('$username ($salesperson): the customer list is exactly the owned customers', async ({ username, salesperson }) => {
        const expected = ownedTotals.get(salesperson)!;
        expect(expected.customers.size, 'the sample has customers owned by this salesperson').toBeGreaterThan(10);
        const token = await signIn(apiUrl, username, 'demo');
        const { status, body } = await loadRest(apiUrl, token, { dimensions: [rowRule.customerDimension, rowRule.ownerDimension], limit: 50_000 });
        expect(status).toBe(200);
        const rows = body.data as Record<string, string>[];
        expect(new Set(rows.map((row) => row[rowRule.customerDimension]))).toEqual(expected.customers);
        expect(new Set(rows.map((row) => row[rowRule.ownerDimension]))).toEqual(new Set([salesperson]));
      });

      it.each(salespeople)('$username ($salesperson): totals and counts cover only the owned customers', async ({ username, salesperson }) => {
        const expected = ownedTotals.get(salesperson)!;
        const token = await signIn(apiUrl, username, 'demo');
        const total = await loadRest(apiUrl, token, { measures: [rowRule.totalMeasure] });
        expect(total.status).toBe(200);
        expect(cents(total.body.data[0][rowRule.totalMeasure])).toBe(expected.revenueCents);
        const everyone = await loadRest(apiUrl, tokens.management, { measures: [rowRule.totalMeasure] });
        expect(cents(everyone.body.data[0][rowRule.totalMeasure])).toBeGreaterThan(expected.revenueCents);
        // Customers with sales or cost-to-serve, the monthly margin mart's distinct count.
        const count = await loadRest(apiUrl, token, { measures: ['finance.customer_count'], filters: [{ member: 'finance.month', operator: 'set' }] });
        expect(Number(count.body.data[0]['finance.customer_count'])).toBe(expected.customersWithSales);
      });

      it('asking for another salesperson\'s customers by filter gives nothing', async () => {
        const [own, other] = salespeople;
        const token = await signIn(apiUrl, own.username, 'demo');
        const { status, body } = await loadRest(apiUrl, token, {
          measures: [rowRule.totalMeasure],
          dimensions: [rowRule.customerDimension],
          filters: [{ member: rowRule.ownerDimension, operator: 'equals', values: [other.salesperson] }],
        });
        expect(status).toBe(200);
        expect(body.data).toEqual([]);
        const theirs = [...ownedTotals.get(other.salesperson)!.customers];
        const byId = await loadRest(apiUrl, token, { dimensions: [rowRule.customerDimension], filters: [{ member: rowRule.customerDimension, operator: 'equals', values: theirs.slice(0, 20) }] });
        expect(byId.body.data).toEqual([]);
        expect([...ownedTotals.get(own.salesperson)!.customers].filter((id) => ownedTotals.get(other.salesperson)!.customers.has(id))).toEqual([]);
      });

      it('a user with the sales and marketing roles gets the union: every customer\'s revenue, still no margin', async () => {
        const token = await signIn(apiUrl, 'sales-marketing', 'demo');
        const [all] = await warehouseRowsOf(`SELECT count(*) AS customers FROM core.dim_customers`);
        const { status, body } = await loadRest(apiUrl, token, { dimensions: [rowRule.customerDimension], limit: 50_000 });
        expect(status).toBe(200);
        expect(body.data.length).toBe(Number(all!.customers));
        expect((await loadRest(apiUrl, token, { measures: ['finance.gross_margin'] })).status).toBe(403);
      });
    });
  }
});

describe('tokens', () => {
  const secret = () => process.env.CUBEJS_API_SECRET || readFileSync(secretFile(warehouseFile), 'utf8').trim();
  const unsigned = (payload: object) =>
    `${Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url')}.${Buffer.from(JSON.stringify(payload)).toString('base64url')}.`;
  const financeClaims = { sub: 'finance', roles: ['finance'], name: 'Finance (demo)' };

  it.each([
    ['expired', () => jwt.sign({ ...financeClaims, exp: Math.floor(Date.now() / 1000) - 60 }, secret())],
    ['signed with another secret', () => jwt.sign(financeClaims, 'not-the-api-secret')],
    ['unsigned (alg none)', () => unsigned({ ...financeClaims, exp: Math.floor(Date.now() / 1000) + 600 })],
    ['carrying a role its user was not given', () => jwt.sign({ sub: 'marketing', roles: ['marketing', 'finance'], name: 'Marketing (demo)' }, secret(), { expiresIn: 600 })],
    ['carrying another salesperson', () => jwt.sign({ sub: 'sales', roles: ['sales'], name: 'x', salesperson: 'Jari Mäntylä' }, secret(), { expiresIn: 600 })],
    ['of a user not in the users file', () => jwt.sign({ sub: 'mallory', roles: ['management'], name: 'x' }, secret(), { expiresIn: 600 })],
  ])('a token %s is refused', async (_label, make) => {
    const token = make();
    expect((await loadRest(apiUrl, token, { measures: ['finance.revenue'] })).status).toBe(401);
    expect((await metaOf(token)).status).toBe(401);
  });

  it('sign-in gives a short-lived token carrying the roles and the salesperson', async () => {
    const token = await signIn(apiUrl, 'sales', 'demo');
    const claims = jwt.decode(token) as { exp: number; iat: number; roles: string[]; salesperson: string };
    expect(claims.exp - claims.iat).toBeLessThanOrEqual(15 * 60);
    expect(claims.roles).toEqual(['sales']);
    expect(claims.salesperson).toBe('Kaisa Lehto');
  });
});

describe('audit log', () => {
  it('records who queried which view, when, and whether it was answered or refused', async () => {
    const file = auditLogFile(warehouseFile);
    const before = Date.now() - 1000;
    await loadRest(apiUrl, tokens.marketing, { measures: ['finance.revenue'] });
    await loadRest(apiUrl, tokens.marketing, { measures: ['finance.gross_margin'] });
    expect(existsSync(file)).toBe(true);
    const entries = readFileSync(file, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { at: string; user: string; roles: string[]; views: string[]; status: number; endpoint: string });
    const recent = entries.filter((entry) => entry.user === 'marketing' && entry.endpoint === 'load' && Date.parse(entry.at) >= before);
    expect(recent.slice(-2).map(({ views, status, roles: entryRoles }) => ({ views, status, roles: entryRoles }))).toEqual([
      { views: ['finance'], status: 200, roles: ['marketing'] },
      { views: ['finance'], status: 403, roles: ['marketing'] },
    ]);
    // The log names members' views, never values a filter carried.
    expect(readFileSync(file, 'utf8')).not.toContain('Kaisa Lehto');
  });
});
