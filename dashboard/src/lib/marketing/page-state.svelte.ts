// What the marketing page shows, kept in the URL so a segment can be bookmarked and
// shared: ?segment=[{"attribute":"region","operator":"in","values":["Uusimaa"]}]
// &campaign=CA0042&list=leads. Conditions that do not parse are dropped.
import { parseCondition, targetLists, type Condition, type TargetList } from '../api/index.ts';

export class MarketingPageState {
  conditions = $state<Condition[]>([]);
  /** The campaign whose funnel is drawn; null = the newest. */
  campaign = $state<string | null>(null);
  list = $state<TargetList>('winback');

  constructor(search: string) {
    const params = new URLSearchParams(search);
    this.conditions = MarketingPageState.parseConditions(params.get('segment'));
    this.campaign = params.get('campaign') || null;
    const list = params.get('list') as TargetList | null;
    if (list && targetLists.includes(list)) this.list = list;
  }

  static parseConditions(text: string | null): Condition[] {
    if (!text) return [];
    try {
      const raw = JSON.parse(text) as unknown;
      return Array.isArray(raw) ? raw.map(parseCondition).filter((c): c is Condition => c !== null) : [];
    } catch {
      return [];
    }
  }

  /** The query string for the current state (without "?"). */
  toSearch(): string {
    const params = new URLSearchParams();
    if (this.conditions.length > 0) params.set('segment', JSON.stringify(this.conditions));
    if (this.campaign) params.set('campaign', this.campaign);
    if (this.list !== 'winback') params.set('list', this.list);
    return params.toString();
  }
}
