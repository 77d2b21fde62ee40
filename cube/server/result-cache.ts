// Query results kept between requests. The data changes only when a build publishes a
// new warehouse file, so an answer is valid for exactly one warehouse version. The key
// is the version (the served file's device, inode, mtime and size), the security context
// (roles and salesperson, so one role never gets another's answer even when the access
// policies would give both the same SQL) and the query as Cube normalised it, with the
// policies' row filters applied, plus the SQL Cube planned for it. A new version drops
// every entry before the next answer. Entries are evicted least recently used first,
// bounded by count and by rows.
import type { PlannedQuery } from './semantic-model.ts';
import type { WarehouseReader } from './warehouse-reader.ts';

export interface CachedResult {
  rows: Record<string, unknown>[];
  total: number | null;
}

export interface CacheContext {
  roles?: unknown;
  salesperson?: unknown;
}

export interface ResultCacheOptions {
  maxEntries?: number;
  /** Rows held over all entries; a larger result is not cached. */
  maxRows?: number;
}

export class ResultCache {
  private version: string | null = null;
  private readonly entries = new Map<string, CachedResult>();
  private rows = 0;
  private readonly maxEntries: number;
  private readonly maxRows: number;
  /** Answers served from the cache / run on the warehouse since start, for the bench. */
  readonly stats = { hits: 0, misses: 0, drops: 0 };

  constructor(options: ResultCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxRows = options.maxRows ?? 500_000;
  }

  static key(context: CacheContext, query: unknown, sql: string, values: unknown[]): string {
    const roles = Array.isArray(context.roles) ? [...(context.roles as unknown[])].map(String).sort() : [];
    const salesperson = typeof context.salesperson === 'string' ? context.salesperson : null;
    return JSON.stringify([roles, salesperson, query, sql, values]);
  }

  /** Empties the cache when the warehouse version differs from the one its entries belong to. */
  private atVersion(version: string): void {
    if (this.version === version) return;
    if (this.version !== null) this.stats.drops++;
    this.entries.clear();
    this.rows = 0;
    this.version = version;
  }

  get(version: string, key: string): CachedResult | undefined {
    this.atVersion(version);
    const hit = this.entries.get(key);
    if (hit) {
      // Most recently used goes last.
      this.entries.delete(key);
      this.entries.set(key, hit);
      this.stats.hits++;
    } else {
      this.stats.misses++;
    }
    return hit;
  }

  /** Stores an answer computed on `version`; ignored when the warehouse moved on meanwhile. */
  set(version: string, key: string, result: CachedResult): void {
    if (this.version !== version || result.rows.length > this.maxRows) return;
    const previous = this.entries.get(key);
    if (previous) {
      this.entries.delete(key);
      this.rows -= previous.rows.length;
    }
    this.entries.set(key, result);
    this.rows += result.rows.length;
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.rows <= this.maxRows) break;
      this.entries.delete(oldest);
      this.rows -= entry.rows.length;
    }
  }

  size(): { entries: number; rows: number } {
    return { entries: this.entries.size, rows: this.rows };
  }
}

/**
 * Queries running now, by warehouse version and cache key: identical requests that arrive
 * while the first is still running (twenty people opening the same page after a swap)
 * wait for its answer instead of each running it. Same key as the cache, so the same
 * security context only; kept whether or not the result cache is on.
 */
const running = new Map<string, Promise<CachedResult>>();

/** Runs a planned query (and its total) on the warehouse, or takes the answer from the cache or from the identical query running now. */
export async function runPlanned(warehouse: WarehouseReader, cache: ResultCache | undefined, planned: PlannedQuery, context: Record<string, unknown>): Promise<CachedResult> {
  const version = warehouse.version();
  const key = ResultCache.key(context, planned.query, planned.sql, planned.values);
  const cached = cache?.get(version, key);
  if (cached) return cached;
  const runningKey = `${version}\n${key}`;
  const inFlight = running.get(runningKey);
  if (inFlight) return inFlight;
  const run = (async () => {
    const [rows, totalRows] = await Promise.all([
      warehouse.query(planned.sql, planned.values),
      planned.total ? warehouse.query<{ total_count: string }>(planned.total.sql, planned.total.values) : Promise.resolve(null),
    ]);
    const result = { rows, total: totalRows ? Number(totalRows[0]?.total_count ?? 0) : null };
    cache?.set(version, key, result);
    return result;
  })();
  running.set(runningKey, run);
  try {
    return await run;
  } finally {
    running.delete(runningKey);
  }
}
