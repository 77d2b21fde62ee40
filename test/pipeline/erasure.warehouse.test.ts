// Erasing a person (npm run erase): on a copy of the test warehouse, a customer with
// records in several systems is erased. Afterwards none of their e-mail addresses, phone
// numbers or street addresses is anywhere in the warehouse (raw history, quarantine,
// staging, identity models, marts, review queue), the customer is one anonymous
// customer with the same orders and money, the erasure is logged, and a fresh build
// from the same exports does not bring the person back.
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildWarehouse } from '../../pipeline/build.ts';
import { eraseCustomer } from '../../pipeline/erase.ts';
import { fixtureBuild } from '../helpers/fixture-exports.ts';
import { openWarehouse, warehouseRows, type OpenWarehouse } from '../helpers/warehouse-rows.ts';

const servedWarehouse = inject('warehouseFile');
const sampleDir = inject('sampleDir');
const workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-erase-'));
const warehouseFile = join(workDir, 'warehouse.duckdb');

interface Person {
  customerId: string;
  recordKeys: string[];
  /** Values that identify this person and nobody else: e-mails, phones, street addresses from every version of their records. */
  identifiers: string[];
}

interface Money {
  revenue: string;
  grossMargin: string;
  lines: string;
}

async function moneyOf(file: string, customerId: string): Promise<Money> {
  const [row] = await warehouseRows(
    file,
    `SELECT sum(net_revenue)::VARCHAR AS revenue, sum(gross_margin)::VARCHAR AS "grossMargin", count(*)::VARCHAR AS lines FROM finance.fct_order_lines WHERE customer_id = ?`,
    [customerId],
  );
  return row as unknown as Money;
}

async function totals(file: string): Promise<Record<string, unknown>> {
  const [row] = await warehouseRows(
    file,
    `SELECT (SELECT count(*) FROM core.dim_customers)::VARCHAR AS customers, (SELECT sum(net_revenue) FROM finance.fct_order_lines)::VARCHAR AS revenue`,
  );
  return row!;
}

/** Every text column of every table and view that contains one of the values: "schema.table.column: value". */
async function occurrences(file: string, values: string[]): Promise<string[]> {
  const warehouse = await openWarehouse(file);
  try {
    return await occurrencesIn(warehouse, values);
  } finally {
    warehouse.close();
  }
}

async function occurrencesIn(warehouse: OpenWarehouse, values: string[]): Promise<string[]> {
  const tables = await warehouse.rows(
    `SELECT table_schema, table_name, list(column_name) AS columns FROM information_schema.columns
     WHERE data_type IN ('VARCHAR', 'JSON') OR data_type LIKE 'VARCHAR[]' OR data_type LIKE 'STRUCT%'
     GROUP BY ALL`,
  );
  // One scan per table counting every text column at once (a query per column took
  // about three times as long, three times per run of this file).
  const matches = (column: string) => values.map((_, index) => `contains(lower(CAST("${column}" AS VARCHAR)), lower($${index + 1}))`).join(' OR ');
  const found: string[] = [];
  for (const { table_schema: schema, table_name: table, columns } of tables) {
    const tableColumns = columns as string[];
    const counts = tableColumns.map((column, index) => `count_if(${matches(column)}) AS c${index}`).join(', ');
    const [row] = await warehouse.rows(`SELECT ${counts} FROM "${schema}"."${table}"`, values);
    tableColumns.forEach((column, index) => {
      if (Number(row?.[`c${index}`]) > 0) found.push(`${schema}.${table}.${column}`);
    });
  }
  return found;
}

let person: Person;
let moneyBefore: Money;
let totalsBefore: Record<string, unknown>;

beforeAll(async () => {
  copyFileSync(servedWarehouse, warehouseFile);
  // A consumer with sales whose records are in at least four systems, the CRM and the ERP among them.
  const [chosen] = await warehouseRows(
    warehouseFile,
    `SELECT customer_id, source_record_keys::VARCHAR[] AS keys FROM core.dim_customers AS c
     WHERE customer_type = 'consumer' AND len(source_record_keys) >= 4
       AND list_contains(list_transform(source_record_keys, k -> split_part(k, ':', 1)), 'crm.contacts')
       AND list_contains(list_transform(source_record_keys, k -> split_part(k, ':', 1)), 'erp.customers')
       AND EXISTS (SELECT 1 FROM finance.fct_order_lines AS l WHERE l.customer_id = c.customer_id)
     ORDER BY customer_id LIMIT 1`,
  );
  const recordKeys = chosen!.keys as string[];
  const recordIds = (prefix: string) => recordKeys.filter((key) => key.startsWith(`${prefix}:`)).map((key) => key.slice(prefix.length + 1));
  const identifiers = new Set<string>();
  for (const [table, id, columns] of [
    ['raw.erp__customers', 'customer_id', ['email', 'phone', 'street_address']],
    ['raw.crm__contacts', 'contact_id', ['email', 'phone', 'street_address']],
    ['raw.webshop__accounts', 'account_id', ['email', 'phone', 'street_address']],
    ['raw.helpdesk__requesters', 'requester_id', ['email', 'phone']],
    ['raw.newsletter__subscribers', 'subscriber_id', ['email']],
  ] as const) {
    const ids = recordIds(table.slice(4).replace('__', '.'));
    if (ids.length === 0) continue;
    const rows = await warehouseRows(warehouseFile, `SELECT ${columns.join(', ')} FROM ${table} WHERE ${id} IN (${ids.map(() => '?').join(', ')})`, ids);
    for (const row of rows) for (const column of columns) if (typeof row[column] === 'string' && String(row[column]).length >= 6) identifiers.add(String(row[column]).trim());
  }
  person = { customerId: String(chosen!.customer_id), recordKeys, identifiers: [...identifiers] };
  moneyBefore = await moneyOf(warehouseFile, person.customerId);
  totalsBefore = await totals(warehouseFile);
});

afterAll(() => rmSync(workDir, { recursive: true, force: true }));

describe('npm run erase', () => {
  it('the chosen person is in the warehouse before, with identifiers to look for', async () => {
    expect(person.identifiers.length).toBeGreaterThanOrEqual(3);
    expect(await occurrences(warehouseFile, person.identifiers)).toContain('core.dim_customers.email');
  });

  it('replaces the person everywhere, keeps the money, and logs it', async () => {
    const report = await eraseCustomer({ customerId: person.customerId, requestedBy: 'ticket-4711', warehouseFile, dbtArgs: fixtureBuild.dbtArgs, log: () => {} });
    expect(report.records.sort()).toEqual([...person.recordKeys].sort());

    expect(await occurrences(warehouseFile, person.identifiers)).toEqual([]);
    const [customer] = await warehouseRows(warehouseFile, `SELECT customer_name, email, phone, street_address, postal_code FROM core.dim_customers WHERE customer_id = ?`, [person.customerId]);
    expect(customer).toEqual({
      customer_name: `Erased ${person.customerId}`,
      email: `erased.${person.customerId}@erased.invalid`.toLowerCase(),
      phone: null,
      street_address: null,
      postal_code: null,
    });
    // Still one customer, with the same order lines and money; the company's totals unchanged.
    expect(await moneyOf(warehouseFile, person.customerId)).toEqual(moneyBefore);
    expect(await totals(warehouseFile)).toEqual(totalsBefore);

    const log = await warehouseRows(warehouseFile, `SELECT customer_id, requested_by, records FROM raw.erasure_log`);
    expect(log).toEqual([{ customer_id: person.customerId, requested_by: 'ticket-4711', records: person.recordKeys.length }]);
    const list = readFileSync(join(workDir, 'erasure-list.csv'), 'utf8');
    for (const key of person.recordKeys) expect(list).toContain(`,${person.customerId},record,${key},ticket-4711`);
    for (const identifier of person.identifiers) expect(list).not.toContain(identifier);
  }, 1_200_000);

  it('a fresh build from the same exports does not bring the person back', async () => {
    // A new warehouse file beside the erased one: the erasure list there applies to it.
    const rebuilt = join(workDir, 'rebuilt.duckdb');
    await buildWarehouse({ sourceDir: sampleDir, warehouseFile: rebuilt, ...fixtureBuild });
    expect(await occurrences(rebuilt, person.identifiers)).toEqual([]);
    const [customer] = await warehouseRows(rebuilt, `SELECT customer_name FROM core.dim_customers WHERE customer_id = ?`, [person.customerId]);
    expect(customer?.customer_name).toBe(`Erased ${person.customerId}`);
    expect(await moneyOf(rebuilt, person.customerId)).toEqual(moneyBefore);
    expect(await totals(rebuilt)).toEqual(totalsBefore);
  }, 1_200_000);
});
