// A kept answer is also kept gzip-compressed (result-cache.ts withGzip) and sent with
// Content-Encoding: gzip to a client that accepts it (browsers and fetch do). What that
// may never change: the decoded bytes are exactly the plain body; a client that does not
// accept gzip gets the plain body; both carry the same entity tag, so a conditional
// request still gets 304; caches are told the bytes vary by Accept-Encoding. The app runs
// on fakes (model, warehouse, token check), so this tests the HTTP behaviour alone;
// test/api/serving.warehouse.test.ts checks the real answers.
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Server } from 'node:http';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLoad } from '../../bench/api-latency.ts';
import { createApp } from '../../cube/server/app.ts';
import type { Authenticator } from '../../cube/server/auth.ts';
import { compressFrom, ResultCache } from '../../cube/server/result-cache.ts';
import type { PlannedQuery, SemanticModel } from '../../cube/server/semantic-model.ts';
import type { WarehouseReader } from '../../cube/server/warehouse-reader.ts';
import { rawGet } from '../helpers/api-client.ts';

const item = (type: string) => ({ title: type, shortTitle: type, type });

/** A planned query whose answer is `customers` rows of a name and a figure. */
function plannedFor(customers: number): PlannedQuery {
  return {
    query: { dimensions: ['finance.customer_name'], measures: ['finance.revenue'], limit: customers },
    sql: `SELECT ... LIMIT ${customers}`,
    values: [],
    aliasNameToMember: { finance__customer_name: 'finance.customer_name', finance__revenue: 'finance.revenue' },
    annotation: { measures: { 'finance.revenue': item('number') }, dimensions: { 'finance.customer_name': item('string') }, segments: {}, timeDimensions: {} },
    views: ['finance'],
  };
}

let server: Server;
let port: number;
let runs = 0;

beforeAll(async () => {
  const model = { plan: async (input: { limit: number }) => plannedFor(input.limit) } as unknown as SemanticModel;
  const warehouse = {
    // The marketing routes keep their segments beside the file; never written here.
    file: join(tmpdir(), 'asiakkuus-compressed-answers', 'warehouse.duckdb'),
    // dev:ino:mtimeNs:size, as WarehouseReader.version() writes it.
    version: () => '1:2:1764633600000000000:3',
    query: async (sql: string) => {
      runs++;
      const customers = Number(/LIMIT (\d+)/.exec(sql)![1]);
      return Array.from({ length: customers }, (_, i) => ({ finance__customer_name: `Asiakas ${i} Oy`, finance__revenue: String(1000 + i * 37.5) }));
    },
  } as unknown as WarehouseReader;
  const auth = { verify: () => ({ sub: 'anna', roles: ['finance'] }) } as unknown as Authenticator;
  const app = createApp({ model, warehouse, auth, cache: new ResultCache(), log: () => {} });
  server = app.listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** A GET of /load with exactly the given headers. */
function load(customers: number, headers: Record<string, string>) {
  const path = `/cubejs-api/v1/load?queryType=multi&query=${encodeURIComponent(JSON.stringify({ limit: customers }))}`;
  return rawGet(port, path, { authorization: 'token', ...headers });
}

describe('compressed answers', () => {
  it('send a large answer gzip-compressed to a client that accepts it, decoding to exactly the plain body', async () => {
    const plain = await load(2_000, {});
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.length).toBeGreaterThan(compressFrom * 10);
    expect((JSON.parse(plain.bytes.toString('utf8')) as { results: { data: unknown[] }[] }).results[0]!.data).toHaveLength(2_000);

    const gzipped = await load(2_000, { 'accept-encoding': 'gzip, deflate' });
    expect(gzipped.status).toBe(200);
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(Number(gzipped.headers['content-length'])).toBe(gzipped.bytes.length);
    expect(gzipped.bytes.length).toBeLessThan(plain.bytes.length / 4);
    expect(gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true);
    // One entity tag for both, and caches told the bytes depend on Accept-Encoding.
    expect(gzipped.headers.etag).toMatch(/^W\/"/);
    expect(gzipped.headers.etag).toBe(plain.headers.etag);
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
  });

  it('send the plain body to a client that refuses gzip or asks only for another coding', async () => {
    const reference = await load(1_500, {});
    for (const acceptEncoding of ['gzip;q=0', 'br', 'identity']) {
      const answer = await load(1_500, { 'accept-encoding': acceptEncoding });
      expect(answer.headers['content-encoding'], acceptEncoding).toBeUndefined();
      expect(answer.bytes.equals(reference.bytes), acceptEncoding).toBe(true);
    }
  });

  it('answer a conditional request with 304 and no body, with or without gzip', async () => {
    const first = await load(1_000, { 'accept-encoding': 'gzip' });
    const etag = first.headers.etag!;
    for (const headers of [{ 'accept-encoding': 'gzip' }, {}] as Record<string, string>[]) {
      const conditional = await load(1_000, { ...headers, 'if-none-match': etag });
      expect(conditional.status).toBe(304);
      expect(conditional.bytes.length).toBe(0);
      expect(conditional.headers['content-encoding']).toBeUndefined();
    }
  });

  it('send a small answer plain, and run each query once', async () => {
    const before = runs;
    const small = await load(1, { 'accept-encoding': 'gzip' });
    expect(small.bytes.length).toBeLessThan(compressFrom);
    expect(small.headers['content-encoding']).toBeUndefined();
    await load(1, { 'accept-encoding': 'gzip' });
    expect(runs - before).toBe(1);
  });

  it("are counted by the serving bench's clients with their bytes as sent and decoded", async () => {
    const plain = await load(3_000, {});
    const gzipped = await load(3_000, { 'accept-encoding': 'gzip' });
    const stats = (await runLoad(`http://127.0.0.1:${port}`, 'token', [{ name: 'table', query: { limit: 3_000 } }], 2, 200)).get('table')!;
    expect(stats.errors).toBe(0);
    expect(stats.requests).toBeGreaterThan(0);
    expect(stats.bodyBytes).toBe(plain.bytes.length);
    expect(stats.wireBytes).toBe(gzipped.bytes.length);
  });
});
