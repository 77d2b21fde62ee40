// Query results kept between requests. The data changes only when a build publishes a
// new warehouse file, so an answer is valid for exactly one warehouse version. The key
// is the version (the served file's device, inode, mtime and size), the security context
// (roles and salesperson, so one role never gets another's answer even when the access
// policies would give both the same SQL) and the query as Cube normalised it, with the
// policies' row filters applied, plus the SQL Cube planned for it. A new version drops
// every entry before the next answer. Entries are evicted least recently used first,
// bounded by count, by rows and by the bytes of their response bodies.
//
// Beside the rows, an entry keeps the finished HTTP response body of each form the API
// answered it in (plain /load or queryType=multi), serialized once: on the Node event
// loop, shaping thousands of rows and JSON.stringify-ing them cost milliseconds per
// request, which at 20 concurrent clients queue behind one another; a hit on a body only
// writes its bytes. A body is stored only on the entry of the version and key it was
// made from, so it goes with the entry (eviction, a new warehouse version).
//
// A kept body is also kept gzip-compressed, made once (on libuv's thread pool, off the
// event loop) before it is kept. At 100,000 customers one round of the pages' answers
// is megabytes of JSON (the quadrant points alone several), and at 20 clients the
// socket writes of those bytes were what a warm hit still cost; browsers and fetch ask
// for gzip, so a hit writes a fraction of the bytes. A client that does not accept gzip
// gets the plain body.
//
// When a new version drops the entries, the cache keeps how to ask again the answers it
// held in a response form (the most recently used, up to maxReplays): the warmer
// (cache-warmer.ts) asks them again on the new warehouse right after a swap, under the
// security context each was asked in. So whatever people opened before a nightly build
// (any page, filter or salesperson) is ready for them the next morning, not only the
// pages' opening queries the warmer knows by name.
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import { planningContext } from './planning-context.ts';
import type { PlannedQuery } from './semantic-model.ts';
import type { WarehouseReader } from './warehouse-reader.ts';

export interface CachedResult {
  rows: Record<string, unknown>[];
  total: number | null;
}

/** One cached answer as the API sends it: the serialized body and its entity tag. */
export interface CachedBody {
  body: Buffer;
  etag: string;
  /** Rows in the answer, for the audit log. */
  rows: number;
  /** The same body gzip-compressed, on a kept body large enough to gain from it. */
  gzip?: Buffer;
}

/** Bodies smaller than this are kept plain only: gzip's header and the work gain nothing (the `compression` middleware's default). */
export const compressFrom = 1024;

const gzipAsync = promisify(gzip);

/** The body with its gzip-compressed copy beside it, when it is large enough to gain from one. */
export async function withGzip(body: CachedBody): Promise<CachedBody> {
  if (body.body.length < compressFrom) return body;
  return { ...body, gzip: await gzipAsync(body.body) };
}

/** Bytes a kept body holds: the plain body and its compressed copy. */
function keptBytes(body: CachedBody): number {
  return body.body.length + (body.gzip?.length ?? 0);
}

/** Asks a kept answer's query again, in one response form, on the warehouse being served. */
export type Replay = () => Promise<unknown>;

interface Entry {
  result: CachedResult;
  /** Response bodies by form (e.g. 'plain', 'multi'). */
  bodies: Map<string, CachedBody>;
  /** How to ask each body's query again after a swap, by form. */
  replays: Map<string, Replay>;
  bytes: number;
}

export interface CacheContext {
  roles?: unknown;
  salesperson?: unknown;
}

export interface ResultCacheOptions {
  maxEntries?: number;
  /** Rows held over all entries; a larger result is not cached. */
  maxRows?: number;
  /** Bytes of response bodies held over all entries; a larger body is not kept. */
  maxBytes?: number;
  /** Answers kept to be asked again after a swap (the most recently used). */
  maxReplays?: number;
}

export class ResultCache {
  private version: string | null = null;
  private readonly entries = new Map<string, Entry>();
  private rows = 0;
  private bytes = 0;
  /** Entries held at most; the warmer fills at most half (cache-warmer.ts). */
  readonly maxEntries: number;
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private readonly maxReplays: number;
  /** How to ask again what the previous version's entries answered, least recently used first. */
  private replaysFromPrevious: Replay[] = [];
  /** Answers served from the cache / run on the warehouse since start, for the bench. */
  readonly stats = { hits: 0, misses: 0, drops: 0 };

  constructor(options: ResultCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 1_000;
    this.maxRows = options.maxRows ?? 500_000;
    this.maxBytes = options.maxBytes ?? 256 * 1024 * 1024;
    this.maxReplays = options.maxReplays ?? 300;
  }

  static key(context: CacheContext, query: unknown, sql: string, values: unknown[]): string {
    const { roles, salesperson } = planningContext(context);
    return JSON.stringify([roles, salesperson, query, sql, values]);
  }

  /** Empties the cache when the warehouse version differs from the one its entries belong to. */
  private atVersion(version: string): void {
    if (this.version === version) return;
    if (this.version !== null) {
      this.stats.drops++;
      this.replaysFromPrevious = [...this.entries.values()].flatMap((entry) => [...entry.replays.values()]).slice(-this.maxReplays);
    }
    this.entries.clear();
    this.rows = 0;
    this.bytes = 0;
    this.version = version;
  }

  /** The entry of `key` at `version`, made the most recently used. */
  private touch(version: string, key: string): Entry | undefined {
    this.atVersion(version);
    const entry = this.entries.get(key);
    if (entry) {
      // Most recently used goes last.
      this.entries.delete(key);
      this.entries.set(key, entry);
    }
    return entry;
  }

  get(version: string, key: string): CachedResult | undefined {
    const entry = this.touch(version, key);
    if (entry) this.stats.hits++;
    else this.stats.misses++;
    return entry?.result;
  }

  /** The response body kept for `key` in `form` at `version`; a miss is counted by the get() that follows it. */
  body(version: string, key: string, form: string): CachedBody | undefined {
    const body = this.touch(version, key)?.bodies.get(form);
    if (body) this.stats.hits++;
    return body;
  }

  /** Stores an answer computed on `version`; ignored when the warehouse moved on meanwhile. */
  set(version: string, key: string, result: CachedResult): void {
    if (this.version !== version || result.rows.length > this.maxRows) return;
    const previous = this.entries.get(key);
    if (previous) this.remove(key, previous);
    this.entries.set(key, { result, bodies: new Map(), replays: new Map(), bytes: 0 });
    this.rows += result.rows.length;
    this.evict();
  }

  /**
   * Keeps the response body made from the cached answer of `key` at `version`; ignored
   * when that answer is no longer cached (evicted, or the warehouse moved on meanwhile),
   * so a body never outlives its entry.
   */
  setBody(version: string, key: string, form: string, body: CachedBody, replay?: Replay): void {
    const entry = this.version === version ? this.entries.get(key) : undefined;
    if (!entry || keptBytes(body) > this.maxBytes) return;
    const previous = entry.bodies.get(form);
    entry.bodies.set(form, body);
    if (replay) entry.replays.set(form, replay);
    const change = keptBytes(body) - (previous ? keptBytes(previous) : 0);
    entry.bytes += change;
    this.bytes += change;
    this.evict();
  }

  private remove(key: string, entry: Entry): void {
    this.entries.delete(key);
    this.rows -= entry.result.rows.length;
    this.bytes -= entry.bytes;
  }

  private evict(): void {
    for (const [oldest, entry] of this.entries) {
      if (this.entries.size <= this.maxEntries && this.rows <= this.maxRows && this.bytes <= this.maxBytes) break;
      this.remove(oldest, entry);
    }
  }

  /**
   * How to ask again the answers the previous warehouse version's entries held (most
   * recently used last), once: the list is emptied. Empty until a version was replaced.
   */
  takeReplays(): Replay[] {
    const replays = this.replaysFromPrevious;
    this.replaysFromPrevious = [];
    return replays;
  }

  size(): { entries: number; rows: number; bytes: number } {
    return { entries: this.entries.size, rows: this.rows, bytes: this.bytes };
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
  return runKeyed(warehouse, cache, planned, warehouse.version(), ResultCache.key(context, planned.query, planned.sql, planned.values));
}

/**
 * The response body of a planned query in one form: the body kept in the cache, or one
 * `render` makes from the answer runPlanned finds (cache, identical query running now,
 * or a run), kept for the next request when the answer itself is cached. `render` gets
 * the version the answer belongs to, so what it writes (the refresh time) is of that
 * version too; the form names what else it depends on (e.g. plain vs multi). A body
 * that is kept gets its gzip copy first (withGzip), so every kept body has it; without
 * a cache nothing is kept and nothing is compressed.
 */
export async function answerPlanned(
  warehouse: WarehouseReader,
  cache: ResultCache | undefined,
  planned: PlannedQuery,
  context: Record<string, unknown>,
  form: string,
  render: (result: CachedResult, version: string) => CachedBody,
): Promise<CachedBody> {
  const version = warehouse.version();
  const key = ResultCache.key(context, planned.query, planned.sql, planned.values);
  const kept = cache?.body(version, key, form);
  if (kept) return kept;
  if (!cache) return render(await runKeyed(warehouse, cache, planned, version, key), version);
  // Requests for the same body at the same time share one rendering and one compression:
  // right after a swap twenty people opening the management page each made their own
  // 6 MB body of the 50,000 quadrant points and its gzip copy from the one shared run,
  // and waited 2.3 s (p50) where the run itself took 0.5 s (docs/performance.md).
  return shared(rendering, `${version}\n${key}\n${form}`, async () => {
    const body = await withGzip(render(await runKeyed(warehouse, cache, planned, version, key), version));
    // Asked again after a swap by the warmer, on whatever version is served then.
    cache.setBody(version, key, form, body, () => answerPlanned(warehouse, cache, planned, context, form, render));
    return body;
  });
}

/** The promise already running under the key, else make()'s: one for every caller until it settles. */
async function shared<T>(inFlight: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const pending = inFlight.get(key);
  if (pending) return pending;
  const made = make();
  inFlight.set(key, made);
  try {
    return await made;
  } finally {
    inFlight.delete(key);
  }
}

/** Bodies being rendered and compressed now, by version, key and form. */
const rendering = new Map<string, Promise<CachedBody>>();

async function runKeyed(warehouse: WarehouseReader, cache: ResultCache | undefined, planned: PlannedQuery, version: string, key: string): Promise<CachedResult> {
  const cached = cache?.get(version, key);
  if (cached) return cached;
  return shared(running, `${version}\n${key}`, async () => {
    const [rows, totalRows] = await Promise.all([
      warehouse.query(planned.sql, planned.values),
      planned.total ? warehouse.query<{ total_count: string }>(planned.total.sql, planned.total.values) : Promise.resolve(null),
    ]);
    const result = { rows, total: totalRows ? Number(totalRows[0]?.total_count ?? 0) : null };
    cache?.set(version, key, result);
    return result;
  });
}
