// Expected revenue, cost and margin per ERP customer number, computed from the generated
// CSV rows of delivered (not cancelled) orders
// in integer cents, with the business rule stated in the models: line revenue =
// quantity x unit price x (100 - discount %) / 100, rounded half up to the cent; cost =
// quantity x unit cost.
import { join } from 'node:path';
import { readCsv } from './csv.ts';

export interface Money {
  revenueCents: number;
  costCents: number;
  marginCents: number;
  lines: number;
}

export function toCents(decimalText: string): number {
  const [whole = '0', fraction = ''] = decimalText.split('.');
  const sign = whole.startsWith('-') ? -1 : 1;
  return sign * (Math.abs(Number(whole)) * 100 + Number((fraction + '00').slice(0, 2)));
}

export function expectedMarginsByCustomer(sampleDir: string): Map<string, Money> {
  const unitCost = new Map(readCsv(join(sampleDir, 'erp/products.csv')).map((p) => [p.product_id!, toCents(p.unit_cost!)]));
  // Cancelled orders are not revenue.
  const delivered = readCsv(join(sampleDir, 'erp/orders.csv')).filter((o) => o.status === 'delivered');
  const customerOfOrder = new Map(delivered.map((o) => [o.order_id!, o.customer_id!]));
  const result = new Map<string, Money>();
  for (const line of readCsv(join(sampleDir, 'erp/order_lines.csv'))) {
    if (!customerOfOrder.has(line.order_id!)) continue;
    const quantity = Number(line.quantity);
    const discount = Number(line.discount_pct);
    if (!Number.isInteger(discount)) throw new Error('the test rule assumes whole discount percentages');
    const revenue = Math.floor((quantity * toCents(line.unit_price!) * (100 - discount) + 50) / 100);
    const cost = quantity * unitCost.get(line.product_id!)!;
    const customer = customerOfOrder.get(line.order_id!)!;
    const money = result.get(customer) ?? { revenueCents: 0, costCents: 0, marginCents: 0, lines: 0 };
    money.revenueCents += revenue;
    money.costCents += cost;
    money.marginCents += revenue - cost;
    money.lines += 1;
    result.set(customer, money);
  }
  return result;
}
