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
      // The rows go to a temporary table first (in memory), and the rollup's table is
      // written once from it, narrowed and in its first index's order. Cube's table used
      // to go straight into the file and then be rewritten: at 100,000 customers the
      // customer x month rollup took 3.5 s that way, 1.7-2.1 s of it the first write,
      // against 0.6 s for the same rows into memory (docs/performance.md).
      const [sql, values] = build.rowsSql;
      await connection.run(`CREATE TEMP TABLE ${stagingTable} AS ${sql}`, values as never[]);
      const [clustering] = build.indexes;
      await storeRollup(connection, `temp.main.${stagingTable}`, build.tableName, clustering?.columns ?? []);
      await connection.run(`DROP TABLE temp.main.${stagingTable}`);
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

/** The temporary table a rollup's rows are staged in before its table is written. */
const stagingTable = 'rollup_rows';

/**
 * Writes a rollup's table from its staged rows (`staged`, a table name with its catalog
 * and schema), in one pass:
 *
 * - Narrowed. Cube's rollup SQL sums into DuckDB's widest types (a sum of DECIMAL(18,2) is
 *   DECIMAL(38,2), of an integer HUGEINT): 128-bit values, whose compressed storage DuckDB
 *   scans about ten times slower than 64-bit ones (the finance customer table from the
 *   customer x month rollup at 20,000 customers: 340 ms against 37 ms,
 *   docs/performance.md). Each such column whose values all fit is stored as
 *   DECIMAL(18,s) or BIGINT. The values stay exact, and Cube's re-aggregation of them (sum)
 *   is again DECIMAL(38,s) or HUGEINT, so every figure the planner reads back is the same.
 *   A column with a value that does not fit keeps its type.
 * - Ordered by `orderColumns`, the rollup's first declared index, when it has one. DuckDB
 *   has no clustered index: what makes a lookup or a group by those columns fast is rows
 *   stored in their order (tight min/max zone maps per row group, runs that compress, a
 *   hash aggregation that meets each group in one stretch). The finance customer table
 *   from the customer x month rollup at 100,000 customers: 128 ms unordered, 71 ms ordered
 *   by customer and month (docs/performance.md). The official server reads the same
 *   `indexes` declaration and creates the index itself; Cube Store sorts by it the same way.
 */
export async function storeRollup(connection: Connection, staged: string, tableName: string, orderColumns: string[]): Promise<void> {
  const narrow = await narrowableColumns(connection, staged);
  const narrowed = narrow.length > 0 ? ` REPLACE (${narrow.map(({ quoted, narrow: type }) => `CAST(${quoted} AS ${type}) AS ${quoted}`).join(', ')})` : '';
  const ordered = orderColumns.length > 0 ? ` ORDER BY ${orderColumns.join(', ')}` : '';
  await connection.run(`CREATE TABLE ${tableName} AS SELECT *${narrowed} FROM ${staged}${ordered}`);
}

/** A 128-bit column of a rollup (quoted) and the 64-bit type every value of it fits in. */
interface NarrowColumn {
  quoted: string;
  narrow: string;
}

/** The 128-bit columns of `staged` (catalog.schema.table) whose values all fit their 64-bit type. */
async function narrowableColumns(connection: Connection, staged: string): Promise<NarrowColumn[]> {
  const [database, schema, table] = staged.split('.');
  const columns = await connection.runAndReadAll(
    `SELECT column_name, data_type, numeric_scale FROM duckdb_columns()
     WHERE database_name = $1 AND schema_name = $2 AND table_name = $3
       AND (data_type = 'HUGEINT' OR (data_type LIKE 'DECIMAL(%' AND numeric_precision > 18))
     ORDER BY column_index`,
    [database!, schema!, table!],
  );
  const wide = columns.getRowObjectsJS().map((row) => {
    const name = String(row.column_name);
    const narrow = row.data_type === 'HUGEINT' ? 'BIGINT' : `DECIMAL(18,${Number(row.numeric_scale)})`;
    return { quoted: `"${name.replaceAll('"', '""')}"`, narrow };
  });
  if (wide.length === 0) return [];
  // try_cast gives NULL for a value the narrow type cannot hold.
  const counted = await connection.runAndReadAll(
    `SELECT ${wide.map(({ quoted, narrow }, i) => `count(*) FILTER (WHERE ${quoted} IS NOT NULL AND try_cast(${quoted} AS ${narrow}) IS NULL) AS c${i}`).join(', ')} FROM ${staged}`,
  );
  const overflows = counted.getRowObjectsJS()[0]!;
  return wide.filter((_, i) => Number(overflows[`c${i}`]) === 0);
}

export function formatRollupReport(report: RollupsReport): string {
  return [
    ...report.tables.map((r) => `  ${r.tableName}: ${r.rows} rows in ${r.seconds.toFixed(2)} s`),
    `  ${report.tables.length} rollups, ${(report.bytes / 1024 / 1024).toFixed(2)} MiB of storage in the file, ${report.seconds.toFixed(1)} s in all`,
  ].join('\n');
}
