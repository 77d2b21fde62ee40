// The customer profitability distribution: the whale curve (cumulative share of profit
// against cumulative share of customers, most profitable first), the margin per decile
// and the profit share of the top share of customers (dbt var profitability_top_share,
// 20 % by default). The warehouse ranks the customers of the page's
// period and segment (cube customer_profit_ranking, the same definitions as the dbt mart
// fct_customer_profitability) and sends its sums per curve point, decile and top-share
// flag; this puts them together. test/helpers/profitability-from-margins.ts computes the
// same from every customer's margin, and the tests hold the two equal.

import { financeMembers as m } from '../api/queries.ts';
import { amount, flag, type Row } from '../api/values.ts';

export interface WhalePoint {
  /** Percent of customers ranked at or above this point, 0..100. */
  customerShare: number;
  /** Their contribution margin as percent of the total. */
  profitShare: number;
}

export interface ProfitabilityDistribution {
  customers: number;
  total: number;
  /** About 400 points from (0, 0), at every ceil(n / 400)-th rank and the last. */
  curve: WhalePoint[];
  /** Contribution margin per group, group 1 = most profitable (ntile: sizes differ by at most 1). */
  groups: number[];
  /** Percent of the total contribution margin earned by the top `topShareOfCustomersPct` of customers. */
  topSharePct: number | null;
  /** The share of customers `topSharePct` is about, percent (the warehouse's parameter; null without customers). */
  topShareOfCustomersPct: number | null;
  /** Customers with a negative contribution margin. */
  lossMakers: number;
  /** The highest point of the curve: where adding customers starts to lose money. */
  peak: WhalePoint;
}

/** One row of profitRankingQuery: the ranked customers of one curve point, decile and top-share flag. */
export interface RankingSums {
  /** The rank at which this row's curve point closes. */
  curveRank: number;
  /** 1 = the most profitable tenth. */
  decile: number;
  inTopShare: boolean;
  customers: number;
  contributionMargin: number;
  lossMakers: number;
  /** Customers with a positive margin and their margin: the curve peaks at their last rank. */
  profitableCustomers: number;
  profitableMargin: number;
  /** The warehouse's parameters, the same on every row: the top share in percent of customers and the number of groups. */
  topShareOfCustomersPct: number;
  groupCount: number;
}

/** A row of profitRankingQuery's answer as RankingSums. */
export function rankingSumsOf(row: Row): RankingSums {
  return {
    curveRank: amount(row, m.profitCurveRank),
    decile: amount(row, m.profitDecile),
    inTopShare: flag(row, m.isInPeriodTopShare),
    customers: amount(row, m.rankedCustomers),
    contributionMargin: amount(row, m.rankedContributionMargin),
    lossMakers: amount(row, m.periodLossMakingCustomers),
    profitableCustomers: amount(row, m.profitableCustomers),
    profitableMargin: amount(row, m.profitableMargin),
    topShareOfCustomersPct: amount(row, m.periodTopSharePct),
    groupCount: amount(row, m.periodProfitabilityGroups),
  };
}

/** The distribution from the warehouse's ranking sums (rows in any order), cut into the warehouse's number of groups. */
export function distributionFromRanking(rows: readonly RankingSums[]): ProfitabilityDistribution {
  const sum = (pick: (row: RankingSums) => number, of: readonly RankingSums[] = rows) => of.reduce((total, row) => total + pick(row), 0);
  const n = sum((row) => row.customers);
  const total = sum((row) => row.contributionMargin);
  const share = (part: number) => (total === 0 ? 0 : (100 * part) / total);
  const customerShare = (rank: number) => (100 * rank) / n;

  const marginAtRank = new Map<number, number>();
  for (const row of rows) marginAtRank.set(row.curveRank, (marginAtRank.get(row.curveRank) ?? 0) + row.contributionMargin);
  const curve: WhalePoint[] = [{ customerShare: 0, profitShare: 0 }];
  let cumulative = 0;
  for (const rank of [...marginAtRank.keys()].sort((a, b) => a - b)) {
    cumulative += marginAtRank.get(rank)!;
    curve.push({ customerShare: customerShare(rank), profitShare: share(cumulative) });
  }

  const groupCount = Math.max(0, ...rows.map((row) => row.groupCount));
  const groups = n === 0 ? [] : Array.from({ length: groupCount }, (_, index) => sum((row) => row.contributionMargin, rows.filter((row) => row.decile === index + 1)));

  // The cumulative margin rises while margins are positive, stays over zeros and falls
  // over losses, so its highest share is at rank 0, at the last profitable customer or,
  // when the total is negative, at the last customer; the first of equals counts.
  const profitable = sum((row) => row.profitableCustomers);
  const candidates: WhalePoint[] = [
    { customerShare: 0, profitShare: 0 },
    ...(profitable > 0 ? [{ customerShare: customerShare(profitable), profitShare: share(sum((row) => row.profitableMargin)) }] : []),
    ...(n > 0 ? [{ customerShare: 100, profitShare: share(total) }] : []),
  ];
  const peak = candidates.reduce((best, point) => (point.profitShare > best.profitShare ? point : best));

  return {
    customers: n,
    total,
    curve,
    groups,
    topSharePct: n === 0 || total === 0 ? null : share(sum((row) => row.contributionMargin, rows.filter((row) => row.inTopShare))),
    topShareOfCustomersPct: rows.length === 0 ? null : Math.max(...rows.map((row) => row.topShareOfCustomersPct)),
    lossMakers: sum((row) => row.lossMakers),
    peak,
  };
}
