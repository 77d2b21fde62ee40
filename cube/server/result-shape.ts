// Shapes database rows into the /v1/load result that @cubejs-client/core reads, by the
// rules of Cube's REST API: rows keyed by member name; time values as
// YYYY-MM-DDTHH:mm:ss.SSS in UTC without a zone suffix (the client's date filling
// depends on that form); a time dimension with a granularity also under its plain name
// unless that name is queried as a dimension; numbers stay the strings Cube's driver
// returns, for the client's castNumerics to convert. A query with
// `responseFormat: 'compact'` gets Cube's compact form: the members once and each row as
// a list of values in their order, which @cubejs-client/core turns back into rows.
import { createHash } from 'node:crypto';
import type { Annotation, AnnotationItem } from './cube-internals.ts';
import { answerPlanned, type CachedBody, type ResultCache } from './result-cache.ts';
import { WarehouseReader } from './warehouse-reader.ts';
import type { PlannedQuery } from './semantic-model.ts';

export type ResultRow = Record<string, unknown>;

export class HiddenMemberError extends Error {}

function toCubeTime(value: unknown): unknown {
  if (value === null || value === undefined || value === '') return value;
  const date = new Date(String(value));
  return Number.isNaN(date.getTime()) ? value : date.toISOString().slice(0, 23);
}

function flattenAnnotation(annotation: Annotation): Record<string, AnnotationItem> {
  return { ...annotation.measures, ...annotation.dimensions, ...annotation.timeDimensions };
}

interface ShapedColumn {
  alias: string;
  member: string;
  /** The plain name a time dimension with a granularity is also returned under, or null. */
  plainName: string | null;
  isTime: boolean;
}

function shapedColumns(planned: PlannedQuery, rows: ResultRow[]): ShapedColumn[] {
  const annotation = flattenAnnotation(planned.annotation);
  const queriedDimensions = new Set((planned.query.dimensions as string[] | undefined) ?? []);
  return Object.keys(rows[0] ?? {}).map((alias) => {
    const member = planned.aliasNameToMember[alias];
    const item = member === undefined ? undefined : annotation[member];
    if (member === undefined || item === undefined) throw new HiddenMemberError(`the query returned the hidden member '${member ?? alias}'`);
    const path = member.split('.');
    const plainName = path.length === 3 && !queriedDimensions.has(`${path[0]}.${path[1]}`) ? `${path[0]}.${path[1]}` : null;
    return { alias, member, plainName, isTime: item.type === 'time' };
  });
}

export function shapeRows(planned: PlannedQuery, rows: ResultRow[]): ResultRow[] {
  const columns = shapedColumns(planned, rows);
  return rows.map((row) => {
    const shaped: ResultRow = {};
    for (const column of columns) {
      const value = column.isTime ? toCubeTime(row[column.alias]) : row[column.alias];
      shaped[column.member] = value;
      if (column.plainName) shaped[column.plainName] = value;
    }
    return shaped;
  });
}

/** Cube's compact result: the member names once, each row as its values in that order. */
export interface CompactData {
  members: string[];
  dataset: unknown[][];
}

/** The rows in Cube's compact form, with the same members and values as shapeRows gives. */
export function compactRows(planned: PlannedQuery, rows: ResultRow[]): CompactData {
  const columns = shapedColumns(planned, rows);
  const members = columns.flatMap((column) => (column.plainName ? [column.member, column.plainName] : [column.member]));
  const dataset = rows.map((row) => {
    const values: unknown[] = [];
    for (const column of columns) {
      const value = column.isTime ? toCubeTime(row[column.alias]) : row[column.alias];
      values.push(value);
      if (column.plainName) values.push(value);
    }
    return values;
  });
  return { members, dataset };
}

export interface LoadResult {
  query: Record<string, unknown>;
  data: ResultRow[] | CompactData;
  annotation: Annotation;
  lastRefreshTime: string | undefined;
  dbType: 'duckdb';
  extDbType: undefined;
  external: false;
  slowQuery: false;
  total: number | null;
}

export function loadResult(planned: PlannedQuery, rows: ResultRow[], lastRefreshTime: string | undefined, total: number | null): LoadResult {
  return {
    query: planned.query,
    data: planned.query.responseFormat === 'compact' ? compactRows(planned, rows) : shapeRows(planned, rows),
    annotation: planned.annotation,
    lastRefreshTime,
    dbType: 'duckdb',
    extDbType: undefined,
    external: false,
    slowQuery: false,
    total,
  };
}

/**
 * The /load response body, serialized, with the weak entity tag Express would compute
 * for it (so conditional requests answer 304 as before, without hashing the body on
 * every send). `multi` is the queryType=multi form @cubejs-client/core asks for.
 */
export function responseBody(planned: PlannedQuery, rows: ResultRow[], lastRefreshTime: string | undefined, total: number | null, multi: boolean): CachedBody {
  const result = loadResult(planned, rows, lastRefreshTime, total);
  const json = JSON.stringify(
    multi ? { queryType: 'regularQuery', results: [result], pivotQuery: { ...planned.query, queryType: 'regularQuery' }, slowQuery: false } : result,
  );
  const body = Buffer.from(json, 'utf8');
  const hash = createHash('sha1').update(body).digest('base64').slice(0, 27);
  return { body, etag: `W/"${body.length.toString(16)}-${hash}"`, rows: rows.length };
}

/**
 * The /load answer to a planned query as the API sends it, kept per form in the result
 * cache (result-cache.ts answerPlanned). Its refresh time is the publication time of the
 * warehouse version the answer came from, so a kept body is wholly of one version.
 */
export function answerLoad(warehouse: WarehouseReader, cache: ResultCache | undefined, planned: PlannedQuery, context: Record<string, unknown>, multi: boolean): Promise<CachedBody> {
  return answerPlanned(warehouse, cache, planned, context, multi ? 'multi' : 'plain', (result, version) =>
    responseBody(planned, result.rows, WarehouseReader.refreshTimeOf(version), result.total, multi),
  );
}
