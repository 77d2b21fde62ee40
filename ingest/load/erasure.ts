// Erasing a person on request (npm run erase, pipeline/erase.ts) and keeping them
// erased: the erasure list names each erased customer's source records and the hashes
// of their e-mail addresses and social handles, and every ingest applies it to the raw
// tables after loading, so a rebuild from the same exports does not bring the person
// back. The list holds no personal data itself: record ids and SHA-256 hashes.
//
// Identifying values are replaced, not deleted, so the customer stays one (anonymous)
// customer with the same orders, invoices and money figures: every identifying value of
// customer C becomes a pseudonym derived from C (name "Erased C", e-mail
// erased.C@erased.invalid, social handle erased-C), which keeps the person's records
// together in identity resolution and apart from everyone else; phone, street address
// and postal code are cleared. City and region stay (segment totals stay consistent;
// see docs/access.md). Every version of a record is changed (the raw tables keep
// history), and so are the quarantined copies of the person's rows.
import { appendFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rawTableName, type Catalogue, type EntitySpec } from './catalogue.ts';
import { ident, literal } from './sql.ts';

export type ErasureKind = 'record' | 'email_sha256' | 'handle_sha256';

export interface ErasureListEntry {
  erasedAt: string;
  customerId: string;
  kind: ErasureKind;
  /** record: "source.entity:record_id"; otherwise a SHA-256 hex digest. */
  value: string;
  requestedBy: string;
}

const header = 'erased_at,customer_id,kind,value,requested_by';
const kinds: readonly ErasureKind[] = ['record', 'email_sha256', 'handle_sha256'];

export function readErasureList(file: string): ErasureListEntry[] {
  if (!existsSync(file)) return [];
  const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((line) => line.trim() !== '');
  if (lines[0] !== header) throw new Error(`${file}: line 1 must be the header "${header}"`);
  return lines.slice(1).map((line, index) => {
    const fields = line.split(',');
    const where = `${file}: line ${index + 2}`;
    if (fields.length !== 5) throw new Error(`${where}: expected 5 fields (${header}), found ${fields.length}`);
    const [erasedAt, customerId, kind, value, requestedBy] = fields as [string, string, string, string, string];
    if (!kinds.includes(kind as ErasureKind)) throw new Error(`${where}: kind must be one of ${kinds.join(', ')}, found "${kind}"`);
    if (customerId === '' || value === '') throw new Error(`${where}: customer_id and value are required`);
    return { erasedAt, customerId, kind: kind as ErasureKind, value, requestedBy };
  });
}

export function appendErasureList(file: string, entries: ErasureListEntry[]): void {
  for (const entry of entries) {
    for (const field of Object.values(entry)) {
      if (/[,\r\n]/.test(field)) throw new Error(`erasure list fields may not contain commas or line breaks: "${field}"`);
    }
  }
  mkdirSync(dirname(file), { recursive: true });
  if (!existsSync(file)) appendFileSync(file, `${header}\n`);
  appendFileSync(file, entries.map((e) => `${e.erasedAt},${e.customerId},${e.kind},${e.value},${e.requestedBy}\n`).join(''));
}

/** How an e-mail address or a handle is normalised before hashing, in SQL (DuckDB's sha256); handles as the dbt macro standardise_handle does. */
export const hashedEmail = (column: string) => `sha256(lower(trim(${column})))`;
export const hashedHandle = (column: string) => `sha256(lower(ltrim(trim(${column}), '@')))`;

/** The pseudonyms that replace customer C's identifying values, as SQL over a column holding C. */
const pseudonym = {
  firstName: () => `'Erased'`,
  lastName: (customer: string) => customer,
  email: (customer: string) => `'erased.' || ${customer} || '@erased.invalid'`,
  handle: (customer: string) => `'erased-' || ${customer}`,
};

/** Identifying columns of a customer-record entity and what replaces each. */
function identifyingColumns(entity: EntitySpec): [column: string, replacement: (customer: string) => string][] {
  const record = entity.customerRecord ?? {};
  const replaced: [string | undefined, (customer: string) => string][] = [
    [record.first_name, pseudonym.firstName],
    [record.last_name, pseudonym.lastName],
    [record.email, pseudonym.email],
    [record.social_handle, pseudonym.handle],
    [record.phone, () => 'NULL'],
    [record.street_address, () => 'NULL'],
    [record.postal_code, () => 'NULL'],
  ];
  // A consumer's "company" is rare but would be their name; a business's name is not personal data and stays.
  return replaced.filter((pair): pair is [string, (customer: string) => string] => pair[0] !== undefined);
}

/**
 * Personal data outside the customer records that belongs to an erased person, found by
 * the person's records, e-mail or handle: [table, where, column assignments].
 */
function relatedPersonalData(): { table: string; match: string; set: (customer: string) => string }[] {
  return [
    {
      table: 'raw.newsletter__survey_answers',
      match: `'newsletter.subscribers:' || CAST(t.subscriber_id AS VARCHAR)`,
      set: () => `answer = '[erased]'`,
    },
    {
      table: 'raw.helpdesk__cases',
      match: `'helpdesk.requesters:' || CAST(t.requester_id AS VARCHAR)`,
      set: () => `subject = '[erased]'`,
    },
  ];
}

async function tableExists(connection: DuckDBConnection, table: string): Promise<boolean> {
  const [schema, name] = table.split('.') as [string, string];
  const reader = await connection.runAndReadAll(
    `SELECT count(*) FROM information_schema.tables WHERE table_schema = ${literal(schema)} AND table_name = ${literal(name)}`,
  );
  return Number(reader.getRowsJS()[0]?.[0]) > 0;
}

async function changed(connection: DuckDBConnection, sql: string): Promise<number> {
  return Number((await connection.run(sql)).rowsChanged);
}

/**
 * Applies the erasure list to the raw tables of a warehouse being written (ingest and
 * erase both call it, inside the working copy of pipeline/warehouse-swap.ts), and
 * rewrites raw.erasure_log from the list. Returns the number of raw rows changed.
 * Idempotent: rows already erased are changed again to the same values.
 */
export async function applyErasures(connection: DuckDBConnection, catalogue: Catalogue, entries: ErasureListEntry[]): Promise<number> {
  await connection.run(`CREATE SCHEMA IF NOT EXISTS raw`);
  await connection.run(`CREATE OR REPLACE TABLE raw.erasure_log (erased_at TIMESTAMPTZ, customer_id VARCHAR, requested_by VARCHAR, records INTEGER)`);
  if (entries.length === 0) return 0;
  await connection.run(`CREATE OR REPLACE TEMP TABLE _erasures (erased_at VARCHAR, customer_id VARCHAR, kind VARCHAR, value VARCHAR, requested_by VARCHAR)`);
  const appender = await connection.createAppender('_erasures');
  for (const entry of entries) {
    appender.appendVarchar(entry.erasedAt);
    appender.appendVarchar(entry.customerId);
    appender.appendVarchar(entry.kind);
    appender.appendVarchar(entry.value);
    appender.appendVarchar(entry.requestedBy);
    appender.endRow();
  }
  appender.closeSync();
  await connection.run(`
    INSERT INTO raw.erasure_log
    SELECT min(erased_at)::TIMESTAMPTZ, customer_id, min(requested_by), count(*) FILTER (WHERE kind = 'record')
    FROM _erasures GROUP BY customer_id ORDER BY 1`);

  let rows = 0;
  const records = `(SELECT value AS record_key, customer_id FROM _erasures WHERE kind = 'record')`;
  for (const entity of catalogue.entities.filter((e) => e.customerRecord?.id)) {
    const table = rawTableName(entity);
    if (!(await tableExists(connection, table))) continue;
    const key = `'${entity.source}.${entity.name}:' || CAST(t.${ident(entity.customerRecord!.id!)} AS VARCHAR)`;
    const assignments = identifyingColumns(entity).map(([column, replacement]) => `${ident(column)} = ${replacement('erased.customer_id')}`);
    rows += await changed(connection, `UPDATE ${table} AS t SET ${assignments.join(', ')} FROM ${records} AS erased WHERE ${key} = erased.record_key`);
    // The quarantined copies of the person's rows: the offending value and the whole record.
    rows += await changed(
      connection,
      `UPDATE raw.quarantine AS q SET value = NULL, record = '{"erased": true}'
       FROM ${records} AS erased
       WHERE q.source = ${literal(entity.source)} AND q.entity = ${literal(entity.name)}
         AND ${literal(`${entity.source}.${entity.name}:`)} || (q.record ->> ${literal(entity.customerRecord!.id!)}) = erased.record_key`,
    );
  }
  for (const related of relatedPersonalData()) {
    if (!(await tableExists(connection, related.table))) continue;
    rows += await changed(connection, `UPDATE ${related.table} AS t SET ${related.set('erased.customer_id')} FROM ${records} AS erased WHERE ${related.match} = erased.record_key`);
  }
  // Social mentions by the person's handles, and referrals naming the person's e-mail.
  if (await tableExists(connection, 'raw.social__mentions')) {
    rows += await changed(
      connection,
      `UPDATE raw.social__mentions AS t SET handle = ${pseudonym.handle('erased.customer_id')}, author_name = 'Erased', text = '[erased]'
       FROM (SELECT value, customer_id FROM _erasures WHERE kind = 'handle_sha256') AS erased WHERE ${hashedHandle('t.handle')} = erased.value`,
    );
  }
  if (await tableExists(connection, 'raw.network__referrals')) {
    rows += await changed(
      connection,
      `UPDATE raw.network__referrals AS t SET referred_email = ${pseudonym.email('erased.customer_id')}
       FROM (SELECT value, customer_id FROM _erasures WHERE kind = 'email_sha256') AS erased WHERE ${hashedEmail('t.referred_email')} = erased.value`,
    );
  }
  await connection.run(`DROP TABLE _erasures`);
  return rows;
}

/**
 * What to put on the erasure list for one customer of a built warehouse: the customer's
 * source records (core.dim_customers.source_record_keys), and the hashes of every e-mail
 * address and social handle those records have held in any version.
 */
export async function erasureEntriesFor(connection: DuckDBConnection, catalogue: Catalogue, customerId: string, requestedBy: string): Promise<ErasureListEntry[]> {
  const reader = await connection.runAndReadAll(`SELECT unnest(source_record_keys) FROM core.dim_customers WHERE customer_id = ${literal(customerId)}`);
  const recordKeys = reader.getRowsJS().map((row) => String(row[0]));
  if (recordKeys.length === 0) throw new Error(`no customer ${customerId} in core.dim_customers; give a customer id as the dashboard shows it (e.g. CU-000123)`);
  const erasedAt = new Date().toISOString();
  const entries: ErasureListEntry[] = recordKeys.map((value) => ({ erasedAt, customerId, kind: 'record', value, requestedBy }));
  const hashes = new Set<string>();
  for (const entity of catalogue.entities.filter((e) => e.customerRecord?.id)) {
    const table = rawTableName(entity);
    const record = entity.customerRecord!;
    if (!(await tableExists(connection, table))) continue;
    const keys = recordKeys.filter((key) => key.startsWith(`${entity.source}.${entity.name}:`)).map((key) => key.slice(key.indexOf(':') + 1));
    if (keys.length === 0) continue;
    const inKeys = `CAST(${ident(record.id!)} AS VARCHAR) IN (${keys.map(literal).join(', ')})`;
    for (const [column, kind] of [[record.email, 'email_sha256'], [record.social_handle, 'handle_sha256']] as const) {
      if (!column) continue;
      const hashed = kind === 'email_sha256' ? hashedEmail(ident(column)) : hashedHandle(ident(column));
      const found = await connection.runAndReadAll(`SELECT DISTINCT ${hashed} FROM ${table} WHERE ${inKeys} AND ${ident(column)} IS NOT NULL`);
      for (const [hash] of found.getRowsJS()) {
        const entry = `${kind}:${String(hash)}`;
        if (hashes.has(entry)) continue;
        hashes.add(entry);
        entries.push({ erasedAt, customerId, kind, value: String(hash), requestedBy });
      }
    }
  }
  return entries;
}
