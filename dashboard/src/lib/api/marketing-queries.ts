// The Cube queries the marketing page issues and the segment builder's conditions, as
// plain data. Kept free of browser code so the benchmark and the tests send exactly
// what the page sends.
import type { Filter, Query } from '@cubejs-client/core';

/** Member names of the Cube view `marketing` (cube/model/views/marketing.yml). */
export const marketingMembers = {
  customerId: 'marketing.customer_id',
  customerName: 'marketing.customer_name',
  customerType: 'marketing.customer_type',
  region: 'marketing.region',
  city: 'marketing.city',
  rfmSegment: 'marketing.rfm_segment',
  recencyScore: 'marketing.recency_score',
  fmScore: 'marketing.fm_score',
  daysSinceLastPurchase: 'marketing.days_since_last_purchase',
  preferredChannel: 'marketing.preferred_channel',
  relationshipNature: 'marketing.relationship_nature',
  careClass: 'marketing.care_class',
  productGroupsBought: 'marketing.product_groups_bought',
  campaignsClicked: 'marketing.campaigns_clicked',
  surveyAnswers: 'marketing.survey_answers',
  exclusionReason: 'marketing.exclusion_reason',
  count: 'marketing.count',
  contactableCount: 'marketing.contactable_count',
  excludedCount: 'marketing.excluded_count',
  lifetimeRevenue: 'marketing.lifetime_revenue',
  lifetimeGrossMargin: 'marketing.lifetime_gross_margin',
  predictedRevenue: 'marketing.predicted_revenue',
  predictedMargin: 'marketing.predicted_margin',
  // Segments of the view.
  contactable: 'marketing.contactable',
  winback: 'marketing.winback',
  leads: 'marketing.leads',
  buyers: 'marketing.buyers',
  // Win-back list.
  winbackReason: 'marketing.winback_list_winback_reason',
  winbackExclusionReason: 'marketing.winback_list_exclusion_reason',
  winbackCount: 'marketing.winback_list_count',
  winbackIncluded: 'marketing.winback_list_included_count',
  winbackExcluded: 'marketing.winback_list_excluded_count',
  winbackOverdue: 'marketing.winback_list_overdue_count',
  winbackRevenue: 'marketing.winback_list_lifetime_revenue',
  winbackPredictedMargin: 'marketing.winback_list_predicted_margin',
  winbackLastPurchase: 'marketing.winback_list_last_purchase_on',
  winbackDaysSince: 'marketing.winback_list_days_since_last_purchase',
  winbackMedianInterval: 'marketing.winback_list_median_interval_days',
  winbackChannel: 'marketing.winback_list_preferred_channel',
  winbackCustomerRevenue: 'marketing.winback_list_lifetime_revenue_value',
  winbackCustomerPredicted: 'marketing.winback_list_predicted_margin_value',
  // Lead list.
  leadSendId: 'marketing.lead_list_send_id',
  leadCampaignId: 'marketing.lead_list_campaign_id',
  leadCampaignName: 'marketing.lead_list_campaign_name',
  leadExclusionReason: 'marketing.lead_list_exclusion_reason',
  leadCount: 'marketing.lead_list_count',
  leadIncluded: 'marketing.lead_list_included_count',
  leadExcluded: 'marketing.lead_list_excluded_count',
  leadFollowedUp: 'marketing.lead_list_followed_up_count',
  leadOrdered: 'marketing.lead_list_ordered_count',
  // Reminder list.
  reminderSendId: 'marketing.reminder_list_send_id',
  reminderCampaignId: 'marketing.reminder_list_campaign_id',
  reminderCampaignName: 'marketing.reminder_list_campaign_name',
  reminderExclusionReason: 'marketing.reminder_list_exclusion_reason',
  reminderCount: 'marketing.reminder_list_count',
  reminderIncluded: 'marketing.reminder_list_included_count',
  reminderExcluded: 'marketing.reminder_list_excluded_count',
  // Campaign funnel.
  campaignId: 'marketing.campaign_sends_campaign_id',
  campaignName: 'marketing.campaign_sends_campaign_name',
  campaignType: 'marketing.campaign_sends_campaign_type',
  sent: 'marketing.campaign_sends_sent',
  delivered: 'marketing.campaign_sends_delivered',
  opened: 'marketing.campaign_sends_opened',
  clicked: 'marketing.campaign_sends_clicked',
  unsubscribed: 'marketing.campaign_sends_unsubscribed',
  bounced: 'marketing.campaign_sends_bounced',
  converted: 'marketing.campaign_sends_converted',
  attributedRevenue: 'marketing.campaign_sends_attributed_revenue',
  attributedGrossMargin: 'marketing.campaign_sends_attributed_gross_margin',
  // Referrals and preferences.
  referralId: 'marketing.referrals_referral_id',
  referrals: 'marketing.referrals_count',
  referralsBought: 'marketing.referrals_became_customer_count',
  referredRevenue: 'marketing.referrals_referred_revenue',
  referredGrossMargin: 'marketing.referrals_referred_gross_margin',
  preferenceQuestion: 'marketing.customer_preferences_question',
  preferenceAnswer: 'marketing.customer_preferences_answer',
  preferenceCount: 'marketing.customer_preferences_count',
} as const;

/**
 * Margin on the page that the marketing and sales roles may not see (docs/access.md).
 * Loaders leave out the ones /meta hides and the page says they are hidden; the page
 * itself needs only the other members.
 */
export const marketingMarginMembers = [
  marketingMembers.lifetimeGrossMargin,
  marketingMembers.predictedMargin,
  marketingMembers.winbackPredictedMargin,
  marketingMembers.winbackCustomerPredicted,
  marketingMembers.attributedGrossMargin,
  marketingMembers.referredGrossMargin,
] as const;

/** What the page needs to open: every member its panels use but the margin. */
export const marketingRequires: readonly string[] = Object.values(marketingMembers).filter((member) => !(marketingMarginMembers as readonly string[]).includes(member));

const m = marketingMembers;

// ------------------------------------------------------------------ segment builder

/**
 * What a condition can be about. `choice`: one of a set of values (equals / not equals);
 * `days`: a number of days (more than / fewer than); `contains`: a many-valued attribute
 * kept as '|'-delimited text in the mart (bought / not bought, clicked / not clicked).
 * Relationship nature and A-D care class are the management slice's, as of the latest month.
 */
export const builderAttributes = {
  customerType: { member: m.customerType, kind: 'choice' },
  region: { member: m.region, kind: 'choice' },
  city: { member: m.city, kind: 'choice' },
  rfmSegment: { member: m.rfmSegment, kind: 'choice' },
  preferredChannel: { member: m.preferredChannel, kind: 'choice' },
  relationshipNature: { member: m.relationshipNature, kind: 'choice' },
  careClass: { member: m.careClass, kind: 'choice' },
  daysSinceLastPurchase: { member: m.daysSinceLastPurchase, kind: 'days' },
  productGroup: { member: m.productGroupsBought, kind: 'contains' },
  campaignClicked: { member: m.campaignsClicked, kind: 'contains' },
  surveyAnswer: { member: m.surveyAnswers, kind: 'contains' },
} as const;

export type BuilderAttribute = keyof typeof builderAttributes;
export type AttributeKind = (typeof builderAttributes)[BuilderAttribute]['kind'];

export const operatorsOf: Record<AttributeKind, readonly ConditionOperator[]> = {
  choice: ['in', 'notIn'],
  days: ['moreThan', 'fewerThan'],
  contains: ['has', 'hasNot'],
};

export type ConditionOperator = 'in' | 'notIn' | 'moreThan' | 'fewerThan' | 'has' | 'hasNot';

export interface Condition {
  attribute: BuilderAttribute;
  operator: ConditionOperator;
  /** Values to match; a days condition has one, a whole number of days. */
  values: string[];
}

export function isBuilderAttribute(value: unknown): value is BuilderAttribute {
  return typeof value === 'string' && Object.hasOwn(builderAttributes, value);
}

/** A condition as read from a URL or a saved segment, or null when it is not one the builder knows. */
export function parseCondition(raw: unknown): Condition | null {
  const candidate = raw as Partial<Condition> | null;
  if (!candidate || !isBuilderAttribute(candidate.attribute)) return null;
  const kind = builderAttributes[candidate.attribute].kind;
  if (!operatorsOf[kind].includes(candidate.operator as ConditionOperator)) return null;
  if (!Array.isArray(candidate.values) || candidate.values.some((value) => typeof value !== 'string')) return null;
  if (kind === 'days' && !(candidate.values.length === 1 && /^\d{1,6}$/.test(candidate.values[0]!))) return null;
  return { attribute: candidate.attribute, operator: candidate.operator as ConditionOperator, values: [...candidate.values] };
}

/** A condition with nothing chosen yet does not restrict the segment. */
export function isComplete(condition: Condition): boolean {
  return condition.values.length > 0 && condition.values.every((value) => value !== '');
}

/** The delimited form a many-valued attribute keeps a value in ('|Kiukaat|'). */
const delimited = (value: string) => `|${value}|`;

/** The Cube filter of one condition. */
export function conditionFilter(condition: Condition): Filter {
  const { member } = builderAttributes[condition.attribute];
  switch (condition.operator) {
    case 'in':
      return { member, operator: 'equals', values: condition.values };
    case 'notIn':
      // A customer without the attribute (no region) is not "in" any value either.
      return { or: [{ member, operator: 'notEquals', values: condition.values }, { member, operator: 'notSet' }] } as Filter;
    case 'moreThan':
      return { member, operator: 'gt', values: condition.values };
    case 'fewerThan':
      return { member, operator: 'lt', values: condition.values };
    case 'has':
      // Cube's contains with several values matches any of them.
      return { member, operator: 'contains', values: condition.values.map(delimited) };
    case 'hasNot':
      return { member, operator: 'notContains', values: condition.values.map(delimited) };
  }
}

/** Every complete condition as Cube filters (all must hold). */
export function segmentFilters(conditions: readonly Condition[]): Filter[] {
  return conditions.filter(isComplete).map(conditionFilter);
}

/**
 * The attribute whose conditions cannot all hold (business and consumer at once, more
 * than 400 and fewer than 100 days, bought and not bought the same group), or null.
 */
export function contradiction(conditions: readonly Condition[]): BuilderAttribute | null {
  const complete = conditions.filter(isComplete);
  for (const attribute of new Set(complete.map((c) => c.attribute))) {
    const about = complete.filter((c) => c.attribute === attribute);
    const ofOperator = (operator: ConditionOperator) => about.filter((c) => c.operator === operator);
    // Choice: the values every "in" allows, less those a "not in" forbids.
    const ins = ofOperator('in');
    if (ins.length > 0) {
      let allowed = new Set(ins[0]!.values);
      for (const c of ins.slice(1)) allowed = new Set(c.values.filter((value) => allowed.has(value)));
      for (const c of ofOperator('notIn')) for (const value of c.values) allowed.delete(value);
      if (allowed.size === 0) return attribute;
    }
    // Days: more than a and fewer than b needs a whole number between them.
    const above = Math.max(-Infinity, ...ofOperator('moreThan').map((c) => Number(c.values[0])));
    const below = Math.min(Infinity, ...ofOperator('fewerThan').map((c) => Number(c.values[0])));
    if (below - above <= 1) return attribute;
    // Contains: a value required by every "has" of one condition that "has not" forbids.
    const forbidden = new Set(ofOperator('hasNot').flatMap((c) => c.values));
    if (ofOperator('has').some((c) => c.values.every((value) => forbidden.has(value)))) return attribute;
  }
  return null;
}

/** A segment's selection as the export route takes it (Cube filters and segments on the marketing view). */
export function exportSelection(conditions: readonly Condition[], list: TargetList | null = null, campaignId: string | null = null) {
  return { filters: [...segmentFilters(conditions), ...listFilters(list, campaignId)], segments: [] as string[] };
}

// ------------------------------------------------------------------ lists

export type TargetList = 'winback' | 'leads' | 'reminders';
export const targetLists: readonly TargetList[] = ['winback', 'leads', 'reminders'];

/** Cube filters that narrow the customers to one list (of one campaign for leads and reminders). */
export function listFilters(list: TargetList | null, campaignId: string | null): Filter[] {
  if (list === 'winback') return [{ member: m.winbackReason, operator: 'set' }];
  if (list === 'leads') {
    return campaignId ? [{ member: m.leadCampaignId, operator: 'equals', values: [campaignId] }] : [{ member: m.leadSendId, operator: 'set' }];
  }
  if (list === 'reminders') {
    return campaignId ? [{ member: m.reminderCampaignId, operator: 'equals', values: [campaignId] }] : [{ member: m.reminderSendId, operator: 'set' }];
  }
  return [];
}

// ------------------------------------------------------------------ queries

/** Size, revenue, margin and predicted value of a segment: the builder's live figures. */
export function segmentSummaryQuery(conditions: readonly Condition[]) {
  return {
    measures: [m.count, m.contactableCount, m.excludedCount, m.lifetimeRevenue, m.lifetimeGrossMargin, m.predictedRevenue, m.predictedMargin],
    filters: segmentFilters(conditions),
  } satisfies Query;
}

/** How many of a segment are left out of e-mail, by reason. */
export function segmentExclusionsQuery(conditions: readonly Condition[]) {
  return {
    dimensions: [m.exclusionReason],
    measures: [m.count],
    filters: [...segmentFilters(conditions), { member: m.exclusionReason, operator: 'set' }],
    order: { [m.count]: 'desc' },
  } satisfies Query;
}

/** Customers with a purchase per recency score x frequency-monetary score, with the segment each cell is. */
export function rfmGridQuery(conditions: readonly Condition[]) {
  return {
    dimensions: [m.recencyScore, m.fmScore, m.rfmSegment],
    measures: [m.count, m.lifetimeRevenue],
    filters: segmentFilters(conditions),
    segments: [m.buyers],
    limit: 100,
  } satisfies Query;
}

/** The campaign funnel per campaign within the segment, newest campaign first. */
export function campaignFunnelQuery(conditions: readonly Condition[]) {
  return {
    dimensions: [m.campaignId, m.campaignName, m.campaignType],
    measures: [m.sent, m.delivered, m.opened, m.clicked, m.unsubscribed, m.bounced, m.converted, m.attributedRevenue, m.attributedGrossMargin],
    filters: [...segmentFilters(conditions), { member: m.campaignId, operator: 'set' }],
    order: { [m.campaignId]: 'desc' },
    limit: 1_000,
  } satisfies Query;
}

/** The win-back list within the segment: who is on it, how many may be e-mailed, their value. */
export function winbackSummaryQuery(conditions: readonly Condition[]) {
  return {
    measures: [m.winbackCount, m.winbackIncluded, m.winbackExcluded, m.winbackOverdue, m.winbackRevenue, m.winbackPredictedMargin],
    filters: [...segmentFilters(conditions), ...listFilters('winback', null)],
  } satisfies Query;
}

/** The win-back customers of the segment worth most (whole-history revenue), with why each is on the list. */
export function winbackRowsQuery(conditions: readonly Condition[], limit: number) {
  return {
    dimensions: [
      m.customerId, m.customerName, m.winbackReason, m.winbackLastPurchase, m.winbackDaysSince, m.winbackMedianInterval,
      m.winbackChannel, m.winbackCustomerRevenue, m.winbackCustomerPredicted, m.winbackExclusionReason,
    ],
    filters: [...segmentFilters(conditions), ...listFilters('winback', null)],
    order: [[m.winbackCustomerRevenue, 'desc'], [m.customerId, 'asc']],
    limit,
  } satisfies Query;
}

/** Candidates a list leaves out, by reason. */
export function listExclusionsQuery(conditions: readonly Condition[], list: TargetList) {
  const reason = { winback: m.winbackExclusionReason, leads: m.leadExclusionReason, reminders: m.reminderExclusionReason }[list];
  const count = { winback: m.winbackCount, leads: m.leadCount, reminders: m.reminderCount }[list];
  return {
    dimensions: [reason],
    measures: [count],
    filters: [...segmentFilters(conditions), ...listFilters(list, null), { member: reason, operator: 'set' }],
  } satisfies Query;
}

/** Leads per offer campaign (oldest first, the trend), with sales follow-up and orders. */
export function leadsByCampaignQuery(conditions: readonly Condition[]) {
  return {
    dimensions: [m.leadCampaignId, m.leadCampaignName],
    measures: [m.leadCount, m.leadIncluded, m.leadExcluded, m.leadFollowedUp, m.leadOrdered],
    filters: [...segmentFilters(conditions), ...listFilters('leads', null)],
    order: { [m.leadCampaignId]: 'asc' },
    limit: 1_000,
  } satisfies Query;
}

/** Unopened sends per campaign (oldest first, the trend): who gets a reminder. */
export function remindersByCampaignQuery(conditions: readonly Condition[]) {
  return {
    dimensions: [m.reminderCampaignId, m.reminderCampaignName],
    measures: [m.reminderCount, m.reminderIncluded, m.reminderExcluded],
    filters: [...segmentFilters(conditions), ...listFilters('reminders', null)],
    order: { [m.reminderCampaignId]: 'asc' },
    limit: 1_000,
  } satisfies Query;
}

/** Referrals the segment's customers made and what the referred customers brought since. */
export function referralValueQuery(conditions: readonly Condition[]) {
  return {
    measures: [m.referrals, m.referralsBought, m.referredRevenue, m.referredGrossMargin],
    filters: [...segmentFilters(conditions), { member: m.referralId, operator: 'set' }],
  } satisfies Query;
}

/** Survey answers (preference segments) within the segment. */
export function preferencesQuery(conditions: readonly Condition[]) {
  return {
    dimensions: [m.preferenceQuestion, m.preferenceAnswer],
    measures: [m.preferenceCount],
    filters: [...segmentFilters(conditions), { member: m.preferenceQuestion, operator: 'set' }],
    order: [[m.preferenceQuestion, 'asc'], [m.preferenceCount, 'desc']],
    limit: 1_000,
  } satisfies Query;
}

/** The values a choice attribute takes, to offer in the builder. */
export function attributeValuesQuery(member: string) {
  return {
    dimensions: [member],
    measures: [m.count],
    filters: [{ member, operator: 'set' }],
    order: { [member]: 'asc' },
    limit: 5_000,
  } satisfies Query;
}

/** Every campaign (id and name), to offer under "clicked campaign". */
export const campaignOptionsQuery = {
  dimensions: [m.campaignId, m.campaignName],
  filters: [{ member: m.campaignId, operator: 'set' }],
  order: { [m.campaignId]: 'asc' },
  limit: 5_000,
} satisfies Query;
