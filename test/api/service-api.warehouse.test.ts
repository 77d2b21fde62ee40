// The `service` view end to end on the generated sample company: the SLA figures per
// case type and the social mention figures per sentiment must equal those computed here
// directly from the helpdesk and social listening exports (NDJSON, read line by line,
// nothing from the warehouse); every member carries a title, a description and, for
// money, its currency; bad requests get a 4xx with a short reason.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { serviceMembers as s } from '../../dashboard/src/lib/api/service-queries.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';

// The global setup's server and sample; without it (a server run by hand), ASIAKKUUS_URL
// and the ASIAKKUUS_SOURCE_DIR it was built from.
const apiUrl = inject('apiUrl') ?? process.env.ASIAKKUUS_URL!;
const sampleDir = inject('sampleDir') ?? process.env.ASIAKKUUS_SOURCE_DIR!;
/** dbt var service.sla_hours. */
const slaHours = 24;

type Json = Record<string, unknown>;
const readNdjson = (file: string): Json[] =>
  readFileSync(join(sampleDir, file), 'utf8').split('\n').filter((line) => line.trim() !== '').map((line) => JSON.parse(line) as Json);
const hoursBetween = (from: unknown, to: unknown) => (Date.parse(`${String(to)}Z`) - Date.parse(`${String(from)}Z`)) / 3_600_000;

/** Answered cases per type from the export: how many, how many within the SLA, mean hours to the first response. */
function answeredCasesByType(): Map<string, { answered: number; met: number; meanHours: number }> {
  const byType = new Map<string, { answered: number; met: number; hours: number }>();
  for (const record of readNdjson('helpdesk/cases.ndjson')) {
    if (record.first_response_at === null) continue;
    const hours = hoursBetween(record.opened_at, record.first_response_at);
    const entry = byType.get(String(record.case_type)) ?? { answered: 0, met: 0, hours: 0 };
    entry.answered += 1;
    entry.met += hours <= slaHours ? 1 : 0;
    entry.hours += hours;
    byType.set(String(record.case_type), entry);
  }
  return new Map([...byType].map(([type, e]) => [type, { answered: e.answered, met: e.met, meanHours: e.hours / e.answered }]));
}

let token: string;
beforeAll(async () => {
  token = await signIn(apiUrl, 'management');
});

async function rows(query: unknown): Promise<Json[]> {
  const { status, body } = await loadRest(apiUrl, token, query);
  expect(status, JSON.stringify(body)).toBe(200);
  return body.data as Json[];
}

describe('the service view against the exports', () => {
  it('answers within the SLA per case type exactly as the helpdesk export says', async () => {
    const expected = answeredCasesByType();
    expect(expected.size).toBeGreaterThan(0);
    const data = await rows({
      dimensions: [s.caseType],
      measures: [s.caseCount, s.caseSlaMet, s.caseSlaBreached, s.caseAvgResponseHours],
      filters: [{ member: 'service.case_is_unanswered', operator: 'equals', values: ['false'] }],
    });
    const actual = new Map(data.map((row) => [String(row[s.caseType]), row]));
    expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
    for (const [type, e] of expected) {
      const row = actual.get(type)!;
      expect(Number(row[s.caseCount]), `${type} answered`).toBe(e.answered);
      expect(Number(row[s.caseSlaMet]), `${type} within the SLA`).toBe(e.met);
      expect(Number(row[s.caseSlaBreached]), `${type} breached`).toBe(e.answered - e.met);
      expect(Number(row[s.caseAvgResponseHours]), `${type} mean response`).toBeCloseTo(e.meanHours, 1);
    }
  });

  it('counts mentions, shares and comments per sentiment as the social export says', async () => {
    const expected = new Map<string, { mentions: number; shares: number; comments: number }>();
    for (const record of readNdjson('social/mentions.ndjson')) {
      const sentiment = record.sentiment === null ? 'unknown' : String(record.sentiment);
      const entry = expected.get(sentiment) ?? { mentions: 0, shares: 0, comments: 0 };
      entry.mentions += 1;
      entry.shares += Number(record.shares);
      entry.comments += Number(record.comments);
      expected.set(sentiment, entry);
    }
    const data = await rows({ dimensions: ['service.mention_sentiment'], measures: [s.mentionCount, s.mentionShares, s.mentionComments] });
    const actual = Object.fromEntries(data.map((row) => [String(row['service.mention_sentiment']), { mentions: Number(row[s.mentionCount]), shares: Number(row[s.mentionShares]), comments: Number(row[s.mentionComments]) }]));
    expect(actual).toEqual(Object.fromEntries(expected));
  });

  it('keeps the funnel narrowing stage by stage and the SLA share equal to met / (met + breached)', async () => {
    const funnel = await rows({ dimensions: [s.stageName, s.stageRank], measures: [s.stageReached], filters: [{ member: s.stageRank, operator: 'set' }], order: { [s.stageRank]: 'asc' } });
    const reached = funnel.map((row) => Number(row[s.stageReached]));
    expect(reached).toHaveLength(4);
    for (let i = 1; i < reached.length; i++) expect(reached[i]!).toBeLessThanOrEqual(reached[i - 1]!);
    const [sla] = await rows({ measures: [s.caseSlaMet, s.caseSlaBreached, s.caseSlaMetPct] });
    const met = Number(sla![s.caseSlaMet]);
    const breached = Number(sla![s.caseSlaBreached]);
    expect(Number(sla![s.caseSlaMetPct])).toBeCloseTo((100 * met) / (met + breached), 6);
  });
});

describe('the service view in /meta', () => {
  it('titles and describes every member, with currency on money and percent units on shares', async () => {
    const response = await fetch(new URL('/cubejs-api/v1/meta', apiUrl), { headers: { authorization: token } });
    expect(response.status).toBe(200);
    const meta = (await response.json()) as { cubes: { name: string; measures: Json[]; dimensions: Json[] }[] };
    const view = meta.cubes.find((cube) => cube.name === 'service');
    expect(view).toBeDefined();
    const members = [...view!.measures, ...view!.dimensions];
    expect(members.length).toBeGreaterThan(100);
    for (const member of members) {
      expect(member.title, String(member.name)).toBeTruthy();
      expect(member.description, String(member.name)).toBeTruthy();
    }
    for (const name of [s.opportunityOpenValue, s.opportunityWonValue, s.customerComplainersMargin]) {
      const member = view!.measures.find((m) => m.name === name)!;
      expect([member.format, member.currency], name).toEqual(['currency', 'EUR']);
    }
    for (const name of [s.caseSlaMetPct, s.stageConversionPct, s.mentionLinkedPct, s.opportunityWinRatePct]) {
      expect(view!.measures.find((m) => m.name === name)?.format, name).toBe('percent');
    }
    // The columns a row-level filter for sales and service people needs.
    const dimensionNames = new Set(view!.dimensions.map((d) => String(d.name)));
    for (const name of ['service.case_account_owner', 'service.case_handled_by', 'service.customer_account_owner', 'service.opportunity_salesperson', 'service.stage_salesperson', 'service.activity_salesperson', 'service.contact_handled_by', 'service.mention_account_owner']) {
      expect(dimensionNames.has(name), name).toBe(true);
    }
  });
});

describe('bad requests to the service view', () => {
  it('answers an unknown member or operator with a 4xx and a short reason, no SQL', async () => {
    for (const query of [
      { measures: ['service.case_no_such_member'] },
      { measures: [s.caseCount], filters: [{ member: s.caseType, operator: 'no_such_operator', values: ['complaint'] }] },
      { measures: [s.caseCount], timeDimensions: [{ dimension: s.caseOpenedAt, dateRange: ['not a date', '2026-01-01'] }] },
    ]) {
      const { status, body } = await loadRest(apiUrl, token, query);
      expect(status, JSON.stringify(query)).toBeGreaterThanOrEqual(400);
      expect(status, JSON.stringify(query)).toBeLessThan(500);
      expect(JSON.stringify(body)).not.toMatch(/\bselect\b.*\bfrom\b/i);
    }
  });
});
