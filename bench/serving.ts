// Serving: rollups, result cache and connection pool (docs/performance.md). Per page
// query: whether Cube's planner answered it from a rollup, latency cold (result cache
// off, so every request is planned and run on DuckDB, as the first request after a swap
// is) and warm (cache on and warmed), at 1 and 20 clients, beside the same SQL run
// directly on DuckDB; and the rollups' build time and size.
// And the finance page's first render in Chromium (sign-in to every chart drawn).
//   npx tsx bench/serving.ts --warehouse data/warehouse.duckdb [--duration S] [--out FILE] [--compare FILE]
// The warehouse's rollups are rebuilt in place first (the file must not be served).
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { buildDashboard } from '../pipeline/dashboard-build.ts';
import { measureFirstRender, type FirstRender } from './first-render.ts';
import { pageOpeningQueries } from './page-queries.ts';
import { buildRollups, type RollupsReport } from '../cube/server/rollup-builder.ts';
import {
  directDuckDbMedians, emptyTally, plannedSqlByQuery, latencyStats, openAllAtOnce, runLoad, signIn, startApiServer, type LatencyStats, type NamedQuery,
  type PlannedStatements,
} from './api-latency.ts';
import { readCommandLine } from '../pipeline/command-line.ts';
import { withWorkingCopy } from '../pipeline/warehouse-swap.ts';

export interface ServingQuery {
  name: string;
  rollup: boolean;
  cold: Record<string, LatencyStats>;
  warm: Record<string, LatencyStats>;
  /**
   * Right after a swap: the result cache on but empty and not warmed, N clients each
   * asking every page query once at the same time, over several swaps.
   */
  afterSwap?: Record<string, LatencyStats>;
  directDuckDbMedianMs: number;
  /** Cold API p50 at one client / direct DuckDB median, and the same for warm. */
  coldRatio: number;
  warmRatio: number;
  /**
   * The server's own time (Server-Timing) cold at one client, p50, / direct DuckDB median:
   * coldRatio without the HTTP round trip and the bench's client. Absent when the server
   * sent no timing (an older server, bench/compare.ts).
   */
  coldServerRatio?: number;
}

export interface ServingResult {
  rollups: RollupsReport;
  durationSeconds: number;
  queries: ServingQuery[];
  /** The finance page in Chromium: cold = right after the server started with the result cache off; warm = cache on, after the server's warming at start ended. */
  firstRender?: { cold: FirstRender; warm: FirstRender };
  /** How many swaps the after-swap figures come from. */
  swaps?: number;
  /** 1-minute load average before and after, and the cores: the machine is shared. */
  load?: { before: number; after: number; cores: number };
}

/**
 * Latency per query at each number of clients on a new server; with `plansAndDirect`, also
 * whether a rollup answers each query and the same SQL's median run directly on DuckDB
 * (the same whatever the cache: asked once, on the cold pass).
 */
async function latencies(
  warehouseFile: string, env: NodeJS.ProcessEnv, queries: NamedQuery[], concurrencies: number[], durationSeconds: number,
  renderRuns: number, plansAndDirect: boolean,
) {
  const server = await startApiServer(warehouseFile, env);
  try {
    // First: a new user opening the finance page. With the cache off, on a server that has
    // only just started (planner, DuckDB's buffer pool, and the page's queries all cold).
    // With the cache on, once the server says its warming is over: the Monday-morning
    // user who opens the page after a build, which is what the warming is for. (Until
    // 5 December this render also ran at once, while the warming was still replaying the
    // opening queries on the same two cores: neither cold nor warm.)
    if (renderRuns > 0 && env.ASIAKKUUS_RESULT_CACHE !== 'off') await server.printed(/result cache warm(ed|ing) for warehouse/);
    const render = renderRuns > 0 ? await measureFirstRender(server.url, renderRuns) : undefined;
    const token = await signIn(server.url);
    // Planner caches and DuckDB's buffer pool warm, as on a server in use; with the
    // cache on this also waits for the warming after start.
    await runLoad(server.url, token, queries, 1, 1000);
    const byClients = new Map<number, Map<string, LatencyStats>>();
    for (const clients of concurrencies) byClients.set(clients, await runLoad(server.url, token, queries, clients, durationSeconds * 1000));
    // The planned SQL, asked once per query: whether it reads a rollup, and what it takes in DuckDB alone.
    const planned = plansAndDirect ? await plannedSqlByQuery(server.url, token, queries) : new Map<string, PlannedStatements>();
    const rollup = new Map([...planned].map(([name, { main: [sql] }]) => [name, /\bpre_aggregations\./.test(sql)]));
    const direct = plansAndDirect ? await directDuckDbMedians(warehouseFile, planned, 15) : new Map<string, number>();
    return { byClients, rollup, direct, render };
  } finally {
    await server.stop();
  }
}

/**
 * The pages opened by `clients` people at once right after a swap, `swaps` times over:
 * one server (result cache on, its warming after a swap off), its planner warmed by one
 * pass over the queries; then each round publishes an unchanged copy of the warehouse as
 * a build does (withWorkingCopy: a new file renamed over the served one, so a new
 * version, an empty cache and a new DuckDB instance) and the clients ask. Per query,
 * every request's latency.
 */
async function afterSwap(warehouseFile: string, queries: NamedQuery[], clients: number[], swaps: number) {
  const byClients = new Map<number, Map<string, LatencyStats>>();
  // One server for every number of clients: each round starts with a swap, so every
  // round meets a new warehouse version, an empty cache and a new DuckDB instance.
  const server = await startApiServer(warehouseFile, { ASIAKKUUS_CACHE_WARMING: 'off' });
  try {
    const token = await signIn(server.url);
    await openAllAtOnce(server.url, token, queries, 1);
    for (const count of clients) {
      const tally = emptyTally(queries);
      let elapsed = 0;
      for (let round = 0; round < swaps; round++) {
        await withWorkingCopy(async () => {}, { publish: true, warehouse: warehouseFile });
        const started = performance.now();
        await openAllAtOnce(server.url, token, queries, count, tally);
        elapsed += (performance.now() - started) / 1000;
      }
      byClients.set(count, new Map(queries.map((q) => [q.name, latencyStats(tally.latencies.get(q.name)!, tally.errors.get(q.name)!, elapsed, tally.serverLatencies.get(q.name)!)])));
    }
  } finally {
    await server.stop();
  }
  return byClients;
}

export async function measureServing(options: {
  warehouseFile: string;
  queries?: NamedQuery[];
  concurrencies?: number[];
  durationSeconds: number;
  firstRender?: boolean;
  /** Chromium first renders per server (cold and warm); 3 by default. */
  renderRuns?: number;
  /** Swaps the after-swap figures are gathered over; 0 leaves them out. */
  swaps?: number;
}): Promise<ServingResult> {
  const loadBefore = loadavg()[0]!;
  const queries = options.queries ?? (await pageOpeningQueries(options.warehouseFile));
  const concurrencies = options.concurrencies ?? [1, 20];
  const renderRuns = (options.firstRender ?? true) ? Math.max(1, options.renderRuns ?? 3) : 0;
  if (renderRuns > 0) await buildDashboard();
  const rollups = await buildRollups(options.warehouseFile);
  const cold = await latencies(options.warehouseFile, { ASIAKKUUS_RESULT_CACHE: 'off' }, queries, concurrencies, options.durationSeconds, renderRuns, true);
  const warm = await latencies(options.warehouseFile, {}, queries, concurrencies, options.durationSeconds, renderRuns, false);
  const swaps = options.swaps ?? 3;
  const swapped = swaps > 0 ? await afterSwap(options.warehouseFile, queries, concurrencies, swaps) : undefined;
  const perClients = (run: typeof cold, name: string) => Object.fromEntries(concurrencies.map((c) => [String(c), run.byClients.get(c)!.get(name)!]));
  return {
    rollups,
    durationSeconds: options.durationSeconds,
    ...(cold.render && warm.render ? { firstRender: { cold: cold.render, warm: warm.render } } : {}),
    load: { before: loadBefore, after: loadavg()[0]!, cores: cpus().length },
    ...(swapped ? { swaps } : {}),
    queries: queries.map(({ name }) => {
      const direct = cold.direct.get(name)!;
      const coldStats = perClients(cold, name);
      const warmStats = perClients(warm, name);
      const one = String(concurrencies[0]);
      const afterSwapStats = swapped ? { afterSwap: Object.fromEntries(concurrencies.map((c) => [String(c), swapped.get(c)!.get(name)!])) } : {};
      const coldServer = coldStats[one]!.serverP50Ms;
      return {
        name, rollup: cold.rollup.get(name)!, cold: coldStats, warm: warmStats, ...afterSwapStats, directDuckDbMedianMs: direct,
        coldRatio: coldStats[one]!.p50Ms / direct, warmRatio: warmStats[one]!.p50Ms / direct,
        ...(coldServer === undefined ? {} : { coldServerRatio: coldServer / direct }),
      };
    }),
  };
}

export function formatServing(result: ServingResult, earlier?: ServingResult): string {
  const ms = (value: number) => `${value.toFixed(1)}`;
  const triple = (s: LatencyStats | undefined) => (s ? `${ms(s.p50Ms)}/${ms(s.p95Ms)}/${ms(s.p99Ms)}` : '-');
  const lines = [
    ...(result.load ? [`Machine: ${result.load.cores} cores, 1-minute load average ${result.load.before.toFixed(1)} before, ${result.load.after.toFixed(1)} after`] : []),
    `Rollups: ${result.rollups.tables.length} built in ${result.rollups.seconds.toFixed(1)} s, ${(result.rollups.bytes / 1024 / 1024).toFixed(2)} MiB of storage in the file`,
    ...result.rollups.tables.map((t) => `  ${t.tableName}: ${t.rows} rows, ${t.seconds.toFixed(2)} s`),
    `Latency in ms, p50/p95/p99 (${result.durationSeconds} s per level); cold = result cache off (every request planned from the kept plan and run on DuckDB);`,
    ...(result.swaps
      ? [`after swap = cache on but empty and not warmed, every client asking each query once at the same time (${result.swaps} swaps of an unchanged copy, planner warm);`]
      : []),
    `ratio = API p50 at 1 client / DuckDB direct median (the same SQL); server = the server's own time for a cold request at 1 client, p50`,
    `(its Server-Timing: the request without the HTTP round trip and this client), and that / DuckDB direct${earlier ? '; vs earlier = cold p95 at 1 client now / then' : ''}:`,
    ['query', 'rollup', 'cold 1', 'cold 20', ...(result.swaps ? ['after swap 1', 'after swap 20'] : []), 'warm 1', 'warm 20', 'DuckDB', 'cold ratio', 'server', 'server ratio', 'warm ratio', 'errors', ...(earlier ? ['vs earlier'] : [])].join(' | '),
  ];
  for (const q of result.queries) {
    const errors = [...Object.values(q.cold), ...Object.values(q.warm), ...Object.values(q.afterSwap ?? {})].reduce((sum, s) => sum + s.errors, 0);
    const before = earlier?.queries.find((e) => e.name === q.name)?.cold['1']?.p95Ms;
    const change = before ? `${(q.cold['1']!.p95Ms / before).toFixed(2)}x` : '-';
    lines.push(
      [
        q.name, q.rollup ? 'yes' : 'no', triple(q.cold['1']), triple(q.cold['20']),
        ...(result.swaps ? [triple(q.afterSwap?.['1']), triple(q.afterSwap?.['20'])] : []),
        triple(q.warm['1']), triple(q.warm['20']),
        ms(q.directDuckDbMedianMs), `${q.coldRatio.toFixed(2)}x`,
        q.cold['1']?.serverP50Ms === undefined ? '-' : ms(q.cold['1'].serverP50Ms), q.coldServerRatio === undefined ? '-' : `${q.coldServerRatio.toFixed(2)}x`,
        `${q.warmRatio.toFixed(2)}x`, String(errors), ...(earlier ? [change] : []),
      ].join(' | '),
    );
  }
  // The largest warm answers, the bytes a warm hit writes: decoded, and as sent.
  const kib = (bytes: number | undefined) => `${((bytes ?? 0) / 1024).toFixed(0)} KiB`;
  const largest = [...result.queries].sort((a, b) => (b.warm['1']?.bodyBytes ?? 0) - (a.warm['1']?.bodyBytes ?? 0)).slice(0, 6);
  if (largest.some((q) => q.warm['1']?.bodyBytes)) {
    lines.push(`Largest warm answers (body / as sent): ${largest.map((q) => `${q.name} ${kib(q.warm['1']!.bodyBytes)} / ${kib(q.warm['1']!.wireBytes)}`).join('; ')}`);
  }
  if (result.firstRender) {
    const render = (r: FirstRender) => `median ${r.medianMs.toFixed(0)} ms, max ${r.maxMs.toFixed(0)} ms (${r.runs} runs)${r.notDrawn?.length ? `, NOT DRAWN within 60 s: ${r.notDrawn.join(', ')}` : ''}`;
    const then = earlier?.firstRender ? ` (earlier cold median ${earlier.firstRender.cold.medianMs.toFixed(0)} ms)` : '';
    lines.push(`Finance page first render in Chromium, sign-in to every chart drawn: cold ${render(result.firstRender.cold)}; warm ${render(result.firstRender.warm)}${then}`);
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const values = readCommandLine('npx tsx bench/serving.ts --warehouse FILE [--duration S] [--swaps N] [--runs N] [--out FILE] [--compare FILE] [--no-render]', {
    options: {
      warehouse: { type: 'string' }, duration: { type: 'string', default: '5' }, out: { type: 'string' }, compare: { type: 'string' }, 'no-render': { type: 'boolean', default: false },
      swaps: { type: 'string', default: '3' },
      // Chromium first renders per server.
      runs: { type: 'string', default: '3' },
    },
  });
  if (!values.warehouse) throw new Error('--warehouse FILE is required (a warehouse that is not being served)');
  const result = await measureServing({
    warehouseFile: resolve(values.warehouse), durationSeconds: Number(values.duration), firstRender: !values['no-render'],
    swaps: Number(values.swaps), renderRuns: Number(values.runs),
  });
  if (values.out) writeFileSync(resolve(values.out), JSON.stringify(result, null, 2) + '\n');
  const earlier = values.compare ? (JSON.parse(readFileSync(resolve(values.compare), 'utf8')) as ServingResult | { serving: ServingResult }) : undefined;
  console.log(formatServing(result, earlier && 'serving' in earlier ? earlier.serving : earlier));
}
