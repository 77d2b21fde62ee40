// Identity resolution on the default sample company, measured against the generator's
// ground truth (which source records are the same person), and the promises a user
// relies on: one id per customer that survives new data, the master's contact data,
// and "who handled this customer's last contact, about what, when" in one query.
import { createHash } from 'node:crypto';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { measureIdentity } from '../../bench/identity-metrics.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { readCsv } from '../helpers/csv.ts';
import { fixtureBuild } from '../helpers/fixture-exports.ts';

const warehouseFile = inject('warehouseFile');
const truthDir = inject('truthDir');
const scratch = mkdtempSync(join(tmpdir(), 'asiakkuus-identity-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function query<T = Record<string, unknown>>(file: string, sql: string): Promise<T[]> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[];
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

// The source records that carry a customer's history, by the customer record each
// belongs to, with the event id core.fct_customer_events gives the event.
const recordEventsSql = `record_events AS (
    SELECT 'erp' AS source, 'customers' AS entity, erp_customer_number AS record_id, 'erp.orders:' || order_id AS event_id
    FROM staging.stg_erp__orders
    UNION ALL SELECT 'crm', 'contacts', contact_id, 'crm.activities:' || activity_id FROM staging.stg_crm__activities
    UNION ALL SELECT 'helpdesk', 'requesters', requester_id, 'helpdesk.cases:' || case_id FROM staging.stg_helpdesk__cases
    UNION ALL SELECT 'newsletter', 'subscribers', subscriber_id, 'newsletter.sends:' || send_id FROM staging.stg_newsletter__sends
)`;

describe('identity resolution on the default sample company', () => {
  it('meets the targets against the ground truth: precision >= 0.99, recall >= 0.99', async () => {
    const metrics = await measureIdentity(warehouseFile, truthDir);
    console.log(`identity: ${JSON.stringify(metrics)}`);
    const truthRecords = readCsv(join(truthDir, 'customer_records.csv'));
    expect(metrics.records).toBe(truthRecords.length);
    expect(metrics.persons).toBe(new Set(truthRecords.map((r) => r.person_id)).size);
    expect(metrics.precision).toBeGreaterThanOrEqual(0.99);
    expect(metrics.recall).toBeGreaterThanOrEqual(0.99);
  });

  it("explains every customer: its records, which one anchors the id, and the link that joined each", async () => {
    const rows = await query<{ customer_id: string; records: bigint; anchors: bigint; unexplained: bigint; source_record_count: bigint }>(
      warehouseFile,
      `SELECT e.customer_id, count(*) AS records, count(*) FILTER (WHERE e.is_anchor) AS anchors,
              count(*) FILTER (WHERE e.records_in_customer > 1 AND len(coalesce(e.joined_by, [])) = 0) AS unexplained,
              any_value(d.source_record_count) AS source_record_count
       FROM core.customer_identity_evidence e JOIN core.dim_customers d USING (customer_id)
       GROUP BY e.customer_id`,
    );
    const customers = await query<{ n: bigint }>(warehouseFile, 'SELECT count(*) AS n FROM core.dim_customers');
    expect(rows.length).toBe(Number(customers[0]!.n));
    for (const row of rows) {
      expect([Number(row.records), Number(row.anchors), Number(row.unexplained)], row.customer_id).toEqual([Number(row.source_record_count), 1, 0]);
    }
    // Every reason a link names is a rule, a score or a reviewer's accept.
    const reasons = await query<{ reason: string }>(
      warehouseFile,
      `SELECT DISTINCT unnest(string_split(j.reasons, ', ')) AS reason
       FROM core.customer_identity_evidence, unnest(joined_by) AS t(j)`,
    );
    for (const { reason } of reasons) expect(reason).toMatch(/^(rule:[a-z_]+|score|review:accept)$/);
  });

  it('keeps the people of one household as separate customers under one household id', async () => {
    const [household] = await query<{ household_id: string; customers: bigint; addresses: bigint }>(
      warehouseFile,
      `SELECT household_id, count(*) AS customers, count(DISTINCT lower(street_address) || postal_code) AS addresses
       FROM core.dim_customers WHERE household_id IS NOT NULL GROUP BY household_id HAVING count(*) > 1 ORDER BY household_id LIMIT 1`,
    );
    expect(household, 'a household of two or more customers in the sample').toBeDefined();
    expect(Number(household!.addresses)).toBe(1);
    const [consumersWithout] = await query<{ n: bigint }>(
      warehouseFile,
      `SELECT count(*) AS n FROM core.dim_customers WHERE customer_type = 'consumer' AND street_address IS NOT NULL AND postal_code IS NOT NULL AND household_id IS NULL`,
    );
    expect(Number(consumersWithout!.n)).toBe(0);
  });

  it('keeps the master source e-mail of a person whose newer e-mail is only in the CRM', async () => {
    // A person with two e-mails in the truth: the ERP holds the old one, the CRM (e-mail master) the new one.
    const rows = await query<{ customer_id: string; email: string; email_source: string; crm_email: string }>(
      warehouseFile,
      `SELECT d.customer_id, d.email, d.email_source, r.email_std AS crm_email
       FROM core.dim_customers d
       JOIN intermediate.int_identity_clusters c USING (customer_id)
       JOIN intermediate.int_customer_records r USING (record_key)
       JOIN intermediate.int_customer_records e ON e.source = 'erp' AND e.entity = 'customers' AND e.record_id = d.erp_customer_number
       WHERE r.source = 'crm' AND r.email_std IS NOT NULL AND e.email_std IS NOT NULL AND r.email_std <> e.email_std
       ORDER BY d.customer_id LIMIT 5`,
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) expect([row.email, row.email_source]).toEqual([row.crm_email, 'crm']);
  });

  it("answers who handled a customer's last contact, about what and when, from the history", async () => {
    const [last] = await query<{ customer_id: string; last_contact_at: unknown; last_contact_by: string; last_contact_subject: string; last_contact_event_id: string }>(
      warehouseFile,
      `SELECT customer_id, last_contact_at, last_contact_by, last_contact_subject, last_contact_event_id FROM core.dim_customers
       WHERE last_contact_at IS NOT NULL ORDER BY customer_id LIMIT 1`,
    );
    const events = await query<{ event_id: string; handled_by: string; subject: string; occurred_at: unknown; load_id: unknown }>(
      warehouseFile,
      `SELECT event_id, handled_by, subject, occurred_at, load_id FROM core.fct_customer_events
       WHERE customer_id = '${last!.customer_id}' AND is_contact ORDER BY occurred_at DESC, event_id DESC`,
    );
    expect(events[0]).toMatchObject({ event_id: last!.last_contact_event_id, handled_by: last!.last_contact_by, subject: last!.last_contact_subject });
    expect(events[0]!.load_id).not.toBeNull();
  });

  it("keeps every customer id when a new duplicate arrives, and a reviewer's split survives the rebuild", async () => {
    const sampleDir = inject('sampleDir');
    const sourceDir = join(scratch, 'source');
    cpSync(sampleDir, sourceDir, { recursive: true });
    // A new webshop account for an existing ERP customer, with the same e-mail.
    const [erp] = await query<{ customer_id: string; first_name: string; last_name: string; email: string }>(
      warehouseFile,
      `SELECT customer_id, first_name, last_name, email FROM raw.erp__customers WHERE email IS NOT NULL ORDER BY customer_id LIMIT 1`,
    );
    const accountsFile = join(sourceDir, 'webshop/accounts.json');
    const accounts = JSON.parse(readFileSync(accountsFile, 'utf8')) as Record<string, unknown>[];
    accounts.push({
      account_id: 'W9999999', email: erp!.email, first_name: erp!.first_name, last_name: erp!.last_name, phone: null, street_address: null,
      postal_code: null, city: null, marketing_consent: true, created_at: '2026-10-30T12:00:00', updated_at: '2026-10-30T12:00:00',
    });
    writeFileSync(accountsFile, JSON.stringify(accounts));
    // A reviewer splits a customer of two records joined by one link, each record with a
    // history of its own (orders, sales activities, cases or campaign sends): a reject in
    // the decisions file.
    const [split] = await query<{ record_key_l: string; record_key_r: string; customer_id: string; anchor_record_key: string }>(
      warehouseFile,
      `WITH ${recordEventsSql}
       SELECT l.record_key_l, l.record_key_r, c.customer_id, c.anchor_record_key
       FROM intermediate.int_identity_links l
       JOIN intermediate.int_identity_clusters c ON c.record_key = l.record_key_l
       JOIN intermediate.int_identity_clusters r ON r.record_key = l.record_key_r
       WHERE c.records_in_customer = 2 AND c.customer_id NOT IN (
           SELECT customer_id FROM intermediate.int_identity_clusters WHERE record_key = 'erp.customers:${erp!.customer_id}')
         AND EXISTS (SELECT 1 FROM record_events e WHERE (e.source, e.entity, e.record_id) = (c.source, c.entity, c.record_id))
         AND EXISTS (SELECT 1 FROM record_events e WHERE (e.source, e.entity, e.record_id) = (r.source, r.entity, r.record_id))
       ORDER BY c.customer_id LIMIT 1`,
    );
    expect(split, 'a customer of two records that both have a history').toBeDefined();
    const decisionsFile = join(scratch, 'identity-decisions.csv');
    writeFileSync(decisionsFile, `record_key_l,record_key_r,decision,decided_by,decided_at,note\n${split!.record_key_r},${split!.record_key_l},reject,test,2026-11-30T12:00:00,two people\n`);
    const rebuilt = join(scratch, 'warehouse.duckdb');
    cpSync(warehouseFile, rebuilt);
    const decisionsBefore = process.env.ASIAKKUUS_IDENTITY_DECISIONS;
    process.env.ASIAKKUUS_IDENTITY_DECISIONS = decisionsFile;
    try {
      await buildWarehouse({ sourceDir, warehouseFile: rebuilt, ...fixtureBuild });
    } finally {
      if (decisionsBefore === undefined) delete process.env.ASIAKKUUS_IDENTITY_DECISIONS;
      else process.env.ASIAKKUUS_IDENTITY_DECISIONS = decisionsBefore;
    }

    const before = await query<{ record_key: string; customer_id: string }>(warehouseFile, 'SELECT record_key, customer_id FROM intermediate.int_identity_clusters');
    const after = new Map(
      (await query<{ record_key: string; customer_id: string }>(rebuilt, 'SELECT record_key, customer_id FROM intermediate.int_identity_clusters')).map((r) => [r.record_key, r.customer_id]),
    );
    const changed = before.filter((r) => after.get(r.record_key) !== r.customer_id);
    // Only the split-off record changes customer: it becomes a customer of its own, with
    // the id its own key gives; the part holding the anchor keeps the customer id.
    const splitOff = [split!.record_key_l, split!.record_key_r].find((key) => key !== split!.anchor_record_key)!;
    expect(changed.map((r) => r.record_key)).toEqual([splitOff]);
    expect(after.get(split!.anchor_record_key)).toBe(split!.customer_id);
    const [ids] = await query<{ split_off_id: string }>(rebuilt, `SELECT customer_id AS split_off_id FROM core.dim_customers WHERE customer_id = (
        SELECT customer_id FROM intermediate.int_identity_clusters WHERE record_key = '${splitOff}')`);
    expect(ids?.split_off_id).toBe(after.get(splitOff));
    expect(after.get(splitOff)).toBe(`CU-${createHash('md5').update(splitOff).digest('hex').slice(0, 16).toUpperCase()}`);
    expect(after.get('webshop.accounts:W9999999')).toBe(after.get(`erp.customers:${erp!.customer_id}`));

    // An unmerge keeps the history of both customers: every event and every contact-data
    // value of the split customer is still there, each now on the customer of the record
    // it came from, and none is lost or duplicated (the rebuild was incremental).
    const historyOf = (file: string, ids: string[]) =>
      query<{ event_id: string; customer_id: string }>(
        file,
        `SELECT event_id, customer_id FROM core.fct_customer_events WHERE customer_id IN (${ids.map((id) => `'${id}'`).join(', ')}) ORDER BY event_id`,
      );
    const eventsBefore = await historyOf(warehouseFile, [split!.customer_id]);
    const eventsAfter = await historyOf(rebuilt, [split!.customer_id, after.get(splitOff)!]);
    expect(eventsAfter.map((e) => e.event_id)).toEqual(eventsBefore.map((e) => e.event_id));
    const recordOfEvent = new Map(
      (await query<{ event_id: string; record_key: string }>(
        rebuilt,
        `WITH ${recordEventsSql}
         SELECT e.event_id, c.record_key FROM record_events e JOIN intermediate.int_identity_clusters c USING (source, entity, record_id)
         WHERE c.record_key IN ('${split!.record_key_l}', '${split!.record_key_r}')`,
      )).map((r) => [r.event_id, r.record_key]),
    );
    const splitOffEvents = eventsAfter.filter((e) => recordOfEvent.get(e.event_id) === splitOff);
    const anchorEvents = eventsAfter.filter((e) => recordOfEvent.get(e.event_id) === split!.anchor_record_key);
    expect(splitOffEvents.length).toBeGreaterThan(0);
    expect(anchorEvents.length).toBeGreaterThan(0);
    for (const event of splitOffEvents) expect(event.customer_id, event.event_id).toBe(after.get(splitOff));
    for (const event of anchorEvents) expect(event.customer_id, event.event_id).toBe(split!.customer_id);
    const contactHistory = (file: string) =>
      query<{ record_key: string; customer_id: string; attribute: string; value: string }>(
        file,
        `SELECT record_key, customer_id, attribute, value FROM core.customer_contact_history
         WHERE record_key IN ('${split!.record_key_l}', '${split!.record_key_r}') ORDER BY ALL`,
      );
    const contactsBefore = await contactHistory(warehouseFile);
    const contactsAfter = await contactHistory(rebuilt);
    expect(contactsAfter.map(({ record_key, attribute, value }) => [record_key, attribute, value])).toEqual(
      contactsBefore.map(({ record_key, attribute, value }) => [record_key, attribute, value]),
    );
    for (const row of contactsAfter) expect(row.customer_id, row.record_key).toBe(after.get(row.record_key));
  }); // a whole rebuild: vitest.config.ts's limit, made for a busy machine
});
