// Every page's opening queries, as the pages send them: finance and service
// (queries.ts), management (needs the warehouse's latest month) and marketing.
import { managementQueries } from './management-queries.ts';
import { marketingQueries } from './marketing-queries.ts';
import { dashboardQueries } from './queries.ts';
import type { NamedQuery } from './api-latency.ts';

export async function pageOpeningQueries(warehouseFile: string): Promise<NamedQuery[]> {
  return [...dashboardQueries, ...(await managementQueries(warehouseFile)), ...marketingQueries];
}
