// Builds the Cube model's rollups (pre_aggregations in cube/model/cubes) into a
// warehouse working copy, before the build publishes it, so a published warehouse never
// serves without them. The SQL of each table is Cube's (its refresh scheduler's own
// request, cube-internals.ts rollupBuilds); the API's planner then rewrites a query to
// read a rollup whenever Cube's pre-aggregation matching says the rollup can answer it.
import { DuckDBInstance } from '@duckdb/node-api';
import { cubeModelDir } from '../../config/settings.ts';
import { rollupSchema } from './cube-internals.ts';
import { projectModel } from './project-model.ts';

export interface RollupReport {
  id: string;
  tableName: string;
  rows: number;
  seconds: number;
}

export interface RollupsReport {
  tables: RollupReport[];
  /** The storage the rollups take in the database file: its used blocks after less before, at a checkpoint. */
  bytes: number;
  seconds: number;
}

export async function buildRollups(warehouseFile: string, modelDir = cubeModelDir): Promise<RollupsReport> {
  const started = performance.now();
  const { model } = await projectModel(modelDir);
  const builds = await model.rollups();
  const instance = await DuckDBInstance.create(warehouseFile);
  const connection = await instance.connect();
  const reports: RollupReport[] = [];
  let bytes = 0;
  try {
    // A rollup removed from the model must not linger: the schema is rebuilt whole.
    await connection.run(`DROP SCHEMA IF EXISTS ${rollupSchema} CASCADE`);
    await connection.run('CHECKPOINT');
    const usedBefore = await usedBytes(connection);
    await connection.run(`CREATE SCHEMA ${rollupSchema}`);
    for (const build of builds) {
      const started = performance.now();
      const [sql, values] = build.loadSql;
      await connection.run(sql, values as never[]);
      // An indexed rollup is rewritten once, in its index's order and with its narrow types.
      const [clustering] = build.indexes;
      if (clustering) await storeInIndexOrder(connection, build.tableName, clustering.columns, await narrowableColumns(connection, build.tableName));
      else await narrowWideNumbers(connection, build.tableName);
      const seconds = (performance.now() - started) / 1000;
      const counted = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${build.tableName}`);
      reports.push({ id: build.id, tableName: build.tableName, rows: Number(counted.getRowObjectsJS()[0]!.n), seconds });
    }
    await connection.run('CHECKPOINT');
    // Used blocks, not the file's size: a table rewritten in index order or narrowed
    // leaves its first copy's blocks free in the file, for later writes to reuse.
    bytes = (await usedBytes(connection)) - usedBefore;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { tables: reports, bytes, seconds: (performance.now() - started) / 1000 };
}

type Connection = Awaited<ReturnType<DuckDBInstance['connect']>>;

async function usedBytes(connection: Connection): Promise<number> {
  const [size] = (await connection.runAndReadAll('SELECT block_size, used_blocks FROM pragma_database_size()')).getRowObjectsJS();
  return Number(size!.block_size) * Number(size!.used_blocks);
}

/**
 * Cube's rollup SQL sums into DuckDB's widest types (a sum of DECIMAL(18,2) is
 * DECIMAL(38,2), of an integer HUGEINT): 128-bit values, whose compressed storage DuckDB
 * scans about ten times slower than 64-bit ones (the finance customer table from the
 * customer x month rollup at 20,000 customers: 340 ms against 37 ms, docs/performance.md).
 * Each such column whose values all fit is narrowed to DECIMAL(18,s) or BIGINT. The values
 * stay exact, and Cube's re-aggregation of them (sum) is again DECIMAL(38,s) or HUGEINT,
 * so every figure the planner reads back is the same. A column with a value that does not
 * fit keeps its type.
 */
export async function narrowWideNumbers(connection: Connection, tableName: string): Promise<void> {
  for (const { quoted, narrow } of await narrowableColumns(connection, tableName)) {
    await connection.run(`ALTER TABLE ${tableName} ALTER COLUMN ${quoted} SET DATA TYPE ${narrow}`);
  }
}

/** A 128-bit column of a rollup (quoted) and the 64-bit type every value of it fits in. */
export interface NarrowColumn {
  quoted: string;
  narrow: string;
}

/** The table's 128-bit columns whose values all fit their 64-bit type (narrowWideNumbers). */
async function narrowableColumns(connection: Connection, tableName: string): Promise<NarrowColumn[]> {
  const [schema, table] = tableName.split('.');
  const columns = await connection.runAndReadAll(
    `SELECT column_name, data_type, numeric_scale FROM duckdb_columns()
     WHERE database_name = current_database() AND schema_name = $1 AND table_name = $2
       AND (data_type = 'HUGEINT' OR (data_type LIKE 'DECIMAL(%' AND numeric_precision > 18))
     ORDER BY column_index`,
    [schema!, table!],
  );
  const wide = columns.getRowObjectsJS().map((row) => {
    const name = String(row.column_name);
    const narrow = row.data_type === 'HUGEINT' ? 'BIGINT' : `DECIMAL(18,${Number(row.numeric_scale)})`;
    return { quoted: `"${name.replaceAll('"', '""')}"`, narrow };
  });
  if (wide.length === 0) return [];
  // try_cast gives NULL for a value the narrow type cannot hold.
  const counted = await connection.runAndReadAll(
    `SELECT ${wide.map(({ quoted, narrow }, i) => `count(*) FILTER (WHERE ${quoted} IS NOT NULL AND try_cast(${quoted} AS ${narrow}) IS NULL) AS c${i}`).join(', ')} FROM ${tableName}`,
  );
  const overflows = counted.getRowObjectsJS()[0]!;
  return wide.filter((_, i) => Number(overflows[`c${i}`]) === 0);
}

/**
 * Rewrites a rollup table with its rows ordered by its first declared index. DuckDB has
 * no clustered index: what makes a lookup or a group by those columns fast is rows stored
 * in their order (tight min/max zone maps per row group, runs that compress, a hash
 * aggregation that meets each group in one stretch). The finance customer table from the
 * customer x month rollup at 100,000 customers: 128 ms unordered, 71 ms ordered by
 * customer and month (docs/performance.md). The official server reads the same `indexes`
 * declaration and creates the index itself; Cube Store sorts by it the same way.
 */
export async function storeInIndexOrder(connection: Connection, tableName: string, columns: string[], narrow: NarrowColumn[] = []): Promise<void> {
  const [schema, table] = tableName.split('.') as [string, string];
  const ordered = `${schema}.${table}__ordered`;
  // The narrow types in the same rewrite, where ALTER would rewrite each column first.
  const narrowed = narrow.length > 0 ? ` REPLACE (${narrow.map(({ quoted, narrow: type }) => `CAST(${quoted} AS ${type}) AS ${quoted}`).join(', ')})` : '';
  await connection.run(`CREATE TABLE ${ordered} AS SELECT *${narrowed} FROM ${tableName} ORDER BY ${columns.join(', ')}`);
  await connection.run(`DROP TABLE ${tableName}`);
  await connection.run(`ALTER TABLE ${ordered} RENAME TO ${table}`);
}

export function formatRollupReport(report: RollupsReport): string {
  return [
    ...report.tables.map((r) => `  ${r.tableName}: ${r.rows} rows in ${r.seconds.toFixed(2)} s`),
    `  ${report.tables.length} rollups, ${(report.bytes / 1024 / 1024).toFixed(2)} MiB of storage in the file, ${report.seconds.toFixed(1)} s in all`,
  ].join('\n');
}
