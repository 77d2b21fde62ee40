// Serving under load: the connection pool refuses a request that waits too long with a
// 503 and a short reason; the result cache never serves the answer of a warehouse that
// has been replaced, and never one role's (or salesperson's) answer to another. Figures
// are checked against SQL run directly on the warehouse file.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { WarehouseBusyError, WarehouseReader } from '../../cube/server/warehouse-reader.ts';
import { withWorkingCopy } from '../../pipeline/warehouse-swap.ts';
import { serverTotalMs } from '../../bench/api-latency.ts';
import { loadRest, rowsOf, signIn } from '../helpers/api-client.ts';
import { heldQuery } from '../helpers/held-query.ts';
import { warehouseRows } from '../helpers/warehouse-rows.ts';
import { salespeople } from './access-matrix.ts';
import { customerDetailsQuery, customerFiguresQuery, customerMarginQuery, firstCustomerPage, kpiQuery, noFilters, withoutMembers } from '../../dashboard/src/lib/api/queries.ts';
import { defaultPeriod, toDateRange } from '../../dashboard/src/lib/finance/period.ts';
import { activityMonthsQuery, caseMonthsQuery, noServiceFilters, serviceDefaultPeriod, serviceMoneyMembers, serviceOpeningQueries } from '../../dashboard/src/lib/api/service-queries.ts';

const apiUrl = inject('apiUrl');
const sharedWarehouse = inject('warehouseFile');
const cents = (value: unknown) => Math.round(Number(value) * 100);


let workDir: string;
beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-serving-'));
});
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('connection pool', () => {
  it('runs queries side by side, and refuses a request that waits too long or finds the queue full', async () => {
    const reader = new WarehouseReader(sharedWarehouse, { connections: 1, maxQueue: 1, waitTimeoutMs: 300 });
    const held = heldQuery(workDir);
    try {
      const slow = reader.query(held.sql);
      // Waits in the queue, then gives up.
      const waiting = reader.query('SELECT 1 AS one');
      // The queue (one place) is taken: refused at once.
      await expect(reader.query('SELECT 2 AS two')).rejects.toThrow(/busy \(1 queries waiting\)/);
      await expect(waiting).rejects.toBeInstanceOf(WarehouseBusyError);
      await expect(waiting).rejects.toThrow(/no connection became free within 0.3 s/);
      await held.release();
      expect((await slow)[0]).toHaveProperty('s');
      // Free again: the next query runs.
      // Cube's driver returns integers as text.
      expect(await reader.query<{ one: string }>('SELECT 1 AS one')).toEqual([{ one: '1' }]);
    } finally {
      await held.release();
      await reader.close();
    }
  });

  it('with two connections a second query does not wait for a slow one', async () => {
    const reader = new WarehouseReader(sharedWarehouse, { connections: 2, maxQueue: 0, waitTimeoutMs: 300 });
    const held = heldQuery(workDir);
    try {
      const slow = reader.query(held.sql);
      const [row] = await reader.query<{ customers: bigint | number | string }>('SELECT count(*) AS customers FROM core.dim_customers');
      const [direct] = await warehouseRows(sharedWarehouse, 'SELECT count(*) AS customers FROM core.dim_customers');
      expect(Number(row!.customers)).toBe(Number(direct!.customers));
      expect(reader.load().running).toBe(1); // the held one is still going
      await held.release();
      await slow;
    } finally {
      await held.release();
      await reader.close();
    }
  });
});

describe('the API over a pool and a result cache', () => {
  let server: RunningServer;
  let warehouseFile: string;
  let financeToken: string;
  const serverLog: string[] = [];

  beforeAll(async () => {
    warehouseFile = join(workDir, 'warehouse.duckdb');
    copyFileSync(sharedWarehouse, warehouseFile);
    // One connection and a short wait, so a slow query makes the next request wait too long;
    // no warming, so only the test's own requests use the connection.
    server = await serve({ port: 0, warehouseFile, pool: { connections: 1, maxQueue: 10, waitTimeoutMs: 500 }, warm: false, log: (line) => serverLog.push(line) });
    financeToken = await signIn(server.url, 'finance');
  });
  afterAll(async () => {
    await server?.close();
  });

  const customerCountQuery = { measures: ['finance.customer_count'] };
  const directCustomerCount = async (file: string) =>
    Number((await warehouseRows(file, 'SELECT count(DISTINCT customer_id) AS n FROM finance.fct_customer_margin_monthly'))[0]!.n);

  it('after a rebuild never serves the old warehouse\'s answer', async () => {
    const before = await loadRest(server.url, financeToken, customerCountQuery);
    expect(before.status).toBe(200);
    expect(Number(before.body.data[0]['finance.customer_count'])).toBe(await directCustomerCount(warehouseFile));
    // Asked again: the same answer (now from the cache).
    expect((await loadRest(server.url, financeToken, customerCountQuery)).body.data).toEqual(before.body.data);

    // A build publishes a warehouse in which a tenth of the customers have no margin rows.
    await withWorkingCopy(
      async (working) => {
        const instance = await DuckDBInstance.create(working);
        const connection = await instance.connect();
        await connection.run('DELETE FROM finance.fct_customer_margin_monthly WHERE hash(customer_id) % 10 = 0');
        connection.closeSync();
        instance.closeSync();
      },
      { publish: true, warehouse: warehouseFile },
    );
    const expectedAfter = await directCustomerCount(warehouseFile);
    expect(expectedAfter).toBeLessThan(Number(before.body.data[0]['finance.customer_count']));
    const after = await loadRest(server.url, financeToken, customerCountQuery);
    expect(after.status).toBe(200);
    expect(Number(after.body.data[0]['finance.customer_count'])).toBe(expectedAfter);
  });

  it('gives two roles asking the same query their own answers', async () => {
    const query = { measures: ['finance.line_revenue'] };
    const directRevenue = async (salesperson: string | null) =>
      cents(
        (
          await warehouseRows(
            warehouseFile,
            `SELECT sum(lines.net_revenue) AS revenue FROM finance.fct_order_lines AS lines JOIN core.dim_customers AS customers USING (customer_id)
             ${salesperson ? 'WHERE customers.owner_salesperson = ?' : ''}`,
            salesperson ? [salesperson] : [],
          )
        )[0]!.revenue,
      );
    const tokens = {
      finance: financeToken,
      management: await signIn(server.url, 'management'),
      ...Object.fromEntries(await Promise.all(salespeople.map(async ({ username }) => [username, await signIn(server.url, username)] as const))),
    } as Record<string, string>;
    const expected: Record<string, number> = {
      finance: await directRevenue(null),
      management: await directRevenue(null),
      ...Object.fromEntries(await Promise.all(salespeople.map(async ({ username, salesperson }) => [username, await directRevenue(salesperson)] as const))),
    };
    expect(expected[salespeople[0].username]).toBeLessThan(expected.finance!);
    expect(expected[salespeople[0].username]).not.toBe(expected[salespeople[1].username]);
    // Twice over, so the second round is answered from the cache the first round filled.
    for (let round = 0; round < 2; round++) {
      for (const [who, token] of Object.entries(tokens)) {
        const { status, body } = await loadRest(server.url, token, query);
        expect(status, who).toBe(200);
        expect(cents(body.data[0]['finance.line_revenue']), `${who}, round ${round + 1}`).toBe(expected[who]);
      }
    }
  });

  it('answers a repeated query with the same bytes and entity tag, and a conditional request with 304', async () => {
    const query = { measures: ['finance.customer_count', 'finance.order_count'] };
    const url = new URL('/cubejs-api/v1/load', server.url);
    url.searchParams.set('query', JSON.stringify(query));
    url.searchParams.set('queryType', 'multi');
    const ask = (headers: Record<string, string> = {}) => fetch(url, { headers: { authorization: financeToken, ...headers } });
    const first = await ask();
    const second = await ask();
    expect([first.status, second.status]).toEqual([200, 200]);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    const [firstBytes, secondBytes] = [Buffer.from(await first.arrayBuffer()), Buffer.from(await second.arrayBuffer())];
    expect(secondBytes.equals(firstBytes)).toBe(true);
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"/);
    expect(second.headers.get('etag')).toBe(etag);
    // The body is the multi form with the warehouse's figure and its publication time.
    const body = JSON.parse(firstBytes.toString('utf8')) as { results: { data: Record<string, string>[]; lastRefreshTime: string }[] };
    expect(Number(body.results[0]!.data[0]!['finance.customer_count'])).toBe(await directCustomerCount(warehouseFile));
    expect(body.results[0]!.lastRefreshTime).toBe(statSync(warehouseFile).mtime.toISOString());
    // An explicit Cache-Control: with only If-None-Match, fetch adds "no-cache", which
    // makes any server answer in full.
    const conditional = await ask({ 'if-none-match': etag!, 'cache-control': 'max-age=0' });
    expect(conditional.status).toBe(304);
  });

  it('says in a Server-Timing header how long the server spent on an answer, never longer than the client waited', async () => {
    const url = new URL('/cubejs-api/v1/load', server.url);
    url.searchParams.set('query', JSON.stringify({ measures: ['finance.order_count'], dimensions: ['finance.customer_type'] }));
    // The first answer runs on DuckDB, the second comes from the result cache.
    for (const _ of ['run', 'cached']) {
      const started = performance.now();
      const answer = await fetch(url, { headers: { authorization: financeToken } });
      await answer.arrayBuffer();
      const waited = performance.now() - started;
      expect(answer.status).toBe(200);
      const timing = answer.headers.get('server-timing');
      expect(timing).toMatch(/^total;dur=\d+\.\d\d$/);
      const serverMs = serverTotalMs(timing!)!;
      expect(serverMs).toBeGreaterThan(0);
      expect(serverMs).toBeLessThanOrEqual(waited);
    }
  });

  it('answers 503 with a short reason when a request waits too long for a connection', async () => {
    // The server's only connection is held by a query on its own pool until released.
    const held = heldQuery(workDir);
    const slow = server.warehouse.query(held.sql);
    try {
      const { status, body } = await loadRest(server.url, financeToken, { measures: ['finance.order_count'], dimensions: ['finance.region'] });
      expect(status).toBe(503);
      expect(body.error).toMatch(/^the warehouse is busy: no connection became free within 0.5 s/);
      expect(JSON.stringify(body)).not.toMatch(/select|from /i);
    } finally {
      await held.release();
    }
    await slow;
    const again = await loadRest(server.url, financeToken, { measures: ['finance.order_count'], dimensions: ['finance.region'] });
    expect(again.status, `${JSON.stringify(again.body)} ${serverLog.join('\n')}`).toBe(200);
  });
});

describe('a warehouse built by an older version of the models', () => {
  it('answers 503 naming the missing table and the rebuild, not SQL', async () => {
    const outdated = join(workDir, 'outdated.duckdb');
    copyFileSync(sharedWarehouse, outdated);
    const instance = await DuckDBInstance.create(outdated);
    const connection = await instance.connect();
    // As before the rollups existed: no pre_aggregations tables.
    const tables = (await connection.runAndReadAll(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'pre_aggregations'",
    )).getRowsJS().map(([name]) => String(name));
    expect(tables.length).toBeGreaterThan(0);
    for (const table of tables) await connection.run(`DROP TABLE pre_aggregations."${table}"`);
    connection.closeSync();
    instance.closeSync();
    const server = await serve({ port: 0, warehouseFile: outdated, warm: false, log: () => {} });
    try {
      const token = await signIn(server.url, 'finance');
      const { status, body } = await loadRest(server.url, token, kpiQuery(noFilters));
      expect(status).toBe(503);
      const missing = /^the warehouse has no table (\S+): it was built by an older version of the models; rebuild it/.exec(body.error)?.[1];
      expect(tables, body.error).toContain(missing);
      expect(JSON.stringify(body)).not.toMatch(/select |from /i);
    } finally {
      await server.close();
    }
  });
});

// After a swap the warmer asks again what people asked on the previous warehouse, under
// their own security context: a salesperson's own revenue, which no list of opening
// queries names, is answered from the cache the next morning, with the new figure.
describe('the warmer after a swap', () => {
  let server: RunningServer;
  let warehouseFile: string;
  const serverLog: string[] = [];

  beforeAll(async () => {
    warehouseFile = join(workDir, 'warmed', 'warehouse.duckdb');
    mkdirSync(join(workDir, 'warmed'), { recursive: true });
    copyFileSync(sharedWarehouse, warehouseFile);
    server = await serve({ port: 0, warehouseFile, warm: true, log: (line) => serverLog.push(line) });
  });
  afterAll(async () => {
    await server?.close();
  });

  const warmedLines = () => serverLog.filter((line) => line.startsWith('result cache warmed'));
  async function untilWarmed(count: number): Promise<string> {
    for (let waited = 0; warmedLines().length < count; waited += 100) {
      if (waited > 600_000) throw new Error(`the warmer did not finish: ${serverLog.join('\n')}`);
      await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
    }
    return warmedLines()[count - 1]!;
  }

  it("has the customer table's first page ready, and its customers' details and figures as the page asks them", async () => {
    await untilWarmed(1);
    const token = await signIn(server.url, 'finance');
    const months = (await warehouseRows(warehouseFile, `SELECT DISTINCT strftime(month, '%Y-%m') AS month FROM finance.fct_customer_margin_monthly WHERE month IS NOT NULL ORDER BY 1`))
      .map((row) => String(row.month));
    // The whole history, and the period the finance page opens on.
    for (const filters of [noFilters, { ...noFilters, period: toDateRange(defaultPeriod(months)!) }]) {
      const missesBefore = server.cache!.stats.misses;
      const page = await loadRest(server.url, token, customerMarginQuery(filters, firstCustomerPage, 'sort only'));
      expect(page.status, JSON.stringify(page.body)).toBe(200);
      const customerIds = (page.body.data as Record<string, unknown>[]).map((row) => String(row['finance.customer_id']));
      expect(customerIds).toHaveLength(15);
      for (const query of [customerDetailsQuery(customerIds), customerFiguresQuery(filters, customerIds)]) {
        const answer = await loadRest(server.url, token, query);
        expect(answer.status, JSON.stringify(answer.body)).toBe(200);
        expect(answer.body.data).toHaveLength(15);
      }
      expect(server.cache!.stats.misses, 'the page and its follow-ups answered from what the warmer asked').toBe(missesBefore);
    }
  });

  it("has the Service & sales page's opening queries ready on the period the page opens on, as each kind of user's page asks them", async () => {
    await untilWarmed(1);
    const months = (await warehouseRows(
      warehouseFile,
      `SELECT strftime(opened_at, '%Y-%m') AS month FROM service.fct_cases WHERE opened_at IS NOT NULL
       UNION SELECT strftime(occurred_at, '%Y-%m') FROM service.fct_sales_activities WHERE occurred_at IS NOT NULL ORDER BY 1`,
    )).map((row) => String(row.month));
    // The last three calendar months up to the last month with a case or an activity.
    const last = months.at(-1)!;
    const threeBack = new Date(Date.UTC(Number(last.slice(0, 4)), Number(last.slice(5, 7)) - 3, 1)).toISOString().slice(0, 7);
    expect(serviceDefaultPeriod(months)).toEqual({ from: threeBack < months[0]! ? months[0]! : threeBack, to: last });
    // Management's page asks the full queries. A service user's leaves out the money its
    // /meta does not offer, a salesperson's the margin (the page's panels: withoutMembers
    // over what access.missing names), and asks the rest; each on the period its own
    // month lists give (a salesperson's: the months with their own cases and activities).
    // Before, after every restart the first service user waited for the four panels with
    // money, and every salesperson for the whole page.
    for (const username of ['management', 'service', 'sales', 'sales2', 'sales-marketing']) {
      const token = await signIn(server.url, username);
      const meta = (await (await fetch(`${server.url}/cubejs-api/v1/meta`, { headers: { authorization: token } })).json()) as {
        cubes: { measures: { name: string }[]; dimensions: { name: string }[] }[];
      };
      const queryable = new Set(meta.cubes.flatMap((cube) => [...cube.measures, ...cube.dimensions].map((member) => member.name)));
      const hidden = serviceMoneyMembers.filter((member) => !queryable.has(member));
      if (username === 'management') expect(hidden).toEqual([]);
      if (username === 'service') expect(hidden).toEqual([...serviceMoneyMembers]);
      if (username.startsWith('sales')) expect(hidden.length, username).toBeGreaterThan(0);
      const missesBefore = server.cache!.stats.misses;
      const plansBefore = server.model.planStats.made;
      const ownMonths = new Set<string>();
      for (const query of [caseMonthsQuery, activityMonthsQuery]) {
        const answer = await loadRest(server.url, token, query);
        expect(answer.status, `${username}: ${JSON.stringify(answer.body)}`).toBe(200);
        for (const row of rowsOf(answer.body.data)) ownMonths.add(String(row[`${query.timeDimensions[0]!.dimension}.month`]).slice(0, 7));
      }
      const period = serviceDefaultPeriod([...ownMonths].sort());
      expect(period, username).not.toBeNull();
      if (username === 'management' || username === 'service') expect(period).toEqual(serviceDefaultPeriod(months));
      for (const [name, query] of Object.entries(serviceOpeningQueries({ ...noServiceFilters, period: toDateRange(period!) }))) {
        const answer = await loadRest(server.url, token, withoutMembers(query, hidden));
        expect(answer.status, `${username}, ${name}: ${JSON.stringify(answer.body)}`).toBe(200);
      }
      expect(server.cache!.stats.misses, `${username}: every opening query answered from what the warmer asked`).toBe(missesBefore);
      // Nor planned again: plans are kept per role and salesperson, not per user
      // (planningContext), and this user has not asked before.
      expect(server.model.planStats.made, `${username}: every opening query planned by the warmer`).toBe(plansBefore);
    }
  });

  it("asks again a salesperson's query asked before the swap, answered with the new warehouse's figure", async () => {
    await untilWarmed(1);
    const { username, salesperson } = salespeople[0]!;
    const token = await signIn(server.url, username);
    const query = { measures: ['finance.line_revenue'] };
    const revenueOf = async (file: string) =>
      cents(
        (await warehouseRows(
          file,
          `SELECT sum(lines.net_revenue) AS revenue FROM finance.fct_order_lines AS lines JOIN core.dim_customers AS customers USING (customer_id)
           WHERE customers.owner_salesperson = ?`,
          [salesperson],
        ))[0]!.revenue,
      );
    const before = await loadRest(server.url, token, query);
    expect(before.status, JSON.stringify(before.body)).toBe(200);
    expect(cents(before.body.data[0]['finance.line_revenue'])).toBe(await revenueOf(warehouseFile));

    // A build publishes a warehouse in which this salesperson's order lines are halved.
    await withWorkingCopy(
      async (working) => {
        const instance = await DuckDBInstance.create(working);
        const connection = await instance.connect();
        await connection.run(
          `UPDATE finance.fct_order_lines SET net_revenue = round(net_revenue / 2, 2)
           WHERE customer_id IN (SELECT customer_id FROM core.dim_customers WHERE owner_salesperson = '${salesperson.replaceAll("'", "''")}')`,
        );
        connection.closeSync();
        instance.closeSync();
      },
      { publish: true, warehouse: warehouseFile },
    );
    const line = await untilWarmed(2);
    expect(line).toMatch(/and [1-9]\d* answers of the previous warehouse asked again/);
    const missesBefore = server.cache!.stats.misses;
    const after = await loadRest(server.url, token, query);
    expect(after.status).toBe(200);
    expect(server.cache!.stats.misses, 'answered from what the warmer asked again').toBe(missesBefore);
    const expected = await revenueOf(warehouseFile);
    expect(expected).toBeLessThan(cents(before.body.data[0]['finance.line_revenue']));
    expect(cents(after.body.data[0]['finance.line_revenue'])).toBe(expected);
  });
});

// The shared test server's cache: answers still match the warehouse after other tests.
describe('the shared test server', () => {
  it('answers the customer count from its warmed cache equal to the warehouse', async () => {
    const token = await signIn(apiUrl, 'finance');
    const { status, body } = await loadRest(apiUrl, token, { measures: ['finance.customer_count'] });
    expect(status).toBe(200);
    const [direct] = await warehouseRows(sharedWarehouse, 'SELECT count(DISTINCT customer_id) AS n FROM finance.fct_customer_margin_monthly');
    expect(Number(body.data[0]['finance.customer_count'])).toBe(Number(direct!.n));
  });
});
