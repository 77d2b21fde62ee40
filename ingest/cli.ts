// `npm run ingest -- [--source-dir DIR] [--json]`: loads the source exports into a
// working copy of the warehouse and publishes it. Rejected rows are listed in
// raw.quarantine; the exit code is non-zero only when a source cannot be read at all.
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { sourceDir } from '../config/settings.ts';
import { withWorkingCopy } from '../pipeline/warehouse-swap.ts';
import { formatResult, ingestAll } from './load/ingest.ts';

const { values } = parseArgs({ options: { 'source-dir': { type: 'string' }, json: { type: 'boolean', default: false } } });
const dir = values['source-dir'] ? resolve(values['source-dir']) : sourceDir();

try {
  const results = await withWorkingCopy(
    (warehouseFile) => ingestAll({ warehouseFile, sourceDir: dir, onResult: values.json ? undefined : (r) => console.log(formatResult(r)) }),
    { publish: true },
  );
  if (values.json) console.log(JSON.stringify({ sourceDir: dir, results }, null, 2));
  const rejected = results.reduce((sum, r) => sum + r.rowsRejected, 0);
  if (!values.json && rejected > 0) console.log(`${rejected} row(s) refused; see raw.quarantine for file, row, field and reason.`);
} catch (error) {
  const message = error instanceof Error ? error.message : String(error);
  if (values.json) console.log(JSON.stringify({ sourceDir: dir, error: message }));
  else console.error(`ingest failed: ${message}`);
  process.exit(1);
}
