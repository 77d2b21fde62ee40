// The loading rules over a whole generated company through the ingest CLI: a re-run is
// a no-op (ten runs leave the same warehouse as one), a changed export adds only its
// new and changed records, every load accounts for every row, a kill in the middle of a
// load leaves the warehouse as it was, and an unreadable source gives exit code 2 while
// the others still load.
import { spawn, spawnSync } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { repoRoot } from '../../config/settings.ts';
import { readCatalogue, rawTableName } from '../../ingest/load/catalogue.ts';
import { generateSampleCompany } from '../../ingest/sample/generate.ts';
import { appendDailyIncrement } from '../../ingest/sample/increment.ts';
import { defaultSampleOptions } from '../../ingest/sample/generate.ts';

let dir: string;
let sourceDir: string;

function ingest(warehouse: string, ...extra: string[]) {
  const run = spawnSync(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--source-dir', sourceDir, '--warehouse', warehouse, '--json', ...extra], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, ASIAKKUUS_NETWORK_DB_URL: '' },
  });
  return { status: run.status, report: run.stdout ? (JSON.parse(run.stdout) as { results: { entity: string; source: string; status: string; rowsNewOrChanged: number }[]; failures: { error: string }[] }) : null, stderr: run.stderr };
}

/** Every raw table's rows (without load ids and timings), and the load log's counts, as comparable text. */
async function snapshot(warehouse: string): Promise<Record<string, string>> {
  const instance = await DuckDBInstance.create(warehouse, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const result: Record<string, string> = {};
    const present = new Set(
      (await connection.runAndReadAll(`SELECT 'raw.' || table_name FROM information_schema.tables WHERE table_schema = 'raw'`)).getRowsJS().map((r) => String(r[0])),
    );
    for (const spec of readCatalogue().filter((s) => present.has(rawTableName(s)))) {
      const reader = await connection.runAndReadAll(`SELECT md5(string_agg(_row_hash || '@' || _source_row, ',' ORDER BY _row_hash, _source_row)) || ':' || count(*) FROM ${rawTableName(spec)}`);
      result[rawTableName(spec)] = String(reader.getRowsJS()[0]![0]);
    }
    const log = await connection.runAndReadAll('SELECT count(*), sum(rows_read), sum(rows_new_or_changed) FROM raw.load_log');
    result['raw.load_log'] = log.getRowsJS()[0]!.map(String).join(',');
    return result;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-rules-'));
  sourceDir = join(dir, 'source');
  await generateSampleCompany({ ...defaultSampleOptions, customers: 150, seed: 99, outDir: sourceDir });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading rules', () => {
  it('ten runs give the same warehouse as one, and every load accounts for every row', async () => {
    const once = join(dir, 'once.duckdb');
    const tenTimes = join(dir, 'ten.duckdb');
    const first = ingest(once);
    expect(first.status, first.stderr).toBe(0);
    expect(first.report!.results).toHaveLength(readCatalogue().length);
    for (let run = 0; run < 10; run++) {
      const again = ingest(tenTimes);
      expect(again.status, again.stderr).toBe(0);
      if (run > 0) expect(again.report!.results.every((r) => r.status === 'unchanged')).toBe(true);
    }
    expect(await snapshot(tenTimes)).toEqual(await snapshot(once));

    const instance = await DuckDBInstance.create(once, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const unbalanced = await connection.runAndReadAll(`
      SELECT l.load_id FROM raw.load_log l
      LEFT JOIN (SELECT load_id, count(DISTINCT source_row) AS n FROM raw.quarantine GROUP BY load_id) q USING (load_id)
      WHERE l.rows_read <> l.rows_accepted + l.rows_rejected OR l.rows_rejected <> coalesce(q.n, 0)`);
    connection.closeSync();
    instance.closeSync();
    expect(unbalanced.getRowsJS()).toEqual([]);
  });

  it("adds only a day's new orders when the export grows, keeping what was there", async () => {
    const warehouse = join(dir, 'increment.duckdb');
    ingest(warehouse);
    const before = await snapshot(warehouse);
    const increment = appendDailyIncrement(sourceDir, 5);
    const after = ingest(warehouse);
    const changed = after.report!.results.filter((r) => r.status === 'loaded');
    expect(changed.map((r) => `${r.source}.${r.entity}`).sort()).toEqual(['erp.order_lines', 'erp.orders']);
    expect(changed.find((r) => r.entity === 'orders')!.rowsNewOrChanged).toBe(increment.orders);
    expect(changed.find((r) => r.entity === 'order_lines')!.rowsNewOrChanged).toBe(increment.orderLines);
    const snap = await snapshot(warehouse);
    for (const [table, value] of Object.entries(before)) if (!/orders|order_lines|load_log/.test(table)) expect(snap[table]).toBe(value);
  });

  it('a kill in the middle of a load leaves the warehouse as it was', async () => {
    const warehouse = join(dir, 'killed.duckdb');
    ingest(warehouse, '--only', 'erp.customers');
    const before = await snapshot(warehouse);
    // Change the customers export, then kill the loader after it wrote everything but before COMMIT.
    const customersFile = join(sourceDir, 'erp/customers.csv');
    const original = readFileSync(customersFile);
    appendFileSync(customersFile, 'C9999999,consumer,,,Uusi,Asiakas,uusi@example.fi,,,,,,2026-10-01,\n');
    try {
      const child = spawn(process.execPath, ['--import', 'tsx', 'ingest/cli.ts', '--source-dir', sourceDir, '--warehouse', warehouse, '--only', 'erp.customers'], {
        cwd: repoRoot,
        env: { ...process.env, ASIAKKUUS_INGEST_PAUSE_BEFORE_COMMIT: 'erp.customers' },
      });
      await new Promise<void>((resolvePaused, reject) => {
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('PAUSED BEFORE COMMIT erp.customers')) resolvePaused();
        });
        child.on('exit', () => reject(new Error(`the loader exited before pausing: ${stderr}`)));
      });
      const exited = new Promise((resolveExit) => child.on('exit', resolveExit));
      child.kill('SIGKILL');
      await exited;
      expect(await snapshot(warehouse)).toEqual(before);
      // The abandoned working copy, replayed, holds nothing of the killed load either.
      const working = `${warehouse}.next`;
      copyFileSync(working, join(dir, 'replayed.duckdb'));
      try {
        copyFileSync(`${working}.wal`, join(dir, 'replayed.duckdb.wal'));
      } catch {
        // no WAL: nothing was written to the file beyond the copy
      }
      expect(await snapshot(join(dir, 'replayed.duckdb'))).toEqual(before);
      // The next run takes over the stale lock and loads the change.
      const next = ingest(warehouse, '--only', 'erp.customers');
      expect(next.status, next.stderr).toBe(0);
      expect(next.report!.results[0]!.rowsNewOrChanged).toBe(1);
    } finally {
      writeFileSync(customersFile, original);
    }
  });

  it('reports an unreadable source, loads the others, and exits with 2', async () => {
    const warehouse = join(dir, 'broken.duckdb');
    const casesFile = join(sourceDir, 'helpdesk/cases.ndjson');
    const original = readFileSync(casesFile);
    writeFileSync(casesFile, '{"case_id": "CS1", "oops"\n');
    try {
      const run = ingest(warehouse);
      expect(run.status).toBe(2);
      expect(run.report!.failures).toHaveLength(1);
      expect(run.report!.failures[0]!.error).toMatch(/helpdesk\/cases\.ndjson: cannot be read/);
      expect(run.report!.results).toHaveLength(readCatalogue().length - 1);
    } finally {
      writeFileSync(casesFile, original);
    }
  });
});
