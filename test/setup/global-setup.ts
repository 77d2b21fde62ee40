// Builds a small warehouse from a freshly generated sample company in a temporary
// folder (or copies the last run's, when nothing it is built from changed: sample-cache.ts),
// builds the dashboard from the current sources, and serves both on a free port for the
// API and browser tests.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { defaultTruthDir, generateSampleCompany } from '../../ingest/sample/generate.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { buildDashboard } from '../../pipeline/dashboard-build.ts';
import { ensurePythonEnv } from '../../pipeline/python-env.ts';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { testSample } from '../helpers/test-sample.ts';
import { serverLogTo } from '../helpers/server-log.ts';
import { sampleBuild } from './sample-cache.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    apiUrl: string;
    sampleDir: string;
    warehouseFile: string;
    truthDir: string;
  }
}

let running: RunningServer | undefined;
let workDir: string | undefined;

export async function setup(project: TestProject): Promise<void> {
  workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-test-'));
  const sampleDir = join(workDir, 'source');
  const warehouseFile = join(workDir, 'warehouse.duckdb');
  const dashboardDir = join(workDir, 'dashboard');
  await ensurePythonEnv();
  const truthDir = defaultTruthDir(sampleDir);
  // The dashboard bundle (Vite) builds while dbt runs: neither needs the other.
  await Promise.all([
    sampleBuild(workDir, async () => {
      await generateSampleCompany({ ...testSample, outDir: sampleDir, truthDir });
      await buildWarehouse({ sourceDir: sampleDir, warehouseFile, dbtArgs: ['--quiet'], log: () => {} });
    }),
    buildDashboard({ outDir: dashboardDir, force: true, logLevel: 'error' }),
  ]);
  running = await serve({ port: 0, warehouseFile, dashboardDir, log: serverLogTo('sample') });
  project.provide('apiUrl', running.url);
  project.provide('sampleDir', sampleDir);
  project.provide('warehouseFile', warehouseFile);
  project.provide('truthDir', truthDir);
  process.env.ASIAKKUUS_URL = running.url;
}

export async function teardown(): Promise<void> {
  await running?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
