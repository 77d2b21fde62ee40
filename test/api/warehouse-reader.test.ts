// The API's reader across a swap (cube/server/warehouse-reader.ts): the next query reads
// the newly published file, and the replaced file is let go of in the end. The reader
// keeps its own descriptor of a file beside DuckDB's, so that the kernel frees a replaced
// file's pages when the reader closes it on libuv's pool, not in DuckDB's closeSync on the
// event loop; these tests check that the descriptor outlives the instance only until the
// delay has passed, and that no descriptor of a replaced file is left open. The reader
// also keeps each statement prepared on its connection: the last tests check that the
// values are bound afresh each time and that the kept statements are bounded.
import { mkdtempSync, readdirSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { preparedStatementsPerConnection, WarehouseReader } from '../../cube/server/warehouse-reader.ts';

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

describe('statements kept prepared', () => {
  afterEach(() => vi.restoreAllMocks());

  it('binds each call\'s own values, of another type too, and prepares a text once per connection', async () => {
    const file = join(dir, 'prepared.duckdb');
    await publish(file, 100);
    const prepare = vi.spyOn(DuckDBConnection.prototype, 'prepare');
    const reader = new WarehouseReader(file, { connections: 1 });
    try {
      const sql = 'SELECT revenue * ? AS scaled, typeof(?) AS type FROM kpi';
      expect(await reader.query(sql, [2, 'a'])).toEqual([{ scaled: '200', type: 'VARCHAR' }]);
      expect(await reader.query(sql, [3, 7])).toEqual([{ scaled: '300', type: 'INTEGER' }]);
      expect(await reader.query(sql, [0.5, null])).toEqual([{ scaled: '50', type: '"NULL"' }]);
      expect(prepare.mock.calls.filter(([text]) => text === sql)).toHaveLength(1);
      // A failing run leaves the kept statement usable.
      await expect(reader.query(sql, ['not a number', 1])).rejects.toThrow(/Conversion Error|Could not convert/);
      expect(await reader.query(sql, [4, 'b'])).toEqual([{ scaled: '400', type: 'VARCHAR' }]);
    } finally {
      await reader.close();
    }
  });

  it('keeps at most its bound of statements, dropping the least recently used', async () => {
    const file = join(dir, 'bounded.duckdb');
    await publish(file, 1);
    const prepare = vi.spyOn(DuckDBConnection.prototype, 'prepare');
    const reader = new WarehouseReader(file, { connections: 1 });
    const statement = (n: number) => `SELECT revenue + ${n} AS value FROM kpi`;
    const preparedTimes = (n: number) => prepare.mock.calls.filter(([text]) => text === statement(n)).length;
    try {
      for (let n = 0; n < preparedStatementsPerConnection; n++) await reader.query(statement(n));
      // Statement 0 used again: statement 1 is now the least recently used.
      expect(await reader.query(statement(0))).toEqual([{ value: '1' }]);
      expect(preparedTimes(0)).toBe(1);
      // One more text drops statement 1, so it is prepared again; statement 0 is still kept.
      expect(await reader.query(statement(-1))).toEqual([{ value: '0' }]);
      expect(await reader.query(statement(1))).toEqual([{ value: '2' }]);
      expect(preparedTimes(1)).toBe(2);
      expect(await reader.query(statement(0))).toEqual([{ value: '1' }]);
      expect(preparedTimes(0)).toBe(1);
    } finally {
      await reader.close();
    }
  });
});
