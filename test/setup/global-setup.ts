// Builds a small warehouse from a freshly generated sample company in a temporary
// folder (or copies the last run's, when nothing it is built from changed: sample-cache.ts),
// builds the dashboard when its sources changed (dashboard/dist), and serves both on a free port for the
// API and browser tests.
//
// Vitest runs every project's global setup before any test file, so waiting here for the
// warehouse (a minute and a half of a mostly single-threaded dbt build on a fresh clone)
// would keep both cores from the unit tests, which do not need it. So the setup waits
// only for the dashboard bundle and the server, and the warehouse builds while the unit
// tests run (they come first: vitest runs projects in name order); the server answers
// 503 until the file is there and then serves it, as after any build. Each warehouse test
// file waits for the build (test/setup/wait-for-sample.ts), which writes its outcome to
// the file provided as sampleReadyFile.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestProject } from 'vitest/node';
import { defaultTruthDir, generateSampleCompany } from '../../ingest/sample/generate.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { buildDashboard } from '../../pipeline/dashboard-build.ts';
import { runDbt } from '../../pipeline/dbt.ts';
import { startDbtServer, type DbtServer } from '../../pipeline/dbt-server.ts';
import { publishedWorkingCopy } from '../../pipeline/warehouse-swap.ts';
import { dashboardDistDir, dbtServerVariable } from '../../config/settings.ts';
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
    /** Written when the sample warehouse is built: "ok", or "failed: <reason>". */
    sampleReadyFile: string;
  }
}

let running: RunningServer | undefined;
let dbtServer: DbtServer | undefined;
let workDir: string | undefined;
let sampleBuilt: Promise<void> | undefined;

export async function setup(project: TestProject): Promise<void> {
  workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-test-'));
  const sampleDir = join(workDir, 'source');
  const warehouseFile = join(workDir, 'warehouse.duckdb');
  await ensurePythonEnv();
  // The run's dbt commands (the sample's, the fixtures', the incremental test's) go to one
  // server that imported dbt once (pipeline/dbt-server.ts): a new dbt process spends about
  // 2.5 CPU s on its imports, and the suite starts about 30. The bench smoke test's stages
  // still run dbt as processes (bench/measured-run.ts). Set before any worker starts, so
  // they inherit it. Its imports (a few seconds) run beside the dashboard build; only the
  // parse below waits for them.
  const dbtServerStarted = startDbtServer().then((server) => {
    dbtServer = server;
    process.env[dbtServerVariable] = server.socketPath;
  });
  const truthDir = defaultTruthDir(sampleDir);
  const sampleReadyFile = join(workDir, 'sample-ready');
  // dbt's saved parse (data/cache/dbt, pipeline/dbt.ts), made once before any test file
  // starts: without it the first builds of a fresh clone (the sample's and the first two
  // files') would each parse the whole project at once, three full parses competing for
  // two cores; with it each build reparses only what it must. Parsed for the file the
  // builds write (the working copy), which dbt's saved parse is keyed on.
  const parsed = dbtServerStarted.then(() => runDbt(['parse', '--quiet'], publishedWorkingCopy(warehouseFile)));
  sampleBuilt = sampleBuild(workDir, async () => {
    await Promise.all([generateSampleCompany({ ...testSample, outDir: sampleDir, truthDir }), parsed]);
    await buildWarehouse({ sourceDir: sampleDir, warehouseFile, unitTests: true, dbtArgs: ['--quiet'], log: () => {} });
  }).then(
    () => writeFileSync(sampleReadyFile, 'ok'),
    (error: unknown) => writeFileSync(sampleReadyFile, `failed: ${error instanceof Error ? error.message : String(error)}`),
  );
  // The dashboard bundle (Vite) builds while dbt parses: neither needs the other. It goes
  // to dashboard/dist, rebuilt only when its sources are newer (dashboardBuildIsCurrent),
  // where the bench's smoke test (bench/serving.ts) finds it current instead of building
  // it a second time.
  await Promise.all([buildDashboard({ logLevel: 'error' }), parsed]);
  running = await serve({ port: 0, warehouseFile, dashboardDir: dashboardDistDir, log: serverLogTo('sample') });
  project.provide('apiUrl', running.url);
  project.provide('sampleDir', sampleDir);
  project.provide('warehouseFile', warehouseFile);
  project.provide('truthDir', truthDir);
  project.provide('sampleReadyFile', sampleReadyFile);
  process.env.ASIAKKUUS_URL = running.url;
}

export async function teardown(): Promise<void> {
  // A run cut short (a unit test failed with --bail, say) may end before the build does.
  await sampleBuilt;
  await running?.close();
  await dbtServer?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
}
