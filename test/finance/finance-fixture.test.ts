// A hand-computed company through the whole pipeline: three customers, three products,
// discounts, a partial return credited on its line, a return not yet credited, a
// goodwill credit note on an invoice that names no line, a product cost change
// mid-period, a cancelled order, a complaint, a sales visit and two campaign e-mails.
// The exports are written in the catalogue's formats, ingested, built with dbt, served
// by the API; net revenue, cost of goods, gross margin, cost-to-serve and contribution
// margin per customer, per product and per customer x product must be the figures
// worked out by hand below, both in the dbt marts and through the semantic API.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SampleRecord } from '../../ingest/sample/writers/values.ts';
import type { RunningServer } from '../../cube/server/main.ts';
import { loadRest } from '../helpers/api-client.ts';
import { buildFixtureCompany, type FixtureCompany } from '../helpers/fixture-exports.ts';

// ------------------------------------------------------------------ the company

const customers = { C1: 'Saunatalo Oy', C2: 'Maija Virtanen', C3: 'Kivi Ky' } as const;
const products = { P1: 'Kiuas Testi 9 kW', P2: 'Kiuaskivet 20 kg', P3: 'Kiukaan asennus' } as const;

const exports: Record<string, SampleRecord[]> = {
  'erp.customers': [
    { customer_id: 'C1', customer_type: 'business', company_name: 'Saunatalo Oy', business_id: '1234567-8', first_name: 'Pekka', last_name: 'Saunanen', email: 'pekka@saunatalo.fi', phone: '040 111 1111', street_address: 'Löylytie 1', postal_code: '00100', city: 'Helsinki', region: 'Uusimaa', created_at: '2025-01-10', updated_at: '2025-01-10 09:00:00' },
    { customer_id: 'C2', customer_type: 'consumer', company_name: null, business_id: null, first_name: 'Maija', last_name: 'Virtanen', email: 'maija.virtanen@example.fi', phone: '050 222 2222', street_address: 'Kuusikatu 2', postal_code: '33100', city: 'Tampere', region: 'Pirkanmaa', created_at: '2025-02-01', updated_at: '2025-02-01 10:00:00' },
    { customer_id: 'C3', customer_type: 'business', company_name: 'Kivi Ky', business_id: '7654321-0', first_name: 'Kalle', last_name: 'Kivinen', email: 'kalle@kiviky.fi', phone: '044 333 3333', street_address: 'Graniittikuja 3', postal_code: '90100', city: 'Oulu', region: 'Pohjois-Pohjanmaa', created_at: '2025-03-01', updated_at: '2025-03-01 11:00:00' },
  ],
  'erp.products': [
    // unit_cost is the current cost: P1's rose from 600.00 to 650.00 on 2026-03-01.
    { product_id: 'P1', product_name: products.P1, product_group: 'Kiukaat', list_price: 1000, unit_cost: 650 },
    { product_id: 'P2', product_name: products.P2, product_group: 'Tarvikkeet', list_price: 20, unit_cost: 8 },
    { product_id: 'P3', product_name: products.P3, product_group: 'Palvelut', list_price: 300, unit_cost: 180 },
  ],
  'erp.product_costs': [
    { product_id: 'P1', valid_from: '2025-01-01', unit_cost: 600 },
    { product_id: 'P1', valid_from: '2026-03-01', unit_cost: 650 },
    { product_id: 'P2', valid_from: '2025-01-01', unit_cost: 8 },
    { product_id: 'P3', valid_from: '2025-01-01', unit_cost: 180 },
  ],
  'erp.orders': [
    { order_id: 'O1', customer_id: 'C1', order_date: '2026-02-10', channel: 'sales', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: 'Myyjä Yksi' },
    { order_id: 'O2', customer_id: 'C1', order_date: '2026-03-15', channel: 'sales', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: 'Myyjä Yksi' },
    { order_id: 'O3', customer_id: 'C2', order_date: '2026-02-20', channel: 'store', status: 'delivered', cancelled_at: null, webshop_customer_id: null, salesperson: null },
    { order_id: 'O4', customer_id: 'C3', order_date: '2026-03-01', channel: 'sales', status: 'cancelled', cancelled_at: '2026-03-03', webshop_customer_id: null, salesperson: 'Myyjä Yksi' },
  ],
  'erp.order_lines': [
    { order_line_id: 'L1', order_id: 'O1', line_number: 1, product_id: 'P1', quantity: 2, unit_price: 1000, discount_pct: 10 },
    { order_line_id: 'L2', order_id: 'O1', line_number: 2, product_id: 'P2', quantity: 10, unit_price: 20, discount_pct: 0 },
    { order_line_id: 'L3', order_id: 'O2', line_number: 1, product_id: 'P1', quantity: 1, unit_price: 1000, discount_pct: 0 },
    { order_line_id: 'L4', order_id: 'O3', line_number: 1, product_id: 'P3', quantity: 1, unit_price: 300, discount_pct: 5 },
    { order_line_id: 'L5', order_id: 'O3', line_number: 2, product_id: 'P2', quantity: 3, unit_price: 20, discount_pct: 0 },
    { order_line_id: 'L6', order_id: 'O4', line_number: 1, product_id: 'P1', quantity: 1, unit_price: 1000, discount_pct: 0 },
  ],
  'erp.returns': [
    { return_id: 'R1', order_line_id: 'L2', returned_on: '2026-02-20', quantity: 4, reason: 'wrong_item' },
    { return_id: 'R2', order_line_id: 'L5', returned_on: '2026-03-02', quantity: 1, reason: 'defect' },
  ],
  'billing.invoices': [
    { invoice_id: 'I1', customer_id: 'C1', order_id: 'O1', contract_id: null, invoice_date: '2026-02-11', due_date: '2026-02-25', net_amount: 2000, vat_amount: 510, currency: 'EUR' },
    { invoice_id: 'I2', customer_id: 'C1', order_id: 'O2', contract_id: null, invoice_date: '2026-03-16', due_date: '2026-03-30', net_amount: 1000, vat_amount: 255, currency: 'EUR' },
    { invoice_id: 'I3', customer_id: 'C2', order_id: 'O3', contract_id: null, invoice_date: '2026-02-20', due_date: '2026-03-06', net_amount: 345, vat_amount: 87.98, currency: 'EUR' },
    { invoice_id: 'I4', customer_id: 'C3', order_id: 'O4', contract_id: null, invoice_date: '2026-03-01', due_date: '2026-03-15', net_amount: 1000, vat_amount: 255, currency: 'EUR' },
  ],
  'billing.credit_notes': [
    { credit_note_id: 'CN1', invoice_id: 'I1', customer_id: 'C1', order_line_id: 'L2', issued_on: '2026-02-21', net_amount: 80, reason: 'return' },
    { credit_note_id: 'CN2', invoice_id: 'I1', customer_id: 'C1', order_line_id: null, issued_on: '2026-02-25', net_amount: 100, reason: 'complaint' },
    { credit_note_id: 'CN3', invoice_id: 'I4', customer_id: 'C3', order_line_id: null, issued_on: '2026-03-03', net_amount: 1000, reason: 'cancellation' },
  ],
  'crm.contacts': [
    { contact_id: 'K1', erp_customer_id: 'C1', contact_type: 'business', company_name: 'Saunatalo Oy', first_name: 'Pekka', last_name: 'Saunanen', email: 'pekka@saunatalo.fi', phone: '040 111 1111', street_address: 'Löylytie 1', postal_code: '00100', city: 'Helsinki', social_handle: null, owner: 'Myyjä Yksi', lifecycle_stage: 'customer', created_at: '2025-01-10 09:00:00', updated_at: '2026-02-12 09:00:00' },
  ],
  'crm.activities': [
    { activity_id: 'A1', contact_id: 'K1', activity_type: 'visit', salesperson: 'Myyjä Yksi', occurred_at: '2026-02-12 10:00:00', subject: 'Kiuaskäynti', opportunity_id: null },
  ],
  'helpdesk.requesters': [
    { requester_id: 'H1', first_name: 'Kalle', last_name: 'Kivinen', organization: 'Kivi Ky', email: 'kalle@kiviky.fi', phone: '044 333 3333', created_at: '2026-03-04 08:00:00', updated_at: '2026-03-04 08:00:00' },
  ],
  'helpdesk.cases': [
    { case_id: 'CS1', requester_id: 'H1', case_type: 'complaint', channel: 'email', subject: 'Peruttu tilaus', erp_order_id: 'O4', handled_by: 'Tuki Yksi', opened_at: '2026-03-04 08:00:00', first_response_at: '2026-03-04 12:00:00', closed_at: '2026-03-05 09:00:00' },
  ],
  'newsletter.subscribers': [
    { subscriber_id: 'S1', email: 'maija.virtanen@example.fi', first_name: 'Maija', last_name: 'Virtanen', status: 'subscribed', subscribed_at: '2025-02-01 10:00:00', updated_at: '2025-02-01 10:00:00' },
  ],
  'newsletter.campaigns': [
    { campaign_id: 'CA1', campaign_name: 'Kevät 2026', campaign_type: 'newsletter', subject: 'Kevään löylyt', sent_at: '2026-02-01 08:00:00', link_count: 2 },
  ],
  'newsletter.sends': [
    { send_id: 'SE1', campaign_id: 'CA1', subscriber_id: 'S1', sent_at: '2026-02-01 08:00:00' },
    { send_id: 'SE2', campaign_id: 'CA1', subscriber_id: 'S1', sent_at: '2026-03-01 08:00:00' },
  ],
};

// ------------------------------------------------------------------ worked out by hand
//
// L1: 2 x 1000.00 at 10 % = 1800.00; P1 costs 600.00 on 2026-02-10 -> cost 1200.00.
// L2: 10 x 20.00 = 200.00; 4 returned and credited 80.00 on the line (CN1); cost (10 - 4) x 8.00 = 48.00.
// CN2, 100.00 of goodwill on O1's invoice naming no line, is spread by net sales:
//   L1 100 x 1800/2000 = 90.00, L2 (the last line) the rest, 10.00.
//   L1 revenue 1800 - 90 = 1710.00; L2 revenue 200 - 80 - 10 = 110.00.
// L3: 1 x 1000.00 on 2026-03-15, after the cost rose to 650.00 -> revenue 1000.00, cost 650.00.
// L4: 1 x 300.00 at 5 % = 285.00, cost 180.00.
// L5: 3 x 20.00 = 60.00; 1 returned, not credited yet: 60 x 1/3 = 20.00 off -> 40.00; cost 2 x 8.00 = 16.00.
// L6: order O4 was cancelled (invoiced and credited in full): no revenue, no cost.
// Cost-to-serve (dbt var cost_to_serve_unit_costs): C1's sales visit 150.00;
//   C2's two campaign e-mails 2 x 0.08 = 0.16; C3's complaint 60.00.
const byCustomer = {
  [customers.C1]: { revenue: 2820, cost: 1898, grossMargin: 922, costToServe: 150, contribution: 772 }, // L1 + L2 + L3
  [customers.C2]: { revenue: 325, cost: 196, grossMargin: 129, costToServe: 0.16, contribution: 128.84 }, // L4 + L5
  [customers.C3]: { revenue: 0, cost: 0, grossMargin: 0, costToServe: 60, contribution: -60 },
};
const byProduct = {
  [products.P1]: { revenue: 2710, cost: 1850, grossMargin: 860 }, // L1 1710 / 1200 + L3 1000 / 650
  [products.P2]: { revenue: 150, cost: 64, grossMargin: 86 }, // L2 110 / 48 + L5 40 / 16
  [products.P3]: { revenue: 285, cost: 180, grossMargin: 105 }, // L4
};
const byCustomerProduct = {
  [`${customers.C1} | ${products.P1}`]: { revenue: 2710, cost: 1850, grossMargin: 860 },
  [`${customers.C1} | ${products.P2}`]: { revenue: 110, cost: 48, grossMargin: 62 },
  [`${customers.C2} | ${products.P2}`]: { revenue: 40, cost: 16, grossMargin: 24 },
  [`${customers.C2} | ${products.P3}`]: { revenue: 285, cost: 180, grossMargin: 105 },
};

// ------------------------------------------------------------------ the pipeline

let company: FixtureCompany;
let running: RunningServer;
let token: string;
const warehouseRows = (sql: string) => company.rows(sql);

const money = (value: unknown) => Math.round(Number(value ?? 0) * 100) / 100;

beforeAll(async () => {
  company = await buildFixtureCompany('finance', exports, new Date(Date.UTC(2026, 3, 1)));
  ({ running, token } = company);
});

afterAll(() => company?.close());

describe('the hand-computed company in the dbt marts', () => {
  it('loads every row of the exports, refusing none', async () => {
    expect(await warehouseRows('select source, entity, field, reason from raw.quarantine')).toEqual([]);
  });

  it('resolves the three customers', async () => {
    const rows = await warehouseRows('select customer_name from core.dim_customers order by 1');
    expect(rows.map((r) => r.customer_name)).toEqual(Object.values(customers).sort());
  });

  it('gives each customer its net revenue, cost of goods, gross margin, cost-to-serve and contribution margin', async () => {
    const rows = await warehouseRows(`
      select c.customer_name, sum(m.net_revenue) as revenue, sum(m.cost_of_goods) as cost, sum(m.gross_margin) as gross_margin,
             sum(m.cost_to_serve) as cost_to_serve, sum(m.contribution_margin) as contribution
      from finance.fct_customer_margin_monthly m join core.dim_customers c using (customer_id) group by 1`);
    const actual = Object.fromEntries(rows.map((r) => [r.customer_name, {
      revenue: money(r.revenue), cost: money(r.cost), grossMargin: money(r.gross_margin), costToServe: money(r.cost_to_serve), contribution: money(r.contribution),
    }]));
    expect(actual).toEqual(byCustomer);
  });

  it('gives each product and each customer x product its margin', async () => {
    const products = await warehouseRows(`
      select product_name, sum(net_revenue) as revenue, sum(cost_of_goods) as cost, sum(gross_margin) as gross_margin
      from finance.fct_product_margin_monthly group by 1`);
    expect(Object.fromEntries(products.map((r) => [r.product_name, { revenue: money(r.revenue), cost: money(r.cost), grossMargin: money(r.gross_margin) }]))).toEqual(byProduct);
    const pairs = await warehouseRows(`
      select c.customer_name || ' | ' || m.product_name as pair, sum(m.net_revenue) as revenue, sum(m.cost_of_goods) as cost, sum(m.gross_margin) as gross_margin
      from finance.fct_customer_product_margin_monthly m join core.dim_customers c using (customer_id) group by 1`);
    expect(Object.fromEntries(pairs.map((r) => [r.pair, { revenue: money(r.revenue), cost: money(r.cost), grossMargin: money(r.gross_margin) }]))).toEqual(byCustomerProduct);
  });

  it('applies the returns, credits and cost history line by line', async () => {
    const rows = await warehouseRows(`
      select order_line_id, net_sales, returns_amount, order_credits_amount, net_revenue, unit_cost, cost_of_goods, has_uncredited_return
      from finance.fct_order_lines order by order_line_id`);
    expect(rows.map((r) => [r.order_line_id, money(r.net_sales), money(r.returns_amount), money(r.order_credits_amount), money(r.net_revenue), money(r.unit_cost), money(r.cost_of_goods), r.has_uncredited_return])).toEqual([
      ['L1', 1800, 0, 90, 1710, 600, 1200, false],
      ['L2', 200, 80, 10, 110, 8, 48, false],
      ['L3', 1000, 0, 0, 1000, 650, 650, false],
      ['L4', 285, 0, 0, 285, 180, 180, false],
      ['L5', 60, 20, 0, 40, 8, 16, true],
    ]);
  });

  it('ranks the customers by contribution margin', async () => {
    const rows = await warehouseRows(`
      select c.customer_name, p.profitability_rank, p.is_loss_making
      from finance.fct_customer_profitability p join core.dim_customers c using (customer_id) order by p.profitability_rank`);
    expect(rows.map((r) => [r.customer_name, Number(r.profitability_rank), r.is_loss_making])).toEqual([
      [customers.C1, 1, false],
      [customers.C2, 2, false],
      [customers.C3, 3, true],
    ]);
  });
});

describe('the hand-computed company through the semantic API', () => {
  it('gives the same figures per customer', async () => {
    const { status, body } = await loadRest(running.url, token, {
      dimensions: ['finance.customer_name'],
      measures: ['finance.revenue', 'finance.cost', 'finance.gross_margin', 'finance.cost_to_serve', 'finance.contribution_margin'],
    });
    expect(status).toBe(200);
    const actual = Object.fromEntries((body.data as Record<string, string>[]).map((r) => [r['finance.customer_name'], {
      revenue: money(r['finance.revenue']), cost: money(r['finance.cost']), grossMargin: money(r['finance.gross_margin']),
      costToServe: money(r['finance.cost_to_serve']), contribution: money(r['finance.contribution_margin']),
    }]));
    expect(actual).toEqual(byCustomer);
  });

  it('gives the same figures per product and per customer x product', async () => {
    const measures = ['finance.product_revenue', 'finance.product_cost', 'finance.product_gross_margin'];
    const figures = (r: Record<string, string>) => ({ revenue: money(r['finance.product_revenue']), cost: money(r['finance.product_cost']), grossMargin: money(r['finance.product_gross_margin']) });
    const perProduct = await loadRest(running.url, token, { dimensions: ['finance.product_name'], measures, filters: [{ member: 'finance.product_id', operator: 'set' }] });
    expect(perProduct.status).toBe(200);
    expect(Object.fromEntries((perProduct.body.data as Record<string, string>[]).map((r) => [r['finance.product_name'], figures(r)]))).toEqual(byProduct);
    const perPair = await loadRest(running.url, token, { dimensions: ['finance.customer_name', 'finance.product_name'], measures, filters: [{ member: 'finance.product_id', operator: 'set' }] });
    expect(perPair.status).toBe(200);
    expect(Object.fromEntries((perPair.body.data as Record<string, string>[]).map((r) => [`${r['finance.customer_name']} | ${r['finance.product_name']}`, figures(r)]))).toEqual(byCustomerProduct);
  });
});
