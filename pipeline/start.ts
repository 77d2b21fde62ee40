// What `npm start` does after the Node dependencies are in place.
import { sourceDir } from '../config/settings.ts';
import { serve } from '../cube/server/main.ts';
import { buildWarehouse, ensureSampleCompany } from './build.ts';
import { buildDashboard } from './dashboard-build.ts';
import { ensurePythonEnv } from './python-env.ts';

const log = (line: string) => console.log(line);
const started = performance.now();
try {
  await ensurePythonEnv(log);
  await ensureSampleCompany(sourceDir(), log);
  const report = await buildWarehouse({ dbtArgs: ['--quiet'], log });
  log(`Warehouse built in ${report.seconds.total.toFixed(1)} s (ingest ${report.seconds.ingest.toFixed(1)} s, dbt ${report.seconds.dbt.toFixed(1)} s).`);
  await buildDashboard({ log });
  const running = await serve();
  log('');
  log(`Asiakkuus is running at ${running.url}  (ready in ${((performance.now() - started) / 1000).toFixed(1)} s)`);
  log('Sign in as management, finance, marketing, sales, sales2 or service (users in config/users.yml); the demo password is "demo". Stop with Ctrl+C.');
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => void running.close().then(() => process.exit(0)));
} catch (error) {
  console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
