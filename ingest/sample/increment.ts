// A day's new data for the sample company: delivered orders and their lines for one
// more day, appended to the ERP exports as its next export would contain them.
// Deterministic for a seed, so benchmark runs are comparable. (Invoices for these
// orders follow in the billing system's next export, not here: the billing files are
// Parquet and would be rewritten whole.)
import { appendFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { productRange } from './finnish-data.ts';
import type { SampleSummary } from './generate.ts';
import { SeededRandom } from './random.ts';

export interface IncrementSummary {
  day: string;
  orders: number;
  orderLines: number;
}

/** Appends one day of orders after the last generated day; orders ≈ the history's daily average. */
export function appendDailyIncrement(sourceDir: string, seed = 1): IncrementSummary {
  const manifestFile = join(sourceDir, 'manifest.json');
  const manifest = JSON.parse(readFileSync(manifestFile, 'utf8')) as SampleSummary & { increments?: IncrementSummary[] };
  const rng = new SeededRandom(seed + (manifest.increments?.length ?? 0));
  const previousDays = manifest.increments?.length ?? 0;
  const asOf = new Date(`${manifest.options.asOf}T00:00:00Z`);
  const day = new Date(asOf.getTime() + (previousDays + 1) * 86_400_000).toISOString().slice(0, 10);
  const ordersFile = manifest.entities['erp.orders']!;
  const linesFile = manifest.entities['erp.order_lines']!;
  const orderCount = Math.max(1, Math.round(manifest.files[ordersFile]! / (manifest.options.historyMonths * 30.4)));
  const tag = day.replaceAll('-', '');
  let orders = '';
  let lines = '';
  let lineCount = 0;
  for (let o = 1; o <= orderCount; o++) {
    const orderId = `O${tag}-${o}`;
    const customerId = `C${String(rng.int(1, manifest.erpCustomers)).padStart(7, '0')}`;
    orders += `${orderId},${customerId},${day},webshop,delivered,,,\n`;
    const count = rng.int(1, 3);
    for (let l = 1; l <= count; l++) {
      const productIndex = rng.int(0, productRange.length - 1);
      lines += `L${tag}-${o}-${l},${orderId},${l},P${String(productIndex + 1).padStart(3, '0')},${rng.int(1, 3)},${productRange[productIndex]!.listPrice.toFixed(2)},0\n`;
      lineCount++;
    }
  }
  appendFileSync(join(sourceDir, ordersFile), orders);
  appendFileSync(join(sourceDir, linesFile), lines);
  const summary = { day, orders: orderCount, orderLines: lineCount };
  manifest.files[ordersFile] = manifest.files[ordersFile]! + orderCount;
  manifest.files[linesFile] = manifest.files[linesFile]! + lineCount;
  manifest.increments = [...(manifest.increments ?? []), summary];
  writeFileSync(manifestFile, JSON.stringify(manifest, null, 2) + '\n');
  return summary;
}
