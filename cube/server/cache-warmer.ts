// Fills the result cache right after a build publishes a new warehouse, so the first
// person to open a page after the swap does not wait for its opening queries. The
// opening queries are the ones the benchmark measures (bench/queries.ts builds them
// with the dashboard's own query modules): the finance page's on its default period
// (the last twelve months of the new warehouse's data) and the Service & sales page's on
// its own (the last three months with cases or sales activities), the filter lists both
// pages load first, and what the customer table asks for its first page's customers
// (their details and figures). They are warmed under the security context of every kind
// of user in the users file (one per role and salesperson: warmedContexts), each page on
// the default period that user's own month lists give, skipping what the context's
// access policies refuse, and in the form the user's page sends them: the Service &
// sales page leaves out the money a role may not see (the service role sees none, sales
// no margin) and asks the rest. So a salesperson's own figures are ready too.
//
// Then, after a swap, every answer the cache held for the previous warehouse (up to its
// maxReplays most recently used, result-cache.ts) is asked again on the new one, under
// the security context it was asked in: the management and marketing pages, other
// filters and periods, a salesperson's own figures. What people opened yesterday is
// ready this morning, without a list of ours that must follow every page's queries.
import { watchFile, unwatchFile } from 'node:fs';
import { dashboardQueries, financeDefaultPeriodQueries, serviceDefaultPeriodQueries } from '../../bench/queries.ts';
import type { NamedQuery } from '../../bench/api-latency.ts';
import type { Query } from '@cubejs-client/core';
import { financeMembers, monthRangeQuery, withoutMembers } from '../../dashboard/src/lib/api/queries.ts';
import { activityMonthsQuery, caseMonthsQuery, serviceMoneyMembers } from '../../dashboard/src/lib/api/service-queries.ts';
import { runPlanned, type ResultCache } from './result-cache.ts';
import { answerLoad } from './result-shape.ts';
import { AccessDeniedError, aliasOfMember, type PlannedQuery, type SemanticModel } from './semantic-model.ts';
import { planningContext } from './planning-context.ts';
import type { WarehouseReader } from './warehouse-reader.ts';

/** A security context the warmer asks under: one kind of user (roles and salesperson). */
export interface WarmedContext {
  sub: string;
  roles: string[];
  salesperson?: string;
  [field: string]: unknown;
}

/**
 * The contexts warmed after a swap: one per planning context (planningContext: the roles
 * and the salesperson) among `users`, since plans and answers are kept per planning
 * context; users with the same roles and salesperson share one.
 */
export function warmedContexts(users: readonly { roles: string[]; salesperson?: string }[]): WarmedContext[] {
  const byContext = new Map<string, WarmedContext>();
  // The contexts many users share (a role without a salesperson) first: the warming
  // stops at its budget (warmCache), so with a large sales team the salespeople's
  // come after them.
  const shared = [...users].sort((a, b) => Number(Boolean(a.salesperson)) - Number(Boolean(b.salesperson)));
  for (const user of shared) {
    const { roles, salesperson } = planningContext(user);
    const key = JSON.stringify([roles, salesperson]);
    if (!byContext.has(key)) {
      byContext.set(key, { sub: `cache-warmer:${[...roles, ...(salesperson ? [salesperson] : [])].join(':')}`, roles, ...(salesperson ? { salesperson } : {}) });
    }
  }
  return [...byContext.values()];
}

export function openingQueries(): NamedQuery[] {
  // The finance filter lists are among them (bench/queries.ts).
  return dashboardQueries;
}

export interface WarmReport {
  version: string;
  answered: number;
  /** Answers of the previous warehouse version asked again on this one (those already warmed above are cache hits). */
  replayed: number;
  /** Queries a role may not run (its policies deny a member), skipped. */
  skipped: number;
  /** Set when the warming stopped at its budget (half the cache's entries) before the last context. */
  stoppedAtBudget?: true;
  failed: number;
  /** Why the first failure failed, so the log says what to look at (a failure is otherwise silent). */
  firstFailure?: string;
  seconds: number;
}

/** A month value as the warehouse returns it, as "YYYY-MM". */
function monthText(value: unknown): string {
  return (value instanceof Date ? value.toISOString() : String(value)).slice(0, 7);
}

/** A month list query of a page (one time dimension by month), as `context` asks it: its months, "YYYY-MM". */
async function monthsOf(
  model: SemanticModel, warehouse: WarehouseReader, cache: ResultCache, query: { timeDimensions: { dimension: string }[] }, context: WarmedContext,
): Promise<string[]> {
  const planned = await model.plan(structuredClone(query) as Record<string, unknown>, context);
  const { rows } = await runPlanned(warehouse, cache, planned, context);
  const alias = aliasOfMember(planned, `${query.timeDimensions[0]!.dimension}.month`);
  if (!alias) return [];
  return rows.map((row) => row[alias]).filter((value) => value !== null && value !== undefined).map(monthText);
}

/**
 * The finance page opens on the last twelve months with data, so its queries depend on
 * the months the new warehouse holds: asked with the page's own month list query.
 */
async function financeDefaultPeriodOpening(model: SemanticModel, warehouse: WarehouseReader, cache: ResultCache, context: WarmedContext): Promise<NamedQuery[]> {
  return financeDefaultPeriodQueries(await monthsOf(model, warehouse, cache, monthRangeQuery, context));
}

/**
 * The Service & sales page opens on the last three months with cases or sales activities:
 * the months of its two month list queries together, as the page takes them.
 */
async function serviceDefaultPeriodOpening(model: SemanticModel, warehouse: WarehouseReader, cache: ResultCache, context: WarmedContext): Promise<NamedQuery[]> {
  const months = new Set<string>();
  for (const query of [caseMonthsQuery, activityMonthsQuery]) for (const month of await monthsOf(model, warehouse, cache, query, context)) months.add(month);
  return serviceDefaultPeriodQueries([...months].sort());
}

/**
 * `query` as a role's page sends it when the role was refused it (`denied`). The Service &
 * sales page asks its panels without the money members the role may not see
 * (withoutMembers over serviceMoneyMembers, dashboard/src/lib/api/service.ts); a query
 * refused anything else is not sent by the role's pages (undefined).
 */
function withoutDeniedMoney(query: Record<string, unknown>, denied: unknown): Record<string, unknown> | undefined {
  const money: readonly string[] = serviceMoneyMembers;
  if (!(denied instanceof AccessDeniedError) || denied.members.length === 0 || !denied.members.every((member) => money.includes(member))) return undefined;
  return withoutMembers(query as Query, denied.members) as Record<string, unknown>;
}

/** The customer ids of a planned query's answer (cached by then: the warmer has just asked it). */
async function answeredCustomerIds(warehouse: WarehouseReader, cache: ResultCache, planned: PlannedQuery, context: Record<string, unknown>): Promise<string[]> {
  const { rows } = await runPlanned(warehouse, cache, planned, context);
  const alias = aliasOfMember(planned, financeMembers.customerId);
  return alias ? rows.map((row) => String(row[alias])) : [];
}

/** Runs every opening query under every warmed context into the cache. */
export async function warmCache(model: SemanticModel, warehouse: WarehouseReader, cache: ResultCache, contexts: readonly WarmedContext[]): Promise<WarmReport> {
  const started = performance.now();
  const version = warehouse.version();
  const report: WarmReport = { version, answered: 0, replayed: 0, skipped: 0, failed: 0, seconds: 0 };
  const failed = (error: unknown) => {
    report.failed++;
    report.firstFailure ??= error instanceof Error ? error.message.split('\n')[0] : String(error);
  };
  // At most half the cache's entries: the other half stays for the previous warehouse's
  // answers asked again below and for what people ask, which the least recently used
  // eviction would otherwise push out for contexts nobody may open today (a large sales
  // team). A context is warmed whole or not at all.
  const budget = Math.floor(cache.maxEntries / 2);
  for (const context of contexts) {
    if (report.answered >= budget) {
      report.stoppedAtBudget = true;
      break;
    }
    // The default periods on this user's own month lists (a salesperson's may end
    // earlier). Each page's on its own: one whose months cannot be asked, or that the
    // context may not open, leaves the other's warmed.
    const defaultPeriod: NamedQuery[] = [];
    for (const opening of [financeDefaultPeriodOpening, serviceDefaultPeriodOpening]) {
      try {
        defaultPeriod.push(...(await opening(model, warehouse, cache, context)));
      } catch (error) {
        if (error instanceof AccessDeniedError) report.skipped++;
        else failed(error);
      }
    }
    const warm = async (query: Record<string, unknown>) => {
      const planned = await model.plan(structuredClone(query), context);
      // The answer, and its body in the form the dashboard's client asks for (multi).
      await answerLoad(warehouse, cache, planned, context, true);
      report.answered++;
      return planned;
    };
    for (const { query, followUps } of [...defaultPeriod, ...openingQueries()]) {
      try {
        const planned = await warm(query).catch((denied: unknown) => {
          const asked = withoutDeniedMoney(query, denied);
          if (!asked) throw denied;
          return warm(asked);
        });
        // The customer table's page is followed by its customers' details and figures,
        // which depend on who is on the page of the new warehouse.
        if (followUps) {
          const customerIds = await answeredCustomerIds(warehouse, cache, planned, context);
          if (customerIds.length > 0) for (const followUp of followUps(customerIds)) await warm(followUp);
        }
      } catch (error) {
        if (error instanceof AccessDeniedError) report.skipped++;
        else failed(error);
      }
    }
  }
  // Most recently used first: if another swap comes meanwhile, what was asked last is ready.
  for (const replay of cache.takeReplays().reverse()) {
    if (currentVersionOrNull(warehouse) !== version) break;
    try {
      await replay();
      report.replayed++;
    } catch (error) {
      failed(error);
    }
  }
  report.seconds = (performance.now() - started) / 1000;
  return report;
}

/** The served file's version, or null while there is no file (removed, or not built yet). */
function currentVersionOrNull(warehouse: WarehouseReader): string | null {
  try {
    return warehouse.version();
  } catch {
    return null;
  }
}

/**
 * Watches the served file and warms the cache for each new version (and once at start).
 * Returns a function that stops watching.
 */
export function warmOnSwap(
  model: SemanticModel, warehouse: WarehouseReader, cache: ResultCache, log: (line: string) => void, contexts: readonly WarmedContext[], intervalMs = 1_000,
): () => void {
  let warmedVersion: string | null = null;
  let running = false;
  const warmIfNew = async () => {
    if (running) return;
    running = true;
    try {
      const version = currentVersionOrNull(warehouse);
      if (version === null || version === warmedVersion) return;
      warmedVersion = version;
      // Called without await (start, file watcher): a failure here must be logged, never
      // left as a rejection, which ends a Node process. A file removed while it was being
      // warmed did that in the rebuild-while-serving test under load.
      let report: WarmReport;
      try {
        report = await warmCache(model, warehouse, cache, contexts);
      } catch (error) {
        log(`result cache warming for warehouse ${version} stopped: ${error instanceof Error ? error.message.split('\n')[0] : String(error)}`);
        return;
      }
      log(`result cache warmed for warehouse ${report.version}: ${report.answered} answers (${report.skipped} not allowed, ${report.failed} failed${report.stoppedAtBudget ? ', stopped at half the cache' : ''}), and ${report.replayed} answers of the previous warehouse asked again, in ${report.seconds.toFixed(1)} s${report.firstFailure ? `; first failure: ${report.firstFailure}` : ''}`);
    } finally {
      running = false;
    }
  };
  void warmIfNew();
  const listener = () => void warmIfNew();
  watchFile(warehouse.file, { interval: intervalMs, persistent: false }, listener);
  return () => unwatchFile(warehouse.file, listener);
}
