// What the Service & sales page shows, kept in the URL so a view can be bookmarked,
// shared and restored with the back button: ?from=2026-01&to=2026-03&caseType=complaint
// &channel=email&handler=...&salesperson=...&group=channel&customer=CU-...
import type { CaseGrouping, ServiceFilters } from '../api/index.ts';
import { isMonth, toDateRange, type MonthPeriod } from '../finance/period.ts';

const groupings: readonly CaseGrouping[] = ['handler', 'caseType', 'channel'];

export class ServicePageState {
  /** null = the default period (the last 3 months with data), chosen once the months are known. */
  period = $state<MonthPeriod | null>(null);
  caseType = $state<string | null>(null);
  channel = $state<string | null>(null);
  handler = $state<string | null>(null);
  salesperson = $state<string | null>(null);
  /** What the SLA table groups by. */
  grouping = $state<CaseGrouping>('handler');
  /** The customer whose contact history is open, if any. */
  customer = $state<string | null>(null);

  constructor(search: string) {
    const params = new URLSearchParams(search);
    const from = params.get('from');
    const to = params.get('to');
    if (isMonth(from) && isMonth(to) && from <= to) this.period = { from, to };
    this.caseType = params.get('caseType') || null;
    this.channel = params.get('channel') || null;
    this.handler = params.get('handler') || null;
    this.salesperson = params.get('salesperson') || null;
    this.customer = params.get('customer') || null;
    const grouping = params.get('group') as CaseGrouping | null;
    if (grouping && groupings.includes(grouping)) this.grouping = grouping;
  }

  get filters(): ServiceFilters {
    return {
      period: this.period ? toDateRange(this.period) : null,
      caseType: this.caseType,
      channel: this.channel,
      handler: this.handler,
      salesperson: this.salesperson,
    };
  }

  /** The query string for the current state (without "?"). */
  toSearch(): string {
    const params = new URLSearchParams();
    if (this.period) {
      params.set('from', this.period.from);
      params.set('to', this.period.to);
    }
    if (this.caseType) params.set('caseType', this.caseType);
    if (this.channel) params.set('channel', this.channel);
    if (this.handler) params.set('handler', this.handler);
    if (this.salesperson) params.set('salesperson', this.salesperson);
    if (this.grouping !== 'handler') params.set('group', this.grouping);
    if (this.customer) params.set('customer', this.customer);
    return params.toString();
  }
}
