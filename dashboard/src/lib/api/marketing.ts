// Loaders for the marketing page: each runs Cube queries on the `marketing` view and
// returns typed plain data; saved segments and the newsletter export go to the
// marketing routes of the embedded server (cube/server/marketing-routes.ts).
import { ApiError, errorMessageOf, kindOfStatus } from './errors.ts';
import { access } from './access.svelte.ts';
import { runQuery } from './cube.ts';
import { withoutMembers } from './queries.ts';
import { currentToken, signOut } from './session.svelte.ts';
import {
  attributeValuesQuery,
  builderAttributes,
  campaignFunnelQuery,
  campaignOptionsQuery,
  exportSelection,
  leadsByCampaignQuery,
  listExclusionsQuery,
  marketingMarginMembers,
  marketingMembers,
  parseCondition,
  preferencesQuery,
  referralValueQuery,
  remindersByCampaignQuery,
  rfmGridQuery,
  segmentExclusionsQuery,
  segmentSummaryQuery,
  winbackRowsQuery,
  winbackSummaryQuery,
  type BuilderAttribute,
  type Condition,
  type TargetList,
} from './marketing-queries.ts';

const m = marketingMembers;

type Row = Record<string, unknown>;

export interface MarketingLoadOptions {
  signal?: AbortSignal;
}

const num = (row: Row | undefined, member: string): number => {
  const value = Number(row?.[member] ?? 0);
  return Number.isFinite(value) ? value : 0;
};
const str = (row: Row | undefined, member: string): string => (row?.[member] === null || row?.[member] === undefined ? '' : String(row[member]));

/** A margin figure, or null when the role may not see it (the query left it out). */
const margin = (row: Row | undefined, member: string): number | null => (access.missing([member]).length > 0 ? null : num(row, member));

/** Rows of a query, without the margin members the role may not see. */
async function rows(query: Parameters<typeof runQuery>[0], signal?: AbortSignal): Promise<Row[]> {
  return (await runQuery(withoutMembers(query, access.missing(marketingMarginMembers)), signal)).tablePivot() as Row[];
}

// ------------------------------------------------------------------ builder options

export interface BuilderOptions {
  /** Values to offer per attribute (choice and contains attributes), with a label each. */
  values: Partial<Record<BuilderAttribute, { value: string; label: string }[]>>;
}

/** Splits '|a|b|' into its values. */
function splitDelimited(text: string): string[] {
  return text.split('|').filter((part) => part !== '');
}

export async function loadBuilderOptions({ signal }: MarketingLoadOptions = {}): Promise<BuilderOptions> {
  const choice = ['customerType', 'region', 'city', 'rfmSegment', 'preferredChannel', 'relationshipNature', 'careClass'] as const;
  const [choiceRows, groupRows, campaignRows, answerRows] = await Promise.all([
    Promise.all(choice.map((attribute) => rows(attributeValuesQuery(builderAttributes[attribute].member), signal))),
    rows(attributeValuesQuery(m.productGroupsBought), signal),
    rows(campaignOptionsQuery, signal),
    rows(preferencesQuery([]), signal),
  ]);
  const values: BuilderOptions['values'] = {};
  choice.forEach((attribute, index) => {
    const member = builderAttributes[attribute].member;
    values[attribute] = choiceRows[index]!.map((row) => ({ value: str(row, member), label: str(row, member) }));
  });
  const groups = new Set(groupRows.flatMap((row) => splitDelimited(str(row, m.productGroupsBought))));
  values.productGroup = [...groups].sort((a, b) => a.localeCompare(b)).map((group) => ({ value: group, label: group }));
  values.campaignClicked = campaignRows.map((row) => ({ value: str(row, m.campaignId), label: `${str(row, m.campaignId)} · ${str(row, m.campaignName)}` }));
  values.surveyAnswer = answerRows.map((row) => {
    const key = `${str(row, m.preferenceQuestion)}: ${str(row, m.preferenceAnswer)}`;
    return { value: key, label: key };
  });
  return { values };
}

// ------------------------------------------------------------------ segment figures

export interface SegmentSummary {
  customers: number;
  contactable: number;
  excluded: number;
  revenue: number;
  /** Margin figures are null when the role may not see them. */
  grossMargin: number | null;
  predictedRevenue: number;
  predictedMargin: number | null;
  /** Left out of e-mail per reason (unsubscribed, bounced, no_email, no_consent). */
  exclusions: { reason: string; customers: number }[];
}

export async function loadSegmentSummary(conditions: readonly Condition[], { signal }: MarketingLoadOptions = {}): Promise<SegmentSummary> {
  const [summary, exclusions] = await Promise.all([rows(segmentSummaryQuery(conditions), signal), rows(segmentExclusionsQuery(conditions), signal)]);
  const row = summary[0];
  return {
    customers: num(row, m.count),
    contactable: num(row, m.contactableCount),
    excluded: num(row, m.excludedCount),
    revenue: num(row, m.lifetimeRevenue),
    grossMargin: margin(row, m.lifetimeGrossMargin),
    predictedRevenue: num(row, m.predictedRevenue),
    predictedMargin: margin(row, m.predictedMargin),
    exclusions: exclusions.map((r) => ({ reason: str(r, m.exclusionReason), customers: num(r, m.count) })),
  };
}

export interface RfmCell {
  recencyScore: number;
  fmScore: number;
  segment: string;
  customers: number;
  revenue: number;
}

export async function loadRfmGrid(conditions: readonly Condition[], { signal }: MarketingLoadOptions = {}): Promise<RfmCell[]> {
  return (await rows(rfmGridQuery(conditions), signal)).map((row) => ({
    recencyScore: num(row, m.recencyScore),
    fmScore: num(row, m.fmScore),
    segment: str(row, m.rfmSegment),
    customers: num(row, m.count),
    revenue: num(row, m.lifetimeRevenue),
  }));
}

export interface CampaignFunnel {
  campaignId: string;
  campaignName: string;
  campaignType: string;
  sent: number;
  delivered: number;
  opened: number;
  clicked: number;
  unsubscribed: number;
  bounced: number;
  converted: number;
  attributedRevenue: number;
  attributedGrossMargin: number | null;
}

export async function loadCampaignFunnels(conditions: readonly Condition[], { signal }: MarketingLoadOptions = {}): Promise<CampaignFunnel[]> {
  return (await rows(campaignFunnelQuery(conditions), signal)).map((row) => ({
    campaignId: str(row, m.campaignId),
    campaignName: str(row, m.campaignName),
    campaignType: str(row, m.campaignType),
    sent: num(row, m.sent),
    delivered: num(row, m.delivered),
    opened: num(row, m.opened),
    clicked: num(row, m.clicked),
    unsubscribed: num(row, m.unsubscribed),
    bounced: num(row, m.bounced),
    converted: num(row, m.converted),
    attributedRevenue: num(row, m.attributedRevenue),
    attributedGrossMargin: margin(row, m.attributedGrossMargin),
  }));
}

// ------------------------------------------------------------------ lists

export interface ListExclusion {
  reason: string;
  count: number;
}

export interface CampaignListRow {
  campaignId: string;
  campaignName: string;
  count: number;
  included: number;
  excluded: number;
  followedUp?: number;
  ordered?: number;
}

export interface WinbackRow {
  customerId: string;
  customerName: string;
  reason: string;
  lastPurchaseOn: string;
  daysSince: number;
  medianIntervalDays: number | null;
  channel: string;
  revenue: number;
  predictedMargin: number | null;
  exclusionReason: string;
}

/** Win-back customers shown on the page; the export has them all. */
export const winbackRowsShown = 15;

export interface TargetLists {
  winback: {
    count: number;
    included: number;
    excluded: number;
    overdue: number;
    revenue: number;
    predictedMargin: number | null;
    exclusions: ListExclusion[];
    top: WinbackRow[];
  };
  leads: { byCampaign: CampaignListRow[]; exclusions: ListExclusion[] };
  reminders: { byCampaign: CampaignListRow[]; exclusions: ListExclusion[] };
  referrals: { count: number; bought: number; revenue: number; grossMargin: number | null };
  preferences: { question: string; answer: string; customers: number }[];
}

async function exclusionsOf(conditions: readonly Condition[], list: TargetList, signal?: AbortSignal): Promise<ListExclusion[]> {
  const query = listExclusionsQuery(conditions, list);
  const [reason, count] = [query.dimensions[0]!, query.measures[0]!];
  return (await rows(query, signal)).map((row) => ({ reason: str(row, reason), count: num(row, count) })).sort((a, b) => b.count - a.count);
}

export async function loadTargetLists(conditions: readonly Condition[], { signal }: MarketingLoadOptions = {}): Promise<TargetLists> {
  const [winback, winbackTop, winbackOut, leads, leadsOut, reminders, remindersOut, referrals, preferences] = await Promise.all([
    rows(winbackSummaryQuery(conditions), signal),
    rows(winbackRowsQuery(conditions, winbackRowsShown), signal),
    exclusionsOf(conditions, 'winback', signal),
    rows(leadsByCampaignQuery(conditions), signal),
    exclusionsOf(conditions, 'leads', signal),
    rows(remindersByCampaignQuery(conditions), signal),
    exclusionsOf(conditions, 'reminders', signal),
    rows(referralValueQuery(conditions), signal),
    rows(preferencesQuery(conditions), signal),
  ]);
  const w = winback[0];
  const r = referrals[0];
  return {
    winback: {
      count: num(w, m.winbackCount),
      included: num(w, m.winbackIncluded),
      excluded: num(w, m.winbackExcluded),
      overdue: num(w, m.winbackOverdue),
      revenue: num(w, m.winbackRevenue),
      predictedMargin: margin(w, m.winbackPredictedMargin),
      exclusions: winbackOut,
      top: winbackTop.map((row) => ({
        customerId: str(row, m.customerId),
        customerName: str(row, m.customerName),
        reason: str(row, m.winbackReason),
        lastPurchaseOn: str(row, m.winbackLastPurchase).slice(0, 10),
        daysSince: num(row, m.winbackDaysSince),
        medianIntervalDays: row[m.winbackMedianInterval] === null || row[m.winbackMedianInterval] === undefined ? null : num(row, m.winbackMedianInterval),
        channel: str(row, m.winbackChannel),
        revenue: num(row, m.winbackCustomerRevenue),
        predictedMargin: row[m.winbackCustomerPredicted] === null || row[m.winbackCustomerPredicted] === undefined ? null : num(row, m.winbackCustomerPredicted),
        exclusionReason: str(row, m.winbackExclusionReason),
      })),
    },
    leads: {
      byCampaign: leads.map((row) => ({
        campaignId: str(row, m.leadCampaignId),
        campaignName: str(row, m.leadCampaignName),
        count: num(row, m.leadCount),
        included: num(row, m.leadIncluded),
        excluded: num(row, m.leadExcluded),
        followedUp: num(row, m.leadFollowedUp),
        ordered: num(row, m.leadOrdered),
      })),
      exclusions: leadsOut,
    },
    reminders: {
      byCampaign: reminders.map((row) => ({
        campaignId: str(row, m.reminderCampaignId),
        campaignName: str(row, m.reminderCampaignName),
        count: num(row, m.reminderCount),
        included: num(row, m.reminderIncluded),
        excluded: num(row, m.reminderExcluded),
      })),
      exclusions: remindersOut,
    },
    referrals: { count: num(r, m.referrals), bought: num(r, m.referralsBought), revenue: num(r, m.referredRevenue), grossMargin: margin(r, m.referredGrossMargin) },
    preferences: preferences.map((row) => ({ question: str(row, m.preferenceQuestion), answer: str(row, m.preferenceAnswer), customers: num(row, m.preferenceCount) })),
  };
}

// ------------------------------------------------------------------ saved segments and export

export interface SavedSegment {
  name: string;
  conditions: Condition[];
  savedAt: string;
  savedBy: string;
}

async function marketingApi(path: string, init: RequestInit = {}): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(new URL(`/api/marketing${path}`, window.location.origin), {
      ...init,
      headers: { authorization: currentToken(), ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
    });
  } catch (cause) {
    if (cause instanceof ApiError) throw cause;
    if (cause instanceof DOMException && cause.name === 'AbortError') throw new ApiError('the request was cancelled', 'network');
    throw new ApiError(cause instanceof Error ? cause.message : String(cause), 'network');
  }
  if (!response.ok) {
    const error = new ApiError(await errorMessageOf(response), kindOfStatus(response.status), response.status);
    if (error.kind === 'auth') signOut('session-ended');
    throw error;
  }
  return response;
}

export async function loadSavedSegments({ signal }: MarketingLoadOptions = {}): Promise<SavedSegment[]> {
  const body = (await (await marketingApi('/segments', { signal })).json()) as { segments: { name: string; conditions: unknown[]; savedAt: string; savedBy: string }[] };
  // A condition the builder no longer knows (an attribute renamed since) is dropped, not guessed at.
  return body.segments.map((segment) => ({ ...segment, conditions: segment.conditions.map(parseCondition).filter((c): c is Condition => c !== null) }));
}

export async function saveSegment(name: string, conditions: readonly Condition[]): Promise<SavedSegment> {
  const response = await marketingApi(`/segments/${encodeURIComponent(name)}`, { method: 'PUT', body: JSON.stringify({ conditions }) });
  return ((await response.json()) as { segment: SavedSegment }).segment;
}

export async function deleteSegment(name: string): Promise<void> {
  await marketingApi(`/segments/${encodeURIComponent(name)}`, { method: 'DELETE' });
}

/**
 * Downloads the customers of a segment (optionally narrowed to a list) who may be
 * e-mailed, as the newsletter tool's subscriber import CSV. Returns the rows the server
 * said it would send.
 */
export async function exportSegment(
  fileName: string,
  conditions: readonly Condition[],
  list: TargetList | null = null,
  campaignId: string | null = null,
): Promise<number> {
  const response = await marketingApi(`/export?filename=${encodeURIComponent(fileName)}`, {
    method: 'POST',
    body: JSON.stringify({ query: exportSelection(conditions, list, campaignId) }),
  });
  const rowCount = Number(response.headers.get('x-asiakkuus-row-count') ?? Number.NaN);
  const blob = await response.blob();
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = `${fileName}.csv`;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
  return rowCount;
}

export {
  builderAttributes,
  contradiction,
  isComplete,
  marketingMembers,
  operatorsOf,
  parseCondition,
  targetLists,
  type AttributeKind,
  type BuilderAttribute,
  type Condition,
  type ConditionOperator,
  type TargetList,
} from './marketing-queries.ts';
