// The cache warmer runs in the background of the API server (cube/server/cache-warmer.ts):
// started without await at start-up and by the file watcher after each swap. A warming
// that fails must end in a log line, never in a rejected promise, which ends a Node
// process: under load, the rebuild-while-serving test removed its warehouse while the
// warmer was still replaying the previous warehouse's answers, and the warmer's version
// check threw. The warehouse, model and cache here are stand-ins that fail on cue.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, expect, it } from 'vitest';
import { warmCache, warmedContexts, warmOnSwap } from '../../cube/server/cache-warmer.ts';
import { ResultCache } from '../../cube/server/result-cache.ts';
import type { SemanticModel } from '../../cube/server/semantic-model.ts';
import type { WarehouseReader } from '../../cube/server/warehouse-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-warmer-'));
const file = join(dir, 'warehouse.duckdb');
writeFileSync(file, '');
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const rejections: unknown[] = [];
const keep = (reason: unknown) => rejections.push(reason);
beforeEach(() => {
  rejections.length = 0;
  process.on('unhandledRejection', keep);
});
afterEach(() => {
  process.off('unhandledRejection', keep);
});

/** A warehouse whose version is 'v1' for the first `answers` asks, then gone, as a removed file is. */
function warehouseGoneAfter(answers: number): WarehouseReader {
  let asked = 0;
  return {
    file,
    version: () => {
      if (asked++ < answers) return 'v1';
      throw new Error(`the warehouse ${file} has not been built yet`);
    },
  } as unknown as WarehouseReader;
}

/** A model that cannot plan (every opening query fails, and is counted as failed). */
const unplannable = { plan: async () => Promise.reject(new Error('no plan here')) } as unknown as SemanticModel;

/** Warms once, waits for its log line, and stops watching. */
async function warmOnce(warehouse: WarehouseReader, cache: ResultCache): Promise<string[]> {
  const lines: string[] = [];
  const stop = warmOnSwap(unplannable, warehouse, cache, (line) => lines.push(line), [{ sub: 'cache-warmer:finance', roles: ['finance'] }], 60_000);
  for (let waited = 0; lines.length === 0 && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
  stop();
  // Long enough for a rejection left behind to be reported.
  await new Promise((resolve) => setTimeout(resolve, 50));
  return lines;
}

it('stops with a log line when the file goes away before the warming starts', async () => {
  const lines = await warmOnce(warehouseGoneAfter(1), { takeReplays: () => [] } as unknown as ResultCache);
  expect(lines).toEqual([`result cache warming for warehouse v1 stopped: the warehouse ${file} has not been built yet`]);
  expect(rejections).toEqual([]);
});

it('stops replaying the previous answers when the file goes away meanwhile, and reports what it did', async () => {
  let replayed = 0;
  const replay = async () => {
    replayed++;
  };
  // 'v1' for the watcher and the warming's start; gone at the first replay's check.
  const lines = await warmOnce(warehouseGoneAfter(2), { takeReplays: () => [replay, replay] } as unknown as ResultCache);
  expect(replayed).toBe(0);
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^result cache warmed for warehouse v1: 0 answers \(0 not allowed, \d+ failed\), and 0 answers of the previous warehouse asked again, in [\d.]+ s; first failure: no plan here$/);
  expect(rejections).toEqual([]);
});

it('warms the contexts many users share first, one per roles and salesperson, and stops at half the cache', async () => {
  const contexts = warmedContexts([
    { roles: ['sales'], salesperson: 'Kaisa Lehto' },
    { roles: ['management'] },
    { roles: ['sales', 'marketing'], salesperson: 'Kaisa Lehto' },
    { roles: ['management'] },
    { roles: ['finance'] },
    { roles: ['sales'], salesperson: 'Jari Mäntylä' },
  ]);
  expect(contexts).toEqual([
    { sub: 'cache-warmer:management', roles: ['management'] },
    { sub: 'cache-warmer:finance', roles: ['finance'] },
    { sub: 'cache-warmer:sales:Kaisa Lehto', roles: ['sales'], salesperson: 'Kaisa Lehto' },
    { sub: 'cache-warmer:marketing:sales:Kaisa Lehto', roles: ['marketing', 'sales'], salesperson: 'Kaisa Lehto' },
    { sub: 'cache-warmer:sales:Jari Mäntylä', roles: ['sales'], salesperson: 'Jari Mäntylä' },
  ]);
  // A model that plans every query to one answer, and a warehouse that gives it.
  const planned = {
    query: { measures: ['finance.revenue'] }, sql: 'SELECT 1', values: [], aliasNameToMember: { finance__revenue: 'finance.revenue' },
    annotation: { measures: { 'finance.revenue': { title: 'Revenue', shortTitle: 'Revenue', type: 'number' } }, dimensions: {}, segments: {}, timeDimensions: {} }, views: ['finance'],
  };
  const model = { plan: async () => planned } as unknown as SemanticModel;
  const warehouse = { file, version: () => '1:2:1764633600000000000:3', query: async () => [{ finance__revenue: '1' }] } as unknown as WarehouseReader;
  const one = await warmCache(model, warehouse, new ResultCache(), contexts.slice(0, 1));
  expect(one.firstFailure).toBeUndefined();
  const perContext = one.answered;
  expect(perContext).toBeGreaterThan(10);
  // Half of this cache is two contexts' answers: the third and later are not asked.
  const report = await warmCache(model, warehouse, new ResultCache({ maxEntries: 4 * perContext }), contexts);
  expect(report.answered).toBe(2 * perContext);
  expect(report.stoppedAtBudget).toBe(true);
  expect(report.failed).toBe(0);
  const whole = await warmCache(model, warehouse, new ResultCache(), contexts);
  expect(whole.answered).toBe(contexts.length * perContext);
  expect(whole.stoppedAtBudget).toBeUndefined();
});
