// A hand-computed company through the whole pipeline for the marketing lists: seven
// customers, one offer e-mail, a sales follow-up, a referral. The exports are written
// in the catalogue's formats, ingested, built with dbt and served by the API; each list
// (win-back, leads, reminders), the campaign funnel with its attributed revenue, the
// RFM segments, the consent exclusions and the newsletter export must be what is
// worked out by hand below, in the dbt marts and through the semantic API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';
import type { RunningServer } from '../../cube/server/main.ts';
import { loadRest } from '../helpers/api-client.ts';
import { buildFixtureCompany, type FixtureCompany } from '../helpers/fixture-exports.ts';
import { segmentFilters, segmentSummaryQuery } from '../../dashboard/src/lib/api/marketing-queries.ts';

// ------------------------------------------------------------------ the company
//
// The last event in the data is C1's order on 2026-06-30, so every list counts days up
// to 2026-06-30 (int_marketing__as_of). One product, P1: price 100.00, cost 40.00.
//
// C1 Aktiivi Oy       orders 2026-03-01, 04-01, 05-01 (1 x P1) and 06-30 (2 x P1); subscribed.
//                     Offer OF1 (sent 06-18 08:00): opened 06-19, clicked links L1 and L2 on 06-20.
//                     Sales called on 06-22 and opened an opportunity that became order O14.
// C2 Maija Nukkuja    one order 2025-05-26 (400 days before 06-30); subscribed; OF1 not opened.
// C3 Uolevi Kielto    one order 2025-01-10 (536 days); UNSUBSCRIBED; OF1 not opened.
// C4 Rytmi Ky         orders every 30 days: 2025-12-01, 12-31, 2026-01-30, 03-01 (121 days
//                     ago, > 2 x 30); webshop account with marketing consent, no newsletter.
// C5 Avaaja Anna      no orders; subscribed; OF1 opened 06-19 and clicked one link (L1);
//                     answered the survey: "Järvinäkymä".
// C6 Myöhä Mikko      no orders; subscribed; OF1 opened 06-25, after the two-day window.
// C7 Pomppu Paula     no orders; address BOUNCED on OF1.
// Referrals (network.referrals): C1 referred C2 on 2025-05-01 (RF1); C4 referred someone
// known only by the address Uolevi.Kielto@Example.fi on 2025-01-01 (RF2: C3 by e-mail);
// C1 referred C2 again on 2026-01-01 with C4's address beside C2's number (RF3: C2).
// The CRM contact and the webshop account share a last name and postal code with their
// ERP record, so identity resolution's scored model has pairs to train on.

const day = (d: string) => `${d} 00:00:00`;
const erpCustomer = (id: string, type: 'business' | 'consumer', company: string | null, first: string, last: string, email: string) => ({
  customer_id: id, customer_type: type, company_name: company, business_id: null, first_name: first, last_name: last, email,
  phone: null, street_address: null, postal_code: '00100', city: 'Helsinki', region: 'Uusimaa', created_at: '2024-01-01', updated_at: day('2024-01-01'),
});
const order = (id: string, customer: string, date: string, quantity = 1) => ({
  order: { order_id: id, customer_id: customer, order_date: date, channel: 'webshop', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: null },
  line: { order_line_id: `${id}-1`, order_id: id, line_number: 1, product_id: 'P1', quantity, unit_price: 100, discount_pct: 0 },
});
const orders = [
  order('O11', 'C1', '2026-03-01'), order('O12', 'C1', '2026-04-01'), order('O13', 'C1', '2026-05-01'), order('O14', 'C1', '2026-06-30', 2),
  order('O21', 'C2', '2025-05-26'),
  order('O31', 'C3', '2025-01-10'),
  order('O41', 'C4', '2025-12-01'), order('O42', 'C4', '2025-12-31'), order('O43', 'C4', '2026-01-30'), order('O44', 'C4', '2026-03-01'),
];
const subscriber = (id: string, email: string, first: string, last: string, status: string) => ({
  subscriber_id: id, email, first_name: first, last_name: last, status, subscribed_at: day('2025-01-01'), updated_at: day('2025-02-01'),
});
const event = (id: string, send: string, type: string, at: string, link: string | null = null) => ({ event_id: id, send_id: send, event_type: type, link_id: link, occurred_at: at });

const exports: Record<string, SampleRecord[]> = {
  'erp.customers': [
    erpCustomer('C1', 'business', 'Aktiivi Oy', 'Aino', 'Aktiivinen', 'aino@aktiivi.fi'),
    erpCustomer('C2', 'consumer', null, 'Maija', 'Nukkuja', 'maija.nukkuja@example.fi'),
    erpCustomer('C3', 'consumer', null, 'Uolevi', 'Kielto', 'uolevi.kielto@example.fi'),
    erpCustomer('C4', 'business', 'Rytmi Ky', 'Reijo', 'Rytmi', 'reijo@rytmi.fi'),
  ],
  'erp.products': [{ product_id: 'P1', product_name: 'Kiuaskivet', product_group: 'Tarvikkeet', list_price: 100, unit_cost: 40 }],
  'erp.product_costs': [{ product_id: 'P1', valid_from: '2024-01-01', unit_cost: 40 }],
  'erp.orders': orders.map((o) => o.order),
  'erp.order_lines': orders.map((o) => o.line),
  'webshop.accounts': [
    { account_id: 'W4', email: 'reijo@rytmi.fi', first_name: 'Reijo', last_name: 'Rytmi', phone: null, street_address: null, postal_code: '00100', city: 'Helsinki', marketing_consent: true, created_at: day('2025-11-01'), updated_at: '2025-11-02 10:00:00' },
  ],
  'crm.contacts': [
    { contact_id: 'K1', erp_customer_id: 'C1', contact_type: 'business', company_name: 'Aktiivi Oy', first_name: 'Aino', last_name: 'Aktiivinen', email: 'aino@aktiivi.fi', phone: null, street_address: null, postal_code: '00100', city: 'Helsinki', social_handle: null, owner: 'Myyjä Yksi', lifecycle_stage: 'customer', created_at: day('2024-01-01'), updated_at: day('2024-01-01') },
  ],
  'crm.activities': [
    { activity_id: 'A1', contact_id: 'K1', activity_type: 'call', salesperson: 'Myyjä Yksi', occurred_at: '2026-06-22 10:00:00', subject: 'Tarjous', opportunity_id: 'OP1' },
  ],
  'crm.opportunities': [
    { opportunity_id: 'OP1', contact_id: 'K1', stage: 'order', amount: 200, salesperson: 'Myyjä Yksi', opened_on: '2026-06-22', stage_changed_on: '2026-06-29', erp_order_id: 'O14' },
  ],
  'newsletter.subscribers': [
    subscriber('S1', 'aino@aktiivi.fi', 'Aino', 'Aktiivinen', 'subscribed'),
    subscriber('S2', 'maija.nukkuja@example.fi', 'Maija', 'Nukkuja', 'subscribed'),
    subscriber('S3', 'uolevi.kielto@example.fi', 'Uolevi', 'Kielto', 'unsubscribed'),
    subscriber('S5', 'anna.avaaja@example.fi', 'Anna', 'Avaaja', 'subscribed'),
    subscriber('S6', 'mikko.myoha@example.fi', 'Mikko', 'Myöhä', 'subscribed'),
    subscriber('S7', 'paula.pomppu@example.fi', 'Paula', 'Pomppu', 'bounced'),
  ],
  'newsletter.campaigns': [
    { campaign_id: 'OF1', campaign_name: 'Kesätarjous', campaign_type: 'offer', subject: 'Kiuaskivet -20 %', sent_at: '2026-06-18 08:00:00', link_count: 3 },
  ],
  'newsletter.sends': ['1', '2', '3', '5', '6', '7'].map((n) => ({ send_id: `SE${n}`, campaign_id: 'OF1', subscriber_id: `S${n}`, sent_at: '2026-06-18 08:00:00' })),
  'newsletter.events': [
    event('E11', 'SE1', 'delivered', '2026-06-18 08:01:00'),
    event('E12', 'SE1', 'opened', '2026-06-19 09:00:00'),
    event('E13', 'SE1', 'clicked', '2026-06-20 09:01:00', 'L1'),
    event('E14', 'SE1', 'clicked', '2026-06-20 09:02:00', 'L2'),
    event('E21', 'SE2', 'delivered', '2026-06-18 08:01:00'),
    event('E31', 'SE3', 'delivered', '2026-06-18 08:01:00'),
    event('E51', 'SE5', 'delivered', '2026-06-18 08:01:00'),
    event('E52', 'SE5', 'opened', '2026-06-19 10:00:00'),
    event('E53', 'SE5', 'clicked', '2026-06-19 10:01:00', 'L1'),
    event('E61', 'SE6', 'delivered', '2026-06-18 08:01:00'),
    event('E62', 'SE6', 'opened', '2026-06-25 12:00:00'),
    event('E71', 'SE7', 'bounced', '2026-06-18 08:01:00'),
  ],
  'newsletter.survey_answers': [
    { answer_id: 'SA1', campaign_id: 'OF1', subscriber_id: 'S5', question: 'Mitä toivot kesämökiltäsi?', answer: 'Järvinäkymä', answered_at: '2026-06-19 10:05:00' },
  ],
  'network.referrals': [
    { referral_id: 'RF1', referrer_customer_id: 'C1', referred_customer_id: 'C2', referred_email: 'maija.nukkuja@example.fi', referred_on: '2025-05-01', partner_id: null },
    // Known by address only (written as a person types it): found by the customer's e-mail.
    { referral_id: 'RF2', referrer_customer_id: 'C4', referred_customer_id: null, referred_email: ' Uolevi.Kielto@Example.fi', referred_on: '2025-01-01', partner_id: null },
    // A customer number and another customer's address: the number decides.
    { referral_id: 'RF3', referrer_customer_id: 'C1', referred_customer_id: 'C2', referred_email: 'reijo@rytmi.fi', referred_on: '2026-01-01', partner_id: null },
  ],
};

// ------------------------------------------------------------------ worked out by hand

// Win-back (no purchase within 365 days, or > 2 x own median interval with >= 3 purchase days):
//   C2 400 days, C3 536 days: no purchase within the limit; C4: median 30 days, 121 > 60: overdue.
//   C1's last purchase is on the as-of day. C3 is unsubscribed: on the list, left out of the mailing.
const winback = {
  'Maija Nukkuja': { reason: 'no_purchase_within_limit', days: 400, excluded: null },
  'Uolevi Kielto': { reason: 'no_purchase_within_limit', days: 536, excluded: 'unsubscribed' },
  'Rytmi Ky': { reason: 'overdue_vs_rhythm', days: 121, excluded: null },
};
// Leads (offer e-mail, >= 2 different links within 14 days): C1 only (C5 clicked one link).
// Sales called 2 days after the click; the opportunity became order O14: outcome ordered.
// Reminders (offer not opened within 48 hours of the send, not bounced): C2, C3 (left out),
// C6 (opened on day 7); C1 and C5 opened the next day.
const reminders = { 'Maija Nukkuja': null, 'Uolevi Kielto': 'unsubscribed', 'Mikko Myöhä': null };
// Funnel of OF1: 6 sent, 5 delivered (SE7 bounced), 3 opened, 2 clicked, 1 converted: C1's
// order O14 on 06-30 is 10 days after the click, within 14: 2 x 100.00 = 200.00 revenue,
// 200.00 - 2 x 40.00 = 120.00 gross margin.
const funnel = { sent: 6, delivered: 5, opened: 3, clicked: 2, unsubscribed: 0, bounced: 1, converted: 1, revenue: 200, margin: 120 };
// RFM (as worked out in docs/marketing.md's rule): recency days C1 0, C4 121, C2 400, C3 536
// -> R 5, 4, 2, 1; orders C1 4, C4 4, C2 1, C3 1 -> F 4, 4, 1, 1; revenue C1 500, C4 400,
// C2 100, C3 100 -> M 5, 4, 1, 1; FM = (F + M + 1) // 2 -> 5, 4, 1, 1.
const rfm = {
  'Aktiivi Oy': { code: '545', segment: 'champions' },
  'Rytmi Ky': { code: '444', segment: 'loyal_customers' },
  'Maija Nukkuja': { code: '211', segment: 'hibernating' },
  'Uolevi Kielto': { code: '111', segment: 'hibernating' },
};
// Relationship nature and A-D care class, as the management marts give them for the latest
// month (2026-06; evidence window 2025-07 .. 2026-06): C1 and C4 bought 4 times in 4
// different months at full price: preference. C1 clicked the offer's links on 06-20 and
// sales opened an opportunity on 06-22, growth signals within 3 months: B. C4 has no
// signal, and growth counts only on revenue in the window before (it had none): C, served
// as needed. C2 and C3 bought only before the window, C5-C7 never: unknown and D (passive).
const natures = { preference: ['Aktiivi Oy', 'Rytmi Ky'], unknown: ['Maija Nukkuja', 'Mikko Myöhä', 'Paula Pomppu', 'Uolevi Kielto', 'Anna Avaaja'] };
const careClasses = { B: ['Aktiivi Oy'], C: ['Rytmi Ky'], D: ['Maija Nukkuja', 'Mikko Myöhä', 'Paula Pomppu', 'Uolevi Kielto', 'Anna Avaaja'] };
// Consent: C3 unsubscribed, C7 bounced; the other five may be e-mailed (C4 by webshop consent).
const exclusions = { 'Uolevi Kielto': 'unsubscribed', 'Paula Pomppu': 'bounced' };
const newsletterColumns = 'subscriber_id,email,first_name,last_name,status,subscribed_at,updated_at';

// ------------------------------------------------------------------ the pipeline

let company: FixtureCompany;
let running: RunningServer;
let token: string;
const warehouseRows = (sql: string) => company.rows(sql);

async function exportCsv(query: unknown): Promise<{ status: number; rowCount: string | null; lines: string[] }> {
  const response = await fetch(`${running.url}/api/marketing/export`, {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  const text = await response.text();
  return { status: response.status, rowCount: response.headers.get('x-asiakkuus-row-count'), lines: text.split('\r\n').filter((line) => line !== '') };
}

beforeAll(async () => {
  company = await buildFixtureCompany('marketing', exports, new Date(Date.UTC(2026, 6, 1)), 'management');
  ({ running, token } = company);
});

afterAll(() => company?.close());

describe('the hand-computed marketing company in the dbt marts', () => {
  it('loads every row and resolves seven customers', async () => {
    expect(await warehouseRows('select source, entity, field, reason from raw.quarantine')).toEqual([]);
    expect((await warehouseRows('select count(*) as n from core.dim_customers'))[0]!.n).toBe('7');
    expect((await warehouseRows('select as_of::varchar as as_of from intermediate.int_marketing__as_of'))[0]!.as_of).toBe('2026-06-30');
  });

  it('puts the customer 400 days without a purchase and the one overdue against their rhythm on the win-back list', async () => {
    const rows = await warehouseRows(`
      select c.customer_name, w.winback_reason, w.days_since_last_purchase, w.exclusion_reason, w.median_interval_days
      from marketing.fct_winback_list w join core.dim_customers c using (customer_id)`);
    expect(Object.fromEntries(rows.map((r) => [r.customer_name, { reason: r.winback_reason, days: Number(r.days_since_last_purchase), excluded: r.exclusion_reason }]))).toEqual(winback);
    expect(Number(rows.find((r) => r.customer_name === 'Rytmi Ky')!.median_interval_days)).toBe(30);
  });

  it('makes the contact who clicked two links of the offer a lead, with the sales follow-up and its order', async () => {
    const rows = await warehouseRows(`
      select c.customer_name, l.campaign_id, l.links_clicked, l.distinct_links_clicked, l.first_clicked_at::varchar as first_clicked_at,
             l.follow_up_salesperson, l.follow_up_activity_type, l.opportunity_stage, l.order_id, l.outcome, l.exclusion_reason
      from marketing.fct_lead_list l join core.dim_customers c using (customer_id)`);
    expect(rows).toEqual([{
      customer_name: 'Aktiivi Oy', campaign_id: 'OF1', links_clicked: 'L1, L2', distinct_links_clicked: '2', first_clicked_at: '2026-06-20 09:01:00',
      follow_up_salesperson: 'Myyjä Yksi', follow_up_activity_type: 'call', opportunity_stage: 'order', order_id: 'O14', outcome: 'ordered', exclusion_reason: null,
    }]);
  });

  it('reminds those who did not open within two days, and never a bounced address', async () => {
    const rows = await warehouseRows(`
      select c.customer_name, r.exclusion_reason from marketing.fct_reminder_list r join core.dim_customers c using (customer_id)`);
    expect(Object.fromEntries(rows.map((r) => [r.customer_name, r.exclusion_reason]))).toEqual(reminders);
  });

  it('counts the funnel of the offer and attributes the order to the last click', async () => {
    const [row] = await warehouseRows(`
      select count(*) as sent, count(*) filter (where is_delivered) as delivered, count(*) filter (where is_opened) as opened,
             count(*) filter (where is_clicked) as clicked, count(*) filter (where is_unsubscribed) as unsubscribed,
             count(*) filter (where is_bounced) as bounced, count(*) filter (where is_converted) as converted,
             sum(attributed_revenue) as revenue, sum(attributed_gross_margin) as margin
      from marketing.fct_campaign_sends`);
    expect(Object.fromEntries(Object.entries(row!).map(([k, v]) => [k, Number(v)]))).toEqual(funnel);
  });

  it('scores RFM and names the segments', async () => {
    const rows = await warehouseRows(`select c.customer_name, r.rfm_code, r.rfm_segment from marketing.fct_customer_rfm r join core.dim_customers c using (customer_id)`);
    expect(Object.fromEntries(rows.map((r) => [r.customer_name, { code: r.rfm_code, segment: r.rfm_segment }]))).toEqual(rfm);
  });

  it('leaves the unsubscribed and the bounced out, each with its reason', async () => {
    const rows = await warehouseRows(`select customer_name, exclusion_reason from marketing.dim_marketing_customers where exclusion_reason is not null`);
    expect(Object.fromEntries(rows.map((r) => [r.customer_name, r.exclusion_reason]))).toEqual(exclusions);
  });

  it('values the referral by what the referred customer bought since', async () => {
    const rows = await warehouseRows(`select r.referral_id, referrer.customer_name as referrer, referred.customer_name as referred, r.referred_revenue, r.referred_gross_margin
      from marketing.fct_referrals r
      join core.dim_customers referrer on referrer.customer_id = r.referrer_customer_id
      left join core.dim_customers referred on referred.customer_id = r.referred_customer_id
      order by r.referral_id`);
    expect(rows.map((r) => [r.referral_id, r.referrer, r.referred, Number(r.referred_revenue), Number(r.referred_gross_margin)])).toEqual([
      // C2's order O21 on 2025-05-26: 1 x P1, 100.00 at cost 40.00.
      ['RF1', 'Aktiivi Oy', 'Maija Nukkuja', 100, 60],
      // C3's order O31 on 2025-01-10.
      ['RF2', 'Rytmi Ky', 'Uolevi Kielto', 100, 60],
      // C2 has bought nothing since 2026-01-01 (C4, whose address it carries, has: O43, O44).
      ['RF3', 'Aktiivi Oy', 'Maija Nukkuja', 0, 0],
    ]);
  });
});

describe('the hand-computed marketing company through the semantic API', () => {
  it('gives the list counts with the ones left out', async () => {
    const { status, body } = await loadRest(running.url, token, {
      measures: ['marketing.winback_list_count', 'marketing.winback_list_included_count', 'marketing.winback_list_excluded_count', 'marketing.winback_list_overdue_count'],
      filters: [{ member: 'marketing.winback_list_winback_reason', operator: 'set' }],
    });
    expect(status).toBe(200);
    expect(Object.values(body.data[0]).map(Number)).toEqual([3, 2, 1, 1]);
    const remindersByCampaign = await loadRest(running.url, token, {
      dimensions: ['marketing.reminder_list_campaign_id'],
      measures: ['marketing.reminder_list_count', 'marketing.reminder_list_included_count', 'marketing.reminder_list_excluded_count'],
      filters: [{ member: 'marketing.reminder_list_send_id', operator: 'set' }],
    });
    expect(remindersByCampaign.body.data.map((r: Record<string, string>) => Object.values(r).map(String))).toEqual([['OF1', '3', '2', '1']]);
  });

  it('gives the funnel of the offer per campaign', async () => {
    const { status, body } = await loadRest(running.url, token, {
      dimensions: ['marketing.campaign_sends_campaign_id'],
      measures: ['marketing.campaign_sends_sent', 'marketing.campaign_sends_delivered', 'marketing.campaign_sends_opened', 'marketing.campaign_sends_clicked',
        'marketing.campaign_sends_unsubscribed', 'marketing.campaign_sends_bounced', 'marketing.campaign_sends_converted',
        'marketing.campaign_sends_attributed_revenue', 'marketing.campaign_sends_attributed_gross_margin'],
      filters: [{ member: 'marketing.campaign_sends_campaign_id', operator: 'set' }],
    });
    expect(status).toBe(200);
    const [row] = body.data as Record<string, string>[];
    expect(Object.values(row!).slice(1).map(Number)).toEqual(Object.values(funnel));
  });

  it('sizes a segment built from survey answers and RFM', async () => {
    const answered = await loadRest(running.url, token, {
      measures: ['marketing.count'],
      filters: [{ member: 'marketing.survey_answers', operator: 'contains', values: ['|Mitä toivot kesämökiltäsi?: Järvinäkymä|'] }],
    });
    expect(Number(answered.body.data[0]['marketing.count'])).toBe(1);
    const hibernating = await loadRest(running.url, token, {
      measures: ['marketing.count', 'marketing.contactable_count', 'marketing.lifetime_revenue', 'marketing.lifetime_gross_margin'],
      filters: [{ member: 'marketing.rfm_segment', operator: 'equals', values: ['hibernating'] }],
    });
    // C2 and C3, 100.00 each, margin 60.00 each; C3 unsubscribed.
    expect(Object.values(hibernating.body.data[0]).map(Number)).toEqual([2, 1, 200, 120]);
  });

  it('builds a segment on relationship nature and A-D care class: the management marts\' customers, through the API', async () => {
    const byName = (rows: Record<string, unknown>[], key: string) => {
      const grouped: Record<string, string[]> = {};
      for (const row of rows) (grouped[String(row[key])] ??= []).push(String(row.customer_name));
      for (const names of Object.values(grouped)) names.sort();
      return grouped;
    };
    const sorted = (groups: Record<string, string[]>) => Object.fromEntries(Object.entries(groups).map(([k, v]) => [k, [...v].sort()]));
    // The management mart itself, the source the marketing profile joins.
    const portfolio = await warehouseRows(`select c.customer_name, p.relationship_nature, p.care_class
      from management.fct_customer_portfolio p join core.dim_customers c using (customer_id)`);
    expect(byName(portfolio, 'relationship_nature')).toEqual(sorted(natures));
    expect(byName(portfolio, 'care_class')).toEqual(sorted(careClasses));
    // The builder's conditions, as the page sends them, size each class through the semantic layer.
    for (const [nature, names] of Object.entries(natures)) {
      const { status, body } = await loadRest(running.url, token, segmentSummaryQuery([{ attribute: 'relationshipNature', operator: 'in', values: [nature] }]));
      expect(status).toBe(200);
      expect(Number(body.data[0]['marketing.count'])).toBe(names.length);
    }
    const classB = await loadRest(running.url, token, {
      dimensions: ['marketing.customer_name'],
      filters: segmentFilters([{ attribute: 'careClass', operator: 'in', values: ['B'] }]),
      order: { 'marketing.customer_name': 'asc' },
    });
    expect(classB.body.data.map((r: Record<string, string>) => r['marketing.customer_name'])).toEqual(careClasses.B);
    // Not D and consumer: nobody (C1 and C4 are businesses); not D alone: C1 and C4, 500.00 + 400.00.
    const notD = await loadRest(running.url, token, segmentSummaryQuery([{ attribute: 'careClass', operator: 'notIn', values: ['D'] }]));
    expect(Number(notD.body.data[0]['marketing.count'])).toBe(2);
    expect(Number(notD.body.data[0]['marketing.lifetime_revenue'])).toBe(900);
    const notDConsumers = await loadRest(running.url, token, segmentSummaryQuery([
      { attribute: 'careClass', operator: 'notIn', values: ['D'] }, { attribute: 'customerType', operator: 'in', values: ['consumer'] },
    ]));
    expect(Number(notDConsumers.body.data[0]['marketing.count'])).toBe(0);
  });

  it('exports every customer who may be e-mailed in the newsletter import format, and only them', async () => {
    const all = await exportCsv({});
    expect(all.status).toBe(200);
    expect(all.lines[0]).toBe(newsletterColumns);
    const emails = all.lines.slice(1).map((line) => line.split(',')[1]).sort();
    expect(emails).toEqual(['aino@aktiivi.fi', 'anna.avaaja@example.fi', 'maija.nukkuja@example.fi', 'mikko.myoha@example.fi', 'reijo@rytmi.fi']);
    expect(all.rowCount).toBe('5');
    // C4 is not a subscriber yet: no subscriber id, subscribed when the webshop consent was given.
    expect(all.lines.find((line) => line.includes('reijo@rytmi.fi'))).toBe(',reijo@rytmi.fi,Reijo,Rytmi,subscribed,2025-11-02 10:00:00,2025-11-02 10:00:00');
  });

  it('exports the win-back list without the unsubscribed customer', async () => {
    const list = await exportCsv({ filters: [{ member: 'marketing.winback_list_winback_reason', operator: 'set' }] });
    expect(list.lines.slice(1).map((line) => line.split(',')[1]).sort()).toEqual(['maija.nukkuja@example.fi', 'reijo@rytmi.fi']);
  });
});
