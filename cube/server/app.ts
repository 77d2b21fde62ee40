// The embedded semantic API: Cube's REST endpoints (/cubejs-api/v1/meta and /load) in
// the shape @cubejs-client/core expects, the dashboard's sign-in, and the built
// dashboard itself, on one origin.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { CompilerUserError, GatewayUserError } from './cube-internals.ts';
import { AuthError, type Authenticator, type SecurityContext } from './auth.ts';
import { marketingRoutes } from './marketing-routes.ts';
import { HiddenMemberError, loadResult } from './result-shape.ts';
import type { RestQuery, SemanticModel } from './semantic-model.ts';
import { WarehouseNotBuiltError, type WarehouseReader } from './warehouse-reader.ts';

export interface AppDependencies {
  model: SemanticModel;
  warehouse: WarehouseReader;
  auth: Authenticator;
  dashboardDir?: string;
  log?: (line: string) => void;
}

type AuthedRequest = Request & { securityContext?: SecurityContext };

class BadRequestError extends Error {}

function isUserError(error: unknown): boolean {
  return (
    error instanceof CompilerUserError ||
    error instanceof GatewayUserError ||
    error instanceof BadRequestError ||
    error instanceof HiddenMemberError
  );
}

/** The query from GET ?query=<json> or a POST body { query }, as Cube's clients send it. */
function queryParam(req: Request): RestQuery | RestQuery[] {
  const raw = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
  if (raw === undefined || raw === '') throw new BadRequestError('query param is required');
  if (typeof raw !== 'string') return raw as RestQuery;
  try {
    return JSON.parse(raw) as RestQuery;
  } catch {
    throw new BadRequestError('query param is not valid JSON');
  }
}

export function createApp({ model, warehouse, auth, dashboardDir, log = console.log }: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, warehouseRefreshedAt: warehouse.lastRefreshTime() ?? null });
  });

  app.post('/api/session', (req, res) => {
    const body = (req.body ?? {}) as { username?: unknown; password?: unknown };
    try {
      res.json(auth.signIn(body.username, body.password));
    } catch (error) {
      if (error instanceof AuthError) res.status(401).json({ error: error.message });
      else throw error;
    }
  });

  const cubeApi = express.Router();
  cubeApi.use((req: AuthedRequest, res, next) => {
    try {
      req.securityContext = auth.verify(req.headers.authorization);
      next();
    } catch (error) {
      if (error instanceof AuthError) res.status(401).json({ error: error.message });
      else next(error);
    }
  });

  cubeApi.get('/meta', (_req, res) => {
    res.json({ cubes: model.visibleMeta().map((cube) => cube.config) });
  });

  const load = async (req: Request, res: Response) => {
    const input = queryParam(req);
    if (Array.isArray(input)) throw new BadRequestError('data blending queries (an array of queries) are not supported by this API');
    if ((input.timeDimensions as { compareDateRange?: unknown }[] | undefined)?.some((td) => td.compareDateRange)) {
      throw new BadRequestError('compareDateRange queries are not supported by this API');
    }
    const planned = model.plan(input);
    const [rows, totalRows] = await Promise.all([
      warehouse.query(planned.sql, planned.values),
      planned.total ? warehouse.query<{ total_count: string }>(planned.total.sql, planned.total.values) : Promise.resolve(null),
    ]);
    const total = totalRows ? Number(totalRows[0]?.total_count ?? 0) : null;
    const result = loadResult(planned, rows, warehouse.lastRefreshTime(), total);
    const multi = (req.method === 'GET' ? req.query.queryType : (req.body as { queryType?: unknown })?.queryType) === 'multi';
    if (multi) {
      res.json({ queryType: 'regularQuery', results: [result], pivotQuery: { ...planned.query, queryType: 'regularQuery' }, slowQuery: false });
    } else {
      res.json(result);
    }
  };
  cubeApi.get('/load', load);
  cubeApi.post('/load', load);

  cubeApi.get('/sql', (req, res) => {
    const planned = model.plan(queryParam(req) as RestQuery);
    res.json({ sql: { sql: [planned.sql, planned.values], aliasNameToMember: planned.aliasNameToMember } });
  });

  app.use('/cubejs-api/v1', cubeApi);
  app.use('/api/marketing', marketingRoutes({ model, warehouse, auth }));

  if (dashboardDir && existsSync(join(dashboardDir, 'index.html'))) {
    app.use(express.static(dashboardDir, { index: 'index.html' }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/|cubejs-api\/).*/, (_req, res) => res.sendFile(join(dashboardDir, 'index.html')));
  }

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const message = error instanceof Error ? error.message : String(error);
    if (isUserError(error)) {
      res.status(400).json({ error: message });
    } else if (error instanceof WarehouseNotBuiltError) {
      res.status(503).json({ error: message });
    } else {
      log(`API error: ${error instanceof Error ? error.stack : message}`);
      res.status(500).json({ error: message });
    }
  });
  return app;
}
