// The one place that reaches into Cube's packages. These are internal APIs of
// @cubejs-backend/* (versions pinned exactly in package.json); the API tests
// (test/api: semantic-api, access, bad-input) cover them so an upgrade that moves them
// fails a test, not a user. Deep imports: the REST query normalizer and annotation
// helpers of @cubejs-backend/api-gateway, and CompilerApi of @cubejs-backend/server-core
// (compiling the model, Cube's access policies: applyRowLevelSecurity and metaConfig),
// and CompilerApi's cache of transpiled YAML, kept in a file between processes.
//
// Cube 1.x creates a Jinja engine from its native (Rust) binary on every compile, even
// for a model without Jinja files. The binary cannot be installed here, so the engine is
// replaced by one that refuses to render; semantic-model.ts rejects Jinja and Python
// model files up front so this refusal is never reached by a valid model.
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import native from '@cubejs-backend/native';

const require = createRequire(import.meta.url);

process.env.CUBEJS_TESSERACT_SQL_PLANNER ??= 'false';

const jinjaUnavailable = (): never => {
  throw new Error('Jinja templates in the Cube model need Cube\'s native binary, which the embedded server does not have');
};
(native.NativeInstance.prototype as unknown as { newJinjaEngine: () => unknown }).newJinjaEngine = () => ({
  loadTemplate: jinjaUnavailable,
  renderTemplate: jinjaUnavailable,
});

import { UserError as CompilerUserError, type Compiler } from '@cubejs-backend/schema-compiler';
import { FileRepository, displayCLIWarningOnce, getEnv } from '@cubejs-backend/shared';
import { DuckDBDriver } from '@cubejs-backend/duckdb-driver';
import type { DuckDBDataChunk, DuckDBType, DuckDBValue } from '@duckdb/node-api';

// With the JS planner chosen above, Cube prints once per process (to stdout) that the
// planner is legacy and to be removed. The choice is forced here (Tesseract is in the
// native binary; docs/cube-server.md), so the line only repeated itself in every
// server's and test file's output; Cube's once-only key is taken without printing.
if (process.env.CUBEJS_TESSERACT_SQL_PLANNER === 'false') {
  const log = console.log;
  console.log = () => {};
  try {
    displayCLIWarningOnce('CUBEJS_TESSERACT_SQL_PLANNER', '');
  } finally {
    console.log = log;
  }
}

export { CompilerUserError, DuckDBDriver };

interface DuckDBTransformModule {
  convertDuckDBParams(values: unknown[] | null | undefined): DuckDBValue[];
  buildTransform(names: string[], types: DuckDBType[]): unknown;
  transformChunk(chunk: DuckDBDataChunk, transform: unknown): Record<string, unknown>[];
}
/**
 * The DuckDB driver's own conversions (parameters in, values out), for a driver that runs
 * the statement its own way (warehouse-reader.ts keeps each statement prepared) and must
 * still hand back rows exactly as Cube's `DuckDBDriver.query` does.
 */
export const duckDBTransform = require('@cubejs-backend/duckdb-driver/dist/src/Transform.js') as DuckDBTransformModule;

/** The most rows a query may ask for (Cube's CUBEJS_DB_QUERY_LIMIT, 50,000 by default). */
export const queryRowLimit = (): number => getEnv('dbQueryLimit');
export type { Compiler };

type RestQuery = Record<string, unknown>;

/** What Cube passes around per request: the verified token's payload and a request id. */
export interface CubeRequestContext {
  securityContext: Record<string, unknown>;
  requestId: string;
}

export type ContextToGroups = (context: CubeRequestContext) => string[] | Promise<string[]>;

/** Cube's dialectFactory option: the query class for a data source, or undefined for Cube's default. */
export type DialectFactory = (context: { dataSource?: string; dbType?: string }) => unknown;

/** What the embedded server takes from the project's cube.js (cube-config.ts) for Cube's CompilerApi. */
export interface CompilerConfig {
  contextToGroups: ContextToGroups;
  /** The SQL dialect class per data source (Cube's dialectFactory option). */
  dialectFactory?: DialectFactory | undefined;
  /** Cube's allowUngroupedWithoutPrimaryKey option: ungrouped queries without every joined cube's primary key. */
  allowUngroupedWithoutPrimaryKey?: boolean | undefined;
}

/** Cube's SQL for a query, as CompilerApi.getSql returns it. */
export interface CubeSql {
  sql: [string, unknown[]];
  aliasNameToMember: Record<string, string>;
  memberNames: string[];
}

/** The part of Cube's CompilerApi (@cubejs-backend/server-core) the embedded server uses. */
export interface CubeCompilerApi {
  getCompilers(options?: { requestId?: string }): Promise<Compiler>;
  /** Cube's access policies: member-level access (denied = a member no policy grants) and row-level filters added to the query. */
  applyRowLevelSecurity(query: RestQuery, evaluatedQuery: RestQuery, context: CubeRequestContext): Promise<{ query: RestQuery; denied: boolean }>;
  /** The compiled cubes and views with each member's isVisible patched by the access policies that match the context. */
  metaConfig(context: CubeRequestContext, options?: Record<string, unknown>): Promise<unknown[]>;
  getSql(query: RestQuery, options?: { requestId?: string; preAggregationsOnly?: boolean }): Promise<CubeSql>;
  dispose(): void;
}

const { CompilerApi } = require('@cubejs-backend/server-core/dist/src/core/CompilerApi') as {
  CompilerApi: new (repository: unknown, dbType: () => Promise<string>, options: Record<string, unknown>) => CubeCompilerApi;
};

/**
 * Cube's cache of transpiled YAML model files (CompilerApi's compiledYamlCache: the
 * JavaScript Cube's transpiler makes of each file, keyed by an md5 of the file's content),
 * read from and written to a file so that the next process compiling the same model
 * skips the transpiler: its worker thread parsed every SQL expression of the model with
 * a Python grammar, 2.5 s of a 4.5 s compile here (docs/performance.md). Only what Cube
 * itself would have put in its cache is kept, under Cube's own keys; the file is named
 * after the whole model's content (project-model.ts), so it only ever serves the model
 * it was written for.
 */
class KeptTranspiles {
  private readonly entries = new Map<string, string>();
  private added = false;

  constructor(private readonly file: string) {
    try {
      for (const [key, value] of Object.entries(JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>)) this.entries.set(key, value);
    } catch {
      // No file yet, or one cut short: compiled as Cube compiles without a cache.
    }
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  get(key: string): string | undefined {
    return this.entries.get(key);
  }

  set(key: string, value: string): this {
    if (this.entries.get(key) !== value) this.added = true;
    this.entries.set(key, value);
    return this;
  }

  purgeStale(): boolean {
    return false;
  }

  /**
   * Writes the file when the compile added to it; whole and renamed, so a concurrent
   * reader never sees half of it. A file that cannot be written (a read-only or full
   * disk) only costs the next process the transpiler, never this compile.
   */
  save(): void {
    if (!this.added) return;
    const partial = `${this.file}.${process.pid}.tmp`;
    try {
      mkdirSync(dirname(this.file), { recursive: true });
      writeFileSync(partial, JSON.stringify(Object.fromEntries(this.entries)));
      renameSync(partial, this.file);
      this.added = false;
    } catch {
      try {
        rmSync(partial, { force: true });
      } catch {
        // Its folder could not be made either: there is nothing to remove.
      }
    }
  }
}

/**
 * Cube's CompilerApi over a model folder, planning SQL for DuckDB with Cube's JS planner
 * and mapping a security context to groups with the project's contextToGroups. With
 * transpiledYamlFile, Cube's transpiled YAML is kept in that file between processes
 * (KeptTranspiles); the file is written once the model has compiled (getCompilers).
 */
export function createCompilerApi(modelDir: string, config: CompilerConfig, transpiledYamlFile?: string): CubeCompilerApi {
  const api = newCompilerApi(modelDir, config);
  if (transpiledYamlFile === undefined) return api;
  const kept = new KeptTranspiles(transpiledYamlFile);
  (api as unknown as { compiledYamlCache: KeptTranspiles }).compiledYamlCache = kept;
  // The first compile fills the cache; it is written then, and later calls are Cube's own.
  const getCompilers = api.getCompilers.bind(api);
  api.getCompilers = async (options) => {
    const compilers = await getCompilers(options);
    kept.save();
    api.getCompilers = getCompilers;
    return compilers;
  };
  return api;
}

function newCompilerApi(modelDir: string, config: CompilerConfig): CubeCompilerApi {
  const { contextToGroups, dialectFactory } = config;
  return new CompilerApi(new FileRepository(modelDir), async () => 'duckdb', {
    // As the official server does: the project's dialectFactory first, else the driver's dialect.
    dialectClass: (context: { dataSource?: string }) => dialectFactory?.({ ...context, dbType: 'duckdb' }) ?? DuckDBDriver.dialectClass(),
    contextToGroups,
    // The official server hands the project's option to CompilerApi the same way.
    allowUngroupedWithoutPrimaryKey: config.allowUngroupedWithoutPrimaryKey ?? false,
    // Cube's default cache keys SQL by query; the model never changes while serving.
    sqlCache: true,
    allowNodeRequire: false,
    // Rollup tables live in the warehouse itself, built before it is published
    // (pipeline/rollups.ts); the planner's SQL names them in this schema.
    preAggregationsSchema: rollupSchema,
  });
}

/** The warehouse schema holding the rollup tables. */
export const rollupSchema = 'pre_aggregations';

/** A rollup declared in the model, with the SQL Cube generates to build its table. */
export interface RollupBuild {
  id: string;
  tableName: string;
  /**
   * Cube's query for the table's rows and its parameters: Cube's load SQL
   * (`CREATE TABLE <tableName> AS <query>`) without its head, so the builder can stage the
   * rows before it writes the table (rollup-builder.ts).
   */
  rowsSql: [string, unknown[]];
  /** The rollup's declared indexes, by name, each as its table's column names in order. */
  indexes: { name: string; columns: string[] }[];
}

interface PreAggregationDescription {
  preAggregationId: string;
  tableName: string;
  loadSql: [string, unknown[]];
  /** Cube's own evaluation of the declared indexes (columns as the table names them). */
  createTableIndexes: { indexName: string; columns: string[] }[];
}

/**
 * Every rollup of the model and Cube's SQL to build it, asked for the way Cube's own
 * refresh scheduler does (RefreshScheduler.baseQueryForPreAggregation and
 * refreshQueriesForPreAggregation in @cubejs-backend/server-core): the rollup's
 * references as a query with its preAggregationId, planned with preAggregationsOnly.
 */
export async function rollupBuilds(api: CubeCompilerApi): Promise<RollupBuild[]> {
  const declared = await (api as unknown as {
    preAggregations(): Promise<{ id: string; preAggregation: { type: string }; references: Record<string, unknown> }[]>;
  }).preAggregations();
  const builds: RollupBuild[] = [];
  for (const rollup of declared) {
    if (rollup.preAggregation.type !== 'rollup') throw new Error(`pre-aggregation ${rollup.id}: only type rollup is built into the warehouse`);
    const planned = (await api.getSql({ ...rollup.references, timezone: 'UTC', preAggregationId: rollup.id, useNativeSqlPlanner: false }, { preAggregationsOnly: true } as Record<string, unknown>)) as unknown as {
      preAggregations: PreAggregationDescription[];
    };
    const description = planned.preAggregations.find((candidate) => candidate.preAggregationId === rollup.id);
    if (!description) throw new Error(`Cube planned no table for pre-aggregation ${rollup.id}`);
    builds.push({
      id: rollup.id,
      tableName: description.tableName,
      rowsSql: [rowsOfLoadSql(description), description.loadSql[1]],
      indexes: description.createTableIndexes.map((index) => ({ name: index.indexName, columns: index.columns })),
    });
  }
  return builds;
}

/** The query of Cube's `CREATE TABLE <tableName> AS <query>`; any other shape is an error, so a Cube release that changes it stops the build instead of building something else. */
function rowsOfLoadSql(description: PreAggregationDescription): string {
  const [sql] = description.loadSql;
  const head = `CREATE TABLE ${description.tableName} AS `;
  if (!sql.startsWith(head)) throw new Error(`pre-aggregation ${description.preAggregationId}: Cube's load SQL does not start with "${head}"`);
  return sql.slice(head.length);
}

interface QueryModule {
  normalizeQuery(query: RestQuery, persistent: boolean): RestQuery;
  remapToQueryAdapterFormat(query: RestQuery): RestQuery;
}

interface AnnotationModule {
  prepareAnnotation(metaConfig: unknown[], query: unknown): Annotation;
}

export interface AnnotationItem {
  title: string;
  shortTitle: string;
  description?: string;
  type: string;
  format?: string;
  currency?: string;
  meta?: unknown;
  granularity?: { name: string; title: string; interval: string };
}

export interface Annotation {
  measures: Record<string, AnnotationItem>;
  dimensions: Record<string, AnnotationItem>;
  segments: Record<string, AnnotationItem>;
  timeDimensions: Record<string, AnnotationItem>;
}

// Deep imports: these modules pull in no native code (the gateway's index does).
const queryModule = require('@cubejs-backend/api-gateway/dist/src/query') as QueryModule;
const annotationModule = require('@cubejs-backend/api-gateway/dist/src/helpers/prepare-annotation') as AnnotationModule;
export const { UserError: GatewayUserError } = require('@cubejs-backend/api-gateway/dist/src/user-error') as {
  UserError: new (message: string) => Error;
};

export const normalizeQuery = queryModule.normalizeQuery;
export const remapToQueryAdapterFormat = queryModule.remapToQueryAdapterFormat;
export const prepareAnnotation = annotationModule.prepareAnnotation;
