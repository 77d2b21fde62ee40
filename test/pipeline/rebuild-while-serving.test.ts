// A rebuild must never need the API stopped: the build writes a working copy and
// renames it over the served file; the API answers throughout and then serves the new
// figures. Only the changed exports are reloaded.
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { dbtTargetDir } from '../../config/settings.ts';
import { generateSampleCompany } from '../../ingest/sample/generate.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { expectedMarginsByCustomer, toCents } from '../helpers/expected-margins.ts';
import { fixtureBuild } from '../helpers/fixture-exports.ts';
import { testSample } from '../helpers/test-sample.ts';

let dir: string;
let sourceDir: string;
let warehouseFile: string;
let running: RunningServer;
let token: string;

const revenueQuery = { measures: ['finance.revenue'] };

async function totalRevenueCents(): Promise<number> {
  const { status, body } = await loadRest(running.url, token, revenueQuery);
  expect(status, JSON.stringify(body)).toBe(200);
  return toCents(body.data[0]['finance.revenue']);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-rebuild-'));
  sourceDir = join(dir, 'source');
  warehouseFile = join(dir, 'warehouse.duckdb');
  await generateSampleCompany({ ...testSample, customers: 12, seed: 7, outDir: sourceDir });
  await buildWarehouse({ sourceDir, warehouseFile, ...fixtureBuild });
  running = await serve({ port: 0, warehouseFile });
  token = await signIn(running.url);
});

afterAll(async () => {
  await running?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('serves during a rebuild and switches to the new warehouse when it is published', async () => {
  const before = await totalRevenueCents();
  const expectedBefore = [...(await expectedMarginsByCustomer(sourceDir)).values()].reduce((sum, m) => sum + m.revenueCents, 0);
  expect(before).toBe(expectedBefore);

  // A day's new data: one more order of 2 x P001 at 689.00 with 10 % discount = 1240.20.
  const customerId = readFileSync(join(sourceDir, 'erp/customers.csv'), 'utf8').split('\n')[1]!.split(',')[0]!;
  appendFileSync(join(sourceDir, 'erp/orders.csv'), `O99999999,${customerId},2026-10-30,webshop,delivered,,,\n`);
  appendFileSync(join(sourceDir, 'erp/order_lines.csv'), 'L999999999,O99999999,1,P001,2,689.00,10\n');

  const rebuild = buildWarehouse({ sourceDir, warehouseFile, ...fixtureBuild });
  // The API keeps answering from the served file while dbt writes the working copy.
  const duringBuild: number[] = [];
  let building = true;
  void rebuild.finally(() => (building = false));
  while (building) {
    duringBuild.push(await totalRevenueCents());
    await new Promise((resolveLater) => setTimeout(resolveLater, 200));
  }
  const report = await rebuild;
  expect(duringBuild.length).toBeGreaterThan(0);
  for (const value of duringBuild) expect([before, before + 124020]).toContain(value);

  expect(await totalRevenueCents()).toBe(before + 124020);
  const reloaded = report.loads.filter((load) => load.status === 'loaded').map((load) => [load.entity, load.rowsNewOrChanged]);
  expect(reloaded).toEqual([
    ['orders', 1],
    ['order_lines', 1],
  ]);
});

it("keeps dbt's file log at info: every node's line, not every statement's text", () => {
  // Both builds above logged here (the suite sets ASIAKKUUS_DBT_LOG_DIR, vitest.config.ts).
  const dbtLog = readFileSync(join(dbtTargetDir(warehouseFile), 'dbt.log'), 'utf8');
  expect(dbtLog).toMatch(/START sql (table|incremental) model core\.dim_customers/);
  expect(dbtLog).toMatch(/PASS not_null_columns_fct_order_lines/);
  // At dbt's default (debug) each statement is written with its status.
  expect(dbtLog).not.toContain('SQL status:');
  expect(dbtLog).not.toContain('On model.asiakkuus.');
});
