// Two vitest projects, so that only the tests that need the shared sample warehouse pay
// for building it.
//
// THE RULE FOR A NEW TEST FILE (a file name suffix, whatever the folder):
//   - `*.warehouse.test.ts` or `*.browser.test.ts`: runs in the `warehouse` project, whose
//     global setup (test/setup/global-setup.ts) generates the sample company, builds one
//     warehouse and the dashboard and serves both once for the whole run. Use it when the
//     file (or a helper it imports, e.g. test/browser/helpers.ts) calls
//     inject('apiUrl' | 'warehouseFile' | 'sampleDir' | 'truthDir').
//   - any other `*.test.ts`: runs in the `unit` project, without that setup; inject()
//     gives it nothing. A file that builds its own small warehouse (finance-fixture,
//     rebuild-while-serving, incremental-build, ...) belongs here.
// test/setup/test-layout.test.ts fails when a file calls inject() or imports the browser
// helpers without the suffix, naming the file, so a misplaced file is caught at once.
//
// `npm test` (bin/test.mjs) and `npx vitest run` run both projects; one of them alone:
// `npx vitest run --project unit` (no warehouse build) or `--project warehouse`.
import { defineConfig } from 'vitest/config';
import LongestFirstSequencer from './test/setup/sequencer.ts';

// dbt's (and the Python models', e.g. Splink's) output goes to one file per run here, not
// to the console; a failing build names its file and quotes the tail (pipeline/dbt.ts).
// Set in this process so the global setup, the test workers and the processes they
// start (the bench smoke) all inherit it.
process.env.ASIAKKUUS_DBT_LOG_DIR ??= 'test-results/dbt-logs';
// The test servers (global setup, fixture companies, the bench smoke's) let a query wait
// for a free warehouse connection as long as a busy machine needs, instead of refusing it
// after the production default of 10 s; the refusal itself is tested with explicit limits.
process.env.ASIAKKUUS_DB_WAIT_MS ??= '600000';

export const warehouseTestFiles = ['test/**/*.warehouse.test.ts', 'test/**/*.browser.test.ts'];

export default defineConfig({
  test: {
    // Tests check behaviour, never speed (npm run bench measures time). Several tests
    // rebuild a warehouse; on a busy two-core machine that can take many minutes, so a
    // test is only cut off when it has clearly hung.
    testTimeout: 900_000,
    hookTimeout: 1_200_000,
    // Two files at a time. A build of a small company keeps about one core busy (dbt's
    // per-node work is single-threaded Python), so two files use both cores; each dbt run
    // has its own target folder (config/settings.ts dbtTargetDir), so they do not clash.
    fileParallelism: true,
    maxWorkers: 2,
    // The files that build warehouses of their own start first, longest first
    // (test/setup/sequencer.ts), so both workers stay busy to the end.
    sequence: { sequencer: LongestFirstSequencer },
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/**/*.test.ts'],
          exclude: warehouseTestFiles,
        },
      },
      {
        extends: true,
        test: {
          name: 'warehouse',
          include: warehouseTestFiles,
          // Builds one small warehouse from a generated sample, builds the dashboard and
          // serves both; tests read the URL and paths with inject(). The warehouse builds
          // while the unit project runs; each file here waits for it (wait-for-sample.ts).
          globalSetup: ['test/setup/global-setup.ts'],
          setupFiles: ['test/setup/wait-for-sample.ts'],
        },
      },
    ],
  },
});
