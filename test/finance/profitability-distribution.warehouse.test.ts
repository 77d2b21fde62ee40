// The page's whale curve and deciles (dashboard/src/lib/finance/profitability.ts, from
// each customer's contribution margin as the API gives it) agree with the dbt mart
// fct_customer_profitability over the whole history: the same share of profit from the
// top 20 %, the same decile sums, the same loss-makers; and the curve ends at 100 %.
import { DuckDBInstance } from '@duckdb/node-api';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { profitabilityDistribution } from '../../dashboard/src/lib/finance/profitability.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';

const apiUrl = inject('apiUrl');

interface MartGroup {
  group: number;
  customers: number;
  margin: number;
}

let margins: number[];
let martGroups: MartGroup[];
let martTopShare: number;
let martLossMakers: number;

beforeAll(async () => {
  const token = await signIn(apiUrl);
  const { status, body } = await loadRest(apiUrl, token, {
    dimensions: ['finance.customer_id'],
    measures: ['finance.contribution_margin'],
    filters: [{ member: 'finance.month', operator: 'set' }],
    limit: 50_000,
  });
  expect(status).toBe(200);
  margins = (body.data as Record<string, string>[]).map((row) => Number(row['finance.contribution_margin']));

  const instance = await DuckDBInstance.create(inject('warehouseFile'), { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  const groups = await connection.runAndReadAll(`
    select profitability_group, count(*)::integer, sum(contribution_margin)::double
    from finance.fct_customer_profitability group by 1 order by 1`);
  martGroups = groups.getRows().map(([group, customers, margin]) => ({ group: Number(group), customers: Number(customers), margin: Number(margin) }));
  const summary = await connection.runAndReadAll(`
    select 100 * sum(contribution_margin) filter (where is_in_top_share) / sum(contribution_margin),
           count(*) filter (where is_loss_making)::integer
    from finance.fct_customer_profitability`);
  const [top, losers] = summary.getRows()[0]!;
  martTopShare = Number(top);
  martLossMakers = Number(losers);
  connection.closeSync();
  instance.closeSync();
});

describe('customer profitability distribution', () => {
  it('ranks the same customers as the mart', () => {
    const distribution = profitabilityDistribution(margins);
    expect(distribution.customers).toBe(martGroups.reduce((sum, g) => sum + g.customers, 0));
    expect(distribution.topSharePct!).toBeCloseTo(martTopShare, 6);
    expect(distribution.lossMakers).toBe(martLossMakers);
    expect(distribution.groups).toHaveLength(10);
    distribution.groups.forEach((sum, index) => expect(sum, `decile ${index + 1}`).toBeCloseTo(martGroups[index]!.margin, 2));
  });

  it('draws a whale curve from (0, 0) to (100 %, 100 %) that peaks above 100 % when some customers lose money', () => {
    const distribution = profitabilityDistribution(margins);
    expect(distribution.curve[0]).toEqual({ customerShare: 0, profitShare: 0 });
    const last = distribution.curve[distribution.curve.length - 1]!;
    expect(last.customerShare).toBeCloseTo(100, 9);
    expect(last.profitShare).toBeCloseTo(100, 9);
    if (distribution.lossMakers > 0) expect(distribution.peak.profitShare).toBeGreaterThan(100);
  });

  it('cuts customers into deciles the way SQL ntile does', () => {
    // 23 customers: ntile(10) gives three groups of 3, then seven of 2.
    const values = Array.from({ length: 23 }, (_, i) => 23 - i);
    const { groups } = profitabilityDistribution(values);
    expect(groups).toEqual([23 + 22 + 21, 20 + 19 + 18, 17 + 16 + 15, 14 + 13, 12 + 11, 10 + 9, 8 + 7, 6 + 5, 4 + 3, 2 + 1]);
  });
});
