// The API's reader across a swap (cube/server/warehouse-reader.ts): the next query reads
// the newly published file, and the replaced file is let go of in the end. The reader
// keeps its own descriptor of a file beside DuckDB's, so that the kernel frees a replaced
// file's pages when the reader closes it on libuv's pool, not in DuckDB's closeSync on the
// event loop; these tests check that the descriptor outlives the instance only until the
// delay has passed, and that no descriptor of a replaced file is left open.
import { mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { WarehouseReader } from '../../cube/server/warehouse-reader.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-reader-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Writes a one-row warehouse to a new file and renames it over `file`, as a build publishes one. */
async function publish(file: string, revenue: number): Promise<void> {
  const next = `${file}.next`;
  const instance = await DuckDBInstance.create(next);
  const connection = await instance.connect();
  await connection.run(`CREATE TABLE kpi AS SELECT ${revenue} AS revenue`);
  connection.closeSync();
  instance.closeSync();
  renameSync(next, file);
}

/** This process's open descriptors of a file that has been renamed over (the kernel says "(deleted)"). */
function replacedFilesOpen(file: string): number {
  return readdirSync('/proc/self/fd').filter((fd) => {
    try {
      return readlinkSync(`/proc/self/fd/${fd}`) === `${file} (deleted)`;
    } catch {
      return false;
    }
  }).length;
}

const settle = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('the reader across a swap', () => {
  it('reads the new file at once and lets the replaced one go after the delay', async () => {
    const file = join(dir, 'warehouse.duckdb');
    await publish(file, 100);
    const reader = new WarehouseReader(file, { retiredFileCloseDelayMs: 300 });
    try {
      expect(await reader.query('SELECT revenue FROM kpi')).toEqual([{ revenue: '100' }]);
      expect(replacedFilesOpen(file)).toBe(0);
      await publish(file, 250);
      expect(await reader.query('SELECT revenue FROM kpi')).toEqual([{ revenue: '250' }]);
      // DuckDB has closed the old file (the instance is released once idle); ours is still open.
      await settle(50);
      expect(replacedFilesOpen(file)).toBe(1);
      await settle(600);
      expect(replacedFilesOpen(file)).toBe(0);
    } finally {
      await reader.close();
    }
  });

  it('leaves no replaced file open after several swaps and a close', async () => {
    const file = join(dir, 'several.duckdb');
    await publish(file, 1);
    const reader = new WarehouseReader(file, { retiredFileCloseDelayMs: 0 });
    for (const revenue of [2, 3, 4]) {
      await publish(file, revenue);
      expect(await reader.query('SELECT revenue FROM kpi')).toEqual([{ revenue: String(revenue) }]);
    }
    await reader.close();
    await settle(100);
    expect(replacedFilesOpen(file)).toBe(0);
    // Nor the file served last.
    expect(readdirSync('/proc/self/fd').filter((fd) => {
      try {
        return readlinkSync(`/proc/self/fd/${fd}`) === file;
      } catch {
        return false;
      }
    })).toEqual([]);
  });
});
