// `npx dbt <args>`: the project's dbt, run on a working copy of the warehouse so it
// never conflicts with the API holding the served file open. Commands that write are
// published (renamed over the served file) when they succeed; others run on a scratch
// copy that is thrown away.
import { buildRollups } from '../cube/server/rollup-builder.ts';
import { dbtCommandWrites, runDbt } from './dbt.ts';
import { withWorkingCopy } from './warehouse-swap.ts';
import { CommandFailedError } from './run-command.ts';

const args = process.argv.slice(2);
try {
  const publish = dbtCommandWrites(args);
  await withWorkingCopy(
    async (working) => {
      await runDbt(args, working);
      // A published warehouse never serves rollups older than its marts (docs/performance.md).
      if (publish) await buildRollups(working);
    },
    { publish },
  );
} catch (error) {
  if (error instanceof CommandFailedError) process.exit(error.exitCode ?? 1);
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
