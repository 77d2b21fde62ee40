// The sample company generator: the same seed gives byte-identical exports and ground
// truth (Excel files included); every catalogue entity is written where and how the
// catalogue says, with the catalogue's columns in its order; the ground truth names the
// person behind every customer record in every system; the partner network's SQL
// script loads into a real PostgreSQL with exactly the rows of its CSV fallback.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { entityName, readCatalogue, type EntitySpec } from '../../ingest/load/catalogue.ts';
import { defaultSampleOptions, generateSampleCompany, type SampleSummary } from '../../ingest/sample/generate.ts';
import { appendDailyIncrementWithInvoices } from '../../ingest/sample/increment.ts';
import { readCsv } from '../helpers/csv.ts';
import { startPostgres } from '../helpers/postgres-server.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-generator-'));
const sample = join(dir, 'a');
const catalogue = readCatalogue();
const options = { ...defaultSampleOptions, customers: 300 };
let summary: SampleSummary;

beforeAll(async () => {
  summary = await generateSampleCompany({ ...options, outDir: sample });
  instance = await DuckDBInstance.create(':memory:');
  reader = await instance.connect();
});
afterAll(() => {
  reader?.closeSync();
  instance?.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

function hashes(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      // The manifest names the output folder, which differs between the runs.
      else if (name !== 'manifest.json') result[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return result;
}

/** DuckDB reads the JSON and Parquet exports, as the loaders do. */
let instance: DuckDBInstance;
let reader: DuckDBConnection;
async function duckdb<T>(sql: string): Promise<T[]> {
  return (await reader.runAndReadAll(sql)).getRowObjectsJS() as T[];
}

async function sheetRows(path: string): Promise<ExcelJS.CellValue[][]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  const rows: ExcelJS.CellValue[][] = [];
  workbook.worksheets[0]!.eachRow((row) => rows.push((row.values as ExcelJS.CellValue[]).slice(1)));
  return rows;
}

function csvText(spec: EntitySpec): string {
  const bytes = readFileSync(join(sample, spec.file));
  return spec.format === 'csv' && spec.options.encoding === 'windows-1252' ? iconv.decode(bytes, 'win1252') : bytes.toString('utf8');
}

/** Column names as the file itself declares them, read the way its format is read. */
async function headerOf(spec: EntitySpec): Promise<string[]> {
  const path = join(sample, spec.file);
  switch (spec.format) {
    case 'csv':
    case 'postgres':
      return csvText(spec).split('\n', 1)[0]!.split(spec.format === 'csv' ? (spec.options.delimiter ?? ',') : ',');
    case 'xlsx': {
      const workbook = new ExcelJS.Workbook();
      await workbook.xlsx.readFile(path);
      expect(workbook.worksheets.map((s) => s.name), spec.file).toEqual([spec.options.sheet]);
      return (await sheetRows(path))[0]!.map(String);
    }
    case 'json':
      return (await duckdb<{ column_name: string }>(`DESCRIBE SELECT * FROM read_json('${path}', format = 'array')`)).map((r) => r.column_name);
    case 'ndjson':
      return (await duckdb<{ column_name: string }>(`DESCRIBE SELECT * FROM read_json('${path}', format = 'newline_delimited')`)).map((r) => r.column_name);
    case 'parquet':
      return (await duckdb<{ column_name: string }>(`DESCRIBE SELECT * FROM read_parquet('${path}')`)).map((r) => r.column_name);
  }
}

/** The ids of an entity's records, from the file. */
async function recordIds(spec: EntitySpec): Promise<string[]> {
  const idColumn = spec.customerRecord!.id!;
  const path = join(sample, spec.file);
  switch (spec.format) {
    case 'xlsx': {
      const [header, ...rows] = await sheetRows(path);
      const at = header!.indexOf(idColumn);
      return rows.map((row) => String(row[at]));
    }
    case 'csv': {
      const delimiter = spec.options.delimiter ?? ',';
      const lines = csvText(spec).trimEnd().split('\n');
      const at = lines[0]!.split(delimiter).indexOf(idColumn);
      // Ids are the first column everywhere in the catalogue and never need quoting.
      expect(at, spec.file).toBe(0);
      return lines.slice(1).map((line) => line.split(delimiter, 1)[0]!);
    }
    default: {
      const reader = spec.format === 'parquet' ? `read_parquet('${path}')` : `read_json('${path}', format = '${spec.format === 'json' ? 'array' : 'newline_delimited'}')`;
      return (await duckdb<{ id: string }>(`SELECT "${idColumn}" AS id FROM ${reader}`)).map((r) => r.id);
    }
  }
}

it('gives byte-identical exports and ground truth for the same seed, and different ones for another', async () => {
  await generateSampleCompany({ ...options, outDir: join(dir, 'b') });
  await generateSampleCompany({ ...options, seed: options.seed + 1, outDir: join(dir, 'c') });
  const first = hashes(sample);
  expect(Object.keys(first)).toContain('crm/account_plans.xlsx');
  expect(hashes(join(dir, 'b'))).toEqual(first);
  expect(hashes(join(dir, 'a.truth'))).toEqual(hashes(join(dir, 'b.truth')));
  expect(hashes(join(dir, 'c'))['erp/customers.csv']).not.toBe(first['erp/customers.csv']);
});

describe('every catalogue entity', () => {
  it('is written at its file, with the row count in the manifest', () => {
    for (const spec of catalogue) {
      expect(existsSync(join(sample, spec.file)), spec.file).toBe(true);
      expect(summary.entities[entityName(spec)]).toBe(spec.file);
      expect(summary.files[spec.file], spec.file).toBeGreaterThan(0);
    }
  });

  it("has exactly the catalogue's columns, in the catalogue's order", async () => {
    for (const spec of catalogue) expect(await headerOf(spec), spec.file).toEqual(spec.columns.map((c) => c.name));
  });

  it('keeps the CRM conventions: Windows-1252, semicolons, decimal commas, Finnish dates', () => {
    const opportunities = csvText(catalogue.find((e) => entityName(e) === 'crm.opportunities')!);
    expect(opportunities).toMatch(/^OP\d+;K\d+;[a-z_]+;\d+,\d\d;[^;]+;\d\d\.\d\d\.\d{4};\d\d\.\d\d\.\d{4};/m);
    // Fields holding the delimiter or quotes are quoted, their quotes doubled.
    const activities = csvText(catalogue.find((e) => entityName(e) === 'crm.activities')!);
    expect(activities).toContain(';"Huolto; kiuaskivien vaihto";');
    expect(activities).toContain(';"Asiakas kysyi ""kevättarjouksesta""";');
    const contacts = readFileSync(join(sample, 'crm/contacts.csv'));
    expect(contacts.includes(Buffer.from('ä', 'latin1'))).toBe(true);
    expect(contacts.includes(Buffer.from('ä', 'utf8'))).toBe(false);
  });
});

describe('ground truth', () => {
  it('names the person behind every customer record of every system', async () => {
    const truth = readCsv(join(dir, 'a.truth/customer_records.csv'));
    for (const spec of catalogue.filter((e) => e.customerRecord)) {
      const inTruth = truth.filter((r) => `${r.source}.${r.entity}` === entityName(spec)).map((r) => r.record_id);
      expect(inTruth.length, entityName(spec)).toBeGreaterThan(0);
      expect([...inTruth].sort(), entityName(spec)).toEqual((await recordIds(spec)).sort());
    }
    const persons = readCsv(join(dir, 'a.truth/persons.csv'));
    expect(persons).toHaveLength(options.customers);
    expect(new Set(truth.map((r) => r.person_id))).toEqual(new Set(persons.map((p) => p.person_id)));
    expect(new Set(persons.map((p) => p.relationship_type))).toEqual(new Set(['transaction', 'contract', 'preference', 'partner']));
    expect(existsSync(join(dir, 'a.truth/README.md'))).toBe(true);
  });

  it('knows whose every social handle is, or that it is nobody among the customers', async () => {
    const handles = readCsv(join(dir, 'a.truth/social_handles.csv'));
    const mentioned = await duckdb<{ handle: string }>(`SELECT DISTINCT handle FROM read_json('${join(sample, 'social/mentions.ndjson')}', format = 'newline_delimited')`);
    expect(new Set(handles.map((h) => h.handle))).toEqual(new Set(mentioned.map((m) => m.handle)));
    expect(handles.some((h) => h.person_id === '')).toBe(true);
    expect(handles.some((h) => h.person_id !== '')).toBe(true);
  });
});

describe('partner network script', () => {
  const specs = catalogue.filter((e) => e.format === 'postgres');
  const script = () => readFileSync(join(sample, 'network/network.sql'), 'utf8');

  it('copies exactly the rows of each CSV fallback', () => {
    for (const spec of specs) {
      const block = new RegExp(`^COPY ${spec.options.table!.replace('.', '\\.')} \\(${spec.columns.map((c) => c.name).join(', ')}\\) FROM stdin[^\\n]*\\n([\\s\\S]*?)^\\\\\\.$`, 'm').exec(script());
      expect(block?.[1], spec.file).toBe(readFileSync(join(sample, spec.file), 'utf8'));
    }
  });

  it('loads into PostgreSQL with psql -f and gives back the same rows', async () => {
    const server = await startPostgres();
    try {
      execFileSync('psql', ['-q', '-X', '-v', 'ON_ERROR_STOP=1', '-d', server.url, '-f', join(sample, 'network/network.sql')], { stdio: 'pipe' });
      for (const spec of specs) {
        const copied = execFileSync('psql', ['-X', '-d', server.url, '-c', `COPY ${spec.options.table} TO STDOUT WITH (FORMAT csv, HEADER true)`], { encoding: 'utf8' });
        const sorted = (text: string) => text.trimEnd().split('\n').sort();
        expect(sorted(copied), spec.file).toEqual(sorted(readFileSync(join(sample, spec.file), 'utf8')));
      }
    } finally {
      server.stop();
    }
  });
});

it('adds a day of orders, lines and invoices, and records it in the manifest', async () => {
  const before = summary.files;
  const increment = await appendDailyIncrementWithInvoices(sample, 5);
  const manifest = JSON.parse(readFileSync(join(sample, 'manifest.json'), 'utf8')) as SampleSummary;
  expect(increment.day).toBe('2026-11-01');
  expect(increment.orders).toBeGreaterThan(0);
  expect(manifest.files['erp/orders.csv']).toBe(before['erp/orders.csv']! + increment.orders);
  expect(manifest.files['erp/order_lines.csv']).toBe(before['erp/order_lines.csv']! + increment.orderLines);
  const [invoices] = await duckdb<{ n: bigint; days: bigint }>(
    `SELECT count(*) AS n, count(*) FILTER (WHERE invoice_date = DATE '2026-11-01') AS days FROM read_parquet('${join(sample, 'billing/invoices.parquet')}')`,
  );
  expect(Number(invoices!.n)).toBe(manifest.files['billing/invoices.parquet']);
  expect(Number(invoices!.days)).toBe(increment.orders);
  expect(readCsv(join(sample, 'erp/orders.csv'))).toHaveLength(manifest.files['erp/orders.csv']!);
});
