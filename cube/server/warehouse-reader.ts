// Read-only access to the served warehouse through Cube's own DuckDB driver, so values
// come back converted exactly as Cube converts them. Builds publish a new file by
// renaming it over the served one (pipeline/warehouse-swap.ts); before each query the
// reader checks the file's identity and, when it changed, opens the new file and closes
// the old one once the queries still running on it have finished.
import { existsSync, statSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { DuckDBDriver } from './cube-internals.ts';

class ReadOnlyDuckDBDriver extends DuckDBDriver {
  constructor(private readonly file: string) {
    super({ databasePath: file });
  }

  // The stock driver opens read-write, which would lock builds out of the file.
  protected override async init() {
    const instance = await DuckDBInstance.create(this.file, { access_mode: 'READ_ONLY' });
    try {
      return { defaultConnection: await instance.connect(), instance };
    } catch (error) {
      instance.closeSync();
      throw error;
    }
  }
}

interface OpenWarehouse {
  identity: string;
  driver: ReadOnlyDuckDBDriver;
  inFlight: number;
  retired: boolean;
}

export class WarehouseNotBuiltError extends Error {}

function fileIdentity(file: string): string {
  const stat = statSync(file, { bigint: true });
  return `${stat.dev}:${stat.ino}:${stat.mtimeNs}:${stat.size}`;
}

export class WarehouseReader {
  private current: OpenWarehouse | null = null;

  constructor(readonly file: string) {}

  private async releaseIfIdle(open: OpenWarehouse): Promise<void> {
    if (open.retired && open.inFlight === 0) await open.driver.release();
  }

  private acquire(): OpenWarehouse {
    if (!existsSync(this.file)) throw new WarehouseNotBuiltError(`the warehouse ${this.file} has not been built yet`);
    const identity = fileIdentity(this.file);
    if (this.current?.identity !== identity) {
      const previous = this.current;
      this.current = { identity, driver: new ReadOnlyDuckDBDriver(this.file), inFlight: 0, retired: false };
      if (previous) {
        previous.retired = true;
        void this.releaseIfIdle(previous);
      }
    }
    this.current.inFlight++;
    return this.current;
  }

  async query<Row = Record<string, unknown>>(sql: string, values: unknown[] = []): Promise<Row[]> {
    const open = this.acquire();
    try {
      return await open.driver.query<Row>(sql, values);
    } finally {
      open.inFlight--;
      await this.releaseIfIdle(open);
    }
  }

  /** When the served file was last published, for the response's lastRefreshTime. */
  lastRefreshTime(): string | undefined {
    return existsSync(this.file) ? statSync(this.file).mtime.toISOString() : undefined;
  }

  async close(): Promise<void> {
    if (this.current) {
      this.current.retired = true;
      await this.releaseIfIdle(this.current);
      this.current = null;
    }
  }
}
