// Erases a person on request: puts the customer's source records and hashed e-mails and
// handles on the erasure list, replaces their identifying values in the raw tables
// (every version, and the quarantine), and rebuilds the models with dbt so the history,
// the marts and the review queue hold only the pseudonyms. Written like every build: in
// a working copy published in one step (warehouse-swap.ts), so the API never sees a
// half-erased warehouse. The list beside the warehouse keeps the person out of every
// later ingest (ingest/load/erasure.ts).
import { DuckDBInstance } from '@duckdb/node-api';
import { erasureListFile, warehousePath } from '../config/settings.ts';
import { readCatalogueFile } from '../ingest/load/catalogue.ts';
import { appendErasureList, applyErasures, erasureEntriesFor, readErasureList } from '../ingest/load/erasure.ts';
import { buildRollups } from '../cube/server/rollup-builder.ts';
import { runDbt, dataBuildArgs } from './dbt.ts';
import { withWorkingCopy } from './warehouse-swap.ts';

export interface EraseOptions {
  customerId: string;
  /** Who asked for the erasure (or a ticket reference), for the erasure log. */
  requestedBy: string;
  warehouseFile?: string;
  erasureList?: string;
  dbtArgs?: string[];
  log?: (line: string) => void;
}

export interface EraseReport {
  customerId: string;
  records: string[];
  hashedContacts: number;
  rawRowsChanged: number;
}

export async function eraseCustomer(options: EraseOptions): Promise<EraseReport> {
  const log = options.log ?? console.log;
  const warehouse = options.warehouseFile ?? warehousePath();
  const listFile = options.erasureList ?? erasureListFile(warehouse);
  const catalogue = readCatalogueFile();
  return withWorkingCopy(
    async (working) => {
      const instance = await DuckDBInstance.create(working);
      const connection = await instance.connect();
      let report: EraseReport;
      try {
        const entries = await erasureEntriesFor(connection, catalogue, options.customerId, options.requestedBy);
        // On the list first: should anything below fail, the next build still erases the person.
        appendErasureList(listFile, entries);
        const rawRowsChanged = await applyErasures(connection, catalogue, readErasureList(listFile));
        report = {
          customerId: options.customerId,
          records: entries.filter((entry) => entry.kind === 'record').map((entry) => entry.value),
          hashedContacts: entries.filter((entry) => entry.kind !== 'record').length,
          rawRowsChanged,
        };
      } finally {
        connection.closeSync();
        instance.closeSync();
      }
      log(`Erased ${options.customerId}: ${report.records.length} source records (${report.records.join(', ')}), ${report.rawRowsChanged} raw rows changed; rebuilding the models ...`);
      // Erasure rewrites raw rows in place, without a new load, so the incremental marts'
      // load watermark would not see it (docs/performance.md): rebuild everything.
      await runDbt(['build', '--full-refresh', ...dataBuildArgs(false), ...(options.dbtArgs ?? [])], working);
      // The rollups hold customer names too: rebuilt from the erased marts before the swap.
      await buildRollups(working);
      return report;
    },
    { publish: true, warehouse },
  );
}
