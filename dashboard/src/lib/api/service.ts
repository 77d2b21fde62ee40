// Loaders for the Service & sales page: each runs one or a few Cube queries on the
// `service` view and returns typed plain data. Components call these, never Cube directly.
import type { ResultSet } from '@cubejs-client/core';
import { access } from './access.svelte.ts';
import { lastRefreshTimeOf, runQuery } from './cube.ts';
import { currencyOf, dayOf, percentReader, type LoadOptions } from './finance.ts';
import { amount, flag, monthOf, text, toNumber, totalOf, type Row } from './values.ts';
import {
  activityBySalespersonQuery,
  activityMonthsQuery,
  breachListQuery,
  carePlanOwnersQuery,
  carePlansQuery,
  caseGroupings,
  caseMonthsQuery,
  complainersQuery,
  contactTimelineQuery,
  conversionBySalespersonQuery,
  filterValueQueries,
  funnelQuery,
  mentionsByCampaignQuery,
  mentionsMonthlyQuery,
  mentionsSummaryQuery,
  openCaseAgeingQuery,
  pipelineBySalespersonQuery,
  pipelineStages,
  serviceCustomerQuery,
  serviceCustomerSortColumns,
  serviceCustomersQuery,
  serviceMembers,
  slaByGroupQuery,
  slaDailyQuery,
  slaSummaryQuery,
  type CaseGrouping,
  type PipelineStage,
  type ServiceCustomerRequest,
  type ServiceFilters,
} from './service-queries.ts';
import { withoutMembers } from './queries.ts';

// The page's query definitions and types travel with its loaders through index.ts.
export * from './service-queries.ts';

const s = serviceMembers;

const count = (row: Row, member: string): number => amount(row, member);
const maybe = (row: Row, member: string): number | null => toNumber(row[member]);
/** A Cube time value as "YYYY-MM-DD HH:MM" (local time, as the sources record it). */
const moment = (value: unknown): string => (typeof value === 'string' ? value.slice(0, 16).replace('T', ' ') : '');

// ---------------------------------------------------------------- filter options

export interface ServiceFilterOptions {
  /** Every month from the first to the last with cases or sales activities, "YYYY-MM". */
  months: string[];
  caseTypes: string[];
  channels: string[];
  handlers: string[];
  salespeople: string[];
}

export async function loadServiceFilterOptions(options: LoadOptions = {}): Promise<ServiceFilterOptions> {
  const [caseMonths, activityMonths, caseTypes, channels, handlers, salespeople] = await Promise.all([
    runQuery(caseMonthsQuery, options.signal),
    runQuery(activityMonthsQuery, options.signal),
    runQuery(filterValueQueries.caseTypes, options.signal),
    runQuery(filterValueQueries.channels, options.signal),
    runQuery(filterValueQueries.handlers, options.signal),
    runQuery(filterValueQueries.salespeople, options.signal),
  ]);
  const months = new Set([
    ...caseMonths.rawData().map((row) => monthOf(row[`${s.caseOpenedAt}.month`])),
    ...activityMonths.rawData().map((row) => monthOf(row[`${s.activityOccurredAt}.month`])),
  ]);
  const values = (resultSet: ResultSet, member: string) => resultSet.rawData().map((row) => text(row, member)).filter((value) => value !== '');
  return {
    months: [...months].sort(),
    caseTypes: values(caseTypes, s.caseType),
    channels: values(channels, s.caseChannel),
    handlers: values(handlers, s.caseHandler),
    salespeople: values(salespeople, s.opportunitySalesperson),
  };
}

// ---------------------------------------------------------------- SLA

export interface SlaSummary {
  /** The SLA the verdicts were made with, hours (dbt var service.sla_hours); null without cases. */
  slaHours: number | null;
  cases: number;
  met: number;
  breached: number;
  pending: number;
  /** Answered within the SLA, percent of met + breached; null without a verdict. */
  metPct: number | null;
  avgResponseHours: number | null;
  medianResponseHours: number | null;
  avgResponseBusinessHours: number | null;
  avgResolutionHours: number | null;
  lastRefreshTime?: string;
}

export interface SlaDay {
  /** "YYYY-MM-DD" the cases were opened. */
  day: string;
  cases: number;
  met: number;
  breached: number;
  metPct: number | null;
}

export interface SlaOverview {
  summary: SlaSummary;
  days: SlaDay[];
}

export async function loadSlaOverview(filters: ServiceFilters, options: LoadOptions = {}): Promise<SlaOverview> {
  const [summary, daily] = await Promise.all([runQuery(slaSummaryQuery(filters), options.signal), runQuery(slaDailyQuery(filters), options.signal)]);
  const row = summary.rawData()[0] ?? {};
  const summaryPct = percentReader(summary, s.caseSlaMetPct);
  const dailyPct = percentReader(daily, s.caseSlaMetPct);
  return {
    summary: {
      slaHours: maybe(row, s.caseSlaHours),
      cases: count(row, s.caseCount),
      met: count(row, s.caseSlaMet),
      breached: count(row, s.caseSlaBreached),
      pending: count(row, s.caseSlaPending),
      metPct: summaryPct(row),
      avgResponseHours: maybe(row, s.caseAvgResponseHours),
      medianResponseHours: maybe(row, s.caseMedianResponseHours),
      avgResponseBusinessHours: maybe(row, s.caseAvgResponseBusinessHours),
      avgResolutionHours: maybe(row, s.caseAvgResolutionHours),
      lastRefreshTime: lastRefreshTimeOf(summary),
    },
    days: daily
      .rawData()
      .map((day): SlaDay => ({ day: dayOf(day[`${s.caseOpenedAt}.day`]), cases: count(day, s.caseCount), met: count(day, s.caseSlaMet), breached: count(day, s.caseSlaBreached), metPct: dailyPct(day) }))
      .filter((day) => day.day !== ''),
  };
}

export interface AgeBucket {
  bucket: number;
  /** Hours, exclusive lower and inclusive upper bound; upper null for the last bucket. */
  lowerHours: number;
  upperHours: number | null;
  open: number;
  unanswered: number;
}

export async function loadOpenCaseAgeing(filters: ServiceFilters, options: LoadOptions = {}): Promise<AgeBucket[]> {
  const resultSet = await runQuery(openCaseAgeingQuery(filters), options.signal);
  return resultSet.rawData().map((row) => ({
    bucket: count(row, s.caseOpenAgeBucket),
    lowerHours: count(row, s.caseOpenAgeBucketLower),
    upperHours: maybe(row, s.caseOpenAgeBucketUpper),
    open: count(row, s.caseOpen),
    unanswered: count(row, s.caseUnanswered),
  }));
}

export interface SlaGroupRow {
  value: string;
  cases: number;
  met: number;
  breached: number;
  metPct: number | null;
  avgResponseHours: number | null;
  open: number;
}

export async function loadSlaByGroup(filters: ServiceFilters, grouping: CaseGrouping, options: LoadOptions = {}): Promise<SlaGroupRow[]> {
  const resultSet = await runQuery(slaByGroupQuery(filters, grouping), options.signal);
  const pct = percentReader(resultSet, s.caseSlaMetPct);
  return resultSet.rawData().map((row) => ({
    value: text(row, caseGroupings[grouping]),
    cases: count(row, s.caseCount),
    met: count(row, s.caseSlaMet),
    breached: count(row, s.caseSlaBreached),
    metPct: pct(row),
    avgResponseHours: maybe(row, s.caseAvgResponseHours),
    open: count(row, s.caseOpen),
  }));
}

export interface Breach {
  caseId: string;
  openedAt: string;
  customerId: string;
  customerName: string;
  caseType: string;
  channel: string;
  handler: string;
  subject: string;
  firstResponseAt: string;
  /** Hours to the first response, or waited so far when unanswered. */
  hours: number | null;
  isOpen: boolean;
  source: string;
}

export interface BreachPage {
  breaches: Breach[];
  total: number;
}

export async function loadBreaches(filters: ServiceFilters, offset: number, limit: number, options: LoadOptions = {}): Promise<BreachPage> {
  const resultSet = await runQuery(breachListQuery(filters, offset, limit), options.signal);
  return {
    breaches: resultSet.rawData().map((row) => ({
      caseId: text(row, s.caseId),
      openedAt: moment(row[s.caseOpenedAt]),
      customerId: text(row, s.caseCustomerId),
      customerName: text(row, s.caseCustomerName),
      caseType: text(row, s.caseType),
      channel: text(row, s.caseChannel),
      handler: text(row, s.caseHandler),
      subject: text(row, s.caseSubject),
      firstResponseAt: moment(row[s.caseFirstResponseAt]),
      hours: maybe(row, s.caseSlaClockHours),
      isOpen: flag(row, s.caseIsOpen),
      source: `${text(row, s.caseSourceFile)}:${text(row, s.caseSourceRow)}`,
    })),
    total: totalOf(resultSet),
  };
}

export interface Complainers {
  complaining: number;
  repeat: number;
  /** Null when the role may not see margin. */
  contributionMargin: number | null;
  currency: string;
}

export async function loadComplainers(options: LoadOptions = {}): Promise<Complainers> {
  const hidden = access.missing([s.customerComplainersMargin]);
  const resultSet = await runQuery(withoutMembers(complainersQuery, hidden), options.signal);
  const row = resultSet.rawData()[0] ?? {};
  return {
    complaining: count(row, s.customerComplaining),
    repeat: count(row, s.customerRepeatComplainers),
    contributionMargin: hidden.length > 0 ? null : amount(row, s.customerComplainersMargin),
    currency: currencyOf(resultSet, s.customerComplainersMargin),
  };
}

// ---------------------------------------------------------------- pipeline

export interface FunnelStage {
  stage: PipelineStage;
  reached: number;
  movedOn: number;
  /** Moved on to the next stage, percent of those reaching this one; null for the last stage. */
  conversionPct: number | null;
  avgDaysInStage: number | null;
}

export interface SalespersonPipeline {
  salesperson: string;
  reached: Record<PipelineStage, number>;
  opportunities: number;
  open: number;
  won: number;
  lost: number;
  winRatePct: number | null;
  /** Null when the role may not see pipeline values. */
  openValue: number | null;
  wonValue: number | null;
  avgDaysToClose: number | null;
}

export interface Pipeline {
  currency: string;
  /** The role may not see open and won values: the table leaves those columns out. */
  valuesHidden: boolean;
  funnel: FunnelStage[];
  salespeople: SalespersonPipeline[];
}

export async function loadPipeline(filters: ServiceFilters, options: LoadOptions = {}): Promise<Pipeline> {
  const hiddenValues = access.missing([s.opportunityOpenValue, s.opportunityWonValue]);
  const valuesHidden = hiddenValues.length > 0;
  const [funnel, conversion, bySalesperson] = await Promise.all([
    runQuery(funnelQuery(filters), options.signal),
    runQuery(conversionBySalespersonQuery(filters), options.signal),
    runQuery(withoutMembers(pipelineBySalespersonQuery(filters), hiddenValues), options.signal),
  ]);
  const funnelRows = new Map(funnel.rawData().map((row) => [text(row, s.stageName), row]));
  const conversionPct = percentReader(funnel, s.stageConversionPct);
  const reached = new Map<string, Record<PipelineStage, number>>();
  for (const row of conversion.rawData()) {
    const person = text(row, s.stageSalesperson);
    const stages = reached.get(person) ?? { identification: 0, marketing: 0, offer_negotiation: 0, order: 0 };
    const stage = text(row, s.stageName) as PipelineStage;
    if (pipelineStages.includes(stage)) stages[stage] = count(row, s.stageReached);
    reached.set(person, stages);
  }
  const winRate = percentReader(bySalesperson, s.opportunityWinRatePct);
  return {
    currency: valuesHidden ? '' : currencyOf(bySalesperson, s.opportunityWonValue),
    valuesHidden,
    funnel: pipelineStages.map((stage): FunnelStage => {
      const row = funnelRows.get(stage) ?? {};
      return {
        stage,
        reached: count(row, s.stageReached),
        movedOn: count(row, s.stageMovedOn),
        conversionPct: stage === 'order' ? null : conversionPct(row),
        avgDaysInStage: maybe(row, s.stageAvgDays),
      };
    }),
    salespeople: bySalesperson.rawData().map((row) => {
      const salesperson = text(row, s.opportunitySalesperson);
      return {
        salesperson,
        reached: reached.get(salesperson) ?? { identification: 0, marketing: 0, offer_negotiation: 0, order: 0 },
        opportunities: count(row, s.opportunityCount),
        open: count(row, s.opportunityOpenCount),
        won: count(row, s.opportunityWonCount),
        lost: count(row, s.opportunityLostCount),
        winRatePct: winRate(row),
        openValue: valuesHidden ? null : amount(row, s.opportunityOpenValue),
        wonValue: valuesHidden ? null : amount(row, s.opportunityWonValue),
        avgDaysToClose: maybe(row, s.opportunityAvgDaysToClose),
      };
    }),
  };
}

// ---------------------------------------------------------------- activity

export interface SalespersonActivity {
  salesperson: string;
  visits: number;
  calls: number;
  emails: number;
  customers: number;
}

export async function loadActivity(filters: ServiceFilters, options: LoadOptions = {}): Promise<SalespersonActivity[]> {
  const resultSet = await runQuery(activityBySalespersonQuery(filters), options.signal);
  return resultSet.rawData().map((row) => ({
    salesperson: text(row, s.activitySalesperson),
    visits: count(row, s.activityVisits),
    calls: count(row, s.activityCalls),
    emails: count(row, s.activityEmails),
    customers: count(row, s.activityCustomers),
  }));
}

// ---------------------------------------------------------------- care plans

export interface CarePlan {
  planId: string;
  owner: string;
  customerId: string;
  customerName: string;
  goal: string;
  source: string;
  plannedVisits: number;
  plannedVisitsToDate: number;
  visitsMade: number;
  /** The year's revenue target, pro rata to date, and revenue made in the plan year; null when the role may not see revenue. */
  targetRevenue: number | null;
  targetRevenueToDate: number | null;
  revenueMade: number | null;
  /** Behind on either; and which (the reason is shown whether or not the revenue is). */
  behind: boolean;
  behindOnVisits: boolean;
  behindOnRevenue: boolean;
}

/** Planned vs made visits of one plan owner's care plans, summed over them. */
export interface CarePlanOwner {
  owner: string;
  plans: number;
  plannedVisits: number;
  plannedVisitsToDate: number;
  visitsMade: number;
}

export interface CarePlanPage {
  plans: CarePlan[];
  /** Plans under the filters, all pages. */
  total: number;
  /** Of the revenue figures; '' when the role may not see them. */
  currency: string;
}

const carePlanRevenueMembers = [s.planTargetRevenue, s.planTargetRevenueToDate, s.planRevenueMade];

/** Whether the role may not see the care plans' revenue (the table then leaves those columns out). */
export function carePlanRevenueHidden(): boolean {
  return access.missing(carePlanRevenueMembers).length > 0;
}

export async function loadCarePlans(filters: ServiceFilters, offset: number, limit: number, options: LoadOptions = {}): Promise<CarePlanPage> {
  const hidden = access.missing(carePlanRevenueMembers);
  const resultSet = await runQuery(withoutMembers(carePlansQuery(filters, offset, limit), hidden), options.signal);
  const revenue = (row: Row, member: string): number | null => (hidden.length > 0 ? null : amount(row, member));
  return {
    total: totalOf(resultSet),
    currency: hidden.length > 0 ? '' : currencyOf(resultSet, s.planRevenueMade),
    plans: resultSet.rawData().map((row) => ({
      planId: text(row, s.planId),
      owner: text(row, s.planOwner),
      customerId: text(row, s.planCustomerId),
      customerName: text(row, s.planCustomerName),
      goal: text(row, s.planGoal),
      source: text(row, s.planSource),
      plannedVisits: count(row, s.planPlannedVisits),
      plannedVisitsToDate: count(row, s.planPlannedVisitsToDate),
      visitsMade: count(row, s.planVisitsMade),
      targetRevenue: revenue(row, s.planTargetRevenue),
      targetRevenueToDate: revenue(row, s.planTargetRevenueToDate),
      revenueMade: revenue(row, s.planRevenueMade),
      behind: count(row, s.planBehind) > 0,
      behindOnVisits: count(row, s.planBehindOnVisits) > 0,
      behindOnRevenue: count(row, s.planBehindOnRevenue) > 0,
    })),
  };
}

/** Every plan owner's care plans, summed in the warehouse (all plans, not a page). */
export async function loadCarePlanOwners(filters: ServiceFilters, options: LoadOptions = {}): Promise<CarePlanOwner[]> {
  const resultSet = await runQuery(carePlanOwnersQuery(filters), options.signal);
  return resultSet.rawData().map((row) => ({
    owner: text(row, s.planOwner),
    plans: count(row, s.planCount),
    plannedVisits: count(row, s.planPlannedVisits),
    plannedVisitsToDate: count(row, s.planPlannedVisitsToDate),
    visitsMade: count(row, s.planVisitsMade),
  }));
}

// ---------------------------------------------------------------- customers and contacts

export interface ServiceCustomer {
  customerId: string;
  customerName: string;
  accountOwner: string;
  lastContactAt: string;
  lastContactType: string;
  lastContactBy: string;
  complaints: number;
  openComplaints: number;
  repeatComplainer: boolean;
  /** Null when the role may not see it (the column is left out). */
  contributionMargin: number | null;
  pipelineValue: number | null;
}

export interface ServiceCustomerPage {
  customers: ServiceCustomer[];
  total: number;
}

function serviceCustomer(row: Row): ServiceCustomer {
  return {
    customerId: text(row, s.customerId),
    customerName: text(row, s.customerName),
    accountOwner: text(row, s.customerOwner),
    lastContactAt: moment(row[s.customerLastContactAt]),
    lastContactType: text(row, s.customerLastContactType),
    lastContactBy: text(row, s.customerLastContactBy),
    complaints: count(row, s.customerComplaints),
    openComplaints: count(row, s.customerOpenComplaints),
    repeatComplainer: flag(row, s.customerRepeatComplainer),
    contributionMargin: s.customerContributionMargin in row ? amount(row, s.customerContributionMargin) : null,
    pipelineValue: s.customerPipelineValue in row ? amount(row, s.customerPipelineValue) : null,
  };
}

/** The customer list's money columns the role may not see (the table leaves them out). */
export function hiddenServiceCustomerColumns(): { contributionMargin: boolean; pipelineValue: boolean } {
  return { contributionMargin: access.missing([s.customerContributionMargin]).length > 0, pipelineValue: access.missing([s.customerPipelineValue]).length > 0 };
}

export async function loadServiceCustomers(filters: ServiceFilters, request: ServiceCustomerRequest, options: LoadOptions = {}): Promise<ServiceCustomerPage> {
  const hidden = access.missing([s.customerContributionMargin, s.customerPipelineValue]);
  const sortHidden = hidden.includes(serviceCustomerSortColumns[request.sort]);
  const query = serviceCustomersQuery(filters, sortHidden ? { ...request, sort: 'openComplaints', descending: true } : request);
  const resultSet = await runQuery(withoutMembers(query, hidden), options.signal);
  return { customers: resultSet.rawData().map(serviceCustomer), total: totalOf(resultSet) };
}

export interface Contact {
  id: string;
  occurredAt: string;
  kind: string;
  area: string;
  channel: string;
  handledBy: string;
  subject: string;
  source: string;
  loadId: string;
}

export interface ContactTimeline {
  customer: { customerId: string; customerName: string; accountOwner: string } | null;
  contacts: Contact[];
  total: number;
}

export async function loadContactTimeline(customerId: string, offset: number, limit: number, options: LoadOptions = {}): Promise<ContactTimeline> {
  const [who, contacts] = await Promise.all([
    runQuery(serviceCustomerQuery(customerId), options.signal),
    runQuery(contactTimelineQuery(customerId, offset, limit), options.signal),
  ]);
  const customer = who.rawData()[0];
  return {
    customer: customer ? { customerId: text(customer, s.customerId), customerName: text(customer, s.customerName), accountOwner: text(customer, s.customerOwner) } : null,
    contacts: contacts.rawData().map((row) => ({
      id: text(row, s.contactId),
      occurredAt: moment(row[s.contactOccurredAt]),
      kind: text(row, s.contactKind),
      area: text(row, s.contactArea),
      channel: text(row, s.contactChannel),
      handledBy: text(row, s.contactHandledBy),
      subject: text(row, s.contactSubject),
      source: `${text(row, s.contactSourceFile)}:${text(row, s.contactSourceRow)}`,
      loadId: text(row, s.contactLoadId),
    })),
    total: totalOf(contacts),
  };
}

// ---------------------------------------------------------------- social mentions

export interface MentionMonth {
  month: string;
  linked: number;
  unlinked: number;
}

export interface MentionCampaign {
  /** The campaign replied to; '' = no campaign. */
  campaign: string;
  mentions: number;
  negative: number;
  shares: number;
  comments: number;
  linked: number;
}

export interface SocialMentions {
  mentions: number;
  linked: number;
  linkedPct: number | null;
  handlesToReview: number;
  negative: number;
  shares: number;
  comments: number;
  byOpenComplainers: number;
  months: MentionMonth[];
  campaigns: MentionCampaign[];
}

export async function loadSocialMentions(filters: ServiceFilters, options: LoadOptions = {}): Promise<SocialMentions> {
  const [summary, monthly, campaigns] = await Promise.all([
    runQuery(mentionsSummaryQuery(filters), options.signal),
    runQuery(mentionsMonthlyQuery(filters), options.signal),
    runQuery(mentionsByCampaignQuery(filters), options.signal),
  ]);
  const row = summary.rawData()[0] ?? {};
  return {
    mentions: count(row, s.mentionCount),
    linked: count(row, s.mentionLinked),
    linkedPct: percentReader(summary, s.mentionLinkedPct)(row),
    handlesToReview: count(row, s.mentionUnresolvedHandles),
    negative: count(row, s.mentionNegative),
    shares: count(row, s.mentionShares),
    comments: count(row, s.mentionComments),
    byOpenComplainers: count(row, s.mentionByOpenComplainers),
    // chartPivot fills months without mentions, so the bars have no gaps.
    months: monthly.chartPivot().map((month) => ({ month: monthOf(month.x), linked: count(month, s.mentionLinked), unlinked: count(month, s.mentionUnlinked) })),
    campaigns: campaigns.rawData().map((campaign) => ({
      campaign: text(campaign, s.mentionCampaign),
      mentions: count(campaign, s.mentionCount),
      negative: count(campaign, s.mentionNegative),
      shares: count(campaign, s.mentionShares),
      comments: count(campaign, s.mentionComments),
      linked: count(campaign, s.mentionLinked),
    })),
  };
}
