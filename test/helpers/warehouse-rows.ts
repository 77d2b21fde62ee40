// Rows of queries run directly on a warehouse file, opened read-only (beside a running
// API, which reads it too), with ? parameters bound as text.
import { DuckDBInstance } from '@duckdb/node-api';

export interface OpenWarehouse {
  rows(sql: string, values?: string[]): Promise<Record<string, unknown>[]>;
  close(): void;
}

export async function openWarehouse(warehouseFile: string): Promise<OpenWarehouse> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  return {
    async rows(sql, values = []) {
      const prepared = await connection.prepare(sql);
      values.forEach((value, index) => prepared.bindVarchar(index + 1, value));
      return (await prepared.runAndReadAll()).getRowObjectsJS();
    },
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export async function warehouseRows(warehouseFile: string, sql: string, values: string[] = []): Promise<Record<string, unknown>[]> {
  const warehouse = await openWarehouse(warehouseFile);
  try {
    return await warehouse.rows(sql, values);
  } finally {
    warehouse.close();
  }
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
