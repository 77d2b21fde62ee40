// A hand-computed service and sales company through the whole pipeline: three
// customers, three complaints (answered in 23 h, in 25 h, and one still open), an
// opportunity through every pipeline stage that became an ERP order, one lost and one
// still open, visits, calls and e-mails of two salespeople, and social mentions by a
// known handle, by a customer with an open complaint and by "@VihainenMatti", whom no
// one knows. The CRM's opportunity export is loaded four times as the opportunities
// move, as a nightly export would be, so the stage history comes from the loads. Three
// care plans of 2026 and one of 2025 are measured against the visits and revenue made.
// Every figure below is worked out by hand and must come out of the dbt marts and the
// semantic API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ingestAll } from '../../ingest/load/ingest.ts';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { fixtureBuild, fixtureServing, writeFixtureExports } from '../helpers/fixture-exports.ts';
import { warehouseJsonRows } from '../helpers/warehouse-rows.ts';
import { carePlanOwnersQuery, carePlansQuery, serviceMembers as s, serviceMoneyMembers, serviceOpeningQueries, noServiceFilters } from '../../dashboard/src/lib/api/service-queries.ts';
import { withoutMembers } from '../../dashboard/src/lib/api/queries.ts';

// ------------------------------------------------------------------ the company

const names = { saunatalo: 'Saunatalo Oy', maija: 'Maija Virtanen', kivi: 'Kivi Ky' } as const;

const contact = (id: string, erp: string, type: string, company: string | null, first: string, last: string, email: string, phone: string, address: [string, string, string], handle: string | null, owner: string) => ({
  contact_id: id, erp_customer_id: erp, contact_type: type, company_name: company, first_name: first, last_name: last, email, phone,
  street_address: address[0], postal_code: address[1], city: address[2], social_handle: handle, owner, lifecycle_stage: 'customer',
  created_at: '2025-01-10 09:00:00', updated_at: '2026-01-10 09:00:00',
});

const opportunity = (id: string, contactId: string, stage: string, amount: number, salesperson: string, openedOn: string, changedOn: string, order: string | null = null) => ({
  opportunity_id: id, contact_id: contactId, stage, amount, salesperson, opened_on: openedOn, stage_changed_on: changedOn, erp_order_id: order,
});

/** The CRM's opportunity export as it was on four nights, oldest first. */
const opportunityExports: SampleRecord[][] = [
  [
    opportunity('OP1', 'K3', 'identification', 250, 'Myyjä Kaksi', '2026-02-02', '2026-02-02'),
    opportunity('OP2', 'K1', 'identification', 1000, 'Myyjä Yksi', '2026-02-05', '2026-02-05'),
  ],
  [
    opportunity('OP1', 'K3', 'marketing', 250, 'Myyjä Kaksi', '2026-02-02', '2026-02-09'),
    opportunity('OP2', 'K1', 'marketing', 1000, 'Myyjä Yksi', '2026-02-05', '2026-02-16'),
  ],
  [
    opportunity('OP1', 'K3', 'offer_negotiation', 250, 'Myyjä Kaksi', '2026-02-02', '2026-02-20'),
    opportunity('OP2', 'K1', 'lost', 1000, 'Myyjä Yksi', '2026-02-05', '2026-03-01'),
  ],
  [
    opportunity('OP1', 'K3', 'order', 250, 'Myyjä Kaksi', '2026-02-02', '2026-03-08', 'O2'),
    opportunity('OP2', 'K1', 'lost', 1000, 'Myyjä Yksi', '2026-02-05', '2026-03-01'),
    // First seen already in offer and negotiation: it passed marketing between two loads.
    opportunity('OP3', 'K1', 'offer_negotiation', 500, 'Myyjä Yksi', '2026-03-02', '2026-03-06'),
  ],
];

const exports: Record<string, SampleRecord[]> = {
  'erp.customers': [
    { customer_id: 'C1', customer_type: 'business', company_name: names.saunatalo, business_id: '1234567-8', first_name: 'Pekka', last_name: 'Saunanen', email: 'pekka@saunatalo.fi', phone: '040 111 1111', street_address: 'Löylytie 1', postal_code: '00100', city: 'Helsinki', region: 'Uusimaa', created_at: '2025-01-10', updated_at: '2025-01-10 09:00:00' },
    { customer_id: 'C2', customer_type: 'consumer', company_name: null, business_id: null, first_name: 'Maija', last_name: 'Virtanen', email: 'maija.virtanen@example.fi', phone: '050 222 2222', street_address: 'Kuusikatu 2', postal_code: '33100', city: 'Tampere', region: 'Pirkanmaa', created_at: '2025-02-01', updated_at: '2025-02-01 10:00:00' },
    { customer_id: 'C3', customer_type: 'business', company_name: names.kivi, business_id: '7654321-0', first_name: 'Kalle', last_name: 'Kivinen', email: 'kalle@kiviky.fi', phone: '044 333 3333', street_address: 'Graniittikuja 3', postal_code: '90100', city: 'Oulu', region: 'Pohjois-Pohjanmaa', created_at: '2025-03-01', updated_at: '2025-03-01 11:00:00' },
  ],
  'erp.products': [{ product_id: 'P1', product_name: 'Kiuaskivet 20 kg', product_group: 'Tarvikkeet', list_price: 100, unit_cost: 60 }],
  'erp.product_costs': [{ product_id: 'P1', valid_from: '2025-01-01', unit_cost: 60 }],
  'erp.orders': [
    { order_id: 'O1', customer_id: 'C2', order_date: '2026-02-20', channel: 'store', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: null },
    { order_id: 'O2', customer_id: 'C3', order_date: '2026-03-08', channel: 'sales', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: 'Myyjä Kaksi' },
  ],
  'erp.order_lines': [
    { order_line_id: 'L1', order_id: 'O1', line_number: 1, product_id: 'P1', quantity: 1, unit_price: 100, discount_pct: 0 },
    { order_line_id: 'L2', order_id: 'O2', line_number: 1, product_id: 'P1', quantity: 2, unit_price: 100, discount_pct: 0 },
  ],
  'crm.contacts': [
    contact('K1', 'C1', 'business', names.saunatalo, 'Pekka', 'Saunanen', 'pekka@saunatalo.fi', '040 111 1111', ['Löylytie 1', '00100', 'Helsinki'], '@saunatalo', 'Myyjä Yksi'),
    contact('K2', 'C2', 'consumer', null, 'Maija', 'Virtanen', 'maija.virtanen@example.fi', '050 222 2222', ['Kuusikatu 2', '33100', 'Tampere'], '@maijav', 'Myyjä Yksi'),
    contact('K3', 'C3', 'business', names.kivi, 'Kalle', 'Kivinen', 'kalle@kiviky.fi', '044 333 3333', ['Graniittikuja 3', '90100', 'Oulu'], null, 'Myyjä Kaksi'),
  ],
  'crm.opportunities': opportunityExports[opportunityExports.length - 1]!,
  'crm.activities': [
    { activity_id: 'A1', contact_id: 'K3', activity_type: 'visit', salesperson: 'Myyjä Kaksi', occurred_at: '2026-03-03 10:00:00', subject: 'Kohdekäynti ja mittaus', opportunity_id: 'OP1' },
    { activity_id: 'A2', contact_id: 'K3', activity_type: 'call', salesperson: 'Myyjä Kaksi', occurred_at: '2026-03-04 09:00:00', subject: 'Neuvottelu hinnasta', opportunity_id: 'OP1' },
    { activity_id: 'A3', contact_id: 'K1', activity_type: 'visit', salesperson: 'Myyjä Yksi', occurred_at: '2026-03-10 12:00:00', subject: 'Hoitokäynti', opportunity_id: null },
    { activity_id: 'A4', contact_id: 'K1', activity_type: 'email', salesperson: 'Myyjä Yksi', occurred_at: '2026-03-05 14:00:00', subject: 'Tarjous lähetetty', opportunity_id: 'OP3' },
  ],
  'crm.account_plans': [
    { plan_id: 'AP0', erp_customer_id: 'C3', owner: 'Myyjä Kaksi', plan_year: 2025, goal: 'Ensimmäinen tilaus', target_revenue: 500, planned_visits: 6, starts_on: '2025-01-01', ends_on: '2025-12-31' },
    { plan_id: 'AP1', erp_customer_id: 'C1', owner: 'Myyjä Yksi', plan_year: 2026, goal: 'Yhteistyön kasvu', target_revenue: 1000, planned_visits: 4, starts_on: '2026-01-01', ends_on: '2026-12-31' },
    { plan_id: 'AP2', erp_customer_id: 'C2', owner: 'Myyjä Yksi', plan_year: 2026, goal: 'Kiukaan huolto', target_revenue: 0, planned_visits: 3, starts_on: '2026-01-01', ends_on: '2026-12-31' },
    { plan_id: 'AP3', erp_customer_id: 'C3', owner: 'Myyjä Kaksi', plan_year: 2026, goal: 'Toistuvat tilaukset', target_revenue: 400, planned_visits: 2, starts_on: '2026-01-01', ends_on: '2026-12-31' },
  ],
  'helpdesk.requesters': [
    { requester_id: 'H1', first_name: 'Kalle', last_name: 'Kivinen', organization: names.kivi, email: 'kalle@kiviky.fi', phone: '044 333 3333', created_at: '2026-03-02 09:00:00', updated_at: '2026-03-06 15:00:00' },
    { requester_id: 'H2', first_name: 'Maija', last_name: 'Virtanen', organization: null, email: 'maija.virtanen@example.fi', phone: '050 222 2222', created_at: '2026-03-09 06:00:00', updated_at: '2026-03-09 06:00:00' },
  ],
  'helpdesk.cases': [
    // Monday 09:00 -> Tuesday 08:00: 23 calendar hours, 7 business hours (Mon 09-16, Tue 08-08).
    { case_id: 'CS1', requester_id: 'H1', case_type: 'complaint', channel: 'email', subject: 'Kivet murenivat', erp_order_id: null, handled_by: 'Tuki Yksi', opened_at: '2026-03-02 09:00:00', first_response_at: '2026-03-03 08:00:00', closed_at: '2026-03-03 12:00:00' },
    // Friday 15:00 -> Saturday 16:00: 25 calendar hours, 1 business hour (Fri 15-16).
    { case_id: 'CS2', requester_id: 'H1', case_type: 'complaint', channel: 'phone', subject: 'Toimitus myöhässä', erp_order_id: 'O2', handled_by: 'Tuki Kaksi', opened_at: '2026-03-06 15:00:00', first_response_at: '2026-03-07 16:00:00', closed_at: '2026-03-08 10:00:00' },
    // Monday 06:00, no answer yet; the latest moment in the data is 2026-03-10 12:00 (A3): 30 h open.
    { case_id: 'CS3', requester_id: 'H2', case_type: 'complaint', channel: 'webform', subject: 'Kiuas ei lämpene', erp_order_id: 'O1', handled_by: 'Tuki Yksi', opened_at: '2026-03-09 06:00:00', first_response_at: null, closed_at: null },
  ],
  'newsletter.campaigns': [
    { campaign_id: 'CA1', campaign_name: 'Kevät 2026', campaign_type: 'newsletter', subject: 'Kevään löylyt', sent_at: '2026-02-01 08:00:00', link_count: 2 },
  ],
  'social.mentions': [
    { mention_id: 'M1', channel: 'instagram', handle: '@saunatalo', author_name: null, text: 'Uudet kivet kiukaalle, kiitos!', sentiment: 'positive', shares: 2, comments: 1, posted_at: '2026-03-04 18:00:00', in_reply_to_campaign_id: null },
    { mention_id: 'M2', channel: 'x', handle: '@VihainenMatti', author_name: null, text: 'Taas myöhässä.', sentiment: 'negative', shares: 5, comments: 3, posted_at: '2026-03-09 10:00:00', in_reply_to_campaign_id: null },
    { mention_id: 'M3', channel: 'facebook', handle: '@VihainenMatti', author_name: 'Matti', text: 'Mitä tässä kampanjassa oikein tarjotaan?', sentiment: 'neutral', shares: 1, comments: 0, posted_at: '2026-02-02 09:00:00', in_reply_to_campaign_id: 'CA1' },
    { mention_id: 'M4', channel: 'facebook', handle: '@maijav', author_name: 'Maija V.', text: 'Kiuas ei lämpene eikä kukaan vastaa.', sentiment: 'negative', shares: 3, comments: 2, posted_at: '2026-03-09 20:00:00', in_reply_to_campaign_id: null },
  ],
};

// ------------------------------------------------------------------ worked out by hand
//
// SLA 24 h on calendar hours (dbt var service): CS1 23 h met; CS2 25 h breached; CS3
// unanswered for 30 h at as_of 2026-03-10 12:00, breached, open, age bucket 2 (24-72 h).
// Share answered within the SLA: 1 of 3 (met + breached) = 33.3 %. Mean response 24 h.
const cases = {
  CS1: { customer: names.kivi, handler: 'Tuki Yksi', responseHours: 23, businessHours: 7, status: 'met', open: false, ageHours: null, bucket: null },
  CS2: { customer: names.kivi, handler: 'Tuki Kaksi', responseHours: 25, businessHours: 1, status: 'breached', open: false, ageHours: null, bucket: null },
  CS3: { customer: names.maija, handler: 'Tuki Yksi', responseHours: null, businessHours: null, status: 'breached', open: true, ageHours: 30, bucket: 2 },
};
// Complaints: Kivi Ky 2 (a repeat complainer), Maija 1 (open). Their margin (finance marts):
//   Kivi Ky: O2 2 x 100.00 = 200.00 - cost 2 x 60.00 = 80.00 gross; cost-to-serve two
//     complaints 2 x 60.00 + one visit 150.00 = 270.00 -> contribution -190.00.
//   Maija: O1 100.00 - 60.00 = 40.00 gross; one complaint 60.00 -> contribution -20.00.
//   Complaining customers together: -210.00.
// Pipeline: OP1 identification 02-02 -> marketing 02-09 -> offer 02-20 -> order 03-08 (7,
//   11 and 16 days), won as order O2 (net revenue 200.00, not the CRM amount 250.00);
//   OP2 identification 02-05 -> marketing 02-16 -> lost 03-01 (11 and 13 days);
//   OP3 open in offer and negotiation since 03-06 (4 days to as_of), 500.00, seen once:
//   it passed marketing, but when is unknown, so neither identification's nor
//   marketing's days count.
// Funnel: identification 3, marketing 3, offer 2, order 1. Moved on: 3 of 3 (100 %),
//   2 of 3 (OP2 was lost; 66.7 %), 1 of 2 (OP3 still open; 50 %).
//   Mean days in stage: identification (7 + 11) / 2 = 9, marketing (11 + 13) / 2 = 12, offer 16.
const funnel = [
  { stage: 'identification', reached: 3, movedOn: 3, conversionPct: 100, avgDays: 9 },
  { stage: 'marketing', reached: 3, movedOn: 2, conversionPct: 66.7, avgDays: 12 },
  { stage: 'offer_negotiation', reached: 2, movedOn: 1, conversionPct: 50, avgDays: 16 },
  { stage: 'order', reached: 1, movedOn: 0, conversionPct: 0, avgDays: null },
];
const salespeople = {
  'Myyjä Kaksi': { opportunities: 1, open: 0, won: 1, lost: 0, winRatePct: 100, openValue: 0, wonValue: 200, visits: 1, calls: 1, emails: 0 },
  'Myyjä Yksi': { opportunities: 2, open: 1, won: 0, lost: 1, winRatePct: 0, openValue: 500, wonValue: 0, visits: 1, calls: 0, emails: 1 },
};
// Social: M1 (@saunatalo on CRM contact K1) and M4 (@maijav on K2) linked; M2 and M3 by
// @VihainenMatti, in the review queue. Linked 2 of 4 = 50 %; 1 handle to review;
// negative M2, M4; M4 posted while Maija's complaint CS3 was open (and it still is).
// Shares 2 + 5 + 1 + 3 = 11, comments 1 + 3 + 0 + 2 = 6. Campaign Kevät 2026: M3.
const social = { mentions: 4, linked: 2, linkedPct: 50, handlesToReview: 1, negative: 2, byOpenComplainers: 1, shares: 11, comments: 6 };
// Care plans (management.fct_account_plan_progress): visits made are the customer's sales
// visits within the plan's days, revenue made the net revenue of the customer's orders in
// them (no contract invoices here). The data ends 2026-03-31 (the last month with sales or
// cost-to-serve), so 90 of 2026's 365 days have gone by: planned to date = planned x 90 / 365,
// target to date = target x 90 / 365. Behind below 0.8 of either to-date figure.
//   AP1 Saunatalo (Myyjä Yksi): 4 planned, 0.99 to date, made 1 (A3 on 03-10; 1 >= 0.8 x 0.99);
//     target 1,000.00, 246.58 to date, no orders (0 < 0.8 x 246.58): behind on revenue only.
//   AP2 Maija (Myyjä Yksi): 3 planned, 0.74 to date, made 0 (0 < 0.8 x 0.74): behind on visits;
//     target 0.00, so 0.00 to date, O1 on 02-20 1 x 100.00 = 100.00 made: not on revenue.
//   AP3 Kivi Ky (Myyjä Kaksi): 2 planned, 0.49 to date, made 1 (A1 on 03-03); target 400.00,
//     98.63 to date, O2 on 03-08 2 x 100.00 = 200.00 made: on track on both.
//   AP0 Kivi Ky's 2025 plan: 6 planned, all of 2025 gone by, made 0 (A1 is in 2026); target
//     500.00, all of it to date, no orders in 2025 (O2 is in 2026): behind on both.
// Per owner in 2026: Myyjä Yksi 7 planned, 1.73 to date, 1 made; Myyjä Kaksi 2, 0.49, 1.
// Per plan: owner, plan, customer, visits planned / to date / made, revenue target / to date /
// made, behind, behind on visits, behind on revenue.
const carePlans2026 = [
  ['Myyjä Kaksi', 'AP3', names.kivi, 2, 0.49, 1, 400, 98.63, 200, 0, 0, 0],
  ['Myyjä Yksi', 'AP1', names.saunatalo, 4, 0.99, 1, 1000, 246.58, 0, 1, 0, 1],
  ['Myyjä Yksi', 'AP2', names.maija, 3, 0.74, 0, 0, 0, 100, 1, 1, 0],
];
const carePlanOwners2026 = { 'Myyjä Kaksi': [2, 0.49, 1], 'Myyjä Yksi': [7, 1.73, 1] };
// Kivi Ky's contacts, newest first: CS2 (Tuki Kaksi), A2 call, A1 visit (Myyjä Kaksi), CS1 (Tuki Yksi).
const kiviTimeline = [
  ['helpdesk.cases:CS2', 'complaint', 'Tuki Kaksi'],
  ['crm.activities:A2', 'sales_call', 'Myyjä Kaksi'],
  ['crm.activities:A1', 'sales_visit', 'Myyjä Kaksi'],
  ['helpdesk.cases:CS1', 'complaint', 'Tuki Yksi'],
];

// ------------------------------------------------------------------ the pipeline

let workDir: string;
let warehouseFile: string;
let running: RunningServer;
let token: string;

/** The company's exports with the given night's opportunity export. */
const writeExports = (dir: string, opportunities: SampleRecord[]) =>
  writeFixtureExports({ ...exports, 'crm.opportunities': opportunities }, dir, new Date(Date.UTC(2026, 2, 11)));
const warehouseRows = (sql: string) => warehouseJsonRows(warehouseFile, sql);

const num = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 100) / 100);
const pct = (value: unknown) => (value === null || value === undefined ? null : Math.round(Number(value) * 10) / 10);

async function load(query: unknown): Promise<Record<string, unknown>[]> {
  const { status, body } = await loadRest(running.url, token, query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.data as Record<string, unknown>[];
}

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-service-fixture-'));
  const sourceDir = join(workDir, 'source');
  warehouseFile = join(workDir, 'warehouse.duckdb');
  delete process.env.ASIAKKUUS_NETWORK_DB_URL;
  // Three earlier nights' exports, ingested as they came; the fourth is built.
  for (const opportunities of opportunityExports.slice(0, -1)) {
    await writeExports(sourceDir, opportunities);
    const { failures } = await ingestAll({ warehouseFile, sourceDir });
    if (failures.length > 0) throw new Error(`ingest failed: ${JSON.stringify(failures)}`);
  }
  await writeExports(sourceDir, opportunityExports[opportunityExports.length - 1]!);
  await buildWarehouse({ sourceDir, warehouseFile, ...fixtureBuild });
  running = await serve({ port: 0, warehouseFile, dashboardDir: join(workDir, 'no-dashboard'), ...fixtureServing });
  token = await signIn(running.url, 'management');
}, 900_000);

afterAll(async () => {
  await running?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the hand-computed service company in the dbt marts', () => {
  it('loads every row, refusing none, and keeps four versions of the opportunity export', async () => {
    expect(await warehouseRows('select source, entity, field, reason from raw.quarantine')).toEqual([]);
    const versions = await warehouseRows("select opportunity_id, count(*) as versions from raw.crm__opportunities group by 1 order by 1");
    expect(versions.map((r) => [r.opportunity_id, Number(r.versions)])).toEqual([['OP1', 4], ['OP2', 3], ['OP3', 1]]);
  });

  it('times each case against the 24-hour SLA in calendar and business hours', async () => {
    const rows = await warehouseRows(`
      select case_id, customer_name, handled_by, response_hours, response_business_hours, sla_status, is_open, open_age_hours, open_age_bucket
      from service.fct_cases order by case_id`);
    expect(Object.fromEntries(rows.map((r) => [r.case_id, {
      customer: r.customer_name, handler: r.handled_by, responseHours: num(r.response_hours), businessHours: num(r.response_business_hours),
      status: r.sla_status, open: r.is_open, ageHours: num(r.open_age_hours), bucket: num(r.open_age_bucket),
    }]))).toEqual(cases);
  });

  it('finds the repeat complainer and the margin of the customers who complained', async () => {
    const rows = await warehouseRows(`
      select customer_name, account_owner, complaint_count, open_complaint_count, is_repeat_complainer, contribution_margin,
             last_contact_type, last_contact_by
      from service.dim_service_customers order by customer_name`);
    expect(rows.map((r) => [r.customer_name, r.account_owner, Number(r.complaint_count), Number(r.open_complaint_count), r.is_repeat_complainer, num(r.contribution_margin), r.last_contact_type, r.last_contact_by])).toEqual([
      [names.kivi, 'Myyjä Kaksi', 2, 0, true, -190, 'complaint', 'Tuki Kaksi'],
      [names.maija, 'Myyjä Yksi', 1, 1, false, -20, 'complaint', 'Tuki Yksi'],
      [names.saunatalo, 'Myyjä Yksi', 0, 0, false, -150, 'sales_visit', 'Myyjä Yksi'],
    ]);
  });

  it('takes each stage entry from the loads and the won value from the ERP order', async () => {
    const stages = await warehouseRows(`
      select opportunity_id, stage, cast(entered_on as varchar) as entered_on, days_in_stage
      from service.fct_opportunity_stages order by opportunity_id, coalesce(stage_rank, 9)`);
    expect(stages.map((r) => [r.opportunity_id, r.stage, r.entered_on, num(r.days_in_stage)])).toEqual([
      ['OP1', 'identification', '2026-02-02', 7],
      ['OP1', 'marketing', '2026-02-09', 11],
      ['OP1', 'offer_negotiation', '2026-02-20', 16],
      ['OP1', 'order', '2026-03-08', null],
      ['OP2', 'identification', '2026-02-05', 11],
      ['OP2', 'marketing', '2026-02-16', 13],
      ['OP2', 'lost', '2026-03-01', null],
      ['OP3', 'identification', '2026-03-02', null],
      ['OP3', 'marketing', null, null],
      ['OP3', 'offer_negotiation', '2026-03-06', 4],
    ]);
    const opportunities = await warehouseRows('select opportunity_id, outcome, open_value, won_value, erp_order_net_revenue from service.fct_opportunities order by 1');
    expect(opportunities.map((r) => [r.opportunity_id, r.outcome, num(r.open_value), num(r.won_value)])).toEqual([
      ['OP1', 'won', 0, 200],
      ['OP2', 'lost', 0, 0],
      ['OP3', 'open', 500, 0],
    ]);
  });

  it('links mentions through identity resolution and sends the unknown handle to review', async () => {
    const rows = await warehouseRows('select mention_id, link_status, customer_name, posted_during_open_complaint from service.fct_social_mentions order by 1');
    expect(rows.map((r) => [r.mention_id, r.link_status, r.customer_name, r.posted_during_open_complaint])).toEqual([
      ['M1', 'linked', names.saunatalo, false],
      ['M2', 'in_review', null, false],
      ['M3', 'in_review', null, false],
      ['M4', 'linked', names.maija, true],
    ]);
  });
});

describe('the hand-computed service company through the semantic API', () => {
  it('gives the SLA share, breaches and response times', async () => {
    const [row] = await load({ measures: [s.caseCount, s.caseSlaMet, s.caseSlaBreached, s.caseSlaMetPct, s.caseAvgResponseHours, s.caseOpen] });
    expect([num(row![s.caseCount]), num(row![s.caseSlaMet]), num(row![s.caseSlaBreached]), pct(row![s.caseSlaMetPct]), num(row![s.caseAvgResponseHours]), num(row![s.caseOpen])]).toEqual([3, 1, 2, 33.3, 24, 1]);
  });

  it('lists the breaches newest first with customer and handler', async () => {
    const rows = await load({ dimensions: [s.caseId, s.caseCustomerName, s.caseHandler, s.caseSlaClockHours, s.caseOpenedAt], segments: [s.caseBreachesOnly], order: [[s.caseOpenedAt, 'desc']] });
    expect(rows.map((r) => [r[s.caseId], r[s.caseCustomerName], r[s.caseHandler], num(r[s.caseSlaClockHours])])).toEqual([
      ['CS3', names.maija, 'Tuki Yksi', 30],
      ['CS2', names.kivi, 'Tuki Kaksi', 25],
    ]);
  });

  it('gives the funnel, stage-to-stage conversion and time in stage', async () => {
    const rows = await load({ dimensions: [s.stageName, s.stageRank], measures: [s.stageReached, s.stageMovedOn, s.stageConversionPct, s.stageAvgDays], filters: [{ member: s.stageRank, operator: 'set' }], order: { [s.stageRank]: 'asc' } });
    expect(rows.map((r) => ({ stage: r[s.stageName], reached: num(r[s.stageReached]), movedOn: num(r[s.stageMovedOn]), conversionPct: pct(r[s.stageConversionPct]), avgDays: num(r[s.stageAvgDays]) }))).toEqual(funnel);
  });

  it('gives each salesperson their pipeline and their visits, calls and e-mails', async () => {
    const pipeline = await load({ dimensions: [s.opportunitySalesperson], measures: [s.opportunityCount, s.opportunityOpenCount, s.opportunityWonCount, s.opportunityLostCount, s.opportunityWinRatePct, s.opportunityOpenValue, s.opportunityWonValue] });
    const activity = await load({ dimensions: [s.activitySalesperson], measures: [s.activityVisits, s.activityCalls, s.activityEmails] });
    const activityOf = new Map(activity.map((r) => [r[s.activitySalesperson], r]));
    expect(Object.fromEntries(pipeline.map((r) => {
      const a = activityOf.get(r[s.opportunitySalesperson])!;
      return [r[s.opportunitySalesperson], {
        opportunities: num(r[s.opportunityCount]), open: num(r[s.opportunityOpenCount]), won: num(r[s.opportunityWonCount]), lost: num(r[s.opportunityLostCount]),
        winRatePct: pct(r[s.opportunityWinRatePct]), openValue: num(r[s.opportunityOpenValue]), wonValue: num(r[s.opportunityWonValue]),
        visits: num(a[s.activityVisits]), calls: num(a[s.activityCalls]), emails: num(a[s.activityEmails]),
      }];
    }))).toEqual(salespeople);
  });

  it("gives the care plans' planned vs made visits and revenue per plan, why a plan is behind, and per plan owner", async () => {
    const march2026 = { ...noServiceFilters, period: { from: '2026-01-01', to: '2026-03-31' } };
    const plans = await load(carePlansQuery(march2026, 0, 50));
    expect(plans.map((r) => [
      r[s.planOwner], r[s.planId], r[s.planCustomerName], num(r[s.planPlannedVisits]), num(r[s.planPlannedVisitsToDate]), num(r[s.planVisitsMade]),
      num(r[s.planTargetRevenue]), num(r[s.planTargetRevenueToDate]), num(r[s.planRevenueMade]),
      num(r[s.planBehind]), num(r[s.planBehindOnVisits]), num(r[s.planBehindOnRevenue]),
    ])).toEqual(carePlans2026);
    // A page is a slice of that list, in its order.
    expect((await load(carePlansQuery(march2026, 1, 2))).map((r) => r[s.planId])).toEqual(plans.slice(1, 3).map((r) => r[s.planId]));
    // Per owner, summed in the warehouse over every plan (not over a page).
    const owners = await load(carePlanOwnersQuery(march2026));
    expect(Object.fromEntries(owners.map((r) => [r[s.planOwner], [num(r[s.planPlannedVisits]), num(r[s.planPlannedVisitsToDate]), num(r[s.planVisitsMade])]]))).toEqual(carePlanOwners2026);
    expect(Object.fromEntries(owners.map((r) => [r[s.planOwner], num(r[s.planCount])]))).toEqual({ 'Myyjä Kaksi': 1, 'Myyjä Yksi': 2 });
    // With no period every year's plan is listed: the 2025 plan had its visits planned and none made.
    const everyYear = await load(carePlansQuery(noServiceFilters, 0, 50));
    expect(everyYear.filter((r) => r[s.planId] === 'AP0').map((r) => [
      num(r[s.planPlannedVisits]), num(r[s.planPlannedVisitsToDate]), num(r[s.planVisitsMade]),
      num(r[s.planTargetRevenue]), num(r[s.planTargetRevenueToDate]), num(r[s.planRevenueMade]), num(r[s.planBehindOnVisits]), num(r[s.planBehindOnRevenue]),
    ])).toEqual([[6, 6, 0, 500, 500, 0, 1, 1]]);
    expect(everyYear).toHaveLength(4);
  });

  it('gives the service role, who may not see money, the care plans without revenue but with what each is behind on', async () => {
    const serviceToken = await signIn(running.url, 'service');
    const march2026 = { ...noServiceFilters, period: { from: '2026-01-01', to: '2026-03-31' } };
    const refused = await loadRest(running.url, serviceToken, carePlansQuery(march2026, 0, 50));
    expect(refused.status, 'the whole query names the revenue').toBeGreaterThanOrEqual(400);
    expect(refused.status).toBeLessThan(500);
    // As the dashboard asks it for this role: the money members left out (loadCarePlans).
    const { status, body } = await loadRest(running.url, serviceToken, withoutMembers(carePlansQuery(march2026, 0, 50), serviceMoneyMembers));
    expect(status, JSON.stringify(body)).toBe(200);
    const rows = body.data as Record<string, unknown>[];
    expect(rows.map((r) => [r[s.planId], num(r[s.planBehind]), num(r[s.planBehindOnVisits]), num(r[s.planBehindOnRevenue])])).toEqual(
      carePlans2026.map((plan) => [plan[1], ...plan.slice(-3)]),
    );
    expect(rows.every((r) => !(s.planRevenueMade in r) && !(s.planTargetRevenue in r))).toBe(true);
  });

  it("gives a customer's contact timeline: who, when, what", async () => {
    const [kivi] = await load({ dimensions: [s.customerId], filters: [{ member: s.customerName, operator: 'equals', values: [names.kivi] }] });
    const rows = await load({ dimensions: [s.contactId, s.contactKind, s.contactHandledBy, s.contactOccurredAt], filters: [{ member: s.contactCustomerId, operator: 'equals', values: [String(kivi![s.customerId])] }], order: [[s.contactOccurredAt, 'desc']] });
    expect(rows.map((r) => [r[s.contactId], r[s.contactKind], r[s.contactHandledBy]])).toEqual(kiviTimeline);
  });

  it('gives the social mentions linked and waiting for review', async () => {
    const [row] = await load({ measures: [s.mentionCount, s.mentionLinked, s.mentionLinkedPct, s.mentionUnresolvedHandles, s.mentionNegative, s.mentionByOpenComplainers, s.mentionShares, s.mentionComments] });
    expect({
      mentions: num(row![s.mentionCount]), linked: num(row![s.mentionLinked]), linkedPct: pct(row![s.mentionLinkedPct]), handlesToReview: num(row![s.mentionUnresolvedHandles]),
      negative: num(row![s.mentionNegative]), byOpenComplainers: num(row![s.mentionByOpenComplainers]), shares: num(row![s.mentionShares]), comments: num(row![s.mentionComments]),
    }).toEqual(social);
  });

  it('answers every query the page opens with', async () => {
    for (const [name, query] of Object.entries(serviceOpeningQueries(noServiceFilters))) {
      const { status, body } = await loadRest(running.url, token, query);
      expect(status, `${name}: ${JSON.stringify(body)}`).toBe(200);
      expect(Array.isArray(body.data), name).toBe(true);
    }
  });

  it('refuses a member the view does not have with a 4xx and no SQL', async () => {
    const { status, body } = await loadRest(running.url, token, { measures: ['service.case_no_such_member'] });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(JSON.stringify(body)).not.toMatch(/select|from service\./i);
  });
});
