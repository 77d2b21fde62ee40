// The Cube queries the Service & sales page issues, as plain data. Kept free of browser
// code so the benchmark (bench/queries.ts) and the tests send exactly what the page sends.
import type { Filter, Query, TimeDimension } from '@cubejs-client/core';
import type { DateRange } from './queries.ts';
import { lastMonthsWithData, type MonthPeriod } from '../finance/period.ts';

/** The Service & sales page opens on the last three months with cases or sales activities. */
export const serviceDefaultPeriodMonths = 3;

/**
 * The period the Service & sales page opens on, given every month with cases or sales
 * activities ("YYYY-MM", in order: the months of caseMonthsQuery and activityMonthsQuery
 * together); null without any. The benchmark and the cache warmer ask the page's opening
 * queries on it, as the page does.
 */
export function serviceDefaultPeriod(months: readonly string[]): MonthPeriod | null {
  return lastMonthsWithData(months, serviceDefaultPeriodMonths);
}

/** Member names of the Cube view `service` (cube/model/views/service.yml). */
export const serviceMembers = {
  // Helpdesk cases.
  caseCount: 'service.case_count',
  caseOpen: 'service.case_open_cases',
  caseUnanswered: 'service.case_unanswered_cases',
  caseSlaMet: 'service.case_sla_met',
  caseSlaBreached: 'service.case_sla_breached',
  caseSlaPending: 'service.case_sla_pending',
  caseSlaMetPct: 'service.case_sla_met_pct',
  caseAvgResponseHours: 'service.case_avg_response_hours',
  caseAvgResponseBusinessHours: 'service.case_avg_response_business_hours',
  caseMedianResponseHours: 'service.case_median_response_hours',
  caseAvgResolutionHours: 'service.case_avg_resolution_hours',
  caseMaxOpenAgeHours: 'service.case_max_open_age_hours',
  caseSlaHours: 'service.case_sla_hours',
  caseId: 'service.case_case_id',
  caseCustomerId: 'service.case_customer_id',
  caseCustomerName: 'service.case_customer_name',
  caseHandler: 'service.case_handled_by',
  caseType: 'service.case_case_type',
  caseChannel: 'service.case_channel',
  caseSubject: 'service.case_subject',
  caseOpenedAt: 'service.case_opened_at',
  caseFirstResponseAt: 'service.case_first_response_at',
  caseResponseHours: 'service.case_response_hours',
  caseSlaClockHours: 'service.case_sla_clock_hours',
  caseSlaStatus: 'service.case_sla_status',
  caseIsOpen: 'service.case_is_open',
  caseOpenAgeBucket: 'service.case_open_age_bucket',
  caseOpenAgeBucketLower: 'service.case_open_age_bucket_lower_hours',
  caseOpenAgeBucketUpper: 'service.case_open_age_bucket_upper_hours',
  caseSourceFile: 'service.case_source_file',
  caseSourceRow: 'service.case_source_row',
  caseBreachesOnly: 'service.case_breaches_only',
  caseOpenOnly: 'service.case_open_only',
  // Customers for sales and service.
  customerId: 'service.customer_customer_id',
  customerName: 'service.customer_customer_name',
  customerOwner: 'service.customer_account_owner',
  customerType: 'service.customer_customer_type',
  customerLastContactAt: 'service.customer_last_contact_at',
  customerLastContactType: 'service.customer_last_contact_type',
  customerLastContactBy: 'service.customer_last_contact_by',
  customerComplaints: 'service.customer_complaint_count',
  customerOpenComplaints: 'service.customer_open_complaint_count',
  customerRepeatComplainer: 'service.customer_is_repeat_complainer',
  customerContributionMargin: 'service.customer_lifetime_contribution_margin',
  customerPipelineValue: 'service.customer_pipeline_value',
  customerCount: 'service.customer_count',
  customerRepeatComplainers: 'service.customer_repeat_complainers',
  customerComplaining: 'service.customer_complaining_customers',
  customerComplainersMargin: 'service.customer_contribution_margin',
  // Opportunities and the stages they reached.
  opportunityCount: 'service.opportunity_count',
  opportunityOpenCount: 'service.opportunity_open_count',
  opportunityWonCount: 'service.opportunity_won_count',
  opportunityLostCount: 'service.opportunity_lost_count',
  opportunityWinRatePct: 'service.opportunity_win_rate_pct',
  opportunityOpenValue: 'service.opportunity_open_value',
  opportunityWonValue: 'service.opportunity_won_value',
  opportunityAvgDaysToClose: 'service.opportunity_avg_days_to_close',
  opportunitySalesperson: 'service.opportunity_salesperson',
  opportunityOpenedOn: 'service.opportunity_opened_on',
  stageName: 'service.stage_stage',
  stageRank: 'service.stage_stage_rank',
  stageSalesperson: 'service.stage_salesperson',
  stageOpenedMonth: 'service.stage_opened_month',
  stageReached: 'service.stage_reached',
  stageMovedOn: 'service.stage_moved_on',
  stageConversionPct: 'service.stage_conversion_pct',
  stageAvgDays: 'service.stage_avg_days_in_stage',
  // Sales activities.
  activitySalesperson: 'service.activity_salesperson',
  activityOccurredAt: 'service.activity_occurred_at',
  activityCount: 'service.activity_count',
  activityVisits: 'service.activity_visits',
  activityCalls: 'service.activity_calls',
  activityEmails: 'service.activity_emails',
  activityCustomers: 'service.activity_customers',
  // Care plans (account plans): planned vs made visits and target vs made revenue.
  planId: 'service.plan_id',
  planYear: 'service.plan_year',
  planOwner: 'service.plan_owner',
  planCustomerId: 'service.plan_customer_id',
  planCustomerName: 'service.plan_customer_name',
  planGoal: 'service.plan_goal',
  planSource: 'service.plan_source',
  planCount: 'service.plan_count',
  planPlannedVisits: 'service.plan_planned_visits',
  planPlannedVisitsToDate: 'service.plan_planned_visits_to_date',
  planVisitsMade: 'service.plan_visits_made',
  planBehind: 'service.plan_behind',
  planBehindOnVisits: 'service.plan_behind_on_visits',
  planBehindOnRevenue: 'service.plan_behind_on_revenue',
  planTargetRevenue: 'service.plan_target_revenue',
  planTargetRevenueToDate: 'service.plan_target_revenue_to_date',
  planRevenueMade: 'service.plan_revenue_made',
  // A customer's contact timeline.
  contactId: 'service.contact_event_id',
  contactCustomerId: 'service.contact_customer_id',
  contactOccurredAt: 'service.contact_occurred_at',
  contactKind: 'service.contact_event_type',
  contactArea: 'service.contact_event_category',
  contactChannel: 'service.contact_channel',
  contactHandledBy: 'service.contact_handled_by',
  contactSubject: 'service.contact_subject',
  contactSourceFile: 'service.contact_source_file',
  contactSourceRow: 'service.contact_source_row',
  contactLoadId: 'service.contact_load_id',
  // Social mentions.
  mentionPostedAt: 'service.mention_posted_at',
  mentionLinkStatus: 'service.mention_link_status',
  mentionCampaign: 'service.mention_campaign_name',
  mentionCount: 'service.mention_count',
  mentionLinked: 'service.mention_linked',
  mentionUnlinked: 'service.mention_unlinked',
  mentionLinkedPct: 'service.mention_linked_pct',
  mentionUnresolvedHandles: 'service.mention_unresolved_handles',
  mentionNegative: 'service.mention_negative',
  mentionShares: 'service.mention_shares',
  mentionComments: 'service.mention_comments',
  mentionByOpenComplainers: 'service.mention_by_open_complainers',
} as const;

const s = serviceMembers;

/**
 * Money on the page that not every role of the page may see (docs/access.md): the
 * service role sees no money, sales no margin. Panels leave out the ones /meta hides
 * (`withoutMembers`) and say so; the page itself needs only the others.
 */
export const serviceMoneyMembers = [
  s.customerContributionMargin,
  s.customerComplainersMargin,
  s.customerPipelineValue,
  s.opportunityOpenValue,
  s.opportunityWonValue,
  s.planTargetRevenue,
  s.planTargetRevenueToDate,
  s.planRevenueMade,
] as const;

/** What the page needs to open: every member its panels use, but the money some roles may not see. */
export const serviceRequires: readonly string[] = Object.values(serviceMembers).filter((member) => !(serviceMoneyMembers as readonly string[]).includes(member));


/** The pipeline stages of seed 003, in order. */
export const pipelineStages = ['identification', 'marketing', 'offer_negotiation', 'order'] as const;
export type PipelineStage = (typeof pipelineStages)[number];

/** What the Service & sales page is filtered by. */
export interface ServiceFilters {
  /** Inclusive period; null = all the data. */
  period: DateRange | null;
  /** Helpdesk panels: case type, channel and handler. */
  caseType: string | null;
  channel: string | null;
  handler: string | null;
  /** Sales panels: the salesperson. */
  salesperson: string | null;
}

export const noServiceFilters: ServiceFilters = { period: null, caseType: null, channel: null, handler: null, salesperson: null };

/** What the case measures are grouped by in the SLA table. */
export const caseGroupings = { handler: s.caseHandler, caseType: s.caseType, channel: s.caseChannel } as const;
export type CaseGrouping = keyof typeof caseGroupings;

function equals(member: string, value: string | null): Filter[] {
  return value ? [{ member, operator: 'equals', values: [value] }] : [];
}

function caseFilters(filters: ServiceFilters): Filter[] {
  return [...equals(s.caseType, filters.caseType), ...equals(s.caseChannel, filters.channel), ...equals(s.caseHandler, filters.handler)];
}

function inPeriod(dimension: string, filters: ServiceFilters, granularity?: 'day' | 'month'): TimeDimension[] {
  if (!filters.period && !granularity) return [];
  return [
    {
      dimension,
      ...(granularity ? { granularity } : {}),
      ...(filters.period ? { dateRange: [filters.period.from, filters.period.to] as [string, string] } : {}),
    },
  ];
}

/** Months with cases or sales activities (the period choices), and the filter values. */
export const caseMonthsQuery = {
  measures: [s.caseCount],
  timeDimensions: [{ dimension: s.caseOpenedAt, granularity: 'month' }],
  order: { [s.caseOpenedAt]: 'asc' },
} satisfies Query;

export const activityMonthsQuery = {
  measures: [s.activityCount],
  timeDimensions: [{ dimension: s.activityOccurredAt, granularity: 'month' }],
  order: { [s.activityOccurredAt]: 'asc' },
} satisfies Query;

export function valuesQuery(dimension: string, measure: string) {
  return { dimensions: [dimension], measures: [measure], order: { [dimension]: 'asc' }, limit: 500 } satisfies Query;
}

export const filterValueQueries = {
  caseTypes: valuesQuery(s.caseType, s.caseCount),
  channels: valuesQuery(s.caseChannel, s.caseCount),
  handlers: valuesQuery(s.caseHandler, s.caseCount),
  salespeople: valuesQuery(s.opportunitySalesperson, s.opportunityCount),
};

/** SLA and response figures of the cases opened in the period. */
export function slaSummaryQuery(filters: ServiceFilters) {
  return {
    measures: [s.caseCount, s.caseSlaMet, s.caseSlaBreached, s.caseSlaPending, s.caseSlaMetPct, s.caseAvgResponseHours, s.caseMedianResponseHours, s.caseAvgResponseBusinessHours, s.caseAvgResolutionHours, s.caseSlaHours],
    timeDimensions: inPeriod(s.caseOpenedAt, filters),
    filters: caseFilters(filters),
  } satisfies Query;
}

/** The share answered within the SLA per day the cases were opened. */
export function slaDailyQuery(filters: ServiceFilters) {
  return {
    measures: [s.caseCount, s.caseSlaMet, s.caseSlaBreached, s.caseSlaMetPct],
    timeDimensions: inPeriod(s.caseOpenedAt, filters, 'day'),
    filters: caseFilters(filters),
    order: { [s.caseOpenedAt]: 'asc' },
  } satisfies Query;
}

/** Open cases now, by age bucket (not limited to the period: open is open). */
export function openCaseAgeingQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.caseOpenAgeBucket, s.caseOpenAgeBucketLower, s.caseOpenAgeBucketUpper],
    measures: [s.caseOpen, s.caseUnanswered],
    segments: [s.caseOpenOnly],
    filters: caseFilters(filters),
    order: { [s.caseOpenAgeBucket]: 'asc' },
  } satisfies Query;
}

/** SLA figures per handler, case type or channel. */
export function slaByGroupQuery(filters: ServiceFilters, grouping: CaseGrouping) {
  return {
    dimensions: [caseGroupings[grouping]],
    measures: [s.caseCount, s.caseSlaMet, s.caseSlaBreached, s.caseSlaMetPct, s.caseAvgResponseHours, s.caseOpen],
    timeDimensions: inPeriod(s.caseOpenedAt, filters),
    filters: caseFilters(filters),
    order: [[s.caseSlaBreached, 'desc'], [caseGroupings[grouping], 'asc']],
    limit: 500,
  } satisfies Query;
}

/** The breaches of the cases opened in the period, newest first, with customer and handler. */
export function breachListQuery(filters: ServiceFilters, offset: number, limit: number) {
  return {
    // One row per case (cube/cube.js: lists are asked ungrouped).
    ungrouped: true,
    dimensions: [
      s.caseId, s.caseOpenedAt, s.caseCustomerId, s.caseCustomerName, s.caseType, s.caseChannel, s.caseHandler, s.caseSubject,
      s.caseFirstResponseAt, s.caseSlaClockHours, s.caseIsOpen, s.caseSourceFile, s.caseSourceRow,
    ],
    segments: [s.caseBreachesOnly],
    timeDimensions: inPeriod(s.caseOpenedAt, filters),
    filters: caseFilters(filters),
    order: [[s.caseOpenedAt, 'desc'], [s.caseId, 'asc']],
    limit,
    offset,
    total: true,
  } satisfies Query;
}

/** Repeat complainers and the margin of the customers who complained (whole history). */
export const complainersQuery = {
  measures: [s.customerComplaining, s.customerRepeatComplainers, s.customerComplainersMargin],
  filters: [{ member: s.customerComplaints, operator: 'gt', values: ['0'] }],
} satisfies Query;

function salespersonFilter(member: string, filters: ServiceFilters): Filter[] {
  return equals(member, filters.salesperson);
}

/** Opportunities opened in the period reaching each stage: the funnel. */
export function funnelQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.stageName, s.stageRank],
    measures: [s.stageReached, s.stageMovedOn, s.stageConversionPct, s.stageAvgDays],
    timeDimensions: inPeriod(s.stageOpenedMonth, filters),
    filters: [...salespersonFilter(s.stageSalesperson, filters), { member: s.stageRank, operator: 'set' }],
    order: { [s.stageRank]: 'asc' },
  } satisfies Query;
}

/** Per salesperson and stage: reached and moved on (conversion per salesperson). */
export function conversionBySalespersonQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.stageSalesperson, s.stageName],
    measures: [s.stageReached, s.stageMovedOn],
    timeDimensions: inPeriod(s.stageOpenedMonth, filters),
    filters: [...salespersonFilter(s.stageSalesperson, filters), { member: s.stageRank, operator: 'set' }],
    limit: 5_000,
  } satisfies Query;
}

/** Per salesperson: won, lost, win rate, open and won value of the opportunities opened in the period. */
export function pipelineBySalespersonQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.opportunitySalesperson],
    measures: [s.opportunityCount, s.opportunityOpenCount, s.opportunityWonCount, s.opportunityLostCount, s.opportunityWinRatePct, s.opportunityOpenValue, s.opportunityWonValue, s.opportunityAvgDaysToClose],
    timeDimensions: inPeriod(s.opportunityOpenedOn, filters),
    filters: salespersonFilter(s.opportunitySalesperson, filters),
    order: [[s.opportunityWonValue, 'desc'], [s.opportunitySalesperson, 'asc']],
    limit: 500,
  } satisfies Query;
}

/** Visits, calls and e-mails per salesperson in the period. */
export function activityBySalespersonQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.activitySalesperson],
    measures: [s.activityVisits, s.activityCalls, s.activityEmails, s.activityCustomers],
    timeDimensions: inPeriod(s.activityOccurredAt, filters),
    filters: salespersonFilter(s.activitySalesperson, filters),
    order: [[s.activityVisits, 'desc'], [s.activitySalesperson, 'asc']],
    limit: 500,
  } satisfies Query;
}

/** The plan year the care plans are shown for: the year the period ends in; null (every year) with no period. */
export function carePlanYear(filters: ServiceFilters): string | null {
  return filters.period ? filters.period.to.slice(0, 4) : null;
}

/** The care plans of carePlanYear, and the salesperson's own. */
function carePlanFilters(filters: ServiceFilters): Filter[] {
  const year = carePlanYear(filters);
  return [...(year ? [{ member: s.planYear, operator: 'equals' as const, values: [year] }] : []), ...salespersonFilter(s.planOwner, filters)];
}

/**
 * One page of the care plans (carePlanFilters), per plan with its owner: planned visits
 * (year and pro rata to date) vs visits made, the revenue target (year and pro rata to
 * date) vs revenue made, and whether the plan is behind on visits, on revenue or both.
 * Paged: the bench's 100,000 customers have 8,859 plans in a year; the page once asked
 * for at most 5,000 and added them up per owner itself, so the owners' figures silently
 * left plans out. The revenue is money some roles may not see (serviceMoneyMembers).
 */
export function carePlansQuery(filters: ServiceFilters, offset: number, limit: number) {
  return {
    dimensions: [s.planOwner, s.planId, s.planCustomerId, s.planCustomerName, s.planGoal, s.planSource],
    measures: [
      s.planPlannedVisits, s.planPlannedVisitsToDate, s.planVisitsMade, s.planTargetRevenue, s.planTargetRevenueToDate, s.planRevenueMade,
      s.planBehind, s.planBehindOnVisits, s.planBehindOnRevenue,
    ],
    filters: carePlanFilters(filters),
    order: [[s.planOwner, 'asc'], [s.planId, 'asc']],
    limit,
    offset,
    total: true,
  } satisfies Query;
}

/** The care plans (carePlanFilters) summed per plan owner by the warehouse: plans, planned visits (year, to date), visits made. */
export function carePlanOwnersQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.planOwner],
    measures: [s.planCount, s.planPlannedVisits, s.planPlannedVisitsToDate, s.planVisitsMade],
    filters: carePlanFilters(filters),
    order: [[s.planOwner, 'asc']],
    limit: 5000,
  } satisfies Query;
}

/** Care plans a page of the service page's plan table shows. */
export const carePlanPageSize = 15;

/** Columns of the customer list a reader can sort by. */
export const serviceCustomerSortColumns = {
  customerName: s.customerName,
  lastContactAt: s.customerLastContactAt,
  complaints: s.customerComplaints,
  openComplaints: s.customerOpenComplaints,
  contributionMargin: s.customerContributionMargin,
  pipelineValue: s.customerPipelineValue,
} as const;
export type ServiceCustomerSortColumn = keyof typeof serviceCustomerSortColumns;

export interface ServiceCustomerRequest {
  sort: ServiceCustomerSortColumn;
  descending: boolean;
  search: string;
  repeatComplainersOnly: boolean;
  offset: number;
  limit: number;
}

/** A page of customers with owner, last contact, complaints and margin. */
export function serviceCustomersQuery(filters: ServiceFilters, request: ServiceCustomerRequest) {
  const search = request.search.trim();
  return {
    // One row per customer (cube/cube.js: lists are asked ungrouped).
    ungrouped: true,
    dimensions: [
      s.customerId, s.customerName, s.customerOwner, s.customerLastContactAt, s.customerLastContactType, s.customerLastContactBy,
      s.customerComplaints, s.customerOpenComplaints, s.customerRepeatComplainer, s.customerContributionMargin, s.customerPipelineValue,
    ],
    filters: [
      ...equals(s.customerOwner, filters.salesperson),
      ...(request.repeatComplainersOnly ? [{ member: s.customerRepeatComplainer, operator: 'equals', values: ['true'] } as Filter] : []),
      ...(search ? [{ or: [
        { member: s.customerName, operator: 'contains', values: [search] },
        { member: s.customerId, operator: 'contains', values: [search] },
      ] } as Filter] : []),
    ],
    order: [[serviceCustomerSortColumns[request.sort], request.descending ? 'desc' : 'asc'], [s.customerId, 'asc']],
    limit: request.limit,
    offset: request.offset,
    total: true,
  } satisfies Query;
}

/** One customer's contacts, newest first: who, when, what. */
export function contactTimelineQuery(customerId: string, offset: number, limit: number) {
  return {
    // One row per contact (cube/cube.js: lists are asked ungrouped).
    ungrouped: true,
    dimensions: [s.contactId, s.contactOccurredAt, s.contactKind, s.contactArea, s.contactChannel, s.contactHandledBy, s.contactSubject, s.contactSourceFile, s.contactSourceRow, s.contactLoadId],
    filters: [{ member: s.contactCustomerId, operator: 'equals', values: [customerId] }],
    order: [[s.contactOccurredAt, 'desc'], [s.contactId, 'asc']],
    limit,
    offset,
    total: true,
  } satisfies Query;
}

/** Who a customer is, for the timeline's heading. */
export function serviceCustomerQuery(customerId: string) {
  return {
    dimensions: [s.customerId, s.customerName, s.customerOwner, s.customerType, s.customerLastContactAt, s.customerLastContactType, s.customerLastContactBy],
    filters: [{ member: s.customerId, operator: 'equals', values: [customerId] }],
    limit: 1,
  } satisfies Query;
}

/** Social mentions per month, linked to customers or not. */
export function mentionsMonthlyQuery(filters: ServiceFilters) {
  return {
    measures: [s.mentionLinked, s.mentionUnlinked],
    timeDimensions: inPeriod(s.mentionPostedAt, filters, 'month'),
    order: { [s.mentionPostedAt]: 'asc' },
  } satisfies Query;
}

/** The period's social figures: linked share, handles to review, negative, by open complainers. */
export function mentionsSummaryQuery(filters: ServiceFilters) {
  return {
    measures: [s.mentionCount, s.mentionLinked, s.mentionLinkedPct, s.mentionUnresolvedHandles, s.mentionNegative, s.mentionShares, s.mentionComments, s.mentionByOpenComplainers],
    timeDimensions: inPeriod(s.mentionPostedAt, filters),
  } satisfies Query;
}

/** Mentions, sentiment, shares and comments per campaign (the topic). */
export function mentionsByCampaignQuery(filters: ServiceFilters) {
  return {
    dimensions: [s.mentionCampaign],
    measures: [s.mentionCount, s.mentionNegative, s.mentionShares, s.mentionComments, s.mentionLinked],
    timeDimensions: inPeriod(s.mentionPostedAt, filters),
    order: [[s.mentionCount, 'desc'], [s.mentionCampaign, 'asc']],
    limit: 50,
  } satisfies Query;
}

/** The queries the page sends when it opens with the default filters (the benchmark runs these). */
export function serviceOpeningQueries(filters: ServiceFilters) {
  return {
    slaSummary: slaSummaryQuery(filters),
    slaDaily: slaDailyQuery(filters),
    openCaseAgeing: openCaseAgeingQuery(filters),
    slaByHandler: slaByGroupQuery(filters, 'handler'),
    breachList: breachListQuery(filters, 0, 15),
    complainers: complainersQuery,
    funnel: funnelQuery(filters),
    conversionBySalesperson: conversionBySalespersonQuery(filters),
    pipelineBySalesperson: pipelineBySalespersonQuery(filters),
    activityBySalesperson: activityBySalespersonQuery(filters),
    carePlanOwners: carePlanOwnersQuery(filters),
    carePlans: carePlansQuery(filters, 0, carePlanPageSize),
    serviceCustomers: serviceCustomersQuery(filters, { sort: 'openComplaints', descending: true, search: '', repeatComplainersOnly: false, offset: 0, limit: 15 }),
    mentionsMonthly: mentionsMonthlyQuery(filters),
    mentionsSummary: mentionsSummaryQuery(filters),
    mentionsByCampaign: mentionsByCampaignQuery(filters),
  };
}
