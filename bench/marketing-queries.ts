// The marketing page's segment-size queries, built by the dashboard's own query module:
// the builder's live figures with no condition and with three (type, days since the
// last purchase, a product group bought), and the campaign funnel per campaign.
import { campaignFunnelQuery, segmentSummaryQuery, type Condition } from '../dashboard/src/lib/api/marketing-queries.ts';
import type { NamedQuery } from './api-latency.ts';

const threeConditions: Condition[] = [
  { attribute: 'customerType', operator: 'in', values: ['consumer'] },
  { attribute: 'daysSinceLastPurchase', operator: 'moreThan', values: ['180'] },
  { attribute: 'productGroup', operator: 'has', values: ['Kiukaat'] },
];

export const marketingQueries: NamedQuery[] = [
  { name: 'marketing: segment size, no condition', query: segmentSummaryQuery([]) },
  { name: 'marketing: segment size, three conditions', query: segmentSummaryQuery(threeConditions) },
  { name: 'marketing: campaign funnel per campaign', query: campaignFunnelQuery([]) },
];
