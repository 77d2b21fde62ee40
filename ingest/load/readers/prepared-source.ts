// What every format reader hands to the loader: where the data came from, its
// checksum, and a SQL relation that yields the source's columns as text in source
// order. The loader numbers the rows, checks the header and applies the rules.
export interface PreparedSource {
  /** File path, or postgres://user@host:port/db#schema.table for a live table; goes to the load log. */
  location: string;
  checksum: string;
  /** A FROM-clause expression (e.g. read_csv(...)) whose columns are all VARCHAR. */
  relation: string;
  /** Column names as the source has them, in order. */
  columns: string[];
  /** Set when a postgres entity was read from its fallback file because no connection was configured. */
  note?: string;
  /** Removes temporary files; called after the load, whatever its outcome. */
  cleanup(): void;
}
