// The result cache keeps the finished response body of a cached answer (result-cache.ts
// answerPlanned), so a repeated query only writes bytes. These tests check what that may
// never change: the same query under the same security context gets the same bytes
// without rendering again; another role, another form or a new warehouse version never
// gets a kept body; a body goes when its answer goes. A fake warehouse counts the runs.
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { answerPlanned, compressFrom, ResultCache, type CachedBody, type CachedResult } from '../../cube/server/result-cache.ts';
import type { PlannedQuery } from '../../cube/server/semantic-model.ts';
import type { WarehouseReader } from '../../cube/server/warehouse-reader.ts';

function fakeWarehouse() {
  let version = 'v1';
  let runs = 0;
  const warehouse = {
    version: () => version,
    // Each run answers with the version and its own run number, so a stale answer shows.
    query: async () => [{ version, run: ++runs }],
  } as unknown as WarehouseReader;
  return { warehouse, runs: () => runs, setVersion: (next: string) => (version = next) };
}

const planned = { query: { measures: ['finance.revenue'] }, sql: 'SELECT sum(revenue) AS revenue FROM x', values: [] } as unknown as PlannedQuery;
const finance = { sub: 'anna', roles: ['finance'] };
const otherFinanceUser = { sub: 'bert', roles: ['finance'] };
const marketing = { sub: 'mia', roles: ['marketing'] };

/** A render that counts its calls and writes the answer and the version it was given. */
function counter() {
  let renders = 0;
  const render = (result: CachedResult, version: string): CachedBody => {
    renders++;
    const body = Buffer.from(JSON.stringify({ version, rows: result.rows }));
    return { body, etag: `"${renders}"`, rows: result.rows.length };
  };
  return { render, renders: () => renders };
}

const text = (answer: CachedBody) => JSON.parse(answer.body.toString()) as { version: string; rows: { version: string; run: number }[] };

describe('kept response bodies', () => {
  it('answer the same query under the same roles with the same bytes, rendered and run once', async () => {
    const { warehouse, runs } = fakeWarehouse();
    const cache = new ResultCache();
    const { render, renders } = counter();
    const first = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    // Another user with the same roles: the same answer (the key is roles and salesperson).
    const second = await answerPlanned(warehouse, cache, planned, otherFinanceUser, 'multi', render);
    expect(second.body).toBe(first.body);
    expect(second.etag).toBe(first.etag);
    expect([runs(), renders()]).toEqual([1, 1]);
    expect(cache.size().bytes).toBe(first.body.length);
  });

  it('are rendered anew for every request when there is no cache', async () => {
    const { warehouse, runs } = fakeWarehouse();
    const { render, renders } = counter();
    const first = await answerPlanned(warehouse, undefined, planned, finance, 'multi', render);
    const second = await answerPlanned(warehouse, undefined, planned, finance, 'multi', render);
    expect(text(second).rows[0]!.run).toBe(text(first).rows[0]!.run + 1);
    expect([runs(), renders()]).toEqual([2, 2]);
  });

  it('are never given to another role', async () => {
    const { warehouse } = fakeWarehouse();
    const cache = new ResultCache();
    const { render } = counter();
    const financeAnswer = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    const marketingAnswer = await answerPlanned(warehouse, cache, planned, marketing, 'multi', render);
    expect(text(marketingAnswer).rows[0]!.run).not.toBe(text(financeAnswer).rows[0]!.run);
    // Each keeps its own.
    expect((await answerPlanned(warehouse, cache, planned, finance, 'multi', render)).body).toBe(financeAnswer.body);
    expect((await answerPlanned(warehouse, cache, planned, marketing, 'multi', render)).body).toBe(marketingAnswer.body);
  });

  it('are kept per form, made from the one cached answer', async () => {
    const { warehouse, runs } = fakeWarehouse();
    const cache = new ResultCache();
    const { render, renders } = counter();
    const multi = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    const plain = await answerPlanned(warehouse, cache, planned, finance, 'plain', render);
    expect(plain.body).not.toBe(multi.body);
    expect(text(plain).rows).toEqual(text(multi).rows);
    expect([runs(), renders()]).toEqual([1, 2]);
  });

  it('are never served after the warehouse changed', async () => {
    const { warehouse, setVersion } = fakeWarehouse();
    const cache = new ResultCache();
    const { render } = counter();
    const before = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(text(before).version).toBe('v1');
    setVersion('v2');
    const after = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(text(after)).toEqual({ version: 'v2', rows: [{ version: 'v2', run: 2 }] });
    expect(cache.size().bytes).toBe(after.body.length);
    expect(cache.stats.drops).toBe(1);
  });

  it('are not kept when the warehouse changed while the answer was made', async () => {
    const { warehouse, setVersion } = fakeWarehouse();
    const cache = new ResultCache();
    const made: string[] = [];
    // A request on the new version reaches the cache while the old answer is rendered.
    const render = (result: CachedResult, version: string): CachedBody => {
      made.push(version);
      if (made.length === 1) {
        setVersion('v2');
        cache.get('v2', 'another query');
      }
      return { body: Buffer.from(JSON.stringify({ version, rows: result.rows })), etag: '"x"', rows: result.rows.length };
    };
    const stale = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(text(stale).version).toBe('v1');
    const fresh = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(text(fresh).version).toBe('v2');
    expect(made).toEqual(['v1', 'v2']);
  });

  it('go with their answer when the cache evicts it, and count toward its byte bound', async () => {
    const { warehouse, runs } = fakeWarehouse();
    const { render } = counter();
    const other = { ...planned, sql: 'SELECT 2' } as PlannedQuery;
    const probe = await answerPlanned(fakeWarehouse().warehouse, new ResultCache(), planned, finance, 'multi', render);
    // Room for one body only: the second query's body evicts the first query's entry.
    const cache = new ResultCache({ maxBytes: probe.body.length + 1 });
    await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    await answerPlanned(warehouse, cache, other, finance, 'multi', render);
    expect(cache.size().entries).toBe(1);
    expect(cache.size().bytes).toBeLessThanOrEqual(probe.body.length + 1);
    const again = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(text(again).rows[0]!.run).toBe(3);
    expect(runs()).toBe(3);
  });

  it('keep a large body also gzip-compressed, decoding to exactly the plain bytes, and count both', async () => {
    const { warehouse } = fakeWarehouse();
    const cache = new ResultCache();
    // A body well past the threshold, with every byte value, as a large answer is.
    const large = Buffer.concat([Buffer.from('{"rows":"'), Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 7919) % 256)), Buffer.from('"}')]);
    let renders = 0;
    const render = (): CachedBody => ({ body: large, etag: `"${++renders}"`, rows: 1 });
    const first = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(first.gzip).toBeDefined();
    expect(gunzipSync(first.gzip!).equals(large)).toBe(true);
    expect(cache.size().bytes).toBe(large.length + first.gzip!.length);
    // The hit is the kept body and its compressed copy, not compressed again.
    const hit = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect(hit.gzip).toBe(first.gzip);
    expect(renders).toBe(1);
  });

  it('keep a small body plain only, and compress nothing without a cache', async () => {
    const { warehouse } = fakeWarehouse();
    const { render } = counter();
    const small = await answerPlanned(warehouse, new ResultCache(), planned, finance, 'multi', render);
    expect(small.body.length).toBeLessThan(compressFrom);
    expect(small.gzip).toBeUndefined();
    const large = (): CachedBody => ({ body: Buffer.alloc(compressFrom * 4, 'x'), etag: '"x"', rows: 1 });
    expect((await answerPlanned(warehouse, undefined, planned, finance, 'multi', large)).gzip).toBeUndefined();
  });
});

// After a swap the warmer asks again what the cache held for the previous warehouse
// (cache-warmer.ts): each kept body's query, under the security context and in the form
// it was asked in, now answered on the new warehouse.
describe('answers asked again after a swap', () => {
  const salesperson = { sub: 'kaisa', roles: ['sales'], salesperson: 'Kaisa Lehto' };
  const other = { ...planned, sql: 'SELECT 2' } as PlannedQuery;

  it('are the previous version\'s kept bodies, each in its own form and context, answered on the new version into the cache', async () => {
    const { warehouse, setVersion, runs } = fakeWarehouse();
    const cache = new ResultCache();
    const { render } = counter();
    await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    await answerPlanned(warehouse, cache, other, salesperson, 'plain', render);
    expect(cache.takeReplays()).toEqual([]); // nothing replaced yet
    setVersion('v2');
    // The first request on the new version drops the old entries and keeps their replays.
    cache.get('v2', 'a query of the new version');
    const replays = cache.takeReplays();
    expect(replays).toHaveLength(2);
    expect(cache.takeReplays()).toEqual([]); // taken once
    for (const replay of replays) await replay();
    expect(runs()).toBe(4);
    // Both are now kept bodies of v2: asked again they run nothing.
    const financeAgain = await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    const salesAgain = await answerPlanned(warehouse, cache, other, salesperson, 'plain', render);
    expect(runs()).toBe(4);
    expect(text(financeAgain).version).toBe('v2');
    expect(text(salesAgain).version).toBe('v2');
    // Under the context each was asked in: another role's request is not answered from them.
    await answerPlanned(warehouse, cache, other, finance, 'plain', render);
    expect(runs()).toBe(5);
  });

  it('are the most recently used, up to maxReplays, and not what the cache had evicted', async () => {
    const { warehouse, setVersion } = fakeWarehouse();
    const cache = new ResultCache({ maxReplays: 2 });
    const { render } = counter();
    const queries = ['SELECT 1', 'SELECT 2', 'SELECT 3'].map((sql) => ({ ...planned, sql }) as PlannedQuery);
    for (const query of queries) await answerPlanned(warehouse, cache, query, finance, 'multi', render);
    // The first query used again: the least recently used is now the second.
    await answerPlanned(warehouse, cache, queries[0]!, finance, 'multi', render);
    setVersion('v2');
    cache.get('v2', 'x');
    const replays = cache.takeReplays();
    expect(replays).toHaveLength(2);
    for (const replay of replays) await replay();
    const keptAgain = new Set<string>();
    for (const query of queries) {
      const before = cache.stats.misses;
      await answerPlanned(warehouse, cache, query, finance, 'multi', render);
      if (cache.stats.misses === before) keptAgain.add(query.sql);
    }
    expect([...keptAgain].sort()).toEqual(['SELECT 1', 'SELECT 3']);
  });
});
