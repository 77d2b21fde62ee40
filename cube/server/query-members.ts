// Every member a normalized Cube REST query names, wherever it names it: measures,
// dimensions, segments, time dimensions, filters (nested and/or too) and order. The API
// refuses a query naming a member the caller's /meta does not show, in any of these
// places, so a hidden member cannot be read indirectly (sorted or filtered by).
import { GatewayUserError } from './cube-internals.ts';

type Filter = { member?: unknown; dimension?: unknown; and?: unknown; or?: unknown };

function memberName(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new GatewayUserError(`${where}: member expressions are not supported, name a member as "view.member"`);
  return value;
}

function filterMembers(filters: unknown, out: string[]): void {
  if (!Array.isArray(filters)) return;
  for (const filter of filters as Filter[]) {
    if (filter === null || typeof filter !== 'object') continue;
    if (filter.and !== undefined || filter.or !== undefined) {
      filterMembers(filter.and, out);
      filterMembers(filter.or, out);
    }
    const member = filter.member ?? filter.dimension;
    if (member !== undefined) out.push(memberName(member, 'filters'));
  }
}

export function queriedMembers(query: Record<string, unknown>): string[] {
  const members: string[] = [];
  for (const key of ['measures', 'dimensions', 'segments'] as const) {
    for (const member of (query[key] as unknown[] | undefined) ?? []) members.push(memberName(member, key));
  }
  for (const timeDimension of (query.timeDimensions as { dimension?: unknown }[] | undefined) ?? []) {
    members.push(memberName(timeDimension.dimension, 'timeDimensions'));
  }
  filterMembers(query.filters, members);
  const order = query.order;
  if (Array.isArray(order)) {
    for (const item of order as unknown[]) members.push(memberName(Array.isArray(item) ? item[0] : (item as { id?: unknown })?.id, 'order'));
  } else if (order && typeof order === 'object') {
    members.push(...Object.keys(order));
  }
  return [...new Set(members)];
}
