// A day's new data for the sample company: orders and their lines for one more day,
// appended to the exports as the ERP's next export would contain them. Deterministic for
// a seed, so benchmark runs are comparable.
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SeededRandom } from './random.ts';
import { productRange } from './finnish-data.ts';
import type { SampleSummary } from './generate.ts';

export interface IncrementSummary {
  day: string;
  orders: number;
  orderLines: number;
}

/** Appends one day of orders after the last generated day; orders ≈ customers × daily rate. */
export function appendDailyIncrement(sourceDir: string, seed = 1): IncrementSummary {
  const manifestFile = join(sourceDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SampleSummary & { increments?: IncrementSummary[] };
  const rng = new SeededRandom(seed + (manifest.increments?.length ?? 0));
  const previousDays = manifest.increments?.length ?? 0;
  const asOf = new Date(`${manifest.options.asOf}T00:00:00Z`);
  const day = new Date(asOf.getTime() + (previousDays + 1) * 86_400_000).toISOString().slice(0, 10);
  const customers = manifest.options.customers;
  const orderCount = Math.max(1, Math.round(manifest.files['orders.csv']! / (manifest.options.historyMonths * 30.4)));
  const tag = day.replaceAll('-', '');
  let orders = '';
  let lines = '';
  let lineCount = 0;
  for (let o = 1; o <= orderCount; o++) {
    const orderId = `O${tag}-${o}`;
    const customerId = `C${String(rng.int(1, customers)).padStart(7, '0')}`;
    orders += `${orderId},${customerId},${day},webshop\n`;
    const count = rng.int(1, 3);
    for (let l = 1; l <= count; l++) {
      const productIndex = rng.int(0, productRange.length - 1);
      lines += `L${tag}-${o}-${l},${orderId},${l},P${String(productIndex + 1).padStart(3, '0')},${rng.int(1, 3)},${productRange[productIndex]!.listPrice.toFixed(2)},0\n`;
      lineCount++;
    }
  }
  appendFileSync(join(sourceDir, 'orders.csv'), orders);
  appendFileSync(join(sourceDir, 'order_lines.csv'), lines);
  const summary = { day, orders: orderCount, orderLines: lineCount };
  manifest.increments = [...(manifest.increments ?? []), summary];
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return summary;
}
