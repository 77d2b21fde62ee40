// Read-only access to the served warehouse through Cube's own DuckDB driver, so values
// come back converted exactly as Cube converts them. Builds publish a new file by
// renaming it over the served one (pipeline/warehouse-swap.ts); before each query the
// reader checks the file's identity and, when it changed, opens the new file and closes
// the old one once the queries still running on it have finished.
//
// Queries run on a small pool of connections over the one read-only DuckDB instance, so
// a slow query does not hold the others. A request waits for a free connection in a
// bounded queue; when the queue is full, or the wait is longer than waitTimeoutMs, it is
// refused with WarehouseBusyError (the API answers 503) instead of hanging.
import { close, existsSync, openSync, statSync } from 'node:fs';
import { DuckDBInstance, type DuckDBConnection, type DuckDBPreparedStatement } from '@duckdb/node-api';
import { DuckDBDriver, duckDBTransform } from './cube-internals.ts';

/** Statements kept prepared per connection; the pages ask a few dozen, an export or an odd filter adds one each. */
export const preparedStatementsPerConnection = 256;

/**
 * Cube's DuckDB driver over one connection of a shared read-only instance: Cube's own
 * query and value conversion, run on the connection the pool hands out.
 *
 * Each statement text is prepared once per connection and run again with new values.
 * Cube plans the same few dozen texts for every page (filter values are parameters), and
 * DuckDB's parse, bind and plan of one took 0.4-2.0 ms of a 1-3 ms opening query at
 * 100,000 customers (docs/performance.md, "Connection pool", its paragraph "Statements
 * prepared once per connection"). The stock driver prepares and discards the statement on
 * every call. The prepared plans live as long as the connection, which lives as long as
 * the file it reads: a swap opens a new instance, and the retired one's connections close
 * with their statements.
 */
class PooledConnectionDriver extends DuckDBDriver {
  /** Statement text -> its prepared statement, oldest use first (a Map keeps insertion order). */
  private readonly prepared = new Map<string, DuckDBPreparedStatement>();

  constructor(private readonly instance: DuckDBInstance) {
    super({ databasePath: ':memory:' });
  }

  protected override async init() {
    return { defaultConnection: await this.instance.connect(), instance: this.instance };
  }

  /** As Cube's `DuckDBDriver.query`, on a statement kept prepared. */
  override async query<Row = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<Row[]> {
    const statement = await this.preparedStatement(sql);
    statement.bind(duckDBTransform.convertDuckDBParams(values));
    const result = await statement.run();
    const transform = duckDBTransform.buildTransform(result.columnNames(), result.columnTypes());
    const rows: Row[] = [];
    for (const chunk of await result.fetchAllChunks()) {
      for (const row of duckDBTransform.transformChunk(chunk, transform)) rows.push(row as Row);
    }
    return rows;
  }

  private async preparedStatement(sql: string): Promise<DuckDBPreparedStatement> {
    const kept = this.prepared.get(sql);
    if (kept) {
      // Moved to the end: the least recently used statement is the first one.
      this.prepared.delete(sql);
      this.prepared.set(sql, kept);
      return kept;
    }
    const { defaultConnection } = (await this.getInitiatedState()) as { defaultConnection: DuckDBConnection };
    const statement = await defaultConnection.prepare(sql);
    if (this.prepared.size >= preparedStatementsPerConnection) {
      const [oldestSql, oldest] = this.prepared.entries().next().value!;
      this.prepared.delete(oldestSql);
      oldest.destroySync();
    }
    this.prepared.set(sql, statement);
    return statement;
  }

  /** Closes this connection only (its statements with it); the instance belongs to the open warehouse. */
  override async release(): Promise<void> {
    for (const statement of this.prepared.values()) statement.destroySync();
    this.prepared.clear();
    const state = (this as unknown as { initPromise: Promise<{ defaultConnection: { closeSync(): void } }> | null }).initPromise;
    (this as unknown as { initPromise: null }).initPromise = null;
    if (state) (await state).defaultConnection.closeSync();
  }
}

interface OpenWarehouse {
  identity: string;
  /** The stock driver opens read-write, which would lock builds out of the file. */
  instance: Promise<DuckDBInstance>;
  /** Our own descriptor of the file the instance reads (openCurrent says why); null once closed. */
  file: number | null;
  idle: PooledConnectionDriver[];
  all: PooledConnectionDriver[];
  inFlight: number;
  retired: boolean;
}

export class WarehouseNotBuiltError extends Error {}

/** Every connection is busy and the request waited too long, or the queue is full. */
export class WarehouseBusyError extends Error {}

export interface PoolOptions {
  /** Connections over the read-only instance (queries run at once). */
  connections?: number;
  /** Requests that may wait for a connection; one more is refused at once. */
  maxQueue?: number;
  /** How long a request may wait for a connection before it is refused. */
  waitTimeoutMs?: number;
}

export const defaultPoolOptions: Required<PoolOptions> = { connections: 4, maxQueue: 200, waitTimeoutMs: 10_000 };

export interface ReaderOptions extends PoolOptions {
  /** How long a replaced file is kept open after its last query (see openCurrent). */
  retiredFileCloseDelayMs?: number;
}

/** A replaced file's pages are freed this long after its last query, when the page has long been answered. */
const defaultRetiredFileCloseDelayMs = 30_000;

/** The file's stat fields a warehouse version is made of, in order: written by fileIdentity, read back by refreshTimeOf. */
const versionFields = ['dev', 'ino', 'mtimeNs', 'size'] as const;

function openFileOrNull(file: string): number | null {
  try {
    return openSync(file, 'r');
  } catch {
    return null;
  }
}

function fileIdentity(file: string): string {
  const stat = statSync(file, { bigint: true });
  return versionFields.map((field) => stat[field]).join(':');
}

interface Waiter {
  resolve: () => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

export class WarehouseReader {
  private current: OpenWarehouse | null = null;
  private readonly options: Required<PoolOptions>;
  private readonly retiredFileCloseDelayMs: number;
  private running = 0;
  private readonly queue: Waiter[] = [];

  constructor(readonly file: string, options: ReaderOptions = {}) {
    const { retiredFileCloseDelayMs, ...pool } = options;
    this.options = { ...defaultPoolOptions, ...pool };
    this.retiredFileCloseDelayMs = retiredFileCloseDelayMs ?? defaultRetiredFileCloseDelayMs;
  }

  /** Queries running and waiting now, for /healthz and the bench. */
  load(): { running: number; waiting: number; connections: number } {
    return { running: this.running, waiting: this.queue.length, connections: this.options.connections };
  }

  /** Waits for a free slot in the pool, or refuses when the queue is full or the wait too long. */
  private async takeSlot(): Promise<void> {
    if (this.running < this.options.connections) {
      this.running++;
      return;
    }
    if (this.queue.length >= this.options.maxQueue) {
      throw new WarehouseBusyError(`the warehouse is busy (${this.queue.length} queries waiting); try again shortly`);
    }
    await new Promise<void>((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          this.queue.splice(this.queue.indexOf(waiter), 1);
          reject(new WarehouseBusyError(`the warehouse is busy: no connection became free within ${this.options.waitTimeoutMs / 1000} s; try again shortly`));
        }, this.options.waitTimeoutMs),
      };
      this.queue.push(waiter);
    });
  }

  /** Hands the slot to the longest waiter, or frees it. */
  private giveSlot(): void {
    const next = this.queue.shift();
    if (next) {
      clearTimeout(next.timer);
      next.resolve();
    } else {
      this.running--;
    }
  }

  private async releaseIfIdle(open: OpenWarehouse, fileCloseDelayMs = this.retiredFileCloseDelayMs): Promise<void> {
    if (!open.retired || open.inFlight > 0) return;
    const drivers = open.all.splice(0);
    open.idle.length = 0;
    for (const driver of drivers) await driver.release();
    (await open.instance.catch(() => null))?.closeSync();
    const file = open.file;
    open.file = null;
    // Closed on libuv's thread pool, later: the kernel frees the replaced file's pages there.
    if (file !== null) setTimeout(() => close(file, () => undefined), fileCloseDelayMs).unref();
  }

  /** The warehouse as published now: a new file is opened before the next query, the old one closed when idle. */
  private openCurrent(): OpenWarehouse {
    if (!existsSync(this.file)) throw new WarehouseNotBuiltError(`the warehouse ${this.file} has not been built yet`);
    const identity = fileIdentity(this.file);
    if (this.current?.identity !== identity) {
      const previous = this.current;
      // A swap renames a new file over this one, so whoever closes the old file last
      // makes the kernel free every page of it it holds in memory: ~300 ms for the 1.2 GB
      // warehouse at 100,000 customers. Done by DuckDB's closeSync below, that held the
      // event loop and with it the first request after every swap. With a descriptor of
      // our own still open, the instance closes in ~10 ms, and ours is closed later on
      // libuv's pool (releaseIfIdle). Should the file be replaced between this open and
      // DuckDB's, the descriptor holds a file no instance reads, and is closed all the same.
      const file = openFileOrNull(this.file);
      const instance = DuckDBInstance.create(this.file, { access_mode: 'READ_ONLY' });
      instance.catch(() => undefined);
      this.current = { identity, instance, file, idle: [], all: [], inFlight: 0, retired: false };
      if (previous) {
        previous.retired = true;
        void this.releaseIfIdle(previous);
      }
    }
    return this.current;
  }

  /** The identity (device, inode, mtime, size) of the warehouse file served now: the cache's version key. */
  version(): string {
    if (!existsSync(this.file)) throw new WarehouseNotBuiltError(`the warehouse ${this.file} has not been built yet`);
    return fileIdentity(this.file);
  }

  async query<Row = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<Row[]> {
    if (!existsSync(this.file)) throw new WarehouseNotBuiltError(`the warehouse ${this.file} has not been built yet`);
    await this.takeSlot();
    let open: OpenWarehouse | undefined;
    let driver: PooledConnectionDriver | undefined;
    try {
      // The file is checked after the wait, so a query queued before a swap runs on the new file.
      open = this.openCurrent();
      open.inFlight++;
      const instance = await open.instance;
      driver = open.idle.pop();
      if (!driver) {
        driver = new PooledConnectionDriver(instance);
        open.all.push(driver);
      }
      return await driver.query<Row>(sql, values);
    } finally {
      if (open) {
        if (driver && !open.retired) open.idle.push(driver);
        open.inFlight--;
        await this.releaseIfIdle(open).catch(() => undefined);
      }
      this.giveSlot();
    }
  }

  /** When the warehouse of a version() was published (its file's mtime), for the response's lastRefreshTime. */
  static refreshTimeOf(version: string): string {
    // Rounded to the millisecond, as Node's statSync().mtime (the value served before).
    const mtimeNs = BigInt(version.split(':')[versionFields.indexOf('mtimeNs')]!);
    return new Date(Number((mtimeNs + 500_000n) / 1_000_000n)).toISOString();
  }

  /** When the served file was last published, for the response's lastRefreshTime. */
  lastRefreshTime(): string | undefined {
    return existsSync(this.file) ? statSync(this.file).mtime.toISOString() : undefined;
  }

  async close(): Promise<void> {
    for (const waiter of this.queue.splice(0)) {
      clearTimeout(waiter.timer);
      waiter.reject(new WarehouseBusyError('the server is shutting down'));
    }
    if (this.current) {
      this.current.retired = true;
      await this.releaseIfIdle(this.current, 0);
      this.current = null;
    }
  }
}
