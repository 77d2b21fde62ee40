// "What was refused, and why": the quarantine of given loads grouped by entity, field
// and reason, the most frequent first, with one example (file:row:field and value)
// each, for the CLI's closing summary.
import { DuckDBInstance } from '@duckdb/node-api';

export interface RefusalGroup {
  source: string;
  entity: string;
  field: string;
  reason: string;
  rows: number;
  /** file:row:field "value" of the first such row. */
  example: string;
}

/** Groups per entity beyond this many are left out of the summary (all stay in raw.quarantine). */
export const topReasonsPerEntity = 5;

export async function summariseQuarantine(warehouseFile: string, loadIds: number[]): Promise<RefusalGroup[]> {
  if (loadIds.length === 0) return [];
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  try {
    const reader = await connection.runAndReadAll(`
      SELECT source, entity, field, reason, count(*) AS rows,
             arg_min(source_file || ':' || source_row || ':' || field || ' ' || coalesce('"' || left(value, 80) || '"', '(empty)'), source_row) AS example
      FROM raw.quarantine
      WHERE load_id IN (${loadIds.join(', ')})
      GROUP BY source, entity, field, reason
      QUALIFY row_number() OVER (PARTITION BY source, entity ORDER BY count(*) DESC, field, reason) <= ${topReasonsPerEntity}
      ORDER BY source, entity, rows DESC, field, reason`);
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
