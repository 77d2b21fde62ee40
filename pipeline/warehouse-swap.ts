// DuckDB lets one process write a database file, or many read it, never both. The API
// keeps the served warehouse open read-only, so every write (ingest, dbt) goes to a
// working copy next to it; on success the copy is checkpointed, closed and renamed over
// the served file in one atomic step, and the API switches to the new file. A failed
// build leaves the served warehouse untouched.
import { closeSync, copyFileSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { warehousePath } from '../config/settings.ts';
import { processIsAlive } from './file-lock.ts';

export interface WorkingCopyOptions {
  /** Rename the working copy over the served warehouse when the work succeeds. */
  publish: boolean;
  warehouse?: string;
}

function removeDatabaseFiles(path: string): void {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
}

/** A lock file holding the writer's pid; a lock left by a dead process is taken over. */
function acquireLock(lockPath: string): () => void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return () => rmSync(lockPath, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(holder) && holder > 0 && processIsAlive(holder)) {
        throw new Error(`another build (pid ${holder}) is writing the warehouse; lock file ${lockPath}`);
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not take the warehouse lock ${lockPath}`);
}

/** Folds the write-ahead log into the file so the renamed file is complete on its own. */
export async function checkpointAndClose(path: string): Promise<void> {
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  await connection.run('CHECKPOINT');
  connection.closeSync();
  instance.closeSync();
}

/** The working copy a publishing build writes beside the served file `live`. */
export function publishedWorkingCopy(live: string): string {
  return `${live}.next`;
}

export async function withWorkingCopy<T>(work: (workingPath: string) => Promise<T>, options: WorkingCopyOptions): Promise<T> {
  const live = options.warehouse ?? warehousePath();
  mkdirSync(dirname(live), { recursive: true });
  const release = acquireLock(`${live}.lock`);
  const working = options.publish ? publishedWorkingCopy(live) : `${live}.scratch-${process.pid}`;
  try {
    removeDatabaseFiles(working);
    if (existsSync(live)) {
      copyFileSync(live, working);
      if (existsSync(`${live}.wal`)) copyFileSync(`${live}.wal`, `${working}.wal`);
    }
    const result = await work(working);
    if (options.publish) {
      await checkpointAndClose(working);
      rmSync(`${working}.wal`, { force: true });
      // A WAL left beside the served file by a crashed writer was copied into the working
      // copy and checkpointed there; it must not be paired with the new file.
      rmSync(`${live}.wal`, { force: true });
      renameSync(working, live);
    }
    return result;
  } finally {
    removeDatabaseFiles(working);
    release();
  }
}
