// DuckDB's memory limit in dbt's builds (config/settings.ts dbtMemoryLimit): 42.5 % of the
// machine's memory unless ASIAKKUUS_DBT_MEMORY_LIMIT says otherwise, instead of the
// profile's -1 (no limit at all), so that a build at 1,000,000 customers stays within half
// the machine beside the API. Read back from the DuckDB that dbt itself opens, through the
// profile.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, expect, it } from 'vitest';
import { dbtMemoryLimit } from '../../config/settings.ts';
import { runDbt } from '../../pipeline/dbt.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-memory-limit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** How DuckDB itself shows `limit` as its memory_limit setting. */
async function shownByDuckDB(limit: string): Promise<string> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run(`set memory_limit = '${limit}'`);
    return String((await connection.runAndReadAll("select current_setting('memory_limit')")).getRows()[0]![0]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

it('takes 42.5 % of the machine, in MiB, unless the setting names a limit', () => {
  const gib = 2 ** 30;
  // 24 GiB = 24,576 MiB, of which 42.5 % is 10,444.8; 16 GiB: 6,963.2.
  expect(dbtMemoryLimit({}, 24 * gib)).toBe('10444MiB');
  expect(dbtMemoryLimit({ ASIAKKUUS_DBT_MEMORY_LIMIT: '' }, 16 * gib)).toBe('6963MiB');
  expect(dbtMemoryLimit({ ASIAKKUUS_DBT_MEMORY_LIMIT: '12GiB' }, 24 * gib)).toBe('12GiB');
  expect(dbtMemoryLimit({ ASIAKKUUS_DBT_MEMORY_LIMIT: '-1' }, 24 * gib)).toBe('-1');
});

it("is the limit of the DuckDB that dbt's build runs on", async () => {
  const asked = process.env.ASIAKKUUS_DBT_MEMORY_LIMIT;
  delete process.env.ASIAKKUUS_DBT_MEMORY_LIMIT;
  let logFile: string | undefined;
  try {
    logFile = await runDbt(
      ['show', '--inline', "select current_setting('memory_limit') as memory_limit", '--output', 'json'],
      join(dir, 'warehouse.duckdb'),
    );
  } finally {
    if (asked !== undefined) process.env.ASIAKKUUS_DBT_MEMORY_LIMIT = asked;
  }
  expect(logFile, 'the test run logs dbt to a file (ASIAKKUUS_DBT_LOG_DIR, vitest.config.ts)').toBeDefined();
  const shown = /"memory_limit": "([^"]+)"/.exec(readFileSync(logFile!, 'utf8'))?.[1];
  const expected = await shownByDuckDB(`${Math.floor((totalmem() * 0.425) / 2 ** 20)}MiB`);
  // Without the build's setting, the profile's -1: DuckDB shows 16383.9 PiB, no limit.
  expect(shown).toBe(expected);
});
