// `npm run build:warehouse`: ingest + dbt build into a working copy, then publish it.
import { sourceDir } from '../config/settings.ts';
import { buildWarehouse, ensureSampleCompany } from './build.ts';

try {
  await ensureSampleCompany(sourceDir(), console.log);
  const report = await buildWarehouse();
  console.log(`Warehouse built in ${report.seconds.total.toFixed(1)} s (ingest ${report.seconds.ingest.toFixed(1)} s, dbt ${report.seconds.dbt.toFixed(1)} s).`);
} catch (error) {
  console.error(`build failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
