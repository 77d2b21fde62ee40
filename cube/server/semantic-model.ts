// Compiles the Cube data model (cube/model) with Cube's own schema compiler and turns
// REST queries into DuckDB SQL with Cube's DuckDBQuery (the JS planner). No SQL is
// generated here: this module only feeds Cube's compiler and reads what it returns.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  DuckDBDriver, FileRepository, normalizeQuery, prepareAnnotation, prepareCompiler, remapToQueryAdapterFormat,
  type Annotation, type Compiler,
} from './cube-internals.ts';

export type RestQuery = Record<string, unknown>;

/** What the compiler's meta transformer holds per cube or view. */
export interface MetaCube {
  config: {
    name: string;
    type: 'cube' | 'view';
    measures?: MetaMember[];
    dimensions?: MetaMember[];
    segments?: MetaMember[];
    [key: string]: unknown;
  };
}

export interface MetaMember {
  name: string;
  isVisible?: boolean;
  type?: string;
  [key: string]: unknown;
}

export interface PlannedQuery {
  /** The query after Cube's normalization, in the adapter's format. */
  query: RestQuery;
  sql: string;
  values: unknown[];
  /** SQL column alias -> member name, e.g. finance__month_month -> finance.month.month */
  aliasNameToMember: Record<string, string>;
  annotation: Annotation;
  /** Cube's count query for `total: true`, run beside the main query. */
  total?: { sql: string; values: unknown[] };
}

interface SqlQueryLike {
  buildSqlAndParams(): [string, unknown[]];
  aliasNameToMember: Record<string, string>;
}

function listModelFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listModelFiles(path) : [path];
  });
}

export class SemanticModel {
  private constructor(private readonly compilers: Compiler, readonly modelDir: string) {}

  static async compile(modelDir: string): Promise<SemanticModel> {
    // Cube treats a YAML file containing {{ or {% as a Jinja template.
    const unsupported = listModelFiles(modelDir).filter(
      (file) => /\.(jinja|py)$/.test(file) || (/\.ya?ml$/.test(file) && /\{\{|\{%/.test(readFileSync(file, 'utf8'))),
    );
    if (unsupported.length > 0) {
      throw new Error(
        `Jinja and Python model files need Cube's native binary; the embedded server cannot compile: ` +
          unsupported.map((file) => relative(modelDir, file)).join(', '),
      );
    }
    // FileRepository joins its path onto the working directory, so it must be relative.
    const compilers = prepareCompiler(new FileRepository(relative(process.cwd(), resolve(modelDir))));
    await compilers.compiler.compile();
    const model = new SemanticModel(compilers, modelDir);
    if (model.visibleMeta().length === 0) throw new Error(`the Cube model in ${modelDir} exposes no cube or view`);
    return model;
  }

  /** Cubes and views with their members, as the compiler's meta transformer has them. */
  get metaCubes(): MetaCube[] {
    return this.compilers.metaTransformer.cubes as unknown as MetaCube[];
  }

  /** The /v1/meta view: invisible members (private cubes, hidden members) filtered out. */
  visibleMeta(): MetaCube[] {
    const visible = (members?: MetaMember[]) => members?.filter((member) => member.isVisible);
    return this.metaCubes
      .map((cube) => ({
        config: {
          ...cube.config,
          measures: visible(cube.config.measures),
          dimensions: visible(cube.config.dimensions),
          segments: visible(cube.config.segments),
        },
      }))
      .filter((cube) => (cube.config.measures?.length ?? 0) + (cube.config.dimensions?.length ?? 0) + (cube.config.segments?.length ?? 0) > 0);
  }

  private sqlQuery(query: RestQuery): SqlQueryLike {
    const Dialect = DuckDBDriver.dialectClass() as unknown as new (compilers: Compiler, options: RestQuery) => SqlQueryLike;
    return new Dialect(this.compilers, { ...query, useNativeSqlPlanner: false });
  }

  /** Normalizes a REST query (Cube's validation) and plans its SQL. Throws Cube's UserError for bad queries. */
  plan(restQuery: RestQuery): PlannedQuery {
    const query = remapToQueryAdapterFormat(normalizeQuery(restQuery, false));
    const sqlQuery = this.sqlQuery(query);
    const [sql, values] = sqlQuery.buildSqlAndParams();
    const planned: PlannedQuery = {
      query,
      sql,
      values,
      aliasNameToMember: sqlQuery.aliasNameToMember,
      annotation: prepareAnnotation(this.visibleMeta(), query),
    };
    if (query.total) {
      const totalQuery = { ...query, totalQuery: true, order: undefined, limit: null, rowLimit: null, offset: null };
      const [totalSql, totalValues] = this.sqlQuery(totalQuery).buildSqlAndParams();
      planned.total = { sql: totalSql, values: totalValues };
    }
    return planned;
  }
}
