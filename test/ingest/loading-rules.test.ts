// The loading rules through the ingest CLI, on the test catalogue's sources (one per
// format): a re-run is a no-op (ten runs leave the same warehouse as one), a changed
// export or an increment adds only new or changed records and keeps the history, every
// load accounts for every row, a kill in the middle of a load leaves the warehouse as
// it was, and unreadable sources give exit code 2 while the others still load.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { repoRoot } from '../../config/settings.ts';
import type { EntityLoadResult } from '../../ingest/load/load-entity.ts';
import type { EntityFailure } from '../../ingest/load/ingest.ts';
import { entity, expectEveryRowAccountedFor, fixtures, readOnly, testCatalogue, testCatalogueFile } from './ingest-test-support.ts';

interface CliReport {
  exitCode: number;
  results: EntityLoadResult[];
  failures: EntityFailure[];
  refusals: { source: string; entity: string; field: string; reason: string; rows: number; example: string }[];
}

let dir: string;

/** The fixture each entity of the test catalogue is read from in a healthy source folder. */
const healthySources: Record<string, string> = {
  'shop.customers': 'csv/customers_valid.csv',
  'crm.contacts': 'csv-windows-1252/contacts.csv',
  'sheet.plans': 'xlsx/plans.xlsx',
  'web.accounts': 'json/accounts.json',
  'desk.cases': 'ndjson/cases.ndjson',
  'bill.invoices': 'parquet/invoices.parquet',
};

function makeSourceFolder(name: string): string {
  const sourceDir = join(dir, name);
  mkdirSync(sourceDir, { recursive: true });
  for (const [entityName, fixture] of Object.entries(healthySources)) copyFileSync(join(fixtures, fixture), join(sourceDir, entity(entityName).file));
  writeFileSync(join(sourceDir, 'partners.csv'), 'partner_id,partner_name,partner_type,joined_on,commission_pct\nPA1,Järvi Matkatoimisto Oy,reseller,2025-01-01,7.50\n');
  return sourceDir;
}

const cliArgs = (sourceDir: string, warehouse: string, extra: string[]) => [
  '--import', 'tsx', 'ingest/cli.ts', '--source-dir', sourceDir, '--warehouse', warehouse, '--catalogue', testCatalogueFile, ...extra,
];
const cliEnv = (extra: Record<string, string> = {}) => ({ ...process.env, ASIAKKUUS_TEST_PARTNER_DB: '', ...extra });

function ingest(sourceDir: string, warehouse: string, ...extra: string[]): { status: number | null; report: CliReport; stderr: string } {
  const run = spawnSync(process.execPath, cliArgs(sourceDir, warehouse, ['--json', ...extra]), { cwd: repoRoot, encoding: 'utf8', env: cliEnv() });
  if (!run.stdout) throw new Error(`the ingest CLI printed nothing (exit ${run.status}): ${run.stderr}`);
  return { status: run.status, report: JSON.parse(run.stdout) as CliReport, stderr: run.stderr };
}

/**
 * Every table of the raw schema (data, load log, quarantine, bookkeeping) as row count
 * and an order-independent fingerprint of all its values: equal snapshots are equal
 * warehouses.
 */
function snapshot(warehouse: string): Promise<Record<string, string>> {
  return readOnly(warehouse, async (rows) => {
    const tables = await rows<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'raw' ORDER BY 1`);
    const result: Record<string, string> = {};
    for (const { table_name: table } of tables) {
      const [fingerprint] = await rows<{ f: string }>(`SELECT count(*) || ':' || coalesce(bit_xor(hash(t)), 0) AS f FROM raw."${table}" AS t`);
      result[table] = fingerprint!.f;
    }
    return result;
  });
}

const query = <T = Record<string, unknown>>(warehouse: string, sql: string) => readOnly(warehouse, (rows) => rows<T>(sql));

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-rules-'));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loading rules', () => {
  it('ten runs give the same warehouse as one, and every load accounts for every row', async () => {
    const sourceDir = makeSourceFolder('ten-runs');
    const once = join(dir, 'once.duckdb');
    const tenTimes = join(dir, 'ten.duckdb');
    const first = ingest(sourceDir, once);
    expect(first.status, first.stderr).toBe(0);
    expect(first.report.results).toHaveLength(testCatalogue.entities.length);
    expect(first.report.results.every((r) => r.status === 'loaded' && r.rowsRead === r.rowsAccepted + r.rowsRejected)).toBe(true);
    for (let run = 0; run < 10; run++) {
      const again = ingest(sourceDir, tenTimes);
      expect(again.status, again.stderr).toBe(0);
      if (run > 0) expect(again.report.results.map((r) => r.status)).toEqual(testCatalogue.entities.map(() => 'unchanged'));
    }
    const [a, b] = [await snapshot(once), await snapshot(tenTimes)];
    // The load log's timestamps differ between the two warehouses; everything else is equal.
    expect({ ...b, load_log: '' }).toEqual({ ...a, load_log: '' });
    expect(await query(tenTimes, 'SELECT count(*)::INT AS n FROM raw.load_log')).toEqual([{ n: testCatalogue.entities.length }]);
    await expectEveryRowAccountedFor(once);
    // The refusals of the run are summarised per entity with an example file:row:field.
    expect(first.report.refusals).toContainEqual({
      source: 'crm', entity: 'contacts', field: 'visits', reason: 'not a valid INTEGER', rows: 1, example: `${join(sourceDir, 'contacts.csv')}:5:visits "x"`,
    });
  });

  it('a changed export adds only its new and changed rows, an increment only its rows, and history is kept', async () => {
    const sourceDir = makeSourceFolder('changes');
    const warehouse = join(dir, 'changes.duckdb');
    ingest(sourceDir, warehouse);
    const before = await snapshot(warehouse);
    copyFileSync(join(fixtures, 'csv/customers_changed.csv'), join(sourceDir, 'customers.csv'));
    const changed = ingest(sourceDir, warehouse);
    expect(changed.status, changed.stderr).toBe(0);
    const loaded = changed.report.results.filter((r) => r.status === 'loaded');
    // C2 changed its e-mail, C4 is new; C1 and C3 are as they were.
    expect(loaded.map((r) => [`${r.source}.${r.entity}`, r.rowsRead, r.rowsNewOrChanged])).toEqual([['shop.customers', 4, 2]]);
    const after = await snapshot(warehouse);
    for (const table of Object.keys(before)) if (!['shop__customers', 'load_log'].includes(table)) expect(after[table], table).toBe(before[table]);

    copyFileSync(join(fixtures, 'csv/customers_increment.csv'), join(sourceDir, 'customers.csv'));
    const increment = ingest(sourceDir, warehouse);
    expect(increment.report.results.find((r) => r.entity === 'customers')).toMatchObject({ status: 'loaded', rowsRead: 2, rowsNewOrChanged: 2 });

    // Back to the first export: C2's old e-mail is a change against its newest version, C1 and C3 are not.
    copyFileSync(join(fixtures, 'csv/customers_valid.csv'), join(sourceDir, 'customers.csv'));
    const back = ingest(sourceDir, warehouse);
    expect(back.report.results.find((r) => r.entity === 'customers')).toMatchObject({ status: 'loaded', rowsRead: 3, rowsNewOrChanged: 1 });
    expect(await query(warehouse, `SELECT customer_id, email, _load_id::INT AS load FROM raw.shop__customers ORDER BY customer_id, _load_id`)).toEqual([
      { customer_id: 'C1', email: 'matti.virtanen@kuusimokit.fi', load: 1 },
      { customer_id: 'C2', email: 'aino.makela@gmail.com', load: 1 },
      { customer_id: 'C2', email: 'aino.uusi@gmail.com', load: 8 },
      { customer_id: 'C2', email: 'aino.makela@gmail.com', load: 10 },
      { customer_id: 'C3', email: 'vaino.ohman@luukku.com', load: 1 },
      { customer_id: 'C4', email: 'eero.h@elisanet.fi', load: 8 },
      { customer_id: 'C5', email: 'liisa.k@gmail.com', load: 9 },
      { customer_id: 'C6', email: 'pekka@saunatalo.fi', load: 9 },
    ]);
    await expectEveryRowAccountedFor(warehouse);
  });

  it('reports every unreadable source, loads the others, and exits with 2', async () => {
    const sourceDir = makeSourceFolder('broken');
    const warehouse = join(dir, 'broken.duckdb');
    copyFileSync(join(fixtures, 'csv/customers_wrong_header.csv'), join(sourceDir, 'customers.csv'));
    // Not one line of it is JSON: past max_broken_rows, so the export itself is wrong.
    writeFileSync(join(sourceDir, 'cases.ndjson'), 'case_id;case_type\nCS1;complaint\n');
    rmSync(join(sourceDir, 'invoices.parquet'));
    const run = ingest(sourceDir, warehouse);
    expect(run.status).toBe(2);
    expect(run.report.exitCode).toBe(2);
    expect(run.report.failures.map((f) => [`${f.source}.${f.entity}`, f.error.replace(`${sourceDir}/`, '')])).toEqual([
      ['shop.customers', expect.stringMatching(/^customers\.csv: header columns do not match shop\.customers .*missing column\(s\): customer_type; unknown column\(s\): type, vip/)],
      ['desk.cases', expect.stringMatching(/^cases\.ndjson: 2 of 2 rows cannot be parsed, more than max_broken_rows \(1%\) allows.*line 1: invalid JSON: /)],
      ['bill.invoices', 'invoices.parquet: file not found (expected by bill.invoices in the source catalogue)'],
    ]);
    expect(run.report.results.map((r) => `${r.source}.${r.entity}`)).toEqual(['crm.contacts', 'sheet.plans', 'web.accounts', 'net.partners']);
    // The human summary says the same, on the terminal's streams.
    const human = spawnSync(process.execPath, cliArgs(sourceDir, join(dir, 'broken-human.duckdb'), []), { cwd: repoRoot, encoding: 'utf8', env: cliEnv() });
    expect(human.status).toBe(2);
    expect(human.stdout).toMatch(/entity\s+format\s+read\s+loaded\s+rejected\s+unparseable\s+new\/changed\s+seconds\s+status/);
    expect(human.stdout).toMatch(/net\.partners\s+postgres\s+1\s+1\s+0\s+0\s+1\s+[\d.]+\s+load \d+, fallback file used/);
    expect(human.stdout).toMatch(/shop\.customers\s+csv\s+UNREADABLE/);
    expect(human.stdout).toMatch(/crm\.contacts\s+born_on\s+not a valid DATE \(expected format %d\.%m\.%Y\)\s+1\s+\S+contacts\.csv:4:born_on "31\.02\.1990"/);
    expect(human.stderr).toMatch(/3 source\(s\) could not be read:\n {2}shop\.customers: /);
  });
});

describe('atomicity', () => {
  let sourceDir: string;
  let warehouse: string;
  let customersFile: string;

  /** A big customers export: `rows` customers, the e-mails of the first `changed` of them changed. */
  async function writeCustomers(rows: number, changed: number): Promise<void> {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`COPY (
      SELECT 'C' || i AS customer_id, CASE WHEN i % 3 = 0 THEN 'business' ELSE 'consumer' END AS customer_type, NULL AS company_name,
             'Etu' || (i % 1000) AS first_name, 'Suku' || (i % 5000) AS last_name,
             CASE WHEN i < ${changed} THEN 'uusi' ELSE 'vanha' END || i || '@example.fi' AS email, 'Tampere' AS city,
             DATE '2020-01-01' + (i % 2000)::INTEGER AS created_at, NULL AS updated_at, (i % 10000) / 4.0 AS credit_limit,
             i % 500 AS loyalty_points, i % 50 AS lifetime_orders, (i % 100) / 100.0 AS discount_rate, i % 2 = 0 AS newsletter
      FROM range(${rows}) t(i)) TO '${customersFile}' (HEADER)`);
    connection.closeSync();
    instance.closeSync();
  }

  beforeAll(async () => {
    sourceDir = makeSourceFolder('atomicity');
    warehouse = join(dir, 'atomicity.duckdb');
    customersFile = join(sourceDir, 'customers.csv');
    await writeCustomers(600_000, 0);
    const first = ingest(sourceDir, warehouse);
    expect(first.status, first.stderr).toBe(0);
    await writeCustomers(600_000, 300_000);
  });

  /** Starts the CLI on the changed export, kills it with SIGKILL once `killWhen` says so, and returns what it printed. */
  async function killMidLoad(env: Record<string, string>, killWhen: (stderr: string) => boolean): Promise<string> {
    const child = spawn(process.execPath, cliArgs(sourceDir, warehouse, ['--only', 'shop.customers']), { cwd: repoRoot, env: cliEnv(env) });
    let stderr = '';
    const exited = new Promise<void>((resolveExit) => child.on('exit', () => resolveExit()));
    await new Promise<void>((resolveKill, reject) => {
      const check = () => {
        if (killWhen(stderr)) {
          clearInterval(poll);
          child.kill('SIGKILL');
          resolveKill();
        }
      };
      const poll = setInterval(check, 10);
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
        check();
      });
      child.on('exit', (code) => {
        clearInterval(poll);
        reject(new Error(`the loader exited (${code}) before it could be killed mid-load: ${stderr}`));
      });
    });
    await exited;
    return stderr;
  }

  /** The abandoned working copy, opened as DuckDB would after the crash (its WAL replayed), holds nothing of the killed load. */
  async function expectWorkingCopyAsBefore(before: Record<string, string>): Promise<void> {
    const replayed = join(dir, `replayed-${Date.now()}.duckdb`);
    copyFileSync(`${warehouse}.next`, replayed);
    if (existsSync(`${warehouse}.next.wal`)) copyFileSync(`${warehouse}.next.wal`, `${replayed}.wal`);
    expect(await snapshot(replayed)).toEqual(before);
  }

  for (const step of ['quarantined', 'inserted', 'logged'] as const) {
    it(`a kill after the load's ${step} step, before COMMIT, leaves the warehouse as it was`, async () => {
      const before = await snapshot(warehouse);
      await killMidLoad({ ASIAKKUUS_INGEST_PAUSE: `shop.customers:${step}` }, (stderr) => stderr.includes(`PAUSED shop.customers:${step}`));
      expect(await snapshot(warehouse)).toEqual(before);
      await expectWorkingCopyAsBefore(before);
    });
  }

  it('a kill while the raw rows are being written leaves the warehouse as it was; the next run loads the change', async () => {
    const before = await snapshot(warehouse);
    const copySize = statSync(warehouse).size;
    // DuckDB writes the blocks of a big insert to the file before COMMIT; growth of the
    // working copy beyond the copied warehouse means the load is writing.
    await killMidLoad({}, () => existsSync(`${warehouse}.next`) && statSync(`${warehouse}.next`).size > copySize + 4 * 1024 * 1024);
    expect(await snapshot(warehouse)).toEqual(before);
    await expectWorkingCopyAsBefore(before);
    // The next run takes over the stale lock and loads the change.
    const next = ingest(sourceDir, warehouse, '--only', 'shop.customers');
    expect(next.status, next.stderr).toBe(0);
    expect(next.report.results[0]).toMatchObject({ status: 'loaded', rowsRead: 600_000, rowsNewOrChanged: 300_000 });
  });
});
