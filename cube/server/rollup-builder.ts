// Builds the Cube model's rollups (pre_aggregations in cube/model/cubes) into a
// warehouse working copy, before the build publishes it, so a published warehouse never
// serves without them. The SQL of each table is Cube's (its refresh scheduler's own
// request, cube-internals.ts rollupBuilds); the API's planner then rewrites a query to
// read a rollup whenever Cube's pre-aggregation matching says the rollup can answer it.
import { statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { cubeConfigFile, cubeModelDir } from '../../config/settings.ts';
import { loadCubeConfig } from './cube-config.ts';
import { rollupSchema } from './cube-internals.ts';
import { SemanticModel } from './semantic-model.ts';

export interface RollupReport {
  id: string;
  tableName: string;
  rows: number;
  seconds: number;
}

export interface RollupsReport {
  tables: RollupReport[];
  /** How much the rollups grew the database file, after a checkpoint. */
  bytes: number;
  seconds: number;
}

export async function buildRollups(warehouseFile: string, modelDir = cubeModelDir): Promise<RollupsReport> {
  const started = performance.now();
  const { contextToGroups } = loadCubeConfig(cubeConfigFile);
  const model = await SemanticModel.compile(modelDir, contextToGroups ?? (() => []));
  const builds = await model.rollups();
  const instance = await DuckDBInstance.create(warehouseFile);
  const connection = await instance.connect();
  const reports: RollupReport[] = [];
  let bytes = 0;
  try {
    // A rollup removed from the model must not linger: the schema is rebuilt whole.
    await connection.run(`DROP SCHEMA IF EXISTS ${rollupSchema} CASCADE`);
    await connection.run('CHECKPOINT');
    const sizeBefore = statSync(warehouseFile).size;
    await connection.run(`CREATE SCHEMA ${rollupSchema}`);
    for (const build of builds) {
      const started = performance.now();
      const [sql, values] = build.loadSql;
      await connection.run(sql, values as never[]);
      const seconds = (performance.now() - started) / 1000;
      const counted = await connection.runAndReadAll(`SELECT count(*) AS n FROM ${build.tableName}`);
      reports.push({ id: build.id, tableName: build.tableName, rows: Number(counted.getRowObjectsJS()[0]!.n), seconds });
    }
    await connection.run('CHECKPOINT');
    bytes = statSync(warehouseFile).size - sizeBefore;
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return { tables: reports, bytes, seconds: (performance.now() - started) / 1000 };
}

export function formatRollupReport(report: RollupsReport): string {
  return [
    ...report.tables.map((r) => `  ${r.tableName}: ${r.rows} rows in ${r.seconds.toFixed(2)} s`),
    `  ${report.tables.length} rollups, ${(report.bytes / 1024 / 1024).toFixed(2)} MiB added to the file, ${report.seconds.toFixed(1)} s in all`,
  ].join('\n');
}
