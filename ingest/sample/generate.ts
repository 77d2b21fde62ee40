// Deterministic sample company: the ERP exports of a Finnish sauna and outdoor-living
// retailer (customers, products with unit cost, orders, order lines). The same seed and
// size always give the same files, so tests can compute expected figures from them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from './random.ts';
import { CsvWriter } from './csv-writer.ts';
import {
  companyKinds, companyStems, firstNames, lastNames, legalForms, monthSeasonality, orderChannels, places,
  productRange, streets,
} from './finnish-data.ts';

export interface SampleOptions {
  customers: number;
  seed: number;
  /** Last day of the generated history (ISO date). Fixed, so output never depends on today. */
  asOf: string;
  historyMonths: number;
  outDir: string;
}

export const defaultSampleOptions: Omit<SampleOptions, 'outDir'> = {
  customers: 2000,
  seed: 20261124,
  asOf: '2026-10-31',
  historyMonths: 24,
};

export interface SampleSummary {
  options: SampleOptions;
  files: Record<string, number>;
}

interface MonthSlot {
  year: number;
  month: number; // 0-based
  days: number;
}

function monthsBack(asOf: string, count: number): MonthSlot[] {
  const end = new Date(`${asOf}T00:00:00Z`);
  const slots: MonthSlot[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const first = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - back, 1));
    const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    slots.push({ year: first.getUTCFullYear(), month: first.getUTCMonth(), days });
  }
  return slots;
}

function isoDate(year: number, month: number, day: number): string {
  return new Date(Date.UTC(year, month, day)).toISOString().slice(0, 10);
}

function asciiLocalPart(text: string): string {
  return text.toLowerCase().replaceAll('ä', 'a').replaceAll('ö', 'o').replaceAll('å', 'a').replaceAll('é', 'e');
}

function padded(prefix: string, n: number, width: number): string {
  return prefix + String(n).padStart(width, '0');
}

export function generateSampleCompany(options: SampleOptions): SampleSummary {
  const rng = new SeededRandom(options.seed);
  mkdirSync(options.outDir, { recursive: true });
  const months = monthsBack(options.asOf, options.historyMonths);

  const products = new CsvWriter(join(options.outDir, 'products.csv'), [
    'product_id', 'product_name', 'product_group', 'list_price', 'unit_cost',
  ]);
  const productIds: string[] = [];
  productRange.forEach((spec, index) => {
    const id = padded('P', index + 1, 3);
    productIds.push(id);
    products.write([id, spec.name, spec.group, spec.listPrice.toFixed(2), (spec.listPrice * spec.costShare).toFixed(2)]);
  });
  products.close();

  const customers = new CsvWriter(join(options.outDir, 'customers.csv'), [
    'customer_id', 'customer_type', 'company_name', 'first_name', 'last_name', 'email', 'phone',
    'street_address', 'postal_code', 'city', 'region', 'created_at',
  ]);
  const orders = new CsvWriter(join(options.outDir, 'orders.csv'), ['order_id', 'customer_id', 'order_date', 'channel']);
  const lines = new CsvWriter(join(options.outDir, 'order_lines.csv'), [
    'order_line_id', 'order_id', 'line_number', 'product_id', 'quantity', 'unit_price', 'discount_pct',
  ]);
  const productWeights = productRange.map((spec, index) => [index, spec.weight] as const);
  let orderSeq = 0;
  let lineSeq = 0;

  for (let c = 1; c <= options.customers; c++) {
    const customerId = padded('C', c, 7);
    const isBusiness = rng.chance(0.22);
    const first = rng.pick(firstNames);
    const last = rng.pick(lastNames);
    const place = rng.weighted(places.map((p) => [p, p.weight] as const));
    const company = isBusiness ? `${rng.pick(companyStems)}${rng.pick(companyKinds).toLowerCase()} ${rng.pick(legalForms)}` : null;
    const domain = isBusiness ? `${asciiLocalPart(company!.split(' ')[0]!)}.fi` : rng.pick(['gmail.com', 'outlook.com', 'elisanet.fi', 'luukku.com']);
    const email = `${asciiLocalPart(first)}.${asciiLocalPart(last)}${rng.chance(0.3) ? rng.int(1, 99) : ''}@${domain}`;
    const phone = `04${rng.int(0, 9)} ${rng.int(100, 999)} ${rng.int(1000, 9999)}`;
    const postal = `${place.postalPrefix}${String(rng.int(100, 990)).padStart(3, '0')}`;
    // Customers join across the history (some before it); each buys for a while and may stop.
    const joinOffset = rng.int(-12, months.length - 1);
    const startSlot = Math.max(0, joinOffset);
    const activeMonths = rng.chance(0.35) ? rng.int(1, 18) : months.length;
    const firstSlot = months[0]!;
    const joinDay = rng.int(1, 28);
    const createdAt = isoDate(firstSlot.year, firstSlot.month + joinOffset, joinDay);
    customers.write([
      customerId, isBusiness ? 'business' : 'consumer', company, first, last, email, phone,
      `${rng.pick(streets)} ${rng.int(1, 60)}`, postal, place.city, place.region, createdAt,
    ]);

    const monthlyRate = isBusiness ? rng.next() * 0.9 + 0.2 : rng.next() * 0.25 + 0.03;
    const customerDiscount = isBusiness ? rng.pick([0, 5, 10, 15]) : 0;
    for (let s = startSlot; s < Math.min(months.length, startSlot + activeMonths); s++) {
      const slot = months[s]!;
      const count = rng.poisson(monthlyRate * monthSeasonality[slot.month]!);
      for (let o = 0; o < count; o++) {
        const orderId = padded('O', ++orderSeq, 8);
        // No order before the customer existed.
        const firstDay = s === joinOffset ? joinDay : 1;
        orders.write([orderId, customerId, isoDate(slot.year, slot.month, rng.int(firstDay, slot.days)), rng.weighted(orderChannels)]);
        const lineCount = rng.weighted([[1, 5], [2, 3], [3, 2], [4, 1]] as const);
        for (let l = 1; l <= lineCount; l++) {
          const productIndex = rng.weighted(productWeights);
          const spec = productRange[productIndex]!;
          const quantity = spec.bulk && isBusiness ? rng.int(2, 20) : rng.weighted([[1, 8], [2, 2]] as const);
          const discount = customerDiscount || (rng.chance(0.12) ? rng.pick([10, 20]) : 0);
          lines.write([padded('L', ++lineSeq, 9), orderId, l, productIds[productIndex]!, quantity, spec.listPrice.toFixed(2), discount]);
        }
      }
    }
  }
  customers.close();
  orders.close();
  lines.close();

  const summary: SampleSummary = {
    options,
    files: {
      'products.csv': products.rowCount,
      'customers.csv': customers.rowCount,
      'orders.csv': orders.rowCount,
      'order_lines.csv': lines.rowCount,
    },
  };
  writeFileSync(join(options.outDir, 'manifest.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
