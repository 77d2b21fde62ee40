// Column names of a relation as DuckDB sees them, and DuckDB's own errors turned into
// SourceFileError naming the file.
import type { DuckDBConnection } from '@duckdb/node-api';
import { SourceFileError } from './source-file-error.ts';

export async function describeColumns(connection: DuckDBConnection, relation: string, location: string): Promise<string[]> {
  return [...(await describeColumnTypes(connection, relation, location)).keys()];
}

/** Column name -> DuckDB type name (e.g. DECIMAL(12,2)), in the relation's order. */
export async function describeColumnTypes(connection: DuckDBConnection, relation: string, location: string): Promise<Map<string, string>> {
  try {
    const reader = await connection.runAndReadAll(`SELECT column_name, column_type FROM (DESCRIBE SELECT * FROM ${relation})`);
    return new Map(reader.getRowsJS().map((row) => [String(row[0]), String(row[1])]));
  } catch (error) {
    throw unreadable(location, error);
  }
}

/**
 * DuckDB's message without the echo of our own SQL ("LINE 1: SELECT ... ^"), which
 * tells the reader of the error nothing about the file.
 */
function sourceMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const lines = message.split('\n');
  const echo = lines.findIndex((line) => line.startsWith('LINE '));
  return (echo === -1 ? lines : lines.slice(0, echo)).map((line) => line.trim()).filter(Boolean).slice(0, 6).join(' ');
}

export function unreadable(location: string, error: unknown): SourceFileError {
  if (error instanceof SourceFileError) return error;
  return new SourceFileError(`${location}: cannot be read: ${sourceMessage(error)}`);
}
