// The bench's day of new data (orders, order lines, invoices, helpdesk requesters new and
// changed: ingest/sample/increment.ts) on a generated company's exports, undone afterwards
// so that the next run (npm run bench -- --reuse, npm run bench:day) measures the same day
// on the same base. Shared by bench/cli.ts and bench/day-build.ts.
import { copyFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleSummary } from '../ingest/sample/generate.ts';
import { appendDailyIncrementWithInvoices, type IncrementSummary } from '../ingest/sample/increment.ts';

/** The exports the day appends to. */
const dayEntities = ['erp.orders', 'erp.order_lines', 'billing.invoices', 'helpdesk.requesters'];

/**
 * Days appended and built before the measured one: the bench's day (the first after the
 * history) opens a month; with one day before it, the measured day falls inside the month.
 */
export interface DaysBefore {
  days: number;
  build: (increment: IncrementSummary) => Promise<void>;
}

/**
 * Appends the day to the exports in `sourceDir` (after `before.days` days appended and
 * built with `before.build`), runs `measure` with what the measured day added, and then
 * puts back those exports, the manifest and `alsoRestore` (e.g. the warehouse the day was
 * built into) as they were before.
 */
export async function withBenchDay<T>(
  sourceDir: string,
  alsoRestore: string[],
  measure: (increment: IncrementSummary) => Promise<T>,
  before: DaysBefore = { days: 0, build: async () => {} },
): Promise<T> {
  const manifestFile = join(sourceDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SampleSummary;
  const files = [...dayEntities.map((entity) => join(sourceDir, manifest.entities[entity]!)), manifestFile, ...alsoRestore];
  const backups = files.map((file) => [file, `${file}.before-day`] as const);
  for (const [file, backup] of backups) copyFileSync(file, backup);
  try {
    for (let day = 0; day < before.days; day++) await before.build(await appendDailyIncrementWithInvoices(sourceDir));
    return await measure(await appendDailyIncrementWithInvoices(sourceDir));
  } finally {
    for (const [file, backup] of backups) {
      copyFileSync(backup, file);
      rmSync(backup);
    }
  }
}
