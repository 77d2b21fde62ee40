// The marketing routes of the embedded server on the generated sample company: saved
// segments are kept on disk (a second server over the same warehouse folder lists
// them), every route wants a signed-in token, bad input gets a 400 with a short reason
// and no SQL, and the newsletter export has exactly the catalogue's subscriber columns
// and one row per customer of the segment who may be e-mailed - as many as the
// semantic layer counts - paged through Cube without losing or repeating a row.
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';
import { secretFile, usersFile } from '../../config/settings.ts';
import { Authenticator, loadApiSecret, readUsers } from '../../cube/server/auth.ts';
import { serve, type RunningServer } from '../../cube/server/main.ts';
import { marketingRoutes, newsletterImportColumns } from '../../cube/server/marketing-routes.ts';
import { projectModel } from '../../cube/server/project-model.ts';
import { WarehouseReader } from '../../cube/server/warehouse-reader.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';

const apiUrl = inject('apiUrl');
const warehouseFile = inject('warehouseFile');
let token: string;

async function call(path: string, init: RequestInit & { auth?: string | null } = {}, base = apiUrl): Promise<{ status: number; text: string; headers: Headers }> {
  const { auth = token, ...rest } = init;
  const response = await fetch(`${base}/api/marketing${path}`, {
    ...rest,
    headers: { ...(auth ? { authorization: auth } : {}), ...(rest.body ? { 'content-type': 'application/json' } : {}) },
  });
  return { status: response.status, text: await response.text(), headers: response.headers };
}

const exportOf = (query: unknown, base = apiUrl) => call('/export', { method: 'POST', body: JSON.stringify({ query }) }, base);
const csvRows = (text: string) => text.split('\r\n').filter((line) => line !== '');

async function contactableCount(filters: unknown[]): Promise<number> {
  const { status, body } = await loadRest(apiUrl, token, { measures: ['marketing.contactable_count'], filters });
  expect(status).toBe(200);
  return Number(body.data[0]['marketing.contactable_count']);
}

beforeAll(async () => {
  token = await signIn(apiUrl, 'marketing');
});

describe('saved segments', () => {
  const conditions = [{ attribute: 'customerType', operator: 'in', values: ['business'] }];

  it('wants a signed-in token', async () => {
    expect((await call('/segments', { auth: null })).status).toBe(401);
    expect((await call('/segments', { auth: 'Bearer not-a-token' })).status).toBe(401);
    expect((await call('/export', { auth: null, method: 'POST', body: '{"query":{}}' })).status).toBe(401);
  });

  it('saves a segment by name, lists it, replaces it and deletes it', async () => {
    const saved = await call('/segments/Yritykset%20Uusimaa', { method: 'PUT', body: JSON.stringify({ conditions }) });
    expect(saved.status).toBe(200);
    const listed = JSON.parse((await call('/segments')).text) as { segments: { name: string; conditions: unknown; savedBy: string }[] };
    expect(listed.segments.find((s) => s.name === 'Yritykset Uusimaa')).toMatchObject({ conditions, savedBy: 'marketing' });
    const replaced = [{ attribute: 'region', operator: 'in', values: ['Uusimaa'] }];
    await call('/segments/Yritykset%20Uusimaa', { method: 'PUT', body: JSON.stringify({ conditions: replaced }) });
    const again = JSON.parse((await call('/segments')).text) as { segments: { name: string; conditions: unknown }[] };
    expect(again.segments.filter((s) => s.name === 'Yritykset Uusimaa').map((s) => s.conditions)).toEqual([replaced]);
    expect((await call('/segments/Yritykset%20Uusimaa', { method: 'DELETE' })).status).toBe(204);
    expect((await call('/segments/Yritykset%20Uusimaa', { method: 'DELETE' })).status).toBe(404);
  });

  it('keeps segments in a file, so another server over the same warehouse folder has them', async () => {
    await call('/segments/Pysyva', { method: 'PUT', body: JSON.stringify({ conditions }) });
    const other = await serve({ port: 0, warehouseFile, dashboardDir: join(tmpdir(), 'no-dashboard') });
    try {
      const listed = JSON.parse((await call('/segments', {}, other.url)).text) as { segments: { name: string }[] };
      expect(listed.segments.map((s) => s.name)).toContain('Pysyva');
    } finally {
      await other.close();
      await call('/segments/Pysyva', { method: 'DELETE' });
    }
  });

  it('answers bad input with 400 and a short reason', async () => {
    const cases: [string, RequestInit, RegExp][] = [
      ['/segments/%20', { method: 'PUT', body: JSON.stringify({ conditions }) }, /name is required/],
      [`/segments/${'x'.repeat(81)}`, { method: 'PUT', body: JSON.stringify({ conditions }) }, /longer than 80/],
      ['/segments/a', { method: 'PUT', body: JSON.stringify({ conditions: 'all' }) }, /conditions must be a list/],
      ['/segments/a', { method: 'PUT', body: JSON.stringify({ conditions: [{ attribute: 'region', operator: 'in', values: [7] }] }) }, /condition 1: value 1/],
      ['/export', { method: 'POST', body: JSON.stringify({ query: [] }) }, /query must be an object/],
      ['/export', { method: 'POST', body: JSON.stringify({ query: { filters: [{ member: 'finance.revenue', operator: 'gt', values: ['0'] }] } }) }, /only name members of the marketing view/],
      ['/export', { method: 'POST', body: JSON.stringify({ query: { segments: ['finance.x'] } }) }, /segments must be a list of marketing view segments/],
      ['/export', { method: 'POST', body: JSON.stringify({ query: { filters: [{ member: 'marketing.no_such_member', operator: 'equals', values: ['1'] }] } }) }, /no_such_member/],
    ];
    for (const [path, init, reason] of cases) {
      const response = await call(path, init);
      expect(response.status, path).toBe(400);
      const message = (JSON.parse(response.text) as { error: string }).error;
      expect(message).toMatch(reason);
      expect(message).not.toMatch(/select|from\s/i);
    }
  });
});

describe('newsletter export', () => {
  it('has exactly the subscriber columns of the newsletter tool in the source catalogue', async () => {
    const spec = readCatalogue().find((entity) => entityName(entity) === 'newsletter.subscribers')!;
    const { status, text, headers } = await exportOf({});
    expect(status).toBe(200);
    expect(headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csvRows(text)[0]).toBe(spec.columns.map((c) => c.name).join(','));
    expect(newsletterImportColumns.map(([column]) => column)).toEqual(spec.columns.map((c) => c.name));
  });

  it('exports one row per customer of the segment who may be e-mailed, as many as the semantic layer counts', async () => {
    const filters = [{ member: 'marketing.customer_type', operator: 'equals', values: ['consumer'] }];
    const { text, headers } = await exportOf({ filters });
    const rows = csvRows(text).slice(1);
    const expected = await contactableCount(filters);
    expect(expected).toBeGreaterThan(0);
    expect(rows.length).toBe(expected);
    expect(Number(headers.get('x-asiakkuus-row-count'))).toBe(expected);
    const emails = rows.map((row) => row.split(',')[1]);
    expect(new Set(emails).size).toBe(rows.length);
    expect(rows.every((row) => row.split(',')[4] === 'subscribed')).toBe(true);
  });

  it('leaves out every customer who unsubscribed, bounced or gave no consent', async () => {
    const excluded = await loadRest(apiUrl, token, {
      dimensions: ['marketing.export_email', 'marketing.exclusion_reason'],
      filters: [{ member: 'marketing.exclusion_reason', operator: 'set' }, { member: 'marketing.export_email', operator: 'set' }],
      limit: 50_000,
    });
    const reasons = new Set((excluded.body.data as Record<string, string>[]).map((r) => r['marketing.exclusion_reason']));
    expect([...reasons].every((reason) => ['unsubscribed', 'bounced', 'no_consent'].includes(reason!))).toBe(true);
    const excludedEmails = new Set((excluded.body.data as Record<string, string>[]).map((r) => r['marketing.export_email']));
    expect(excludedEmails.size).toBeGreaterThan(0);
    const exported = csvRows((await exportOf({})).text).slice(1).map((row) => row.split(',')[1]!);
    expect(exported.filter((email) => excludedEmails.has(email))).toEqual([]);
  });

  it('exports a list: the win-back customers who may be e-mailed', async () => {
    const filters = [{ member: 'marketing.winback_list_winback_reason', operator: 'set' }];
    const { status, body } = await loadRest(apiUrl, token, { measures: ['marketing.winback_list_included_count'], filters });
    expect(status).toBe(200);
    const rows = csvRows((await exportOf({ filters })).text).slice(1);
    expect(rows.length).toBe(Number(body.data[0]['marketing.winback_list_included_count']));
  });
});

describe('export paging', () => {
  let workDir: string;
  let server: Server;
  let base: string;
  let warehouse: WarehouseReader;

  beforeAll(async () => {
    // The routes on their own with a page of 97 rows, so the sample's customers take many pages.
    workDir = mkdtempSync(join(tmpdir(), 'asiakkuus-marketing-api-'));
    warehouse = new WarehouseReader(warehouseFile);
    const { model } = await projectModel();
    const auth = new Authenticator(loadApiSecret(secretFile(warehouseFile)), readUsers(usersFile()));
    const app = express();
    app.use(express.json());
    app.use('/api/marketing', marketingRoutes({ model, warehouse, auth, pageSize: 97, segmentsFile: join(workDir, 'segments.json') }));
    server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    server?.close();
    await warehouse?.close();
    if (workDir) rmSync(workDir, { recursive: true, force: true });
  });

  it('writes every row once across pages, in the same rows as one page would', async () => {
    const paged = csvRows((await exportOf({}, base)).text);
    const whole = csvRows((await exportOf({})).text);
    expect(paged.length - 1).toBeGreaterThan(97 * 3);
    expect(paged).toEqual(whole);
  });
});
