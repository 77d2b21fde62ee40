// `npm run bench -- [--customers N] [--reuse] [--duration S] [--runs N] [--out FILE] [--compare FILE] [--skip-identity-sets] [--swaps N]`
//
// Measures every stage on this machine: sample generation, each ingest source, dbt
// build and its slowest nodes, an incremental rebuild after a day's new data, and API
// latency at 1 and 20 concurrent clients against the same SQL run directly on DuckDB.
// Figures come from the run; nothing here asserts a time.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dbtTargetDir, repoRoot } from '../config/settings.ts';
import type { SampleSummary } from '../ingest/sample/generate.ts';
import type { EntityLoadResult } from '../ingest/load/load-entity.ts';
import { dataBuildArgs } from '../pipeline/dbt.ts';
import { ensurePythonEnv } from '../pipeline/python-env.ts';
import { measureApiLatency, startApiServer } from './api-latency.ts';
import { withBenchDay } from './day-increment.ts';
import { measureServing } from './serving.ts';
import { measureIdentity } from './identity-metrics.ts';
import { managementQueries } from './management-queries.ts';
import { measureRelationshipAgreement } from './relationship-agreement.ts';
import { measuredRun, median, tsEntry, type Measured } from './measured-run.ts';
import { measureFebrl } from './febrl.ts';
import { measureEvalSet } from './evalset.ts';
import type { DuckDbRead } from './duckdb-read.ts';
import { measureMarketingExport, type ExportMeasurement } from './marketing-export.ts';
import { marketingQueries } from './marketing-queries.ts';
import { dashboardQueries } from './queries.ts';
import { formatReport } from './report.ts';
import type { BenchResult, StageResult } from './result.ts';
import { environmentFacts } from './versions.ts';
import { readCommandLine } from '../pipeline/command-line.ts';

const values = readCommandLine('npm run bench -- [--customers N] [--reuse] [--duration S] [--runs N] [--out FILE] [--compare FILE] [--skip-identity-sets] [--swaps N]', {
  options: {
    customers: { type: 'string', default: '100000' },
    reuse: { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    runs: { type: 'string', default: '3' },
    out: { type: 'string' },
    compare: { type: 'string' },
    // FEBRL and the identity evaluation set do not depend on --customers and take about a
    // minute: the bench's smoke test leaves them out, since their own tests
    // (test/identity/febrl-benchmark, evalset) run the same measurements.
    'skip-identity-sets': { type: 'boolean', default: false },
    // Swaps the serving figures "after a swap" are gathered over (bench/serving.ts).
    swaps: { type: 'string', default: '3' },
  },
});

const customers = Number(values.customers);
const runs = Math.max(1, Number(values.runs));
const durationSeconds = Number(values.duration);
if (!Number.isInteger(customers) || customers <= 0) throw new Error(`--customers must be a positive integer, got ${values.customers}`);

const workDir = resolve(repoRoot, 'data/bench', `customers-${customers}`);
const sourceDir = join(workDir, 'source');
const warehouseFile = join(workDir, 'warehouse.duckdb');
const stageEnv = { ASIAKKUUS_WAREHOUSE: warehouseFile, ASIAKKUUS_SOURCE_DIR: sourceDir };
const stages: StageResult[] = [];
const log = (line: string) => console.error(line);

/** Short steps are repeated and their median kept; long ones run once. */
async function stage(name: string, run: () => Promise<Measured>, options: { rows?: number; repeatable?: boolean } = {}): Promise<Measured> {
  log(`bench: ${name} ...`);
  const first = await run();
  const all = [first];
  while (options.repeatable && all.length < runs && first.seconds < 10) all.push(await run());
  const result: StageResult = {
    name: all.length > 1 ? `${name} (median of ${all.length})` : name,
    seconds: median(all.map((m) => m.seconds)),
    cpuSeconds: median(all.map((m) => m.cpuSeconds)),
    maxRssBytes: Math.max(...all.map((m) => m.maxRssBytes)),
    ...(options.rows !== undefined ? { rows: options.rows } : {}),
  };
  stages.push(result);
  log(`bench: ${result.name}: ${result.seconds.toFixed(2)} s`);
  return first;
}

await ensurePythonEnv(log);
mkdirSync(workDir, { recursive: true });
const startedAt = new Date().toISOString();

const manifestFile = join(sourceDir, 'manifest.json');
const reusable = values.reuse && existsSync(manifestFile) && (JSON.parse(readFileSync(manifestFile, 'utf8')) as SampleSummary).options.customers === customers;
if (!reusable) {
  rmSync(sourceDir, { recursive: true, force: true });
  await stage('generate sample company', () => measuredRun(...tsEntry('ingest/sample/cli.ts', ['--customers', String(customers), '--out', sourceDir])), {
    repeatable: true,
  });
}
const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SampleSummary;
const sourceRows = Object.values(manifest.files).reduce((sum, n) => sum + n, 0);

let ingestResults: EntityLoadResult[] = [];
await stage(
  'ingest (all sources, empty warehouse)',
  async () => {
    for (const suffix of ['', '.wal', '.next', '.next.wal']) rmSync(warehouseFile + suffix, { force: true });
    const measured = await measuredRun(...tsEntry('ingest/cli.ts', ['--source-dir', sourceDir, '--json']), stageEnv);
    ingestResults = (JSON.parse(measured.stdout) as { results: EntityLoadResult[] }).results;
    return measured;
  },
  { rows: sourceRows, repeatable: true },
);

// Ingest speed side by side: DuckDB's own readers of the same files, in one measured child process.
log("bench: DuckDB's own readers of the same files ...");
const duckDbReads = JSON.parse((await measuredRun(...tsEntry('bench/duckdb-read.ts', ['--source-dir', sourceDir]))).stdout) as DuckDbRead[];

// The build every build of data runs (pipeline/build.ts): every data test, not dbt's unit
// tests, which check the models' rules on inline rows whatever data is built (pipeline/dbt.ts).
await stage('dbt build', () => measuredRun(process.execPath, [join(repoRoot, 'bin/dbt.mjs'), 'build', ...dataBuildArgs(false), '--quiet'], stageEnv), { repeatable: true });
const runResults = JSON.parse(readFileSync(join(dbtTargetDir(warehouseFile), 'run_results.json'), 'utf8')) as {
  results: { unique_id: string; execution_time: number }[];
};
// Identity resolution is the dbt models under intermediate/identity; their share of the build.
const identityNodes = runResults.results
  .filter((r) => /^model\.asiakkuus\.int_(customer_records|identity_|customer_golden_record)/.test(r.unique_id))
  .map((r) => ({ node: r.unique_id.replace(/^model\.asiakkuus\./, ''), seconds: r.execution_time }))
  .sort((a, b) => b.seconds - a.seconds);
const identityQuality = await measureIdentity(warehouseFile, manifest.truthDir);
// The management models (intermediate/management and marts/management): their share of
// the build, and the relationship natures against the generator's true types.
const managementNodes = runResults.results
  .filter((r) => /^model\.asiakkuus\.(int_management__|fct_(relationship_nature|care_class|account_plan_progress|customer_portfolio|portfolio_transitions|value_quadrant_history|maturity_))/.test(r.unique_id))
  .map((r) => ({ node: r.unique_id.replace(/^model\.asiakkuus\./, ''), seconds: r.execution_time }))
  .sort((a, b) => b.seconds - a.seconds);
const relationshipAgreement = await measureRelationshipAgreement(warehouseFile, manifest.truthDir);
const identitySets = !values['skip-identity-sets'];
if (identitySets) log('bench: FEBRL ...');
const febrl = identitySets ? measureFebrl() : undefined;
if (identitySets) log('bench: identity evaluation set ...');
const evalSet = identitySets ? measureEvalSet() : undefined;
const slowestNodes = (results: typeof runResults.results, count: number) =>
  results
    .map((r) => ({ node: r.unique_id.replace(/^[a-z_]+\.asiakkuus\./, ''), seconds: r.execution_time }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, count);
const dbtSlowest = slowestNodes(runResults.results, 8);

// A day's new data, then the whole rebuild (ingest of the changed exports + dbt build);
// the exports and the warehouse are put back afterwards (bench/day-increment.ts): a
// warehouse left holding the day under exports without it would make the next
// `npm run bench:day` load nothing new and measure an empty day.
let incrementRows = 0;
let incrementalSlowest: { node: string; seconds: number }[] = [];
await withBenchDay(sourceDir, [warehouseFile], async (increment) => {
  incrementRows = increment.orders + increment.orderLines + increment.invoices + (increment.newRequesters ?? 0) + (increment.changedRequesters ?? 0);
  await stage(
    `incremental rebuild after a day's data (${increment.orders} orders, ${(increment.newRequesters ?? 0) + (increment.changedRequesters ?? 0)} customer records)`,
    () => measuredRun(...tsEntry('pipeline/build-cli.ts'), stageEnv),
    { rows: incrementRows },
  );
  const incrementalResults = JSON.parse(readFileSync(join(dbtTargetDir(warehouseFile), 'run_results.json'), 'utf8')) as typeof runResults;
  incrementalSlowest = slowestNodes(incrementalResults.results, 12);
});

log('bench: API latency ...');
const server = await startApiServer(warehouseFile);
let serverPeakRssBytes = 0;
let apiQueries: Awaited<ReturnType<typeof measureApiLatency>>;
let marketingExport: ExportMeasurement;
try {
  apiQueries = await measureApiLatency({
    server,
    warehouseFile,
    queries: [...dashboardQueries, ...marketingQueries, ...(await managementQueries(warehouseFile))],
    concurrencies: [1, 20],
    durationSeconds,
  });
  log('bench: newsletter export ...');
  marketingExport = await measureMarketingExport(server.url);
} finally {
  serverPeakRssBytes = server.peakRssBytes();
  await server.stop();
}

// Rollups, result cache and pool: cold (cache off) and warm, with the rollups rebuilt
// and timed first (bench/serving.ts).
log('bench: serving (rollups, cache, pool) ...');
// --runs also counts the finance page's first renders in Chromium (each a new browser context).
const serving = await measureServing({ warehouseFile, durationSeconds, swaps: Number(values.swaps), renderRuns: runs });

const result: BenchResult = {
  startedAt,
  environment: environmentFacts(),
  data: { customers, sourceDir, files: manifest.files },
  stages,
  ingest: ingestResults.map((r) => {
    const entity = `${r.source}.${r.entity}`;
    const duckdb = duckDbReads.find((d) => d.entity === entity);
    return {
      entity, format: r.format, rows: r.rowsRead, seconds: r.seconds,
      ...(r.phaseSeconds ? { phaseSeconds: r.phaseSeconds } : {}),
      ...(r.peakRssBytes ? { peakRssBytes: r.peakRssBytes } : {}),
      ...(duckdb ? { duckdb: { read: duckdb.read, toFile: duckdb.toFile } } : {}),
    };
  }),
  dbtSlowest,
  incrementalSlowest,
  api: { durationSeconds, serverPeakRssBytes, queries: apiQueries },
  marketingExport,
  serving,
  identity: { seconds: identityNodes.reduce((sum, n) => sum + n.seconds, 0), nodes: identityNodes, quality: identityQuality, febrl, evalSet },
  management: { seconds: managementNodes.reduce((sum, n) => sum + n.seconds, 0), nodes: managementNodes, agreement: relationshipAgreement },
  notMeasured: [],
};

const outFile = values.out ? resolve(values.out) : join(repoRoot, 'data/bench', `result-${customers}-${startedAt.replaceAll(':', '-')}.json`);
writeFileSync(outFile, JSON.stringify(result, null, 2) + '\n');
const earlier = values.compare ? (JSON.parse(readFileSync(resolve(values.compare), 'utf8')) as BenchResult) : undefined;
console.log(formatReport(result, earlier));
console.log(`\nresult written to ${outFile}`);
