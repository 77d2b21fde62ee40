// `npm run generate -- [--customers N] [--seed S] [--as-of YYYY-MM-DD] [--out DIR]`
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { sourceDir } from '../../config/settings.ts';
import { defaultSampleOptions, generateSampleCompany } from './generate.ts';

const { values } = parseArgs({
  options: {
    customers: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    months: { type: 'string' },
    out: { type: 'string' },
  },
});

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

const started = performance.now();
const summary = generateSampleCompany({
  customers: positiveInteger('customers', values.customers, defaultSampleOptions.customers),
  seed: positiveInteger('seed', values.seed, defaultSampleOptions.seed),
  asOf: values['as-of'] ?? defaultSampleOptions.asOf,
  historyMonths: positiveInteger('months', values.months, defaultSampleOptions.historyMonths),
  outDir: values.out ? resolve(values.out) : sourceDir(),
});
console.log(`Sample company written to ${summary.options.outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
for (const [file, rows] of Object.entries(summary.files)) console.log(`  ${file.padEnd(18)} ${rows.toLocaleString('en')} rows`);
