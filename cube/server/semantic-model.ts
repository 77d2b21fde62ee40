// Compiles the Cube data model (cube/model) with Cube's own CompilerApi and turns REST
// queries into DuckDB SQL with Cube's DuckDBQuery (the JS planner). Who may see what is
// Cube's too: the access policies on the views, matched to the token's groups by
// contextToGroups from cube/cube.js, are applied by CompilerApi.applyRowLevelSecurity
// (row filters added to the query) and CompilerApi.metaConfig (which members a context
// may see). No SQL and no access rule is written here: this module only feeds Cube's
// code and reads what it returns.
import { randomUUID } from 'node:crypto';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import {
  createCompilerApi, GatewayUserError, rollupBuilds, type RollupBuild, normalizeQuery, prepareAnnotation, remapToQueryAdapterFormat,
  type Annotation, type CompilerConfig, type CubeCompilerApi, type CubeRequestContext,
} from './cube-internals.ts';
import { checkFilterValues, checkQueryShape, checkUngrouped } from './query-input.ts';
import { queriedMembers } from './query-members.ts';
import { planningContext } from './planning-context.ts';

export type RestQuery = Record<string, unknown>;
export type SecurityContextPayload = Record<string, unknown>;

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
  /** The query after Cube's normalization and access policies, in the adapter's format. */
  query: RestQuery;
  sql: string;
  values: unknown[];
  /** SQL column alias -> member name, e.g. finance__month_month -> finance.month.month */
  aliasNameToMember: Record<string, string>;
  annotation: Annotation;
  /** Cube's count query for `total: true`, run beside the main query. */
  total?: { sql: string; values: unknown[] };
  /** The views the query reads, for the audit log. */
  views: string[];
}

/** The SQL column alias a member's values come under in a planned query's rows; undefined when the query does not ask for it. */
export function aliasOfMember(planned: Pick<PlannedQuery, 'aliasNameToMember'>, member: string): string | undefined {
  return Object.entries(planned.aliasNameToMember).find(([, asked]) => asked === member)?.[0];
}

/** A query asks for members the caller's roles do not grant (or that are not public). */
export class AccessDeniedError extends Error {
  constructor(readonly members: string[]) {
    super(
      members.length > 0
        ? `no access to ${members.map((member) => `'${member}'`).join(', ')} for your role`
        : 'no access to this query for your role',
    );
  }
}

/** Every file under the model folder, in any depth. */
export function listModelFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? listModelFiles(path) : [path];
  });
}

function visibleOnly(cubes: MetaCube[]): MetaCube[] {
  const visible = (members?: MetaMember[]) => members?.filter((member) => member.isVisible);
  return cubes
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

function memberNames(cubes: MetaCube[]): Set<string> {
  return new Set(
    cubes.flatMap((cube) => [...(cube.config.measures ?? []), ...(cube.config.dimensions ?? []), ...(cube.config.segments ?? [])].map((member) => member.name)),
  );
}

function requestContext(securityContext: SecurityContextPayload): CubeRequestContext {
  return { securityContext, requestId: randomUUID() };
}

/** JSON text with every object's keys sorted: the same query asked with its keys in another order gives the same text. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/** Plans kept per model, at most this many (least recently planned first out). */
const maxKeptPlans = 2_000;

export class SemanticModel {
  /**
   * Plans by planning context (planningContext) and query text. A plan depends only on
   * the model, which does not change while a process serves it, the query and that
   * context; Cube's normalisation, the access policies and its SQL generation took about
   * 10 ms of the event loop per query, which every user's first visit to a page paid
   * query by query while plans were kept per user.
   */
  private readonly plans = new Map<string, Promise<PlannedQuery>>();
  /** Plans made afresh since the model was compiled (the tests read it). */
  readonly planStats = { made: 0 };

  private constructor(
    private readonly api: CubeCompilerApi,
    readonly modelDir: string,
    /** Every member of the model, visible or not, to tell an unknown member from a hidden one. */
    private readonly allMembers: Set<string>,
  ) {}

  /**
   * The model in modelDir, with the project's Cube options (cube/cube.js, loadCubeConfig).
   * With transpiledYamlFile, Cube's transpiled YAML is kept in that file for the next
   * process compiling the same model (cube-internals.ts).
   */
  static async compile(modelDir: string, config: CompilerConfig, transpiledYamlFile?: string): Promise<SemanticModel> {
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
    const api = createCompilerApi(relative(process.cwd(), resolve(modelDir)), config, transpiledYamlFile);
    await api.getCompilers();
    const everything = (await api.metaConfig(requestContext({}), { skipVisibilityPatch: true })) as MetaCube[];
    if (visibleOnly(everything).length === 0) throw new Error(`the Cube model in ${modelDir} exposes no cube or view`);
    return new SemanticModel(api, modelDir, memberNames(everything));
  }

  /** The model's rollups (pre_aggregations) and Cube's SQL to build each table. */
  async rollups(): Promise<RollupBuild[]> {
    return rollupBuilds(this.api);
  }

  /**
   * The /v1/meta view for a security context: Cube's metaConfig with each member's
   * visibility patched by the access policies that match, invisible members (private
   * cubes, hidden members, members no policy grants) filtered out.
   */
  async visibleMeta(securityContext: SecurityContextPayload): Promise<MetaCube[]> {
    return visibleOnly((await this.api.metaConfig(requestContext(securityContext))) as MetaCube[]);
  }

  /**
   * Normalizes a REST query (Cube's validation), applies the access policies of the
   * security context and plans its SQL. Throws Cube's UserError for bad queries and
   * AccessDeniedError for members the context may not query.
   */
  async plan(restQuery: unknown, securityContext: SecurityContextPayload): Promise<PlannedQuery> {
    const key = canonicalJson([planningContext(securityContext), restQuery]);
    const kept = this.plans.get(key);
    if (kept) return kept;
    this.planStats.made++;
    const planning = this.planAfresh(restQuery, securityContext);
    this.plans.set(key, planning);
    if (this.plans.size > maxKeptPlans) this.plans.delete(this.plans.keys().next().value!);
    // A refusal or a bad query is not kept: each asks again and gets its own error.
    planning.catch(() => this.plans.get(key) === planning && this.plans.delete(key));
    return planning;
  }

  private async planAfresh(restQuery: unknown, securityContext: SecurityContextPayload): Promise<PlannedQuery> {
    const context = requestContext(securityContext);
    checkQueryShape(restQuery);
    const normalized = normalizeQuery(restQuery, false);
    const visible = await this.visibleMeta(securityContext);
    const visibleMembers = memberNames(visible);
    const asked = queriedMembers(normalized);
    const baseName = (member: string) => member.split('.').slice(0, 2).join('.');
    const unknown = asked.filter((member) => !this.allMembers.has(baseName(member)));
    if (unknown.length > 0) throw new GatewayUserError(`unknown member ${unknown.map((member) => `'${member}'`).join(', ')}`);
    const hidden = asked.filter((member) => !visibleMembers.has(baseName(member)));
    if (hidden.length > 0) throw new AccessDeniedError(hidden);
    checkUngrouped(restQuery);
    checkFilterValues(normalized, visible);

    // Cube's row-level security: adds each policy's row filters to the query, or
    // reports a member no matching policy grants.
    const { query: secured, denied } = await this.api.applyRowLevelSecurity(normalized, structuredClone(normalized), context);
    if (denied) throw new AccessDeniedError([]);
    const query = remapToQueryAdapterFormat(normalizeQuery(secured, false));
    const { sql: [sql, values], aliasNameToMember } = await this.api.getSql({ ...query, useNativeSqlPlanner: false, requestId: context.requestId });
    const planned: PlannedQuery = {
      query,
      sql,
      values,
      aliasNameToMember,
      annotation: prepareAnnotation(visible, query),
      views: [...new Set(asked.map((member) => member.split('.')[0]!))].sort(),
    };
    if (query.total) {
      const totalQuery = { ...query, totalQuery: true, order: undefined, limit: null, rowLimit: null, offset: null, useNativeSqlPlanner: false, requestId: context.requestId };
      const { sql: [totalSql, totalValues] } = await this.api.getSql(totalQuery);
      planned.total = { sql: totalSql, values: totalValues };
    }
    return planned;
  }
}
