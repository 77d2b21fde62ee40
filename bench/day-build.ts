// `npm run bench:day -- [--customers N] [--mid-month] [--out FILE] [--log FILE]`: only the
// bench's "incremental rebuild after a day's data", repeated against the warehouse an
// earlier `npm run bench -- --customers N` (or a build of data/bench/customers-N/source)
// left in data/bench/customers-N. Appends the same day as the bench (ingest/sample/increment.ts;
// the first day after the history, which opens a month), or with --mid-month builds that
// day first, unmeasured, and measures the next one (a day inside the month, on which the
// management evidence and care classes recompute only the customers the day touched),
// runs the whole build (ingest + dbt build + rollups) and prints where dbt's time went:
// every node's execution_time from run_results.json, models against data tests, and
// dbt's own time outside the nodes (start-up, parse, scheduling). The exports and the
// warehouse are restored afterwards, so each run measures the same day on the same base.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { dbtTargetDir, repoRoot } from '../config/settings.ts';
import { ensurePythonEnv } from '../pipeline/python-env.ts';
import type { IncrementSummary } from '../ingest/sample/increment.ts';
import { withBenchDay } from './day-increment.ts';
import { measuredRun, tsEntry } from './measured-run.ts';
import { readCommandLine } from '../pipeline/command-line.ts';

const values = readCommandLine('npm run bench:day -- [--customers N] [--mid-month] [--out FILE] [--log FILE]', {
  options: { customers: { type: 'string', default: '20000' }, 'mid-month': { type: 'boolean', default: false }, out: { type: 'string' }, log: { type: 'string' } },
});
const workDir = resolve(repoRoot, 'data/bench', `customers-${values.customers}`);
const sourceDir = join(workDir, 'source');
const warehouseFile = join(workDir, 'warehouse.duckdb');
if (!existsSync(warehouseFile)) throw new Error(`${warehouseFile} missing: run npm run bench -- --customers ${values.customers} first`);
await ensurePythonEnv();

interface NodeResult { unique_id: string; execution_time: number; status: string }
const build = () => measuredRun(...tsEntry('pipeline/build-cli.ts'), { ASIAKKUUS_WAREHOUSE: warehouseFile, ASIAKKUUS_SOURCE_DIR: sourceDir });
const daysBefore = {
  days: values['mid-month'] ? 1 : 0,
  build: async (increment: IncrementSummary) => {
    const unmeasured = await build();
    console.log(`day before (unmeasured): ${increment.day}, ${unmeasured.seconds.toFixed(1)} s wall`);
  },
};
// The warehouse is put back too, so each run builds the same day on the same base.
await withBenchDay(sourceDir, [warehouseFile], async (increment) => {
  const measured = await build();
  // The build's own output (ingest, dbt's node lines, rollups), for reading afterwards.
  if (values.log) writeFileSync(values.log, measured.stdout);
  const runResults = JSON.parse(readFileSync(join(dbtTargetDir(warehouseFile), 'run_results.json'), 'utf8')) as {
    elapsed_time: number;
    results: NodeResult[];
  };
  const sum = (rows: NodeResult[]) => rows.reduce((total, row) => total + row.execution_time, 0);
  const models = runResults.results.filter((r) => r.unique_id.startsWith('model.'));
  const tests = runResults.results.filter((r) => r.unique_id.startsWith('test.') || r.unique_id.startsWith('unit_test.'));
  const nodes = runResults.results
    .map((r) => ({ node: r.unique_id.replace(/^[a-z_]+\.asiakkuus\./, ''), seconds: Number(r.execution_time.toFixed(2)) }))
    .sort((a, b) => b.seconds - a.seconds);
  const report = {
    day: increment,
    wallSeconds: Number(measured.seconds.toFixed(1)),
    // The build's processes (ingest, dbt, the rollups): the figure that moves least with the
    // shared machine's other load.
    cpuSeconds: Number(measured.cpuSeconds.toFixed(1)),
    maxRssBytes: measured.maxRssBytes,
    dbtElapsedSeconds: Number(runResults.elapsed_time.toFixed(1)),
    models: { count: models.length, seconds: Number(sum(models).toFixed(1)) },
    tests: { count: tests.length, seconds: Number(sum(tests).toFixed(1)) },
    nodes,
  };
  console.log(`day build (${increment.day}): ${report.wallSeconds} s wall, ${report.cpuSeconds} s CPU, dbt ${report.dbtElapsedSeconds} s; models ${report.models.count} nodes ${report.models.seconds} s, tests ${report.tests.count} nodes ${report.tests.seconds} s (node times summed over 2 threads)`);
  for (const node of nodes.slice(0, 25)) console.log(`  ${node.seconds.toFixed(2).padStart(7)} s  ${node.node}`);
  if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2));
}, daysBefore);
