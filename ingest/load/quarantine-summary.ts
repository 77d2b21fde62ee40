// "What was refused, and why": the quarantine of given loads grouped by entity, field
// and reason, with one example row each, for the CLI's closing summary.
import { DuckDBInstance } from '@duckdb/node-api';

export interface RefusalGroup {
  source: string;
  entity: string;
  field: string;
  reason: string;
  rows: number;
  example: string;
}

export async function summariseQuarantine(warehouseFile: string, loadIds: number[]): Promise<RefusalGroup[]> {
  if (loadIds.length === 0) return [];
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      SELECT source, entity, field, reason, count(*) AS rows,
             arg_min(source_file || ':' || source_row || ' ' || coalesce('"' || value || '"', '(empty)'), source_row) AS example
      FROM raw.quarantine
      WHERE load_id IN (${loadIds.join(', ')})
      GROUP BY ALL
      ORDER BY source, entity, rows DESC, field`);
    return reader.getRowObjectsJS().map((row) => ({
      source: String(row.source),
      entity: String(row.entity),
      field: String(row.field),
      reason: String(row.reason),
      rows: Number(row.rows),
      example: String(row.example),
    }));
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}
