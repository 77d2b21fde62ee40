// The embedded semantic API: Cube's REST endpoints (/cubejs-api/v1/meta and /load) in
// the shape @cubejs-client/core expects, the dashboard's sign-in, and the built
// dashboard itself, on one origin. What a user may see is decided by Cube's access
// policies (semantic-model.ts); this module refuses bad input with a short 4xx reason,
// never SQL or a stack (those go to the server log), and writes the audit log.
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { constants as zlibConstants } from 'node:zlib';
import compression from 'compression';
import express, { type NextFunction, type Request, type Response } from 'express';
import { rateLimit, ipKeyGenerator } from 'express-rate-limit';
import helmet from 'helmet';
import { CompilerUserError, GatewayUserError } from './cube-internals.ts';
import { AuthError, type Authenticator, type SecurityContext } from './auth.ts';
import type { AuditLog } from './audit-log.ts';
import { queriedMembers } from './query-members.ts';
import { marketingRoutes } from './marketing-routes.ts';
import { answerLoad, HiddenMemberError } from './result-shape.ts';
import { AccessDeniedError, type PlannedQuery, type RestQuery, type SemanticModel } from './semantic-model.ts';
import type { CachedBody, ResultCache } from './result-cache.ts';
import { WarehouseBusyError, WarehouseNotBuiltError, type WarehouseReader } from './warehouse-reader.ts';

export interface AppDependencies {
  model: SemanticModel;
  warehouse: WarehouseReader;
  auth: Authenticator;
  audit?: AuditLog;
  dashboardDir?: string;
  /** Answers kept per warehouse version, query and security context; none = every query runs. */
  cache?: ResultCache;
  log?: (line: string) => void;
  /** Failed sign-ins allowed per client address and username in signInWindowMs. */
  signInAttempts?: number;
}

type AuthedRequest = Request & { securityContext?: SecurityContext };

class BadRequestError extends Error {}

/** A database error while running a query Cube planned: logged in full, answered without SQL. */
class QueryFailedError extends Error {}

const signInWindowMs = 15 * 60 * 1000;
const maxErrorLength = 300;

function isUserError(error: unknown): boolean {
  return (
    error instanceof CompilerUserError ||
    error instanceof GatewayUserError ||
    error instanceof BadRequestError ||
    error instanceof HiddenMemberError
  );
}

/** A day or a moment as the client sends one: "2026-01-31", "2026-01-31T12:00:00.000". */
const isoDateOrMoment = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?)?$/;

/**
 * A date range of two dates must hold two real dates: Cube passes what it cannot parse
 * on as "Invalid date", which would fail in DuckDB as a server error. Relative ranges
 * ("last 7 days") are Cube's to parse.
 */
function checkDateRanges(query: RestQuery): void {
  for (const td of (query.timeDimensions as { dimension?: unknown; dateRange?: unknown }[] | undefined) ?? []) {
    if (!Array.isArray(td.dateRange)) continue;
    const valid = td.dateRange.length === 2 && td.dateRange.every((day) => typeof day === 'string' && isoDateOrMoment.test(day) && !Number.isNaN(Date.parse(day)));
    if (!valid) throw new BadRequestError(`dateRange of ${String(td.dimension)} must be two dates (YYYY-MM-DD), got ${JSON.stringify(td.dateRange)}`);
  }
}

/** The query from GET ?query=<json> or a POST body { query }, as Cube's clients send it. */
function queryParam(req: Request): unknown {
  const raw = req.method === 'GET' ? req.query.query : (req.body as { query?: unknown } | undefined)?.query;
  if (raw === undefined || raw === '') throw new BadRequestError('query param is required');
  if (Array.isArray(raw)) throw new BadRequestError('query param must be given once');
  if (typeof raw !== 'string') return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new BadRequestError('query param is not valid JSON');
  }
}

/** The views a raw query names, for the audit log; empty when it names none readably. */
function viewsNamed(query: unknown): string[] {
  try {
    return [...new Set(queriedMembers(query as RestQuery).map((member) => member.split('.')[0]!))].sort();
  } catch {
    return [];
  }
}

/**
 * The dashboard's files (1.2 MB, the charting library 0.7 MB of it) and /meta (the
 * member list every sign-in reads, 70-190 KB by role) sent compressed to a client that
 * accepts it, by Express's compression middleware, mounted on those routes alone. /load
 * answers never pass through it: the result cache keeps a compressed copy of each kept
 * body, made once (result-cache.ts), and compressing an uncached answer on every request
 * would cost the event loop what the cache saves (mounted on the whole app, the
 * middleware's wrapping alone showed in a profile of small /load requests); the export
 * streams stay as they are. Brotli at quality 5: the middleware's default (11) took
 * seconds for the charting library.
 */
function compressedResponses() {
  return compression({ brotli: { params: { [zlibConstants.BROTLI_PARAM_QUALITY]: 5 } } });
}

/**
 * Cache-Control of the dashboard's files: the build names every asset by a hash of its
 * content (assets/<name>-<hash>.js), so a browser keeps it for good and asks only for the
 * app shell (index.html) again, which names the assets of the build now served.
 */
function dashboardCacheControl(res: Response, path: string): void {
  res.setHeader('Cache-Control', /[\\/]assets[\\/]/.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache');
}

/** Security headers; the content security policy allows only the dashboard's own files. */
function securityHeaders() {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    // The API and dashboard are one origin; nothing is embedded elsewhere.
    crossOriginResourcePolicy: { policy: 'same-origin' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/**
 * The server's own time for a request, from its first middleware to the answer handed to
 * the socket, as a W3C Server-Timing metric (`total;dur=<ms>`): browsers' developer tools
 * show it, and the bench compares it with DuckDB running the same SQL, apart from the
 * HTTP round trip and the client, which the server cannot shorten (docs/performance.md,
 * "Connection pool", its paragraph "The server's own time").
 */
function serverTiming(res: Response): string {
  return `total;dur=${(performance.now() - (res.locals.receivedAt as number)).toFixed(2)}`;
}

export function createApp({ model, warehouse, auth, audit, dashboardDir, cache, log = console.log, signInAttempts = 10 }: AppDependencies): express.Express {
  const app = express();
  app.disable('x-powered-by');
  // When the request reached the server's first middleware: a /load answer says how long
  // the server spent on it (serverTiming).
  app.use((_req, res, next) => {
    res.locals.receivedAt = performance.now();
    next();
  });
  app.use(securityHeaders());
  const compressed = compressedResponses();
  app.use(express.json({ limit: '1mb' }));

  app.get('/healthz', (_req, res) => {
    res.json({ ok: true, warehouseRefreshedAt: warehouse.lastRefreshTime() ?? null });
  });

  // Failed sign-ins are limited per client address and username, so guessing one user's
  // password is slow and one person's typos do not lock out the office.
  const signInLimiter = rateLimit({
    windowMs: signInWindowMs,
    limit: signInAttempts,
    skipSuccessfulRequests: true,
    standardHeaders: 'draft-8',
    legacyHeaders: false,
    keyGenerator: (req) => `${ipKeyGenerator(req.ip ?? '')}|${String((req.body as { username?: unknown } | undefined)?.username ?? '')}`,
    handler: (_req, res) => {
      res.status(429).json({ error: 'too many failed sign-ins; try again in 15 minutes' });
    },
  });

  app.post('/api/session', signInLimiter, (req, res) => {
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

  const auditRecord = (req: AuthedRequest, endpoint: 'load' | 'sql' | 'meta', views: string[], status: number, rows?: number) => {
    const context = req.securityContext!;
    audit?.record({ user: context.sub, roles: context.roles, endpoint, views, status, ...(rows === undefined ? {} : { rows }) });
  };

  /** Plans a request's query under its security context; refusals are audited before they are answered. */
  const planFor = async (req: AuthedRequest, endpoint: 'load' | 'sql') => {
    let input: unknown;
    try {
      input = queryParam(req);
      if (Array.isArray(input)) throw new BadRequestError('data blending queries (an array of queries) are not supported by this API');
      const timeDimensions = (input as { timeDimensions?: unknown } | null)?.timeDimensions;
      if (Array.isArray(timeDimensions) && timeDimensions.some((td) => (td as { compareDateRange?: unknown } | null)?.compareDateRange)) {
        throw new BadRequestError('compareDateRange queries are not supported by this API');
      }
      if (input !== null && typeof input === 'object') checkDateRanges(input as RestQuery);
      return await model.plan(input, req.securityContext as unknown as Record<string, unknown>);
    } catch (error) {
      auditRecord(req, endpoint, viewsNamed(input), error instanceof AccessDeniedError ? 403 : 400);
      if (error instanceof AccessDeniedError || isUserError(error)) throw error;
      // Cube's planner failing on a query it accepted: the query is at fault for the
      // client, the details are for the server log.
      const reference = randomUUID().slice(0, 8);
      log(`query planning error ${reference}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      throw new BadRequestError(`the query could not be planned (reference ${reference})`);
    }
  };

  cubeApi.get('/meta', compressed, async (req: AuthedRequest, res) => {
    const cubes = await model.visibleMeta(req.securityContext as unknown as Record<string, unknown>);
    auditRecord(req, 'meta', [], 200);
    res.json({ cubes: cubes.map((cube) => cube.config) });
  });

  const load = async (req: AuthedRequest, res: Response) => {
    const planned = await planFor(req, 'load');
    const multi = (req.method === 'GET' ? req.query.queryType : (req.body as { queryType?: unknown })?.queryType) === 'multi';
    let answer: CachedBody;
    try {
      // A cached answer is sent as the bytes serialized the first time (result-cache.ts).
      answer = await answerLoad(warehouse, cache, planned, req.securityContext as unknown as Record<string, unknown>, multi);
    } catch (error) {
      if (error instanceof WarehouseNotBuiltError || error instanceof WarehouseBusyError || error instanceof HiddenMemberError) throw error;
      // A table the model reads is missing: the file was built by an older version of the
      // models (e.g. before a rollup was added). Only a rebuild helps, so say that.
      const missing = /Table with name (\S+) does not exist/.exec((error as Error).message)?.[1];
      if (missing) {
        throw new WarehouseNotBuiltError(
          `the warehouse has no table ${missing}: it was built by an older version of the models; rebuild it (npm run build:warehouse)`,
          { cause: error },
        );
      }
      throw new QueryFailedError((error as Error).message, { cause: error });
    }
    auditRecord(req, 'load', planned.views, 200, answer.rows);
    // With the entity tag set, Express neither hashes the body again nor loses 304s. The
    // tag is weak, so the gzip and plain bodies share it (as the compression middleware
    // does); Vary tells caches the bytes depend on Accept-Encoding.
    res.vary('Accept-Encoding').set('Content-Type', 'application/json; charset=utf-8').set('ETag', answer.etag).set('Server-Timing', serverTiming(res));
    if (answer.gzip && req.acceptsEncodings('gzip') === 'gzip' && !req.fresh) res.set('Content-Encoding', 'gzip').send(answer.gzip);
    else res.send(answer.body);
  };
  cubeApi.get('/load', load);
  cubeApi.post('/load', load);

  cubeApi.get('/sql', async (req: AuthedRequest, res) => {
    const planned = await planFor(req, 'sql');
    auditRecord(req, 'sql', planned.views, 200);
    // totalSql is ours, not in Cube's answer: a load with `total: true` runs Cube's count
    // query beside the main one (semantic-model.ts), and whoever times or checks what a
    // load runs (the bench's DuckDB-direct figures) needs both statements.
    const total = planned.total ? { totalSql: [planned.total.sql, planned.total.values] } : {};
    res.json({ sql: { sql: [planned.sql, planned.values], aliasNameToMember: planned.aliasNameToMember, ...total } });
  });

  app.use('/cubejs-api/v1', cubeApi);
  app.use('/api/marketing', marketingRoutes({ model, warehouse, auth }));
  // An unknown API path is a client mistake, not a page of the dashboard. Mounted after
  // every API router, so it only answers what none of them took.
  app.use(/^\/(api|cubejs-api)\//, (_req, res) => {
    res.status(404).json({ error: 'no such API endpoint' });
  });

  if (dashboardDir && existsSync(join(dashboardDir, 'index.html'))) {
    app.use(compressed, express.static(dashboardDir, { index: 'index.html', setHeaders: dashboardCacheControl }));
    // Client-side routes fall back to the app shell.
    app.get(/^\/(?!api\/|cubejs-api\/).*/, compressed, (_req, res) => res.sendFile(join(dashboardDir, 'index.html'), { headers: { 'Cache-Control': 'no-cache' } }));
  }

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const message = error instanceof Error ? error.message : String(error);
    const bodyError = error as { type?: string; status?: number };
    if (bodyError.type === 'entity.parse.failed') {
      res.status(400).json({ error: 'request body is not valid JSON' });
    } else if (bodyError.type === 'entity.too.large') {
      res.status(413).json({ error: 'request body is larger than 1 MB' });
    } else if (error instanceof AccessDeniedError) {
      res.status(403).json({ error: message });
    } else if (isUserError(error)) {
      res.status(400).json({ error: message.length > maxErrorLength ? `${message.slice(0, maxErrorLength)}…` : message });
    } else if (typeof bodyError.status === 'number' && bodyError.status >= 400 && bodyError.status < 500 && bodyError.type?.startsWith('entity.')) {
      // The body parser's other refusals (unsupported charset or encoding, ...).
      res.status(bodyError.status).json({ error: `bad request body (${bodyError.type})` });
    } else if (error instanceof WarehouseNotBuiltError) {
      res.status(503).json({ error: message });
    } else if (error instanceof WarehouseBusyError) {
      res.status(503).set('retry-after', '2').json({ error: message });
    } else {
      // Anything else: the details (SQL, stack) stay in the server log under a reference.
      const reference = randomUUID().slice(0, 8);
      log(`API error ${reference}: ${error instanceof Error ? (error.stack ?? message) : message}`);
      if (error instanceof QueryFailedError) {
        res.status(400).json({ error: `the query could not be run on the warehouse (reference ${reference})` });
      } else {
        res.status(500).json({ error: `internal error (reference ${reference})` });
      }
    }
  });
  return app;
}
