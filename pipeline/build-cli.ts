// `npm run build:warehouse [-- --full-refresh] [--retrain-identity] [--refit-value]`: ingest + dbt build
// into a working copy, then publish it. The incremental marts apply only what changed since
// the last build; --full-refresh (or ASIAKKUUS_FULL_REFRESH=1) rebuilds them from scratch;
// --retrain-identity (or ASIAKKUUS_IDENTITY_RETRAIN=1) also trains the identity model afresh;
// --refit-value (or ASIAKKUUS_VALUE_REFIT=1) fits the customer value models afresh.
import { sourceDir } from '../config/settings.ts';
import { buildWarehouse, ensureSampleCompany, fullRefreshRequested, identityRetrainRequested, valueRefitRequested } from './build.ts';

const flags = ['--full-refresh', '--retrain-identity', '--refit-value'];
const unknown = process.argv.slice(2).filter((arg) => !flags.includes(arg));
if (unknown.length > 0) {
  console.error(`build:warehouse: unknown argument ${unknown.join(' ')} (usage: npm run build:warehouse [-- --full-refresh] [--retrain-identity] [--refit-value])`);
  process.exit(2);
}
const fullRefresh = process.argv.includes('--full-refresh') || fullRefreshRequested();
const retrainIdentity = process.argv.includes('--retrain-identity') || identityRetrainRequested();
const refitValue = process.argv.includes('--refit-value') || valueRefitRequested();

try {
  await ensureSampleCompany(sourceDir(), console.log);
  const report = await buildWarehouse({ fullRefresh, retrainIdentity, refitValue });
  console.log(`Warehouse built${fullRefresh ? ' (full refresh)' : ''}${retrainIdentity ? ' (identity model retrained)' : ''}${refitValue ? ' (value models refitted)' : ''} in ${report.seconds.total.toFixed(1)} s (ingest ${report.seconds.ingest.toFixed(1)} s, dbt ${report.seconds.dbt.toFixed(1)} s).`);
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
