// `npm run ingest -- [--source-dir DIR] [--warehouse FILE] [--catalogue FILE] [--only source.entity ...] [--json]`
//
// Loads the source exports into a working copy of the warehouse and publishes it. Prints
// a progress bar while loading (on a terminal), then per entity what was read, loaded
// and refused, and the refusals grouped by reason with an example each. Rejected rows
// are kept in raw.quarantine. Exit code: 0 when every source could be read (even with
// refused rows), 2 when some source could not be read at all (the others still load).
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { sourceDir, warehousePath } from '../config/settings.ts';
import { withWorkingCopy } from '../pipeline/warehouse-swap.ts';
import { defaultCatalogueFile, entityName, readCatalogueFile } from './load/catalogue.ts';
import { ingestAll, type IngestReport } from './load/ingest.ts';
import { summariseQuarantine, type RefusalGroup } from './load/quarantine-summary.ts';

const { values } = parseArgs({
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
const showProgress = !values.json && process.stderr.isTTY === true;

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

function printReport(report: IngestReport, refusals: RefusalGroup[]): void {
  const rows = [['entity', 'format', 'read', 'loaded', 'refused', 'new/changed', 'seconds', 'status']];
  for (const r of report.results) {
    rows.push([
      `${r.source}.${r.entity}`, r.format, String(r.rowsRead), String(r.rowsAccepted), String(r.rowsRejected), String(r.rowsNewOrChanged),
      r.seconds.toFixed(2), r.status === 'unchanged' ? 'unchanged' : r.note ? 'loaded (fallback file)' : `load ${r.loadId}`,
    ]);
  }
  console.log(table(rows));
  if (refusals.length > 0) {
    console.log('\nRefused rows (kept in raw.quarantine):');
    console.log(table([['entity', 'field', 'reason', 'rows', 'example'], ...refusals.map((g) => [`${g.source}.${g.entity}`, g.field, g.reason, String(g.rows), g.example])]));
  }
  for (const r of report.results) if (r.note) console.log(`note: ${r.source}.${r.entity}: ${r.note}`);
  for (const f of report.failures) console.error(`could not read ${f.source}.${f.entity}: ${f.error}`);
}

try {
  const bar = showProgress ? new cliProgress.SingleBar({ format: 'ingest [{bar}] {value}/{total} {entity}', hideCursor: true }, cliProgress.Presets.shades_classic) : null;
  const { report, refusals } = await withWorkingCopy(
    async (working) => {
      const report = await ingestAll({
        warehouseFile: working,
        sourceDir: dir,
        catalogue: readCatalogueFile(values.catalogue ? resolve(values.catalogue) : defaultCatalogueFile),
        ...(values.only ? { only: values.only } : {}),
        onStart: (entity, index, total) => {
          if (index === 0) bar?.start(total, 0, { entity: entityName(entity) });
          else bar?.update(index, { entity: entityName(entity) });
        },
      });
      bar?.update(report.results.length + report.failures.length, { entity: 'done' });
      bar?.stop();
      const loadIds = report.results.flatMap((r) => (r.loadId === null ? [] : [r.loadId]));
      return { report, refusals: await summariseQuarantine(working, loadIds) };
    },
    { publish: true, warehouse },
  );
  if (values.json) console.log(JSON.stringify({ sourceDir: dir, warehouse, results: report.results, failures: report.failures, refusals }, null, 2));
  else printReport(report, refusals);
  if (report.failures.length > 0) process.exit(2);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (values.json) console.log(JSON.stringify({ sourceDir: dir, error: message }));
  else console.error(`ingest failed: ${message}`);
  process.exit(1);
}
