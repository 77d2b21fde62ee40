// Rows of queries run directly on a warehouse file, opened read-only (beside a running
// API, which reads it too), with ? parameters bound as text.
import { DuckDBInstance } from '@duckdb/node-api';

export interface OpenWarehouse {
  /** Rows with DuckDB's JS values (BIGINT as bigint, DECIMAL as DuckDBDecimalValue, ...). */
  rows(sql: string, values?: string[]): Promise<Record<string, unknown>[]>;
  /** Rows with JSON values, as an API answer carries them (BIGINT and DECIMAL as strings, ...). */
  jsonRows(sql: string, values?: string[]): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openWarehouse(warehouseFile: string): Promise<OpenWarehouse> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const run = async (sql: string, values: string[]) => {
    const prepared = await connection.prepare(sql);
    values.forEach((value, index) => prepared.bindVarchar(index + 1, value));
    return prepared.runAndReadAll();
  };
  return {
    rows: async (sql, values = []) => (await run(sql, values)).getRowObjectsJS(),
    jsonRows: async (sql, values = []) => (await run(sql, values)).getRowObjectsJson() as Record<string, unknown>[],
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Opens the warehouse file read-only for `read`, closed after. */
async function withOpenWarehouse<T>(warehouseFile: string, read: (warehouse: OpenWarehouse) => Promise<T>): Promise<T> {
  const warehouse = await openWarehouse(warehouseFile);
  try {
    return await read(warehouse);
  } finally {
    warehouse.close();
  }
}

export function warehouseRows(warehouseFile: string, sql: string, values: string[] = []): Promise<Record<string, unknown>[]> {
  return withOpenWarehouse(warehouseFile, (warehouse) => warehouse.rows(sql, values));
}

/** The same rows with JSON values (as an API answer carries them). */
/**
 * How many of a table's rows are stored out of the given order: each row's position as
 * stored (rowid) against its position in `orderBy` (rowid breaks ties).
 */
export async function rowsOutOfOrder(warehouseFile: string, table: string, orderBy: string): Promise<{ rows: number; outOfOrder: number }> {
  const [counted] = await warehouseRows(
    warehouseFile,
    `SELECT count(*) AS rows, count(*) FILTER (WHERE stored <> ordered) AS out_of_order FROM (
       SELECT row_number() OVER (ORDER BY rowid) AS stored, row_number() OVER (ORDER BY ${orderBy}, rowid) AS ordered FROM ${table})`,
  );
  return { rows: Number(counted!.rows), outOfOrder: Number(counted!.out_of_order) };
}

export function warehouseJsonRows(warehouseFile: string, sql: string, values: string[] = []): Promise<Record<string, unknown>[]> {
  return withOpenWarehouse(warehouseFile, (warehouse) => warehouse.jsonRows(sql, values));
}

export type WarehouseConnection = Awaited<ReturnType<DuckDBInstance['connect']>>;

/** Runs `change` on a read-write connection to the warehouse file (nothing else may hold it open), closed after. */
export async function changeWarehouseFile(warehouseFile: string, change: (connection: WarehouseConnection) => Promise<void>): Promise<void> {
  const instance = await DuckDBInstance.create(warehouseFile);
  const connection = await instance.connect();
  try {
    await change(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
