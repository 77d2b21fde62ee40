// Shared by the ingest tests: the test catalogue, a throwaway warehouse per test, and
// the queries the assertions compare (quarantine rows, row accounting).
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { DuckDBInstance, type DuckDBConnection } from '@duckdb/node-api';
import { expect } from 'vitest';
import { entityName, readCatalogueFile, type EntitySpec } from '../../ingest/load/catalogue.ts';
import { ensureBookkeeping } from '../../ingest/load/bookkeeping.ts';

export const fixtures = resolve(import.meta.dirname, '../fixtures/ingest');
export const testCatalogueFile = join(fixtures, 'catalogue.yml');
export const testCatalogue = readCatalogueFile(testCatalogueFile);

export function entity(name: string): EntitySpec {
  const found = testCatalogue.entities.find((e) => entityName(e) === name);
  if (!found) throw new Error(`no entity ${name} in the test catalogue`);
  return found;
}

export interface TestWarehouse {
  dir: string;
  connection: DuckDBConnection;
  rows<T = Record<string, unknown>>(sql: string): Promise<T[]>;
  /** Puts a fixture (path under test/fixtures/ingest) where the entity's catalogue entry expects its file. */
  place(spec: EntitySpec, fixture: string): void;
  close(): void;
}

export async function openTestWarehouse(): Promise<TestWarehouse> {
  const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-ingest-test-'));
  const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  const connection = await instance.connect();
  await ensureBookkeeping(connection);
  return {
    dir,
    connection,
    rows: async <T,>(sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as T[],
    place(spec, fixture) {
      const target = join(dir, spec.file);
      mkdirSync(dirname(target), { recursive: true });
      copyFileSync(join(fixtures, fixture), target);
    },
    close() {
      connection.closeSync();
      instance.closeSync();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** raw.quarantine as [file (relative to the source folder), row, field, value, reason], in row order. */
export async function quarantineRows(warehouse: TestWarehouse): Promise<[string, number, string, string | null, string][]> {
  const found = await warehouse.rows<{ source_file: string; source_row: bigint; field: string; value: string | null; reason: string }>(
    'SELECT source_file, source_row, field, value, reason FROM raw.quarantine ORDER BY load_id, source_row, field',
  );
  return found.map((q) => [q.source_file.replace(`${warehouse.dir}/`, ''), Number(q.source_row), q.field, q.value, q.reason]);
}

/** Loads that break the row accounting: read = accepted + rejected, rejected = the distinct rows quarantined. */
const unbalancedLoads = `
  SELECT l.load_id, l.rows_read, l.rows_accepted, l.rows_rejected, coalesce(q.n, 0) AS quarantined_rows
  FROM raw.load_log l
  LEFT JOIN (SELECT load_id, count(DISTINCT source_row) AS n FROM raw.quarantine GROUP BY load_id) q USING (load_id)
  WHERE l.rows_read <> l.rows_accepted + l.rows_rejected OR l.rows_rejected <> coalesce(q.n, 0)`;

export async function expectEveryRowAccountedFor(warehouse: TestWarehouse | string): Promise<void> {
  const unbalanced = typeof warehouse === 'string' ? await readOnly(warehouse, (rows) => rows(unbalancedLoads)) : await warehouse.rows(unbalancedLoads);
  expect(unbalanced).toEqual([]);
}

type Rows = <T = Record<string, unknown>>(sql: string) => Promise<T[]>;

/** Opens a warehouse file read-only (e.g. one the CLI wrote) for the duration of `work`. */
export async function readOnly<T>(file: string, work: (rows: Rows) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(file, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    return await work(async <R,>(sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as R[]);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
