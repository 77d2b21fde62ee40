// `npm run generate -- [--customers N] [--seed S] [--as-of YYYY-MM-DD] [--months M] [--out DIR] [--truth DIR]`
//
// Writes the sample company's exports for every source in the catalogue, and its
// ground truth beside them (default <out>.truth). --customers counts real people and
// companies; each appears in several systems. A progress bar shows on stderr for large
// sizes.
import { resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { sourceDir } from '../../config/settings.ts';
import { defaultSampleOptions, generateSampleCompany } from './generate.ts';
import { readCommandLine } from '../../pipeline/command-line.ts';

const values = readCommandLine('npm run generate -- [--customers N] [--seed N] [--as-of YYYY-MM-DD] [--months N] [--out DIR] [--truth DIR]', {
  options: {
    customers: { type: 'string' },
    seed: { type: 'string' },
    'as-of': { type: 'string' },
    months: { type: 'string' },
    out: { type: 'string' },
    truth: { type: 'string' },
  },
});

function positiveInteger(name: string, text: string | undefined, fallback: number): number {
  if (text === undefined) return fallback;
  const value = Number(text);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} must be a positive integer, got "${text}"`);
  return value;
}

const asOf = values['as-of'] ?? defaultSampleOptions.asOf;
if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error(`--as-of must be a date YYYY-MM-DD, got "${asOf}"`);
const customers = positiveInteger('customers', values.customers, defaultSampleOptions.customers);
const bar =
  customers >= 50_000
    ? new cliProgress.SingleBar(
        { format: 'generate [{bar}] {percentage}% | {value}/{total} persons | {step}', hideCursor: true, stream: process.stderr },
        cliProgress.Presets.shades_classic,
      )
    : null;
bar?.start(customers, 0, { step: 'persons' });
const started = performance.now();
const summary = await generateSampleCompany({
  customers,
  seed: positiveInteger('seed', values.seed, defaultSampleOptions.seed),
  asOf,
  historyMonths: positiveInteger('months', values.months, defaultSampleOptions.historyMonths),
  outDir: values.out ? resolve(values.out) : sourceDir(),
  ...(values.truth ? { truthDir: resolve(values.truth) } : {}),
  onProgress: (done, _total, step) => bar?.update(done, { step }),
});
bar?.stop();
console.log(`Sample company written to ${summary.options.outDir} in ${((performance.now() - started) / 1000).toFixed(1)} s (ground truth in ${summary.truthDir})`);
for (const [file, rows] of Object.entries(summary.files)) console.log(`  ${file.padEnd(32)} ${rows.toLocaleString('en')} rows`);
