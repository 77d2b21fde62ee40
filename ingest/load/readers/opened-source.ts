// What every format reader hands to the loader. Opening a source reads just enough to
// know where it came from and its checksum, so an unchanged source costs no more than
// hashing it; stage() then does the bulk read into the temp relation `_staged`.
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ProgressReport } from '../progress.ts';
import { sha256OfFile } from './checksum.ts';

export interface OpenedSource {
  /** File path, or postgres://user@host:port/db#schema.table for a live table; goes to the load log. */
  location: string;
  /** SHA-256 of the file, or of a live table's COPY output. */
  checksum: string;
  /** Set when a postgres entity was read from its fallback file because no connection was configured. */
  note?: string;
  /**
   * Creates `_staged` (see staging.ts): `_source_row` and every catalogue column as
   * VARCHAR (or already in its catalogue type, Parquet). Throws SourceFileError when the source's columns do not match the catalogue
   * or it cannot be parsed. A reader may also convert the rows into `_checked` itself
   * (rules.ts's checkedRows, while it is still reading): it then answers { checked: true }.
   */
  stage(connection: DuckDBConnection, progress?: ProgressReport): Promise<void | { checked: true }>;
  /** Removes temporary files; called after the load, whatever its outcome. */
  cleanup(): void;
}

/** A source read from one file: its path is its location, its SHA-256 its checksum. */
export async function openedFile(path: string, stage: OpenedSource['stage'], cleanup: () => void = () => {}): Promise<OpenedSource> {
  return { location: path, checksum: await sha256OfFile(path), stage, cleanup };
}
