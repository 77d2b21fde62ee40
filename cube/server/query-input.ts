// Checks a REST query before Cube sees it and before SQL runs, for the mistakes Cube
// would otherwise turn into a server error or a database error: a limit over the
// maximum (Cube throws a plain Error), an empty nested filter, and filter values that
// do not fit their member's type (DuckDB would fail converting them). Each refusal
// names what was wrong; everything else is left to Cube's own validation.
import { GatewayUserError, queryRowLimit } from './cube-internals.ts';
import type { MetaCube } from './semantic-model.ts';

type Json = Record<string, unknown>;

const refuse = (message: string): never => {
  throw new GatewayUserError(message);
};

function isPlainObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Cube's filter operators (@cubejs-backend/api-gateway query.js). */
const filterOperators = [
  'equals', 'notEquals', 'contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith', 'in', 'notIn',
  'gt', 'gte', 'lt', 'lte', 'set', 'notSet', 'inDateRange', 'notInDateRange', 'onTheDate', 'beforeDate', 'beforeOrOnDate',
  'afterDate', 'afterOrOnDate', 'measureFilter',
];

const operatorExamples = 'equals, notEquals, contains, gt, lt, set, notSet, inDateRange';

function checkFilterTree(filters: unknown, path: string): void {
  if (filters === undefined) return;
  if (!Array.isArray(filters)) refuse(`${path} must be a list of filters`);
  (filters as unknown[]).forEach((filter, index) => {
    const where = `${path}[${index}]`;
    if (!isPlainObject(filter)) return refuse(`${where} must be an object`);
    for (const key of ['and', 'or'] as const) {
      if (filter[key] === undefined) continue;
      if (!Array.isArray(filter[key]) || filter[key].length === 0) refuse(`${where}.${key} must be a non-empty list of filters`);
      checkFilterTree(filter[key], `${where}.${key}`);
    }
    if (filter.values !== undefined && !Array.isArray(filter.values)) refuse(`${where}.values must be a list`);
    if (filter.and === undefined && filter.or === undefined && !filterOperators.includes(filter.operator as string)) {
      refuse(
        filter.operator === undefined
          ? `${where} needs an operator, e.g. ${operatorExamples}`
          : `${where}.operator ${JSON.stringify(filter.operator).slice(0, 40)} is not a filter operator (e.g. ${operatorExamples})`,
      );
    }
  });
}

/** Checks the parts of a raw REST query Cube does not refuse cleanly. */
export function checkQueryShape(query: unknown): asserts query is Json {
  if (!isPlainObject(query)) refuse('query must be a JSON object');
  const { limit, offset } = query as Json;
  const maximum = queryRowLimit();
  if (limit !== undefined && (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 0 || limit > maximum)) {
    refuse(`limit must be a whole number from 0 to ${maximum}, got ${JSON.stringify(limit)?.slice(0, 40)}`);
  }
  if (offset !== undefined && (typeof offset !== 'number' || !Number.isInteger(offset) || offset < 0)) {
    refuse(`offset must be a whole number of 0 or more, got ${JSON.stringify(offset)?.slice(0, 40)}`);
  }
  checkFilterTree((query as Json).filters, 'filters');
  const { ungrouped } = query as Json;
  if (ungrouped !== undefined && typeof ungrouped !== 'boolean') refuse(`ungrouped must be true or false, got ${JSON.stringify(ungrouped)?.slice(0, 40)}`);
}

/**
 * `ungrouped: true` asks for the rows as they are, without GROUP BY (cube/cube.js). The
 * dashboard's lists ask for dimensions only. A measure ungrouped would be each row's own
 * value (every order line's revenue, say), finer than any dimension the access policies
 * grant it with, so it is refused rather than left to the client's good manners. Checked
 * after the access policies, so a member the role may not see is refused as that (403).
 */
export function checkUngrouped(query: Json): void {
  const { ungrouped, measures } = query;
  if (ungrouped === true && Array.isArray(measures) && measures.length > 0) {
    refuse('ungrouped queries take dimensions only: leave out measures, or ask grouped');
  }
}

const numericOperators = new Set(['equals', 'notEquals', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte']);
const dateOperators = new Set(['inDateRange', 'notInDateRange', 'onTheDate', 'beforeDate', 'beforeOrOnDate', 'afterDate', 'afterOrOnDate']);
const comparisonOperators = new Set(['gt', 'gte', 'lt', 'lte']);
const isoDateTime = /^\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)?$/;

function memberTypes(meta: MetaCube[]): Map<string, string> {
  const types = new Map<string, string>();
  for (const cube of meta) {
    for (const member of [...(cube.config.measures ?? []), ...(cube.config.dimensions ?? [])]) types.set(member.name, member.type ?? 'string');
  }
  return types;
}

function checkValues(filter: Json, type: string, where: string): void {
  const operator = String(filter.operator);
  const values = (filter.values as unknown[] | undefined) ?? [];
  const member = String(filter.member);
  // Only equality can ask for a missing value (IS NULL); Cube renders no SQL for the others.
  if (!['equals', 'notEquals', 'in', 'notIn'].includes(operator) && values.some((value) => value === null || value === undefined)) {
    refuse(`${where}: ${operator} needs values, null is not one (use the set or notSet operator)`);
  }
  if (dateOperators.has(operator)) {
    if (type !== 'time') refuse(`${where}: ${operator} needs a time member, '${member}' is ${type}`);
    for (const value of values) {
      if (typeof value !== 'string' || !isoDateTime.test(value) || Number.isNaN(new Date(value).getTime())) {
        refuse(`${where}: '${member}' needs dates like 2025-01-31, got ${JSON.stringify(value)?.slice(0, 40)}`);
      }
    }
    return;
  }
  if (type === 'number' && numericOperators.has(operator)) {
    for (const value of values) {
      if (value === null || value === undefined) continue;
      if (!/^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/.test(String(value).trim())) {
        refuse(`${where}: '${member}' is a number, ${JSON.stringify(value)?.slice(0, 40)} is not`);
      }
    }
  } else if (type === 'time' && numericOperators.has(operator)) {
    for (const value of values) {
      if (value !== null && Number.isNaN(new Date(String(value)).getTime())) refuse(`${where}: '${member}' is a time, ${JSON.stringify(value)?.slice(0, 40)} is not`);
    }
  } else if (type === 'boolean' && numericOperators.has(operator)) {
    for (const value of values) {
      if (value !== null && !['true', 'false', '1', '0'].includes(String(value))) refuse(`${where}: '${member}' is true or false, ${JSON.stringify(value)?.slice(0, 40)} is neither`);
    }
  } else if (type === 'string' && comparisonOperators.has(operator)) {
    refuse(`${where}: ${operator} compares numbers and '${member}' is text`);
  }
}

function checkFilterValueTree(filters: unknown[], types: Map<string, string>, path: string): void {
  filters.forEach((raw, index) => {
    const filter = raw as Json;
    const where = `${path}[${index}]`;
    for (const key of ['and', 'or'] as const) {
      if (Array.isArray(filter[key])) checkFilterValueTree(filter[key] as unknown[], types, `${where}.${key}`);
    }
    if (typeof filter.member !== 'string') return;
    const type = types.get(filter.member);
    if (type !== undefined) checkValues(filter, type, where);
  });
}

/** After Cube's normalization: each filter's values must fit its member's type. */
export function checkFilterValues(normalized: Json, meta: MetaCube[]): void {
  checkFilterValueTree((normalized.filters as unknown[] | undefined) ?? [], memberTypes(meta), 'filters');
}
