// Expected net revenue, cost of goods and gross margin per ERP customer number, computed
// here in integer cents straight from the generated export files (CSV read by hand,
// Parquet by DuckDB's reader only), with the business rules stated in docs/finance.md:
// - only lines of delivered orders are sales;
// - net sales per line = quantity x unit price x (100 - discount %) / 100, rounded half
//   up to the cent;
// - a credit note naming a line reduces it by its amount; goods returned with no credit
//   on the line reduce it by their share of the line's net sales;
// - credit notes on a delivered order's invoice that name no line reduce the order;
// - cost of goods = (quantity - returned quantity) x the product's unit cost valid on the
//   order date (the latest cost row from on or before it; the current cost before the
//   cost history starts).
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
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

async function readParquet(path: string): Promise<Record<string, string | null>[]> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`select * from read_parquet('${path.replaceAll("'", "''")}')`);
    return reader.getRowObjectsJson().map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, value === null ? null : String(value)])),
    );
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Unit cost in cents of each product on a day "YYYY-MM-DD". */
function costOnDay(sampleDir: string): (productId: string, day: string) => number {
  const current = new Map(readCsv(join(sampleDir, 'erp/products.csv')).map((p) => [p.product_id!, toCents(p.unit_cost!)]));
  const history = new Map<string, { from: string; cents: number }[]>();
  for (const row of readCsv(join(sampleDir, 'erp/product_costs.csv'))) {
    const list = history.get(row.product_id!) ?? [];
    list.push({ from: row.valid_from!, cents: toCents(row.unit_cost!) });
    history.set(row.product_id!, list);
  }
  for (const list of history.values()) list.sort((a, b) => a.from.localeCompare(b.from));
  return (productId, day) => {
    const valid = (history.get(productId) ?? []).filter((cost) => cost.from <= day);
    return valid.length > 0 ? valid[valid.length - 1]!.cents : current.get(productId)!;
  };
}

export async function expectedMarginsByCustomer(sampleDir: string): Promise<Map<string, Money>> {
  const unitCost = costOnDay(sampleDir);
  const delivered = new Map(
    readCsv(join(sampleDir, 'erp/orders.csv'))
      .filter((o) => o.status === 'delivered')
      .map((o) => [o.order_id!, { customer: o.customer_id!, day: o.order_date! }]),
  );
  const returned = new Map<string, number>();
  for (const r of readCsv(join(sampleDir, 'erp/returns.csv'))) returned.set(r.order_line_id!, (returned.get(r.order_line_id!) ?? 0) + Number(r.quantity));
  const creditNotes = await readParquet(join(sampleDir, 'billing/credit_notes.parquet'));
  const invoices = await readParquet(join(sampleDir, 'billing/invoices.parquet'));
  const orderOfInvoice = new Map(invoices.filter((i) => i.order_id).map((i) => [i.invoice_id!, i.order_id!]));
  const lineCredits = new Map<string, number>();
  const orderCredits = new Map<string, number>();
  for (const note of creditNotes) {
    const cents = toCents(note.net_amount!);
    if (note.order_line_id) lineCredits.set(note.order_line_id, (lineCredits.get(note.order_line_id) ?? 0) + cents);
    else {
      const order = orderOfInvoice.get(note.invoice_id!);
      if (order) orderCredits.set(order, (orderCredits.get(order) ?? 0) + cents);
    }
  }

  const result = new Map<string, Money>();
  const money = (customer: string): Money => {
    let entry = result.get(customer);
    if (!entry) result.set(customer, (entry = { revenueCents: 0, costCents: 0, marginCents: 0, lines: 0 }));
    return entry;
  };
  for (const line of readCsv(join(sampleDir, 'erp/order_lines.csv'))) {
    const order = delivered.get(line.order_id!);
    if (!order) continue;
    const quantity = Number(line.quantity);
    const discount = Number(line.discount_pct);
    if (!Number.isInteger(discount)) throw new Error('the test rule assumes whole discount percentages');
    const netSales = Math.floor((quantity * toCents(line.unit_price!) * (100 - discount) + 50) / 100);
    const returnedQuantity = Math.min(returned.get(line.order_line_id!) ?? 0, quantity);
    const returns = lineCredits.get(line.order_line_id!) ?? Math.round((netSales * returnedQuantity) / quantity);
    const cost = (quantity - returnedQuantity) * unitCost(line.product_id!, order.day);
    const entry = money(order.customer);
    entry.revenueCents += netSales - returns;
    entry.costCents += cost;
    entry.marginCents += netSales - returns - cost;
    entry.lines += 1;
  }
  // Credits on an order's invoice that name no line belong to the order's customer.
  for (const [orderId, cents] of orderCredits) {
    const order = delivered.get(orderId);
    if (!order) continue;
    const entry = money(order.customer);
    entry.revenueCents -= cents;
    entry.marginCents -= cents;
  }
  return result;
}
