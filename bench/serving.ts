// Serving: rollups, result cache and connection pool (docs/performance.md). Per page
// query: whether Cube's planner answered it from a rollup, latency cold (result cache
// off, so every request is planned and run on DuckDB, as the first request after a swap
// is) and warm (cache on and warmed), at 1 and 20 clients, beside the same SQL run
// directly on DuckDB; and the rollups' build time and size.
//   npx tsx bench/serving.ts --warehouse data/warehouse.duckdb [--duration S]
// The warehouse's rollups are rebuilt in place first (the file must not be served).
import { parseArgs } from 'node:util';
import { resolve } from 'node:path';
import { buildRollups, type RollupsReport } from '../cube/server/rollup-builder.ts';
import { directDuckDbMedianMs, runLoad, signIn, startApiServer, type LatencyStats, type NamedQuery } from './api-latency.ts';
import { dashboardQueries } from './queries.ts';

export interface ServingQuery {
  name: string;
  rollup: boolean;
  cold: Record<string, LatencyStats>;
  warm: Record<string, LatencyStats>;
  directDuckDbMedianMs: number;
  /** Cold API p50 at one client / direct DuckDB median, and the same for warm. */
  coldRatio: number;
  warmRatio: number;
}

export interface ServingResult {
  rollups: RollupsReport;
  durationSeconds: number;
  queries: ServingQuery[];
}

async function usesRollup(base: string, token: string, query: NamedQuery): Promise<boolean> {
  const url = new URL('/cubejs-api/v1/sql', base);
  url.searchParams.set('query', JSON.stringify(query.query));
  const { sql } = (await (await fetch(url, { headers: { authorization: token } })).json()) as { sql: { sql: [string, unknown[]] } };
  return /\bpre_aggregations\./.test(sql.sql[0]);
}

async function latencies(warehouseFile: string, env: NodeJS.ProcessEnv, queries: NamedQuery[], concurrencies: number[], durationSeconds: number) {
  const server = await startApiServer(warehouseFile, env);
  try {
    const token = await signIn(server.url);
    // Planner caches and DuckDB's buffer pool warm, as on a server in use; with the
    // cache on this also waits for the warming after start.
    await runLoad(server.url, token, queries, 1, 1000);
    const byClients = new Map<number, Map<string, LatencyStats>>();
    for (const clients of concurrencies) byClients.set(clients, await runLoad(server.url, token, queries, clients, durationSeconds * 1000));
    const rollup = new Map<string, boolean>();
    const direct = new Map<string, number>();
    for (const query of queries) {
      rollup.set(query.name, await usesRollup(server.url, token, query));
      direct.set(query.name, await directDuckDbMedianMs(warehouseFile, server.url, token, query, 15));
    }
    return { byClients, rollup, direct };
  } finally {
    await server.stop();
  }
}

export async function measureServing(options: { warehouseFile: string; queries?: NamedQuery[]; concurrencies?: number[]; durationSeconds: number }): Promise<ServingResult> {
  const queries = options.queries ?? dashboardQueries;
  const concurrencies = options.concurrencies ?? [1, 20];
  const rollups = await buildRollups(options.warehouseFile);
  const cold = await latencies(options.warehouseFile, { ASIAKKUUS_RESULT_CACHE: 'off' }, queries, concurrencies, options.durationSeconds);
  const warm = await latencies(options.warehouseFile, {}, queries, concurrencies, options.durationSeconds);
  const perClients = (run: typeof cold, name: string) => Object.fromEntries(concurrencies.map((c) => [String(c), run.byClients.get(c)!.get(name)!]));
  return {
    rollups,
    durationSeconds: options.durationSeconds,
    queries: queries.map(({ name }) => {
      const direct = cold.direct.get(name)!;
      const coldStats = perClients(cold, name);
      const warmStats = perClients(warm, name);
      const one = String(concurrencies[0]);
      return { name, rollup: cold.rollup.get(name)!, cold: coldStats, warm: warmStats, directDuckDbMedianMs: direct, coldRatio: coldStats[one]!.p50Ms / direct, warmRatio: warmStats[one]!.p50Ms / direct };
    }),
  };
}

export function formatServing(result: ServingResult): string {
  const ms = (value: number) => `${value.toFixed(1)}`;
  const lines = [
    `Rollups: ${result.rollups.tables.length} built in ${result.rollups.seconds.toFixed(1)} s, ${(result.rollups.bytes / 1024 / 1024).toFixed(2)} MiB added to the file`,
    ...result.rollups.tables.map((t) => `  ${t.tableName}: ${t.rows} rows, ${t.seconds.toFixed(2)} s`),
    `Latency in ms, p50/p95 (${result.durationSeconds} s per level); cold = result cache off; ratio = API p50 at 1 client / DuckDB direct median:`,
    ['query', 'rollup', 'cold 1', 'cold 20', 'warm 1', 'warm 20', 'DuckDB', 'cold ratio', 'warm ratio', 'errors'].join(' | '),
  ];
  for (const q of result.queries) {
    const pair = (s: LatencyStats | undefined) => (s ? `${ms(s.p50Ms)}/${ms(s.p95Ms)}` : '-');
    const errors = [...Object.values(q.cold), ...Object.values(q.warm)].reduce((sum, s) => sum + s.errors, 0);
    lines.push(
      [q.name, q.rollup ? 'yes' : 'no', pair(q.cold['1']), pair(q.cold['20']), pair(q.warm['1']), pair(q.warm['20']), ms(q.directDuckDbMedianMs), `${q.coldRatio.toFixed(2)}x`, `${q.warmRatio.toFixed(2)}x`, String(errors)].join(' | '),
    );
  }
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values } = parseArgs({ options: { warehouse: { type: 'string' }, duration: { type: 'string', default: '5' } } });
  if (!values.warehouse) throw new Error('--warehouse FILE is required (a warehouse that is not being served)');
  const result = await measureServing({ warehouseFile: resolve(values.warehouse), durationSeconds: Number(values.duration) });
  console.log(formatServing(result));
}
