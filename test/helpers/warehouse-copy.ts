// A copy of the suite's shared sample warehouse that a test may change and dbt may build,
// removed after the file's tests.
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, inject } from 'vitest';

/** Copies the shared warehouse into a new temporary folder (named after `purpose`) and returns the copy's path. */
export function copyOfTestWarehouse(purpose: string): string {
  const workDir = mkdtempSync(join(tmpdir(), `asiakkuus-${purpose}-`));
  afterAll(() => rmSync(workDir, { recursive: true, force: true }));
  // Named as every build's working copy, so dbt reuses the saved parse (pipeline/dbt.ts).
  const warehouseFile = join(workDir, 'warehouse.duckdb.next');
  copyFileSync(inject('warehouseFile'), warehouseFile);
  return warehouseFile;
}
