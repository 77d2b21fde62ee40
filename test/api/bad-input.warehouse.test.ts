// Bad input gets a 4xx with a short reason naming what was wrong, never a 500, SQL or a
// stack: hand-written cases first, then a property-based fuzz test (fast-check) sending
// thousands of random and mutated queries. Also: sign-in is rate limited and every
// answer carries the security headers.
import { describe, expect, inject, it, beforeAll } from 'vitest';
import fc from 'fast-check';
import { loadRest, signIn } from '../helpers/api-client.ts';

const apiUrl = inject('apiUrl');
let token: string;

beforeAll(async () => {
  token = await signIn(apiUrl, 'finance', 'demo');
});

/** Nothing a database or a runtime would say: SQL keywords, stack frames, DuckDB's error classes. */
function expectNoInternals(text: string): void {
  expect(text).not.toMatch(/\bSELECT\b|\bFROM\b.*\bWHERE\b|\n\s+at |Binder Error|Conversion Error|Parser Error|duckdb|\.ts:\d+|node_modules/i);
}

async function getLoad(rawQueryParam: string): Promise<{ status: number; text: string }> {
  const url = new URL('/cubejs-api/v1/load', apiUrl);
  url.searchParams.set('query', rawQueryParam);
  const response = await fetch(url, { headers: { authorization: token } });
  return { status: response.status, text: await response.text() };
}

describe('bad queries are refused with 400 and a reason', () => {
  it.each([
    ['malformed JSON', '{"measures": ["finance.revenue"', /not valid JSON/],
    ['a JSON array (blending)', '[{"measures": ["finance.revenue"]}]', /data blending/],
    ['a JSON string', '"finance.revenue"', /query must be a JSON object/],
    ['an unknown member', '{"measures": ["finance.no_such_measure"]}', /unknown member 'finance.no_such_measure'/],
    ['an unknown view', '{"dimensions": ["nosuchview.x"]}', /unknown member 'nosuchview.x'/],
    ['an unknown filter operator', '{"measures": ["finance.revenue"], "filters": [{"member": "finance.region", "operator": "like", "values": ["x"]}]}', /filters\[0\]\.operator "like" is not a filter operator/],
    ['SQL in a number filter', `{"measures": ["finance.revenue"], "filters": [{"member": "finance.order_count", "operator": "gt", "values": ["1'; drop table x; --"]}]}`, /'finance.order_count' is a number/],
    ['text compared as a number', '{"measures": ["finance.revenue"], "filters": [{"member": "finance.region", "operator": "gt", "values": ["5"]}]}', /compares numbers and 'finance.region' is text/],
    ['a date filter on a non-date', '{"measures": ["finance.revenue"], "filters": [{"member": "finance.region", "operator": "inDateRange", "values": ["2025-01-01", "2025-02-01"]}]}', /needs a time member/],
    ['a bad date', '{"measures": ["finance.revenue"], "filters": [{"member": "finance.month", "operator": "afterDate", "values": ["2025-13-45"]}]}', /needs dates like 2025-01-31, got "2025-13-45"/],
    ['ungrouped that is not true or false', '{"dimensions": ["finance.region"], "ungrouped": "yes"}', /ungrouped must be true or false/],
    ['an ungrouped query with measures', '{"dimensions": ["finance.region"], "measures": ["finance.revenue"], "ungrouped": true}', /ungrouped queries take dimensions only/],
    ['values that are not a list', '{"measures": ["finance.revenue"], "filters": [{"member": "finance.region", "operator": "equals", "values": "Uusimaa"}]}', /values must be a list/],
    ['a limit over the maximum', '{"measures": ["finance.revenue"], "limit": 50001}', /limit must be a whole number from 0 to 50000/],
    ['a negative limit', '{"measures": ["finance.revenue"], "limit": -1}', /limit must be a whole number/],
    ['an offset that is not a number', '{"measures": ["finance.revenue"], "offset": "ten"}', /offset must be a whole number/],
    ['an empty nested filter', '{"measures": ["finance.revenue"], "filters": [{"and": []}]}', /filters\[0\]\.and must be a non-empty list/],
    ['an empty nested filter deeper down', '{"measures": ["finance.revenue"], "filters": [{"or": [{"member": "finance.region", "operator": "set"}, {"and": []}]}]}', /filters\[0\]\.or\[1\]\.and must be a non-empty list/],
    ['no members at all', '{}', /Query should contain either measures, dimensions or timeDimensions/],
    ['a member expression', '{"measures": [{"expression": "1"}]}', /./],
  ])('%s', async (_label, raw, reason) => {
    const { status, text } = await getLoad(raw);
    expect(status, text).toBe(400);
    expect(JSON.parse(text).error).toMatch(reason);
    expect(text.length).toBeLessThan(500);
    expectNoInternals(text);
  });

  it('a POST body that is not JSON gets 400', async () => {
    const response = await fetch(`${apiUrl}/cubejs-api/v1/load`, {
      method: 'POST',
      headers: { authorization: token, 'content-type': 'application/json' },
      body: '{"query": {"measures": [',
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { error: string }).error).toBe('request body is not valid JSON');
  });

  it('keeps serving after bad queries', async () => {
    const { status } = await loadRest(apiUrl, token, { measures: ['finance.revenue'] });
    expect(status).toBe(200);
  });
});

describe('fuzz: random and mutated queries never get a 5xx', () => {
  // The model's own members, so many generated queries get past validation and run.
  const members = ['finance.revenue', 'finance.order_count', 'finance.customer_count', 'finance.gross_margin_pct', 'finance.line_revenue', 'finance.region', 'finance.customer_type', 'finance.month', 'finance.product_group', 'finance.owner_salesperson', 'finance.customer_id', 'finance.loss_making_customers', 'finance.nope', 'nope.nope', ''];
  const operators = ['equals', 'notEquals', 'contains', 'gt', 'lte', 'set', 'notSet', 'inDateRange', 'beforeDate', 'measureFilter', 'startsWith', 'in', 'bogus', ''];
  const value = fc.oneof(fc.string({ maxLength: 12 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.constantFrom('2025-01-01', '1\'; drop table x; --', 'NaN', '1e309', '-0'));
  const leafFilter = fc.record({ member: fc.constantFrom(...members), operator: fc.constantFrom(...operators), values: fc.oneof(fc.array(value, { maxLength: 3 }), value) }, { requiredKeys: [] });
  const filter = fc.letrec((tie) => ({
    node: fc.oneof({ depthSize: 'small', withCrossShrink: true }, leafFilter, fc.record({ and: fc.array(tie('node'), { maxLength: 3 }) }), fc.record({ or: fc.array(tie('node'), { maxLength: 3 }) })),
  })).node;
  const query = fc.record(
    {
      measures: fc.array(fc.constantFrom(...members), { maxLength: 3 }),
      dimensions: fc.array(fc.constantFrom(...members, 'finance.month.month', 'finance.month.fortnight'), { maxLength: 3 }),
      segments: fc.array(fc.constantFrom(...members), { maxLength: 2 }),
      timeDimensions: fc.array(fc.record({ dimension: fc.constantFrom(...members), granularity: fc.constantFrom('month', 'day', 'year', 'decade', ''), dateRange: fc.oneof(fc.constantFrom('last year', 'this month', 'not a range'), fc.array(fc.constantFrom('2025-01-01', '2025-12-31', 'x'), { maxLength: 3 })) }, { requiredKeys: ['dimension'] }), { maxLength: 2 }),
      filters: fc.array(filter, { maxLength: 3 }),
      order: fc.oneof(fc.dictionary(fc.constantFrom(...members), fc.constantFrom('asc', 'desc', 'sideways')), fc.array(fc.tuple(fc.constantFrom(...members), fc.constantFrom('asc', 'desc')), { maxLength: 2 })),
      limit: fc.oneof(fc.integer({ min: -5, max: 200 }), fc.constantFrom(50_000, 50_001, 1.5), fc.string({ maxLength: 4 })),
      offset: fc.oneof(fc.integer({ min: -5, max: 100 }), fc.string({ maxLength: 4 }), fc.double()),
      ungrouped: fc.oneof(fc.boolean(), fc.string({ maxLength: 3 })),
      total: fc.boolean(),
      timezone: fc.constantFrom('UTC', 'Europe/Helsinki', 'Mars/Olympus'),
    },
    { requiredKeys: [] },
  );

  /** A query's JSON with a random cut, insertion or replaced character: malformed or subtly different input. */
  const mutatedJson = fc.tuple(query, fc.nat(), fc.constantFrom('cut', 'insert', 'replace'), fc.constantFrom('{', '}', '"', ',', ':', '[', ']', '\\', '\u0000', 'é', ' ')).map(([q, at, how, char]) => {
    const text = JSON.stringify(q);
    const position = text.length === 0 ? 0 : at % text.length;
    if (how === 'cut') return text.slice(0, position);
    if (how === 'insert') return `${text.slice(0, position)}${char}${text.slice(position)}`;
    return `${text.slice(0, position)}${char}${text.slice(position + 1)}`;
  });

  // Bounded so it stays a few minutes at most on a busy 2-core machine.
  const runs = { structured: 1200, mutated: 800 };

  it(`${runs.structured} random queries`, async () => {
    await fc.assert(
      fc.asyncProperty(query, async (q) => {
        const { status, text } = await getLoad(JSON.stringify(q));
        if (status >= 500) throw new Error(`${status} for ${JSON.stringify(q)}: ${text}`);
        if (status !== 200) expectNoInternals(text);
      }),
      { numRuns: runs.structured, seed: 20260114 },
    );
  }, 600_000);

  it(`${runs.mutated} mutated query strings`, async () => {
    await fc.assert(
      fc.asyncProperty(mutatedJson, async (raw) => {
        const { status, text } = await getLoad(raw);
        if (status >= 500) throw new Error(`${status} for ${raw}: ${text}`);
        if (status !== 200) expectNoInternals(text);
      }),
      { numRuns: runs.mutated, seed: 20260115 },
    );
    // Still serving.
    expect((await loadRest(apiUrl, token, { measures: ['finance.revenue'] })).status).toBe(200);
  }, 600_000);
});

describe('sign-in and headers', () => {
  it('limits failed sign-ins per user and address (429), without locking out other users', async () => {
    const attempt = (username: string, password: string) =>
      fetch(`${apiUrl}/api/session`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await attempt('rate-limit-probe', `wrong-${i}`)).status);
    expect(statuses.slice(0, 10)).toEqual(Array(10).fill(401));
    expect(statuses.slice(10)).toEqual([429, 429]);
    expect((await attempt('finance', 'demo')).status).toBe(200);
  });

  it('answers with security headers, a content security policy among them', async () => {
    const response = await fetch(`${apiUrl}/`);
    const csp = response.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(response.headers.get('strict-transport-security')).toMatch(/max-age=/);
    expect(response.headers.get('x-powered-by')).toBeNull();
  });
});
