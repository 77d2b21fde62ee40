// What the finance page shows, kept in the URL so a view can be bookmarked, shared and
// restored with the back button: ?from=2025-01&to=2025-12&type=business&region=Uusimaa
// &customer=CU-...&segment=region. Every panel reads the same filters from here.
import type { FinanceFilters, SegmentKey } from '../api/index.ts';
import { isMonth, toDateRange, type MonthPeriod } from './period.ts';

const segmentKeys: readonly SegmentKey[] = ['customerType', 'region', 'city'];

export class FinancePageState {
  /** null = the default period (the last 12 months with data), chosen once the months are known. */
  period = $state<MonthPeriod | null>(null);
  customerType = $state<string | null>(null);
  region = $state<string | null>(null);
  /** The customer drilled into, if any. */
  customer = $state<string | null>(null);
  /** The customer attribute the segment x product matrix is cut by. */
  segment = $state<SegmentKey>('customerType');

  constructor(search: string) {
    const params = new URLSearchParams(search);
    const from = params.get('from');
    const to = params.get('to');
    if (isMonth(from) && isMonth(to) && from <= to) this.period = { from, to };
    this.customerType = params.get('type') || null;
    this.region = params.get('region') || null;
    this.customer = params.get('customer') || null;
    const segment = params.get('segment') as SegmentKey | null;
    if (segment && segmentKeys.includes(segment)) this.segment = segment;
  }

  get filters(): FinanceFilters {
    return {
      period: this.period ? toDateRange(this.period) : null,
      customerType: this.customerType,
      region: this.region,
    };
  }

  /** The query string for the current state (without "?"). */
  toSearch(): string {
    const params = new URLSearchParams();
    if (this.period) {
      params.set('from', this.period.from);
      params.set('to', this.period.to);
    }
    if (this.customerType) params.set('type', this.customerType);
    if (this.region) params.set('region', this.region);
    if (this.customer) params.set('customer', this.customer);
    if (this.segment !== 'customerType') params.set('segment', this.segment);
    return params.toString();
  }
}
