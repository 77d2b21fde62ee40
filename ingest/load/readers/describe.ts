// Column names of a relation as DuckDB sees them, and DuckDB's own errors turned into
// SourceFileError naming the file.
import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceFileError } from './source-file-error.ts';

export async function describeColumns(connection: DuckDBConnection, relation: string, location: string): Promise<string[]> {
  try {
    const reader = await connection.runAndReadAll(`SELECT column_name FROM (DESCRIBE SELECT * FROM ${relation})`);
    return reader.getRowsJS().map((row) => String(row[0]));
  } catch (error) {
    throw unreadable(location, error);
  }
}

export function unreadable(location: string, error: unknown): SourceFileError {
  if (error instanceof SourceFileError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SourceFileError(`${location}: cannot be read: ${message.split('\n').slice(0, 6).join(' ')}`);
}
