// What the management page shows, kept in the URL so a view can be bookmarked and shared:
// ?type=business&quadrant=retain&class=A&nature=contract&behind=known_handler&customer=CU-...
// &tfrom=2025-10&tto=2026-10&tdim=care_class&scope=care_class&scopeValue=A&mmonth=2026-06
// (behind= lists the customers behind an indicator in the maturity month and scope)
import type { MaturityScope, PortfolioFilters, TransitionDimension } from '../api/index.ts';
import { isMonth } from '../finance/period.ts';

const transitionDimensions: readonly TransitionDimension[] = ['care_class', 'relationship_nature', 'value_quadrant'];
const scopes: readonly MaturityScope[] = ['company', 'care_class', 'account_owner'];

export class ManagementPageState {
  customerType = $state<string | null>(null);
  quadrant = $state<string | null>(null);
  careClass = $state<string | null>(null);
  nature = $state<string | null>(null);
  /** The customer list shows only the customers behind this maturity indicator (in the maturity month and scope). */
  behind = $state<string | null>(null);
  /** The customer drilled into, if any. */
  customer = $state<string | null>(null);
  /** Months of the transitions chart; null = a year before the latest month and the latest. */
  transitionFrom = $state<string | null>(null);
  transitionTo = $state<string | null>(null);
  transitionDimension = $state<TransitionDimension>('care_class');
  scope = $state<MaturityScope>('company');
  /** The scope value whose indicators show (a class or an owner); null = the first. */
  scopeValue = $state<string | null>(null);
  /** The month the maturity indicators show (YYYY-MM); null = the latest. */
  maturityMonth = $state<string | null>(null);

  constructor(search: string) {
    const params = new URLSearchParams(search);
    this.customerType = params.get('type') || null;
    this.quadrant = params.get('quadrant') || null;
    this.careClass = params.get('class') || null;
    this.nature = params.get('nature') || null;
    this.customer = params.get('customer') || null;
    this.behind = params.get('behind') || null;
    const from = params.get('tfrom');
    const to = params.get('tto');
    if (isMonth(from) && isMonth(to) && from < to) {
      this.transitionFrom = from;
      this.transitionTo = to;
    }
    const dimension = params.get('tdim') as TransitionDimension | null;
    if (dimension && transitionDimensions.includes(dimension)) this.transitionDimension = dimension;
    const scope = params.get('scope') as MaturityScope | null;
    if (scope && scopes.includes(scope)) this.scope = scope;
    this.scopeValue = params.get('scopeValue') || null;
    const maturityMonth = params.get('mmonth');
    if (isMonth(maturityMonth)) this.maturityMonth = maturityMonth;
  }

  get filters(): PortfolioFilters {
    return { customerType: this.customerType, quadrant: this.quadrant, careClass: this.careClass, nature: this.nature };
  }

  clearFilters(): void {
    this.customerType = null;
    this.quadrant = null;
    this.careClass = null;
    this.nature = null;
  }

  /** The query string for the current state (without "?"). */
  toSearch(): string {
    const params = new URLSearchParams();
    if (this.customerType) params.set('type', this.customerType);
    if (this.quadrant) params.set('quadrant', this.quadrant);
    if (this.careClass) params.set('class', this.careClass);
    if (this.nature) params.set('nature', this.nature);
    if (this.behind) params.set('behind', this.behind);
    if (this.customer) params.set('customer', this.customer);
    if (this.transitionFrom && this.transitionTo) {
      params.set('tfrom', this.transitionFrom);
      params.set('tto', this.transitionTo);
    }
    if (this.transitionDimension !== 'care_class') params.set('tdim', this.transitionDimension);
    if (this.scope !== 'company') params.set('scope', this.scope);
    if (this.scopeValue) params.set('scopeValue', this.scopeValue);
    if (this.maturityMonth) params.set('mmonth', this.maturityMonth);
    return params.toString();
  }
}
