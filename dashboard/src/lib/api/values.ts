// Reading values out of Cube result rows: numbers that may arrive as strings, text that
// may be missing, months as "YYYY-MM". Shared by the page loaders.
import type { ResultSet } from '@cubejs-client/core';
import { ApiError } from './errors.ts';

export type Row = Record<string, unknown>;

export function toNumber(value: unknown): number | null {
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string' && value.trim() !== '') {
    const parsed = Number(value);
    return Number.isFinite(parsed) ? parsed : null;
  }
  return null;
}

export const amount = (row: Row, member: string): number => toNumber(row[member]) ?? 0;
/** A boolean dimension's value, which arrives as a boolean or, cast or not, as the text "true". */
export const flag = (row: Row, member: string): boolean => row[member] === true || row[member] === 'true';
export const text = (row: Row, member: string): string => (row[member] === null || row[member] === undefined ? '' : String(row[member]));

/** "YYYY-MM" of a Cube time value such as "2024-11-01T00:00:00.000". */
export function monthOf(value: unknown): string {
  const match = typeof value === 'string' ? /^(\d{4})-(\d{2})/.exec(value) : null;
  if (!match) throw new ApiError(`unexpected month value from the server: ${String(value)}`, 'server');
  return `${match[1]}-${match[2]}`;
}

/** The total row count of a query sent with `total: true` (its rows when the server sent none). */
export function totalOf(resultSet: ResultSet): number {
  const total = resultSet.serialize().loadResponse.results[0]?.total;
  return typeof total === 'number' ? total : resultSet.tablePivot().length;
}
