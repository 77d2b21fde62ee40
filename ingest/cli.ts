// `npm run ingest -- [--source-dir DIR] [--warehouse FILE] [--catalogue FILE] [--only source.entity ...] [--json]`
//
// Loads the source exports into a working copy of the warehouse and publishes it. On a
// terminal it draws progress bars on stderr while loading, then prints per entity what
// was read, loaded and refused, and the most frequent refusals per entity with an
// example each (all refused rows stay in raw.quarantine). --json prints one JSON
// document on stdout instead. Exit code: 0 when every source could be read (even with
// refused rows), 2 when some source could not be read at all (the others still load,
// every failure is reported), 1 when the run itself failed (e.g. a catalogue error).
import { resolve } from 'node:path';
import { sourceDir, warehousePath } from '../config/settings.ts';
import { withWorkingCopy } from '../pipeline/warehouse-swap.ts';
import { defaultCatalogueFile, readCatalogueFile } from './load/catalogue.ts';
import { formatResult, ingestAll, type IngestReport } from './load/ingest.ts';
import { progressBars } from './load/progress-bars.ts';
import { summariseQuarantine, topReasonsPerEntity, type RefusalGroup } from './load/quarantine-summary.ts';
import { readCommandLine } from '../pipeline/command-line.ts';

const values = readCommandLine('npm run ingest -- [--source-dir DIR] [--warehouse FILE] [--catalogue FILE] [--only source.entity ...] [--json]', {
  options: {
    'source-dir': { type: 'string' },
    warehouse: { type: 'string' },
    only: { type: 'string', multiple: true },
    catalogue: { type: 'string' },
    json: { type: 'boolean', default: false },
  },
});
const dir = values['source-dir'] ? resolve(values['source-dir']) : sourceDir();
const warehouse = values.warehouse ? resolve(values.warehouse) : warehousePath();

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const numeric = rows[0]!.map((_, column) => rows.slice(1).every((row) => /^[\d.]*$/.test(row[column]!)));
  return rows.map((row) => row.map((cell, column) => (numeric[column] ? cell.padStart(widths[column]!) : cell.padEnd(widths[column]!))).join('  ').trimEnd()).join('\n');
}

function status(result: IngestReport['results'][number]): string {
  const where = result.note ? ', fallback file used' : '';
  return result.status === 'unchanged' ? `unchanged${where}` : `load ${result.loadId}${where}`;
}

function printReport(report: IngestReport, refusals: RefusalGroup[]): void {
  // "unparseable" counts the rejected rows that could not be parsed at all (kept with their raw text).
  const rows = [['entity', 'format', 'read', 'loaded', 'rejected', 'unparseable', 'new/changed', 'seconds', 'status']];
  for (const r of report.results) {
    rows.push([
      `${r.source}.${r.entity}`, r.format, String(r.rowsRead), String(r.rowsAccepted), String(r.rowsRejected), String(r.rowsUnparseable),
      String(r.rowsNewOrChanged), r.seconds.toFixed(2), status(r),
    ]);
  }
  for (const f of report.failures) rows.push([`${f.source}.${f.entity}`, f.format, '', '', '', '', '', '', 'UNREADABLE']);
  console.log(table(rows));
  if (refusals.length > 0) {
    console.log(`\nRejected rows, top ${topReasonsPerEntity} reasons per entity (all are kept in raw.quarantine):`);
    console.log(table([['entity', 'field', 'reason', 'rows', 'example (file:row:field value)'], ...refusals.map((g) => [`${g.source}.${g.entity}`, g.field, g.reason, String(g.rows), g.example])]));
  }
  for (const r of report.results) if (r.note) console.log(`note: ${r.source}.${r.entity}: ${r.note}`);
  if (report.erasedRows > 0) console.log(`erasure list: ${report.erasedRows} raw rows of erased people replaced (npm run erase, docs/access.md)`);
  if (report.failures.length > 0) {
    console.error(`\n${report.failures.length} source(s) could not be read:`);
    for (const f of report.failures) console.error(`  ${f.source}.${f.entity}: ${f.error}`);
  }
}

try {
  const bars = progressBars(!values.json && process.stderr.isTTY === true);
  const { report, refusals } = await withWorkingCopy(
    async (working) => {
      try {
        const report = await ingestAll({
          warehouseFile: working,
          sourceDir: dir,
          catalogue: readCatalogueFile(values.catalogue ? resolve(values.catalogue) : defaultCatalogueFile),
          ...(values.only ? { only: values.only } : {}),
          onStart: (entity, index, total) => bars.start(entity, index, total),
          onProgress: (entity, phase, fraction) => bars.progress(entity, phase, fraction),
          onResult: (result) => bars.finished(formatResult(result)),
          onFailure: (failure) => bars.finished(`  ${failure.source}.${failure.entity} could not be read`),
        });
        const loadIds = report.results.flatMap((r) => (r.loadId === null ? [] : [r.loadId]));
        return { report, refusals: await summariseQuarantine(working, loadIds) };
      } finally {
        bars.stop();
      }
    },
    { publish: true, warehouse },
  );
  const exitCode = report.failures.length > 0 ? 2 : 0;
  if (values.json) console.log(JSON.stringify({ sourceDir: dir, warehouse, exitCode, results: report.results, failures: report.failures, refusals }, null, 2));
  else printReport(report, refusals);
  process.exit(exitCode);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (values.json) console.log(JSON.stringify({ sourceDir: dir, warehouse, exitCode: 1, error: message }, null, 2));
  else console.error(`ingest failed: ${message}`);
  process.exit(1);
}
