// A day's new data for the sample company, as the systems' next exports would contain
// it: delivered orders with their lines appended to the ERP's CSV exports and, with
// appendDailyIncrementWithInvoices, their invoices added to the billing system's
// Parquet export (rewritten, since a Parquet file cannot grow in place). Each call adds
// the next day after the history and the earlier increments; the same seed gives the
// same day, so benchmark runs are comparable.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { entityName, readCatalogueFile, type EntitySpec } from '../load/catalogue.ts';
import { day as isoDay } from './calendar.ts';
import { productRange, salespeople } from './finnish-data.ts';
import { exportTime, type SampleSummary } from './generate.ts';
import { cents, vatRate } from './history/context.ts';
import { lineNet } from './history/orders.ts';
import { SeededRandom } from './random.ts';
import { csvLineWriter } from './writers/csv.ts';
import { openEntityWriter } from './writers/entity-writer.ts';
import type { SampleRecord } from './writers/values.ts';

export interface IncrementSummary {
  day: string;
  orders: number;
  orderLines: number;
  /** Invoices added to the billing export (0 when only the ERP exports grew). */
  invoices: number;
  /**
   * Helpdesk requesters (customer records) added: people new to the company and existing
   * ERP customers contacting the helpdesk for the first time (appendDailyIncrementWithInvoices).
   */
  newRequesters?: number;
  /** Of those, how many repeat an existing ERP customer's name and e-mail (a duplicate identity must join). */
  requestersOfExistingCustomers?: number;
  /** Existing requesters whose record changed (a new phone number). */
  changedRequesters?: number;
}

type Manifest = SampleSummary & { increments?: IncrementSummary[] };

interface Day {
  manifest: Manifest;
  summary: IncrementSummary;
  invoices: SampleRecord[];
  specs: Map<string, EntitySpec>;
}

function appendCsv(sourceDir: string, spec: EntitySpec, records: SampleRecord[]): void {
  const { line } = csvLineWriter(spec);
  const text = records.map(line).join('');
  appendFileSync(join(sourceDir, spec.file), spec.options.encoding === 'windows-1252' ? iconv.encode(text, 'win1252') : text);
}

/** The next day's orders and lines, appended to the ERP exports; its invoices returned, not yet written. */
function appendOrders(sourceDir: string, seed: number): Day {
  const manifest = JSON.parse(readFileSync(join(sourceDir, 'manifest.json'), 'utf8')) as Manifest;
  const previousDays = manifest.increments?.length ?? 0;
  const rng = new SeededRandom(seed + previousDays);
  const date = new Date(Date.parse(`${manifest.options.asOf}T00:00:00Z`) + (previousDays + 1) * 86_400_000);
  const day = isoDay(date);
  const tag = day.replaceAll('-', '');
  const specs = new Map(readCatalogueFile().entities.map((spec) => [entityName(spec), spec]));
  const orders: SampleRecord[] = [];
  const lines: SampleRecord[] = [];
  const invoices: SampleRecord[] = [];
  const orderCount = Math.max(1, Math.round(manifest.files[manifest.entities['erp.orders']!]! / (manifest.options.historyMonths * 30.4)));
  for (let o = 1; o <= orderCount; o++) {
    const orderId = `O${tag}-${o}`;
    const customerId = `C${String(rng.int(1, manifest.erpCustomers)).padStart(7, '0')}`;
    const channel = rng.weighted([['webshop', 6], ['sales', 2], ['store', 3]] as const);
    orders.push({
      order_id: orderId, customer_id: customerId, order_date: day, channel, status: 'delivered', cancelled_at: null, webshop_customer_id: null,
      salesperson: channel === 'sales' ? rng.pick(salespeople) : null,
    });
    let net = 0;
    const lineCount = rng.int(1, 3);
    for (let l = 1; l <= lineCount; l++) {
      const productIndex = rng.int(0, productRange.length - 1);
      const quantity = rng.int(1, 3);
      const discount = rng.chance(0.1) ? 10 : 0;
      const unitPrice = productRange[productIndex]!.listPrice;
      lines.push({
        order_line_id: `L${tag}-${o}-${l}`, order_id: orderId, line_number: l, product_id: `P${String(productIndex + 1).padStart(3, '0')}`,
        quantity, unit_price: unitPrice, discount_pct: discount,
      });
      net += lineNet(quantity, unitPrice, discount);
    }
    net = cents(net);
    invoices.push({
      invoice_id: `I${tag}-${o}`, customer_id: customerId, order_id: orderId, contract_id: null, invoice_date: day,
      due_date: isoDay(new Date(date.getTime() + 14 * 86_400_000)), net_amount: net, vat_amount: cents(net * vatRate), currency: 'EUR',
    });
  }
  appendCsv(sourceDir, specs.get('erp.orders')!, orders);
  appendCsv(sourceDir, specs.get('erp.order_lines')!, lines);
  manifest.files[manifest.entities['erp.orders']!]! += orders.length;
  manifest.files[manifest.entities['erp.order_lines']!]! += lines.length;
  return { manifest, summary: { day, orders: orders.length, orderLines: lines.length, invoices: 0 }, invoices, specs };
}

function recordIncrement(sourceDir: string, { manifest, summary }: Day): IncrementSummary {
  manifest.increments = [...(manifest.increments ?? []), summary];
  writeFileSync(join(sourceDir, 'manifest.json'), JSON.stringify(manifest, null, 2) + '\n');
  return summary;
}

/** Appends one day of orders and order lines to the ERP exports; orders ≈ the history's daily average. */
export function appendDailyIncrement(sourceDir: string, seed = 1): IncrementSummary {
  return recordIncrement(sourceDir, appendOrders(sourceDir, seed));
}

/**
 * The same day's orders and lines, their invoices in the billing export, and the day's
 * customer records: new helpdesk requesters (some of them existing ERP customers, by the
 * same name and e-mail) and one existing requester with a changed phone number.
 */
export async function appendDailyIncrementWithInvoices(sourceDir: string, seed = 1): Promise<IncrementSummary> {
  const day = appendOrders(sourceDir, seed);
  const writer = openEntityWriter(day.specs.get('billing.invoices')!, sourceDir, { exportedAt: exportTime(day.summary.day), append: true });
  for (const invoice of day.invoices) writer.write(invoice);
  day.summary.invoices = await writer.close();
  day.manifest.files[day.manifest.entities['billing.invoices']!]! += day.summary.invoices;
  updateRequesters(sourceDir, seed, day);
  return recordIncrement(sourceDir, day);
}

/** ERP customers' names and e-mails, from the export's rows that hold no quoted field. */
function erpPeople(sourceDir: string, spec: EntitySpec): { first_name: string; last_name: string; email: string; phone: string }[] {
  const [header, ...rows] = readFileSync(join(sourceDir, spec.file), 'utf8').split('\n');
  const columns = header!.split(',');
  const at = (name: string) => columns.indexOf(name);
  return rows
    .filter((row) => row !== '' && !row.includes('"'))
    .map((row) => row.split(','))
    .filter((cells) => cells[at('customer_type')] === 'consumer' && cells[at('email')] !== '' && cells[at('first_name')] !== '')
    .map((cells) => ({ first_name: cells[at('first_name')]!, last_name: cells[at('last_name')]!, email: cells[at('email')]!, phone: cells[at('phone')]! }));
}

/**
 * The helpdesk's requester export (NDJSON, one record a line) for the day: about one new
 * requester per 750 customers (the history's daily rate at 100,000 customers is ~30),
 * half of them ERP customers by the same name and e-mail, and one earlier requester's
 * phone changed in place (rewritten with a new updated_at), as the next export would hold it.
 */
function updateRequesters(sourceDir: string, seed: number, day: Day): void {
  const spec = day.specs.get('helpdesk.requesters')!;
  const file = join(sourceDir, spec.file);
  const rng = new SeededRandom(seed * 7919 + (day.manifest.increments?.length ?? 0) + 1000);
  const stamp = `${day.summary.day}T12:00:00`;
  const lines = readFileSync(file, 'utf8').split('\n').filter((line) => line !== '');
  const people = erpPeople(sourceDir, day.specs.get('erp.customers')!);
  const tag = day.summary.day.replaceAll('-', '');
  const count = Math.max(2, Math.round(day.manifest.options.customers / 750));
  let ofCustomers = 0;
  const added: SampleRecord[] = [];
  for (let n = 1; n <= count; n++) {
    const existing = n % 2 === 0 && people.length > 0 ? people[rng.int(0, people.length - 1)]! : undefined;
    if (existing) ofCustomers++;
    added.push({
      requester_id: `H${tag}-${n}`,
      first_name: existing?.first_name ?? rng.pick(['Aino', 'Eetu', 'Helmi', 'Onni', 'Venla', 'Leevi']),
      last_name: existing?.last_name ?? rng.pick(['Uusikylä', 'Tuoremaa', 'Kivelä', 'Rautiola']),
      organization: null,
      email: existing?.email ?? `asiakas.${tag}.${n}.${rng.int(1000, 9999)}@example.fi`,
      phone: null,
      created_at: stamp,
      updated_at: stamp,
    });
  }
  // One earlier requester's record changes: a new mobile number.
  const changedIndex = rng.int(0, lines.length - 1);
  const changed = JSON.parse(lines[changedIndex]!) as SampleRecord;
  lines[changedIndex] = JSON.stringify({ ...changed, phone: `+358 40 ${rng.int(1000000, 9999999)}`, updated_at: stamp });
  writeFileSync(file, [...lines, ...added.map((record) => JSON.stringify(record))].join('\n') + '\n');
  day.manifest.files[day.manifest.entities['helpdesk.requesters']!]! += added.length;
  Object.assign(day.summary, { newRequesters: added.length, requestersOfExistingCustomers: ofCustomers, changedRequesters: 1 });
}
