// A hand-computed company through the whole pipeline for the management slice: eight
// customers, one or more of each relationship nature and care class, a partner in the
// network who referred a friend, contracts with and without an account plan, a
// price-driven buyer, a regular buyer at full price, a one-off buyer, a newcomer, a
// customer who never bought, campaign sends and clicks. The exports are ingested, built
// with dbt and served; each customer's nature, class, flags and quadrant and the
// company's maturity indicators must be the values worked out by hand below, in the
// marts and through the semantic API.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { buildWarehouse } from '../../pipeline/build.ts';
import { loadRest, rowsOf, signIn } from '../helpers/api-client.ts';
import { fixtureBuild, fixtureServing, writeFixtureExports, type FixtureExports } from '../helpers/fixture-exports.ts';
import { warehouseJsonRows } from '../helpers/warehouse-rows.ts';
import { noPortfolioFilters, quadrantDensityQuery, quadrantScale } from '../../dashboard/src/lib/api/management-queries.ts';

// ------------------------------------------------------------------ the company
//
// One product P1: list price 100.00, cost 60.00 (40 % gross margin). History January to
// June 2026; every figure is as of the end of June 2026.

/** Contact persons of the business customers; distinct names and postal codes keep identity resolution from pairing them. */
const contactPersons: Record<string, [string, string]> = { C1: ['Kaisa', 'Kumppani'], C2: ['Sami', 'Sopimus'], C8: ['Hanna', 'Huolto'] };

function erpCustomer(id: string, type: 'business' | 'consumer', name: string, createdAt: string, extra: Record<string, unknown> = {}) {
  const [first, last] = (type === 'consumer' ? name.split(' ') : contactPersons[id]!) as [string, string];
  const slug = name.toLowerCase().replace(/[^a-z]/g, '');
  return {
    customer_id: id, customer_type: type, company_name: type === 'business' ? name : null, business_id: null,
    first_name: first, last_name: last, email: `${slug}@example.fi`, phone: `040 ${id.slice(1).padStart(3, '0')} 0000`,
    street_address: `Testikatu ${id.slice(1)}`, postal_code: `00${id.slice(1)}10`, city: 'Helsinki', region: 'Uusimaa', created_at: createdAt, updated_at: `${createdAt} 09:00:00`,
    ...extra,
  };
}

const names = {
  C1: 'Kumppanitalo Oy', C2: 'Sopimusrakennus Oy', C3: 'Ilkka Kantaostaja', C4: 'Tiina Tarjous',
  C5: 'Olli Kerran', C6: 'Ulla Uusinen', C7: 'Pasi Passiivinen', C8: 'Huoltosopimus Ab',
} as const;

function order(id: string, customer: string, date: string) {
  return { order_id: id, customer_id: customer, order_date: date, channel: 'store', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: null };
}

function line(id: string, orderId: string, quantity: number, discountPct = 0) {
  return { order_line_id: id, order_id: orderId, line_number: 1, product_id: 'P1', quantity, unit_price: 100, discount_pct: discountPct };
}

const contractInvoices = (customer: string, contract: string, amount: number) =>
  ['01', '02', '03', '04', '05', '06'].map((month) => ({
    invoice_id: `I-${contract}-${month}`, customer_id: customer, order_id: null, contract_id: contract, invoice_date: `2026-${month}-01`,
    due_date: `2026-${month}-15`, net_amount: amount, vat_amount: amount * 0.255, currency: 'EUR',
  }));

const exports: FixtureExports = {
  'erp.customers': [
    erpCustomer('C1', 'business', names.C1, '2025-06-01'),
    erpCustomer('C2', 'business', names.C2, '2023-01-15'),
    erpCustomer('C3', 'consumer', names.C3, '2026-01-05'),
    erpCustomer('C4', 'consumer', names.C4, '2026-02-03'),
    // C5's phone is not known: incomplete contact data.
    erpCustomer('C5', 'consumer', names.C5, '2026-04-02', { phone: null }),
    erpCustomer('C6', 'consumer', names.C6, '2026-06-10'),
    erpCustomer('C7', 'consumer', names.C7, '2025-01-10'),
    erpCustomer('C8', 'business', names.C8, '2025-12-01'),
  ],
  'erp.products': [{ product_id: 'P1', product_name: 'Kiuaskivet', product_group: 'Tarvikkeet', list_price: 100, unit_cost: 60 }],
  'erp.product_costs': [{ product_id: 'P1', valid_from: '2025-01-01', unit_cost: 60 }],
  'erp.orders': [
    order('O1', 'C1', '2026-02-10'), order('O2', 'C1', '2026-04-10'),
    order('O3', 'C2', '2026-03-10'),
    order('O4', 'C3', '2026-01-12'), order('O5', 'C3', '2026-03-12'), order('O6', 'C3', '2026-05-12'),
    order('O7', 'C4', '2026-02-14'), order('O8', 'C4', '2026-05-14'),
    order('O9', 'C5', '2026-04-16'),
    order('O10', 'C6', '2026-06-18'),
  ],
  'erp.order_lines': [
    line('L1', 'O1', 2), line('L2', 'O2', 3),
    line('L3', 'O3', 10),
    line('L4', 'O4', 1), line('L5', 'O5', 1), line('L6', 'O6', 2),
    line('L7', 'O7', 2, 20), line('L8', 'O8', 1, 20),
    line('L9', 'O9', 4),
    line('L10', 'O10', 1),
  ],
  'erp.contracts': [
    { contract_id: 'CT1', customer_id: 'C2', contract_type: 'maintenance', start_date: '2026-01-01', end_date: '2026-12-31', annual_value: 12000 },
    { contract_id: 'CT2', customer_id: 'C8', contract_type: 'supply', start_date: '2025-12-01', end_date: null, annual_value: 6000 },
  ],
  'billing.invoices': [...contractInvoices('C2', 'CT1', 1000), ...contractInvoices('C8', 'CT2', 500)],
  'crm.contacts': [
    { contact_id: 'K2', erp_customer_id: 'C2', contact_type: 'business', company_name: names.C2, first_name: 'Sami', last_name: 'Sopimus', email: 'sopimusrakennusoy@example.fi', phone: '040 002 0000', street_address: 'Testikatu 2', postal_code: '00210', city: 'Helsinki', social_handle: null, owner: 'Myyjä Yksi', lifecycle_stage: 'customer', created_at: '2023-01-15 09:00:00', updated_at: '2026-03-01 09:00:00' },
    { contact_id: 'K8', erp_customer_id: 'C8', contact_type: 'business', company_name: names.C8, first_name: 'Hanna', last_name: 'Huolto', email: 'huoltosopimusab@example.fi', phone: '040 008 0000', street_address: 'Testikatu 8', postal_code: '00810', city: 'Helsinki', social_handle: null, owner: 'Myyjä Kaksi', lifecycle_stage: 'customer', created_at: '2025-12-01 09:00:00', updated_at: '2025-12-01 09:00:00' },
  ],
  'crm.activities': [
    { activity_id: 'A1', contact_id: 'K2', activity_type: 'visit', salesperson: 'Myyjä Yksi', occurred_at: '2026-03-20 10:00:00', subject: 'Huoltokäynti', opportunity_id: null },
  ],
  'crm.account_plans': [
    { plan_id: 'AP1', erp_customer_id: 'C1', owner: 'Myyjä Yksi', plan_year: 2026, goal: 'Yhteistyön kasvu', target_revenue: 2500, planned_visits: 2, starts_on: '2026-01-01', ends_on: '2026-12-31' },
    { plan_id: 'AP2', erp_customer_id: 'C2', owner: 'Myyjä Yksi', plan_year: 2026, goal: 'Huoltosopimuksen jatko', target_revenue: 12000, planned_visits: 12, starts_on: '2026-01-01', ends_on: '2026-12-31' },
    { plan_id: 'AP6', erp_customer_id: 'C6', owner: 'Myyjä Kaksi', plan_year: 2026, goal: 'Ensimmäinen vuosi', target_revenue: 1000, planned_visits: 0, starts_on: '2026-01-01', ends_on: '2026-12-31' },
  ],
  'newsletter.subscribers': [
    { subscriber_id: 'S4', email: 'tiinatarjous@example.fi', first_name: 'Tiina', last_name: 'Tarjous', status: 'subscribed', subscribed_at: '2026-02-03 10:00:00', updated_at: '2026-02-03 10:00:00' },
    { subscriber_id: 'S7', email: 'pasipassiivinen@example.fi', first_name: 'Pasi', last_name: 'Passiivinen', status: 'subscribed', subscribed_at: '2025-01-10 10:00:00', updated_at: '2025-01-10 10:00:00' },
  ],
  'newsletter.campaigns': [
    { campaign_id: 'CA1', campaign_name: 'Kesätarjous', campaign_type: 'offer', subject: 'Kesän tarjous', sent_at: '2026-06-05 09:00:00', link_count: 2 },
    { campaign_id: 'CA2', campaign_name: 'Ikävä sinua', campaign_type: 'winback', subject: 'Meillä on ollut ikävä sinua', sent_at: '2026-06-20 09:00:00', link_count: 1 },
  ],
  'newsletter.sends': [
    { send_id: 'SE4', campaign_id: 'CA1', subscriber_id: 'S4', sent_at: '2026-06-05 09:00:00' },
    { send_id: 'SE7', campaign_id: 'CA2', subscriber_id: 'S7', sent_at: '2026-06-20 09:00:00' },
  ],
  'newsletter.events': [
    { event_id: 'E1', send_id: 'SE4', event_type: 'opened', link_id: null, occurred_at: '2026-06-05 12:00:00' },
    { event_id: 'E2', send_id: 'SE4', event_type: 'clicked', link_id: 'L1', occurred_at: '2026-06-05 12:01:00' },
    { event_id: 'E3', send_id: 'SE7', event_type: 'clicked', link_id: 'L1', occurred_at: '2026-06-21 08:00:00' },
  ],
  'network.partners': [{ partner_id: 'PA1', partner_name: names.C1, partner_type: 'cooperation', erp_customer_id: 'C1', joined_on: '2026-01-01' }],
  'network.referrals': [{ referral_id: 'RF1', referrer_customer_id: 'C1', referred_customer_id: 'C3', referred_email: 'ilkkakantaostaja@example.fi', referred_on: '2025-12-20', partner_id: 'PA1' }],
};

// ------------------------------------------------------------------ worked out by hand
//
// Net revenue and gross margin in the 12 months to June (list 100.00, cost 60.00):
//   C1 2 + 3 units = 500.00, margin 200.00;   C2 10 units = 1000.00, margin 400.00;
//   C3 1 + 1 + 2 = 400.00, margin 160.00;     C4 2 + 1 at 20 % = 240.00, margin 240 - 180 = 60.00;
//   C5 4 = 400.00, margin 160.00;             C6 1 = 100.00, margin 40.00.   Total 2,640.00.
// Cost-to-serve: C2's visit 150.00; C4's campaign e-mail 0.08 (C7's too, but C7 never bought).
// Current value = contribution margin: C1 200, C2 250, C3 160, C4 59.92, C5 160, C6 40
//   (C7 -0.08 and C8 0 never bought: not valued);
//   median of the six buyers (160 + 160) / 2 = 160.
// Potential value: fewer than 20 buyers, so no BG/NBD prediction (var
//   customer_value.min_customers_to_fit): the account plans' headroom at 40 % margin.
//   C1 (2,500 - 500) x 0.4 = 800; C2 (12,000 - 1,000 orders - 6,000 contract invoices) x 0.4
//   = 2,000; C6 (1,000 - 100) x 0.4 = 360; C3, C4, C5 0. Median (0 + 360) / 2 = 180.
// Relationship nature (first rule that holds):
//   C1 network partner; C2 and C8 a contract in force; C6 first bought in June, 1 month
//   < 3: unknown; C7 never bought: unknown. The rest are weighed (+1 preference, -1
//   transaction; one product group, so breadth counts for nobody; 3 e-mails are needed
//   before attention counts): orders a year = 12 x orders / max(months since the first
//   purchase, 12):
//   C3 3 orders since January: 12 x 3 / 12 = 3 a year (+1), at full price (+1), no
//     e-mails (0): +2, preference (preference_signals);
//   C4 2 orders since February: 2 a year (-1), everything at 20 % off (-1), one e-mail
//     (0): -2, transaction (transaction_signals);
//   C5 one order: 1 a year (-1), at full price (+1): 0, a tie is a transaction.
// Care class: C2, C8 contract: A (C8 without a plan); C1 partner who buys: B; C4 clicked
//   an offer in June: B (growth signal); C3, C5, C6 buy without growth signs: C; C7 D, but
//   clicked the win-back e-mail: flagged.
// Plans at June (half the year): C1 0 of 0.8 x 2 x 0.5 = 0.8 visits: behind, 500 of 0.8 x
//   2,500 x 0.5 = 1,000: behind; C2 1 visit of 4.8: behind, 7,000 of 4,800: not behind;
//   C6 0 of 0 visits: not behind, 100 of 400: behind.
const customers = {
  [names.C1]: { nature: 'partner', natureRule: 'partner_network_member', careClass: 'B', careRule: 'partner', quadrant: 'most_valuable', current: 200, potential: 800, flags: [false, true, true, false] },
  [names.C2]: { nature: 'contract', natureRule: 'contract_in_force', careClass: 'A', careRule: 'contract_based', quadrant: 'most_valuable', current: 250, potential: 2000, flags: [false, true, false, false] },
  [names.C3]: { nature: 'preference', natureRule: 'preference_signals', careClass: 'C', careRule: 'served_as_needed', quadrant: 'retain', current: 160, potential: 0, flags: [false, false, false, false] },
  [names.C4]: { nature: 'transaction', natureRule: 'transaction_signals', careClass: 'B', careRule: 'growth_signal', quadrant: 'improve_or_let_go', current: 59.92, potential: 0, flags: [false, false, false, false] },
  [names.C5]: { nature: 'transaction', natureRule: 'transaction_signals', careClass: 'C', careRule: 'served_as_needed', quadrant: 'retain', current: 160, potential: 0, flags: [false, false, false, false] },
  [names.C6]: { nature: 'unknown', natureRule: 'too_short_history', careClass: 'C', careRule: 'served_as_needed', quadrant: 'exploit_potential', current: 40, potential: 360, flags: [false, false, true, false] },
  [names.C7]: { nature: 'unknown', natureRule: 'no_purchases', careClass: 'D', careRule: 'passive', quadrant: 'not_valued', current: -0.08, potential: null, flags: [false, false, false, true] },
  [names.C8]: { nature: 'contract', natureRule: 'contract_in_force', careClass: 'A', careRule: 'contract_based', quadrant: 'not_valued', current: 0, potential: null, flags: [true, false, false, false] },
};
// flags: [A without a care plan, plan behind on visits, plan behind on revenue, D with a growth signal]

// Hellman indicators for the whole company in June. Active (bought in 12 months or a
// contract in force): C1-C6 and C8 = 7.
//   1 contact_data_complete 6 / 7 (C5 has no phone); known_handler 4 / 7 (plan owners of
//     C1, C2, C6 and C8's CRM owner); open_duplicate_reviews 0 / 7.
//   2 targeted_send_share 1 / 2 June e-mails (the win-back); campaign_response_rate 2 / 2.
//   3 retention_rate: nobody bought in the 12 months before, 0 / 0 (nothing to measure:
//     fails); repeat_purchase_rate 3 / 6 (C1, C3, C4); long_relationship_revenue_share
//     C2's 1,000 (known since January 2023) / 2,640.
//   4 care_plan_revenue_share (500 + 1,000 + 100) / 2,640; plan_revenue_attainment
//     (500 + 7,000 + 100) / ((2,500 + 12,000 + 1,000) x 6 / 12) = 7,600 / 7,750.
//   5 network_customer_share 1 / 7 (C1); partner_referred_revenue_share C3's 400 / 2,640.
// Level reached: 1 and 2 pass, 3 fails (retention has nothing to measure, long
// relationships 37.9 % < 50 %): level 2.
const indicators: Record<string, [number, number, boolean]> = {
  contact_data_complete: [6, 7, true],
  known_handler: [4, 7, true],
  open_duplicate_reviews: [0, 7, true],
  targeted_send_share: [1, 2, true],
  campaign_response_rate: [2, 2, true],
  retention_rate: [0, 0, false],
  repeat_purchase_rate: [3, 6, true],
  long_relationship_revenue_share: [1000, 2640, false],
  care_plan_revenue_share: [1600, 2640, true],
  plan_revenue_attainment: [7600, 7750, true],
  network_customer_share: [1, 7, true],
  partner_referred_revenue_share: [400, 2640, true],
};

// Care classes January -> June: C2, C8 A -> A; C1 D -> B (no purchase in January yet);
// C3 C -> C; C7 D -> D; C4 new -> B; C5, C6 new -> C (revenue 400 + 100).
const classMoves = [
  ['A', 'A', 2], ['C', 'C', 1], ['D', 'B', 1], ['D', 'D', 1], ['new', 'B', 1], ['new', 'C', 2],
] as const;

// ------------------------------------------------------------------ the pipeline

let workDir: string;
let warehouseFile: string;
let running: RunningServer;
let token: string;

const money = (value: unknown) => Math.round(Number(value ?? 0) * 100) / 100;
const query = (sql: string) => warehouseJsonRows(warehouseFile, sql);

beforeAll(async () => {
  workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-management-fixture-'));
  const sourceDir = join(workDir, 'source');
  warehouseFile = join(workDir, 'warehouse.duckdb');
  delete process.env.ASIAKKUUS_NETWORK_DB_URL;
  await writeFixtureExports(exports, sourceDir, new Date(Date.UTC(2026, 6, 1)));
  await buildWarehouse({ sourceDir, warehouseFile, ...fixtureBuild });
  running = await serve({ port: 0, warehouseFile, dashboardDir: join(workDir, 'no-dashboard'), ...fixtureServing });
  token = await signIn(running.url, 'management');
});

afterAll(async () => {
  await running?.close();
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('the hand-computed company in the management marts', () => {
  it('loads every row and resolves the eight customers', async () => {
    expect(await query('select source, entity, field, reason from raw.quarantine')).toEqual([]);
    expect((await query('select customer_name from core.dim_customers order by 1')).map((r) => r.customer_name)).toEqual(Object.values(names).sort());
  });

  it('gives each customer its nature, class, flags, quadrant and values as of June', async () => {
    const rows = await query(`
      select c.customer_name, p.*
      from management.fct_customer_portfolio p join core.dim_customers c using (customer_id)
      join management.fct_care_class_monthly k on k.customer_id = p.customer_id and k.is_latest`);
    const flags = await query(`
      select c.customer_name, k.flag_a_without_care_plan, k.flag_plan_visits_behind, k.flag_plan_revenue_behind, k.flag_d_growth_signal, k.month
      from management.fct_care_class_monthly k join core.dim_customers c using (customer_id) where k.is_latest`);
    const flagsOf = new Map(flags.map((r) => [r.customer_name, [r.flag_a_without_care_plan, r.flag_plan_visits_behind, r.flag_plan_revenue_behind, r.flag_d_growth_signal]]));
    expect(new Set(flags.map((r) => String(r.month)))).toEqual(new Set(['2026-06-01']));
    const actual = Object.fromEntries(rows.map((r) => [r.customer_name, {
      nature: r.relationship_nature, natureRule: r.nature_rule, careClass: r.care_class, careRule: r.care_class_rule, quadrant: r.value_quadrant,
      current: money(r.current_value), potential: r.potential_value === null ? null : money(r.potential_value), flags: flagsOf.get(r.customer_name),
    }]));
    expect(actual).toEqual(customers);
  });

  it('measures the account plans: planned vs actual visits, target vs actual revenue', async () => {
    const rows = await query('select plan_id, planned_visits, actual_visits, target_revenue, actual_revenue, actual_contract_revenue, is_behind_on_visits, is_behind_on_revenue from management.fct_account_plan_progress order by plan_id');
    expect(rows.map((r) => [r.plan_id, Number(r.planned_visits), Number(r.actual_visits), money(r.target_revenue), money(r.actual_revenue), money(r.actual_contract_revenue), r.is_behind_on_visits, r.is_behind_on_revenue])).toEqual([
      // Elapsed share by day: 1 January - 30 June is 181 of 365 days.
      ['AP1', 2, 0, 2500, 500, 0, true, true],
      ['AP2', 12, 1, 12000, 7000, 6000, true, false],
      ['AP6', 0, 0, 1000, 100, 0, false, true],
    ]);
  });

  it('computes each Hellman indicator for the company in June and reaches level 2', async () => {
    const rows = await query(`
      select indicator, numerator, denominator, passed from management.fct_maturity_indicators_monthly
      where scope_type = 'company' and month = date '2026-06-01'`);
    expect(Object.fromEntries(rows.map((r) => [r.indicator, [money(r.numerator), money(r.denominator), r.passed]]))).toEqual(indicators);
    const level = await query(`select level_reached from management.fct_maturity_levels_monthly where scope_type = 'company' and month = date '2026-06-01'`);
    expect(level.map((r) => Number(r.level_reached))).toEqual([2]);
  });

  it('lists the customers behind the indicators a manager works on', async () => {
    const rows = await query(`
      select b.indicator, list(c.customer_name order by c.customer_name) as customers
      from management.fct_maturity_customers_behind b join core.dim_customers c using (customer_id)
      where b.month = date '2026-06-01' and b.indicator in ('contact_data_complete', 'known_handler', 'repeat_purchase_rate', 'retention_rate') group by 1`);
    expect(Object.fromEntries(rows.map((r) => [r.indicator, r.customers]))).toEqual({
      // Active without complete contact data: C5 has no phone.
      contact_data_complete: [names.C5],
      // Active without a known handler: the consumers without a plan or a handled contact.
      known_handler: [names.C3, names.C5, names.C4].sort(),
      // Buyers with a single order.
      repeat_purchase_rate: [names.C2, names.C5, names.C6].sort(),
      // Nobody bought in the 12 months before: nobody is behind retention (it has nothing to measure).
    });
  });

  it('lists the customers behind an indicator in an earlier month and per care class', async () => {
    const behind = async (where: string) =>
      (await query(`
        select c.customer_name from management.fct_maturity_customers_behind b join core.dim_customers c using (customer_id)
        where b.indicator = 'known_handler' and ${where} order by 1`)).map((r) => r.customer_name);
    // March: active are C1, C2, C8 (known owners) and C3, C4 (bought in January and
    // February, no owner, class C then); C5 and C6 had not bought yet.
    expect(await behind(`b.month = date '2026-03-01'`)).toEqual([names.C3, names.C4].sort());
    // June, class C (C3, C5, C6): C6 has its plan's owner.
    expect(await behind(`b.month = date '2026-06-01' and b.care_class = 'C'`)).toEqual([names.C3, names.C5].sort());
    // June, customers without an account owner: the same consumers as the company's list.
    expect(await behind(`b.month = date '2026-06-01' and b.account_owner = '(none)'`)).toEqual([names.C3, names.C4, names.C5].sort());
  });

  it('keeps the quadrant decided for June and counts its moves: every customer comes from new', async () => {
    const rows = await query(`
      select to_value, customers from management.fct_portfolio_transitions
      where dimension = 'value_quadrant' and from_month = date '2026-05-01' and to_month = date '2026-06-01' and from_value = 'new' order by 1`);
    expect(rows.map((r) => [r.to_value, Number(r.customers)])).toEqual([
      ['exploit_potential', 1], ['improve_or_let_go', 1], ['most_valuable', 2], ['not_valued', 2], ['retain', 2],
    ]);
  });

  it('counts the moves between care classes from January to June', async () => {
    const rows = await query(`
      select from_value, to_value, customers, revenue from management.fct_portfolio_transitions
      where dimension = 'care_class' and from_month = date '2026-01-01' and to_month = date '2026-06-01' order by 1, 2`);
    expect(rows.map((r) => [r.from_value, r.to_value, Number(r.customers)])).toEqual(classMoves.map((move) => [...move]));
    expect(money(rows.find((r) => r.from_value === 'new' && r.to_value === 'C')?.revenue)).toBe(500);
  });
});

describe('the hand-computed company through the semantic API', () => {
  it('gives the same quadrant, nature and class per customer', async () => {
    const { status, body } = await loadRest(running.url, token, {
      dimensions: ['management.customer_name', 'management.value_quadrant', 'management.relationship_nature', 'management.care_class', 'management.current_value'],
    });
    expect(status).toBe(200);
    const actual = Object.fromEntries((body.data as Record<string, string>[]).map((r) => [r['management.customer_name'], [
      r['management.value_quadrant'], r['management.relationship_nature'], r['management.care_class'], money(r['management.current_value']),
    ]]));
    expect(actual).toEqual(Object.fromEntries(Object.entries(customers).map(([name, c]) => [name, [c.quadrant, c.nature, c.careClass, c.current]])));
  });

  it('gives the quadrants their customers and revenue', async () => {
    const { status, body } = await loadRest(running.url, token, { dimensions: ['management.value_quadrant'], measures: ['management.customer_count', 'management.revenue'] });
    expect(status).toBe(200);
    const actual = Object.fromEntries((body.data as Record<string, string>[]).map((r) => [r['management.value_quadrant'], [Number(r['management.customer_count']), money(r['management.revenue'])]]));
    // most valuable C1 500 + C2 1,000; retain C3 400 + C5 400; improve C4 240; exploit C6 100.
    expect(actual).toEqual({ most_valuable: [2, 1500], retain: [2, 800], improve_or_let_go: [1, 240], exploit_potential: [1, 100], not_valued: [2, 0] });
  });

  it("counts the valued customers in the quadrant chart's density cells, floor(8 x asinh(value / 100)) on each axis", async () => {
    const { status, body } = await loadRest(running.url, token, quadrantDensityQuery(noPortfolioFilters));
    expect(status).toBe(200);
    // Compact (members once, rows as value lists), as the dashboard asks it.
    expect(Object.keys(body.data).sort()).toEqual(['dataset', 'members']);
    const cells = rowsOf(body.data).map((r) => [
      Number(r['management.current_value_band']), Number(r['management.potential_value_band']), r['management.value_quadrant'], Number(r['management.customer_count']),
    ]);
    // By hand: 8 x asinh(200 / 100) = 11.55 and 8 x asinh(800 / 100) = 22.21 for C1;
    // C2 250 / 2,000: 13.18, 29.52; C3 and C5 160 / 0: 9.99, 0; C4 59.92 / 0: 4.55, 0;
    // C6 40 / 360: 3.12, 15.94. C7 and C8 are not valued.
    expect(cells).toEqual([
      [3, 15, 'exploit_potential', 1],
      [4, 0, 'improve_or_let_go', 1],
      [9, 0, 'retain', 2],
      [11, 22, 'most_valuable', 1],
      [13, 29, 'most_valuable', 1],
    ]);
    // The dashboard's scale names the same constants.
    expect(quadrantScale).toEqual({ linearBelow: 100, bandsPerUnit: 8 });
  });

  it('gives the company indicator values and the level reached', async () => {
    const indicatorsResponse = await loadRest(running.url, token, {
      dimensions: ['management.indicator'],
      measures: ['management.indicator_value'],
      filters: [{ member: 'management.scope_type', operator: 'equals', values: ['company'] }],
      timeDimensions: [{ dimension: 'management.maturity_month', dateRange: ['2026-06-01', '2026-06-30'] }],
    });
    expect(indicatorsResponse.status).toBe(200);
    const values = Object.fromEntries((indicatorsResponse.body.data as Record<string, string | null>[]).map((r) => [r['management.indicator'], r['management.indicator_value'] === null ? null : Number(r['management.indicator_value'])]));
    for (const [name, [numerator, denominator]] of Object.entries(indicators)) {
      if (denominator === 0) expect(values[name], name).toBeNull();
      else expect(values[name], name).toBeCloseTo((100 * numerator) / denominator, 6);
    }
    const level = await loadRest(running.url, token, {
      measures: ['management.level_reached'],
      filters: [{ member: 'management.level_scope_type', operator: 'equals', values: ['company'] }],
      timeDimensions: [{ dimension: 'management.level_month', dateRange: ['2026-06-01', '2026-06-30'] }],
    });
    expect(level.status).toBe(200);
    expect(Number(level.body.data[0]['management.level_reached'])).toBe(2);
  });

  it('answers a query on a member that does not exist with 400 and a reason, not SQL', async () => {
    const { status, body } = await loadRest(running.url, token, { measures: ['management.no_such_measure'] });
    expect(status).toBeGreaterThanOrEqual(400);
    expect(status).toBeLessThan(500);
    expect(String(body.error)).not.toMatch(/select|from/i);
  });
});
