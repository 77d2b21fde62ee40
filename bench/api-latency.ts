// API latency under load: a fixed set of dashboard queries sent through the semantic
// API by N concurrent clients for a fixed time, and the same SQL that Cube generated
// run directly on DuckDB from Node, so the report shows what the API layer adds.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { repoRoot } from '../config/settings.ts';
import { median, percentile } from './measured-run.ts';

export interface NamedQuery {
  name: string;
  query: Record<string, unknown>;
  /**
   * What the page asks next for the customers this query answered (the customer table:
   * their details and figures), by customer id; the cache warmer asks them too.
   */
  followUps?: (customerIds: string[]) => Record<string, unknown>[];
}

export interface LatencyStats {
  requests: number;
  errors: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  requestsPerSecond: number;
  /**
   * p50 of the server's own time for the requests (their Server-Timing `total`, from the
   * server's first middleware to the answer handed to the socket): the latency without the
   * HTTP round trip and this client. Absent when the server sent no such header.
   */
  serverP50Ms?: number;
  /** The largest answer's body decoded, and as sent (compressed when the server compressed it). */
  bodyBytes?: number;
  wireBytes?: number;
}

export interface QueryLatency {
  name: string;
  byConcurrency: Record<string, LatencyStats>;
  directDuckDbMedianMs: number;
  /** API p50 at one client divided by the direct DuckDB median. */
  overheadRatio: number;
}

export interface ApiServer {
  url: string;
  process: ChildProcess;
  peakRssBytes(): number;
  /** Resolves once the server has printed a line matching `pattern` (at any time since it started). */
  printed(pattern: RegExp): Promise<void>;
  stop(): Promise<void>;
}

export async function startApiServer(warehouseFile: string, env: NodeJS.ProcessEnv = {}): Promise<ApiServer> {
  const child = spawn(process.execPath, ['--import', 'tsx', join(repoRoot, 'cube/server/main.ts')], {
    cwd: repoRoot,
    env: { ...process.env, ASIAKKUUS_WAREHOUSE: warehouseFile, PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  const waiting: { pattern: RegExp; resolve: () => void }[] = [];
  const url = await new Promise<string>((resolvePromise, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/\S+)/.exec(output);
      if (match) resolvePromise(match[1]!);
      for (const waiter of waiting.filter((w) => w.pattern.test(output))) {
        waiting.splice(waiting.indexOf(waiter), 1);
        waiter.resolve();
      }
    });
    child.on('exit', (code) => reject(new Error(`API server exited (${code}) before listening: ${output}`)));
  });
  return {
    url,
    process: child,
    printed: (pattern) => (pattern.test(output) ? Promise.resolve() : new Promise<void>((resolvePromise) => waiting.push({ pattern, resolve: resolvePromise }))),
    // VmHWM: the process's peak resident set so far, read while it is alive.
    peakRssBytes: () => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1] ?? 0) * 1024,
    stop: () =>
      new Promise<void>((resolvePromise) => {
        child.once('exit', () => resolvePromise());
        child.kill('SIGTERM');
      }),
  };
}

/** Signs in as management: the one role whose access policies grant every page's queries (docs/access.md). */
export async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'management', password: 'demo' }),
  });
  if (!response.ok) throw new Error(`bench sign-in failed: ${response.status}`);
  return ((await response.json()) as { token: string }).token;
}

function loadUrl(base: string, query: Record<string, unknown>): string {
  const url = new URL('/cubejs-api/v1/load', base);
  url.searchParams.set('query', JSON.stringify(query));
  url.searchParams.set('queryType', 'multi');
  return url.toString();
}

interface RawAnswer {
  status: number;
  /** The bytes as sent: compressed when Content-Encoding says so. */
  bytes: Buffer;
  gzip: boolean;
  /** The server's own time for the request, from its Server-Timing header, if it sent one. */
  serverMs: number | undefined;
}

/** The `total` metric's duration of a Server-Timing header (`total;dur=1.23`), in ms. */
export function serverTotalMs(header: string | string[] | undefined): number | undefined {
  if (Array.isArray(header)) header = header.join(', ');
  const match = header === undefined ? null : /(?:^|,)\s*total\s*;(?:[^,]*;)?\s*dur=([\d.]+)/.exec(header);
  return match ? Number(match[1]) : undefined;
}

/**
 * One GET as a browser sends it (keep-alive, Accept-Encoding: gzip), read to its last
 * byte and not decoded: each of twenty browsers decodes its own answers natively, while
 * one bench process decoding them all through fetch's streams measured the client (at
 * 100,000 customers fetch took over a second per multi-MB answer at 20 clients, where
 * the server had sent it in 20-40 ms; docs/performance.md).
 */
function rawGet(agent: Agent, url: URL, token: string): Promise<RawAnswer> {
  return new Promise((resolvePromise, reject) => {
    const req = request(url, { agent, headers: { authorization: token, 'accept-encoding': 'gzip' } }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolvePromise({
          status: response.statusCode ?? 0,
          bytes: Buffer.concat(chunks),
          gzip: response.headers['content-encoding'] === 'gzip',
          serverMs: serverTotalMs(response.headers['server-timing']),
        }),
      );
      response.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

/** One request, its latency (answered) or an error (any other status, or no answer) counted under the query's name; the answer when it is a 200. */
async function timedGet(agent: Agent, url: URL, token: string, name: string, { latencies, serverLatencies, errors }: Tally): Promise<RawAnswer | undefined> {
  const started = performance.now();
  try {
    const answer = await rawGet(agent, url, token);
    if (answer.status === 200) {
      latencies.get(name)!.push(performance.now() - started);
      if (answer.serverMs !== undefined) serverLatencies.get(name)!.push(answer.serverMs);
      return answer;
    }
  } catch {
    // Counted below, as a non-200 answer is.
  }
  errors.set(name, errors.get(name)! + 1);
  return undefined;
}

/** Every request's latency, the server's own time for it, and the errors, per query name. */
export interface Tally {
  latencies: Map<string, number[]>;
  serverLatencies: Map<string, number[]>;
  errors: Map<string, number>;
}

export function emptyTally(queries: NamedQuery[]): Tally {
  return {
    latencies: new Map(queries.map((q) => [q.name, []])),
    serverLatencies: new Map(queries.map((q) => [q.name, []])),
    errors: new Map(queries.map((q) => [q.name, 0])),
  };
}

/** The p50 of the server's own times, when the server reported them. */
function serverP50(values: number[]): { serverP50Ms?: number } {
  return values.length > 0 ? { serverP50Ms: percentile(values, 50) } : {};
}

export async function runLoad(base: string, token: string, queries: NamedQuery[], clients: number, durationMs: number) {
  const tally = emptyTally(queries);
  const { latencies, serverLatencies, errors } = tally;
  // The largest answer per query as sent; decoded after the window, off the timed path.
  const largest = new Map<string, RawAnswer>();
  const urls = queries.map((q) => new URL(loadUrl(base, q.query)));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const deadline = performance.now() + durationMs;
  let next = 0;
  const client = async () => {
    // Until the window closes, and at least until every query has been asked once: a
    // slow query early in the list must not leave a later one without a figure.
    while (performance.now() < deadline || next < queries.length) {
      const index = next++ % queries.length;
      const name = queries[index]!.name;
      const answer = await timedGet(agent, urls[index]!, token, name, tally);
      if (answer && answer.bytes.length > (largest.get(name)?.bytes.length ?? -1)) largest.set(name, answer);
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: clients }, client));
  const elapsedSeconds = (performance.now() - started) / 1000;
  agent.destroy();
  return new Map(
    queries.map((q) => {
      const values = latencies.get(q.name)!;
      const answer = largest.get(q.name);
      const stats: LatencyStats = {
        requests: values.length,
        errors: errors.get(q.name)!,
        p50Ms: percentile(values, 50),
        p95Ms: percentile(values, 95),
        p99Ms: percentile(values, 99),
        requestsPerSecond: values.length / elapsedSeconds,
        ...serverP50(serverLatencies.get(q.name)!),
        bodyBytes: answer ? (answer.gzip ? gunzipSync(answer.bytes).length : answer.bytes.length) : 0,
        wireBytes: answer?.bytes.length ?? 0,
      };
      return [q.name, stats];
    }),
  );
}

/**
 * Many people opening the pages at once on a server whose result cache is empty, as right
 * after a swap: each client asks every query once, one after another, starting at its own
 * place in the list, so at any moment the clients ask different queries (and now and then
 * the same one, which the cache runs once for all who wait on it). Adds each request's
 * latency to the tally, per query.
 */
export async function openAllAtOnce(base: string, token: string, queries: NamedQuery[], clients: number, tally = emptyTally(queries)): Promise<Tally> {
  const urls = queries.map((q) => new URL(loadUrl(base, q.query)));
  const agent = new Agent({ keepAlive: true, maxSockets: clients });
  const client = async (offset: number) => {
    for (let step = 0; step < queries.length; step++) {
      const index = (offset + step) % queries.length;
      await timedGet(agent, urls[index]!, token, queries[index]!.name, tally);
    }
  };
  await Promise.all(Array.from({ length: clients }, (_, c) => client(Math.floor((c * queries.length) / clients))));
  agent.destroy();
  return tally;
}

/** p50/p95/p99 of latencies gathered elsewhere (openAllAtOnce), without the byte counts of runLoad. */
export function latencyStats(values: number[], errors: number, elapsedSeconds: number, serverValues: number[] = []): LatencyStats {
  return {
    requests: values.length,
    errors,
    p50Ms: percentile(values, 50),
    p95Ms: percentile(values, 95),
    p99Ms: percentile(values, 99),
    requestsPerSecond: values.length / elapsedSeconds,
    ...serverP50(serverValues),
    bodyBytes: 0,
    wireBytes: 0,
  };
}

/** The statements the API runs for one load: the main query, and Cube's count query beside it when the load asks for `total`. */
export interface PlannedStatements {
  main: [string, unknown[]];
  total?: [string, unknown[]];
}

/**
 * Each query's median over `runs` runs of what the API runs for it (query name ->
 * plannedSqlByQuery), run directly on one read-only DuckDB instance of the warehouse
 * (opened once for all the queries: a new instance per query cost more than the runs
 * themselves on a small warehouse). A paged query's count runs beside its main query on a
 * second connection, as the API's pool runs them (result-cache.ts); timing the main
 * query alone made those queries' API-to-DuckDB ratio compare two statements with one.
 */
export async function directDuckDbMedians(warehouseFile: string, statementsByQuery: Map<string, PlannedStatements>, runs: number): Promise<Map<string, number>> {
  const instance = await DuckDBInstance.create(warehouseFile, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const second = await instance.connect();
  const run = async (on: typeof connection, [text, values]: [string, unknown[]]) => (await on.runAndReadAll(text, values as never)).getRowObjectsJson();
  try {
    const medians = new Map<string, number>();
    for (const [name, { main, total }] of statementsByQuery) {
      const timings: number[] = [];
      for (let round = 0; round < runs; round++) {
        const started = performance.now();
        await Promise.all([run(connection, main), total ? run(second, total) : undefined]);
        timings.push(performance.now() - started);
      }
      medians.set(name, median(timings));
    }
    return medians;
  } finally {
    second.closeSync();
    connection.closeSync();
    instance.closeSync();
  }
}

/** The statements the API plans for each query (its /v1/sql answer), by query name. */
export async function plannedSqlByQuery(base: string, token: string, queries: NamedQuery[]): Promise<Map<string, PlannedStatements>> {
  const planned = new Map<string, PlannedStatements>();
  for (const query of queries) {
    const url = new URL('/cubejs-api/v1/sql', base);
    url.searchParams.set('query', JSON.stringify(query.query));
    const { sql } = (await (await fetch(url, { headers: { authorization: token } })).json()) as { sql: { sql: [string, unknown[]]; totalSql?: [string, unknown[]] } };
    planned.set(query.name, { main: sql.sql, ...(sql.totalSql ? { total: sql.totalSql } : {}) });
  }
  return planned;
}

export async function measureApiLatency(options: {
  server: ApiServer;
  warehouseFile: string;
  queries: NamedQuery[];
  concurrencies: number[];
  durationSeconds: number;
}): Promise<QueryLatency[]> {
  const token = await signIn(options.server.url);
  // Warm up: compile caches and DuckDB's buffer pool, as a dashboard in use would have them.
  await runLoad(options.server.url, token, options.queries, 1, 1000);
  const byConcurrency = new Map<number, Map<string, LatencyStats>>();
  for (const clients of options.concurrencies) {
    byConcurrency.set(clients, await runLoad(options.server.url, token, options.queries, clients, options.durationSeconds * 1000));
  }
  const directMedians = await directDuckDbMedians(options.warehouseFile, await plannedSqlByQuery(options.server.url, token, options.queries), 15);
  const results: QueryLatency[] = [];
  for (const query of options.queries) {
    const direct = directMedians.get(query.name)!;
    const perConcurrency = Object.fromEntries(options.concurrencies.map((c) => [String(c), byConcurrency.get(c)!.get(query.name)!]));
    const single = perConcurrency[String(options.concurrencies[0])]!;
    results.push({ name: query.name, byConcurrency: perConcurrency, directDuckDbMedianMs: direct, overheadRatio: single.p50Ms / direct });
  }
  return results;
}
