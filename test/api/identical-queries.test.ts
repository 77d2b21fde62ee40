// Identical queries arriving together share one run on the warehouse (result-cache.ts
// runPlanned), with or without the result cache; different security contexts and a new
// warehouse version never share. A fake warehouse counts the runs and answers when told.
import { describe, expect, it } from 'vitest';
import { answerPlanned, ResultCache, runPlanned, type CachedResult } from '../../cube/server/result-cache.ts';
import type { PlannedQuery } from '../../cube/server/semantic-model.ts';
import type { WarehouseReader } from '../../cube/server/warehouse-reader.ts';

function fakeWarehouse() {
  const runs: { sql: string; answer: (rows: Record<string, unknown>[]) => void }[] = [];
  let version = 'v1';
  const warehouse = {
    version: () => version,
    query: (sql: string) => new Promise<Record<string, unknown>[]>((answer) => runs.push({ sql, answer })),
  } as unknown as WarehouseReader;
  return { warehouse, runs, setVersion: (next: string) => (version = next) };
}

const planned = { query: { measures: ['finance.revenue'] }, sql: 'SELECT sum(revenue) AS revenue FROM x', values: [] } as unknown as PlannedQuery;
const finance = { roles: ['finance'] };
const marketing = { roles: ['marketing'] };
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('identical queries at the same time', () => {
  it.each([['without', undefined], ['with', new ResultCache()]] as const)('share one run %s the result cache', async (_label, cache) => {
    const { warehouse, runs } = fakeWarehouse();
    const answers = Promise.all(Array.from({ length: 5 }, () => runPlanned(warehouse, cache, planned, finance)));
    await settle();
    expect(runs).toHaveLength(1);
    runs[0]!.answer([{ revenue: 1234.5 }]);
    for (const answer of await answers) expect(answer.rows).toEqual([{ revenue: 1234.5 }]);
  });

  it('run again once the first has finished, when nothing is cached', async () => {
    const { warehouse, runs } = fakeWarehouse();
    const first = runPlanned(warehouse, undefined, planned, finance);
    await settle();
    runs[0]!.answer([{ revenue: 1 }]);
    await first;
    const second = runPlanned(warehouse, undefined, planned, finance);
    await settle();
    expect(runs).toHaveLength(2);
    runs[1]!.answer([{ revenue: 2 }]);
    expect((await second).rows).toEqual([{ revenue: 2 }]);
  });

  it('never share between two roles or two warehouse versions', async () => {
    const { warehouse, runs, setVersion } = fakeWarehouse();
    const financeAnswer = runPlanned(warehouse, undefined, planned, finance);
    const marketingAnswer = runPlanned(warehouse, undefined, planned, marketing);
    setVersion('v2');
    const newVersionAnswer = runPlanned(warehouse, undefined, planned, finance);
    await settle();
    expect(runs).toHaveLength(3);
    runs.forEach((run, index) => run.answer([{ revenue: index }]));
    expect([(await financeAnswer).rows, (await marketingAnswer).rows, (await newVersionAnswer).rows]).toEqual([[{ revenue: 0 }], [{ revenue: 1 }], [{ revenue: 2 }]]);
  });

  it('a failed run fails every request that waited for it, and the next request runs anew', async () => {
    const { warehouse } = fakeWarehouse();
    let calls = 0;
    (warehouse as unknown as { query: () => Promise<unknown> }).query = () => (++calls === 1 ? Promise.reject(new Error('disk gone')) : Promise.resolve([{ revenue: 3 }]));
    const both = await Promise.allSettled([runPlanned(warehouse, undefined, planned, finance), runPlanned(warehouse, undefined, planned, finance)]);
    expect(both.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    expect((await runPlanned(warehouse, undefined, planned, finance)).rows).toEqual([{ revenue: 3 }]);
    expect(calls).toBe(2);
  });

  it('share one body, rendered and compressed once, when the result cache is on', async () => {
    const { warehouse, runs } = fakeWarehouse();
    const cache = new ResultCache();
    let renders = 0;
    const render = (result: CachedResult, version: string) => {
      renders++;
      const body = Buffer.from(JSON.stringify({ version, data: result.rows, padding: 'x'.repeat(4096) }));
      return { body, etag: `W/"${body.length}"`, rows: result.rows.length };
    };
    const answers = Promise.all(Array.from({ length: 5 }, () => answerPlanned(warehouse, cache, planned, finance, 'plain', render)));
    await settle();
    expect(runs).toHaveLength(1);
    runs[0]!.answer([{ revenue: 1234.5 }]);
    const bodies = await answers;
    expect(renders).toBe(1);
    for (const body of bodies) {
      expect(JSON.parse(body.body.toString()).data).toEqual([{ revenue: 1234.5 }]);
      expect(body.gzip).toBe(bodies[0]!.gzip);
    }
    expect(bodies[0]!.gzip!.length).toBeLessThan(bodies[0]!.body.length);
    // Another form of the same answer renders its own body, from the kept rows.
    await answerPlanned(warehouse, cache, planned, finance, 'multi', render);
    expect([renders, runs.length]).toEqual([2, 1]);
    // And a second role never gets the first one's body.
    const marketingBody = answerPlanned(warehouse, cache, planned, marketing, 'plain', render);
    await settle();
    expect(runs).toHaveLength(2);
    runs[1]!.answer([{ revenue: 1 }]);
    expect(JSON.parse((await marketingBody).body.toString()).data).toEqual([{ revenue: 1 }]);
  });
});
