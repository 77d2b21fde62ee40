// The profitability distribution computed from every customer's contribution margin, the
// way a person would check it by hand: sort, cumulate, cut into ntile groups. The page
// gets the same figures as sums from the warehouse's ranking (profitability.ts,
// distributionFromRanking); the tests hold the two equal.
import type { ProfitabilityDistribution, WhalePoint } from '../../dashboard/src/lib/finance/profitability.ts';

/** `margins` in any order; `topShare` 0.2 = top 20 %. */
export function profitabilityFromMargins(margins: readonly number[], groupCount = 10, topShare = 0.2, maxPoints = 400): ProfitabilityDistribution {
  const sorted = [...margins].sort((a, b) => b - a);
  const n = sorted.length;
  const total = sorted.reduce((sum, value) => sum + value, 0);
  const share = (part: number) => (total === 0 ? 0 : (100 * part) / total);
  const curve: WhalePoint[] = [{ customerShare: 0, profitShare: 0 }];
  let peak: WhalePoint = curve[0]!;
  const step = Math.max(1, Math.ceil(n / maxPoints));
  let cumulative = 0;
  sorted.forEach((value, index) => {
    cumulative += value;
    const rank = index + 1;
    const point = { customerShare: (100 * rank) / n, profitShare: share(cumulative) };
    if (point.profitShare > peak.profitShare) peak = point;
    if (rank % step === 0 || rank === n) curve.push(point);
  });
  // ntile: the first n % groupCount groups get one customer more.
  const groups: number[] = [];
  const base = Math.floor(n / groupCount);
  const larger = n % groupCount;
  let start = 0;
  for (let g = 0; g < groupCount && n > 0; g++) {
    const size = base + (g < larger ? 1 : 0);
    groups.push(sorted.slice(start, start + size).reduce((sum, value) => sum + value, 0));
    start += size;
  }
  const topCount = Math.ceil(n * topShare);
  const topSum = sorted.slice(0, topCount).reduce((sum, value) => sum + value, 0);
  return {
    customers: n,
    total,
    curve,
    groups,
    topSharePct: n === 0 || total === 0 ? null : share(topSum),
    topShareOfCustomersPct: n === 0 ? null : 100 * topShare,
    lossMakers: sorted.filter((value) => value < 0).length,
    peak,
  };
}
