// Cube's compact response format (`responseFormat: 'compact'`, which the quadrant chart's
// query asks for): the members once and each row as a list of values. The client must get
// exactly the rows the default format gives, and the two forms must never share a cached
// body. The client here is the dashboard's own @cubejs-client/core unpacking the bodies the
// API would send.
import { CubeApi, type LoadResponse } from '@cubejs-client/core';
import { describe, expect, it } from 'vitest';
import type { AnnotationItem } from '../../cube/server/cube-internals.ts';
import { ResultCache } from '../../cube/server/result-cache.ts';
import { responseBody } from '../../cube/server/result-shape.ts';
import type { PlannedQuery } from '../../cube/server/semantic-model.ts';

const item = (type: string, extra: Partial<AnnotationItem> = {}): AnnotationItem => ({ title: type, shortTitle: type, type, ...extra });

/** A query with a string and a number dimension and a monthly time dimension (returned under two names). */
const query = {
  dimensions: ['orders.customer_id', 'orders.revenue'],
  timeDimensions: [{ dimension: 'orders.month', granularity: 'month' }],
  order: [['orders.revenue', 'desc']],
};
const planned = (restQuery: Record<string, unknown>): PlannedQuery =>
  ({
    query: restQuery,
    sql: 'SELECT ...',
    values: [],
    aliasNameToMember: { orders__customer_id: 'orders.customer_id', orders__revenue: 'orders.revenue', orders__month_month: 'orders.month.month' },
    annotation: {
      measures: {},
      dimensions: { 'orders.customer_id': item('string'), 'orders.revenue': item('number') },
      segments: {},
      timeDimensions: { 'orders.month.month': item('time', { granularity: { name: 'month', title: 'month', interval: '1 month' } }) },
    },
    views: ['orders'],
  }) as PlannedQuery;

// As Cube's DuckDB driver returns them: numbers and times as strings, a missing value as null.
const rows = [
  { orders__customer_id: 'C-1', orders__revenue: '1234.5', orders__month_month: '2026-11-01T00:00:00.000Z' },
  { orders__customer_id: 'C-2', orders__revenue: null, orders__month_month: '2026-10-01T00:00:00.000Z' },
];

/** The dashboard's client, unpacking a /load body as load() does. */
class Client extends CubeApi {
  unpack(body: Buffer, castNumerics: boolean) {
    return this.loadResponseInternal(JSON.parse(body.toString()) as LoadResponse<unknown>, { castNumerics });
  }
}
const client = new Client('token', { apiUrl: 'http://127.0.0.1/cubejs-api/v1' });

describe("Cube's compact response format", () => {
  const plain = responseBody(planned(query), rows, '2026-12-02T00:00:00.000Z', null, true);
  const compact = responseBody(planned({ ...query, responseFormat: 'compact' }), rows, '2026-12-02T00:00:00.000Z', null, true);

  it('gives the client the same rows as the default format', () => {
    const fromPlain = client.unpack(plain.body, false);
    const fromCompact = client.unpack(compact.body, false);
    expect(fromCompact.rawData()).toEqual(fromPlain.rawData());
    expect(fromCompact.tablePivot()).toEqual(fromPlain.tablePivot());
    expect(fromCompact.rawData()).toHaveLength(rows.length);
    expect(fromCompact.rawData()[0]).toMatchObject({ 'orders.customer_id': 'C-1', 'orders.revenue': '1234.5', 'orders.month.month': '2026-11-01T00:00:00.000', 'orders.month': '2026-11-01T00:00:00.000' });
    expect(compact.rows).toBe(rows.length);
  });

  it('is much smaller for a long answer', () => {
    const many = Array.from({ length: 1000 }, (_, index) => ({ ...rows[0]!, orders__customer_id: `C-${index}` }));
    const longPlain = responseBody(planned(query), many, undefined, null, true);
    const longCompact = responseBody(planned({ ...query, responseFormat: 'compact' }), many, undefined, null, true);
    expect(client.unpack(longCompact.body, false).rawData()).toEqual(client.unpack(longPlain.body, false).rawData());
    expect(longCompact.body.length).toBeLessThan(longPlain.body.length / 2);
  });

  it('is sent as members and rows of values', () => {
    const { results } = JSON.parse(compact.body.toString()) as { results: { query: { responseFormat: string }; data: { members: string[]; dataset: unknown[][] } }[] };
    expect(results[0]!.query.responseFormat).toBe('compact');
    expect(results[0]!.data.members).toEqual(['orders.customer_id', 'orders.revenue', 'orders.month.month', 'orders.month']);
    expect(results[0]!.data.dataset[1]).toEqual(['C-2', null, '2026-10-01T00:00:00.000', '2026-10-01T00:00:00.000']);
  });

  it('is never answered from the cached body of the default format, or the other way round', () => {
    const context = { sub: 'anna', roles: ['management'] };
    expect(ResultCache.key(context, planned({ ...query, responseFormat: 'compact' }).query, 'SELECT ...', [])).not.toBe(
      ResultCache.key(context, planned(query).query, 'SELECT ...', []),
    );
  });
});
