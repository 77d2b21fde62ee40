// The Service & sales page in real Chromium against the running server: sign in; the
// SLA gauge and counts are the API's for the period in the URL; a case-type filter
// changes them and lands in the URL; the breach list exports every breach as CSV; a
// customer opens their contact history, which survives a reload, also from the finance
// page's customer; the charts draw; the care plans show their visits and revenue and say
// what a plan is behind on, and the service role, who may not see money, gets them without
// the revenue;
// Finnish texts. Screenshots go to test-results/screenshots/.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serviceMembers as s, slaSummaryQuery, breachListQuery, carePlanPageSize, carePlansQuery, type ServiceFilters } from '../../dashboard/src/lib/api/service-queries.ts';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { appUrl, canvasInkRatio, launchChromium, screenshot, screenshotDir, signInThroughPage } from './helpers.ts';

function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(year!, m!, 0)).getUTCDate()).padStart(2, '0')}`;
}

describe('Service & sales page in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  /** The filters the page's URL holds, as the page turns them into queries. */
  function filtersOfUrl(): ServiceFilters {
    const url = new URL(page.url());
    const from = url.searchParams.get('from')!;
    const to = url.searchParams.get('to')!;
    return {
      period: { from: `${from}-01`, to: lastDayOf(to) },
      caseType: url.searchParams.get('caseType'),
      channel: url.searchParams.get('channel'),
      handler: url.searchParams.get('handler'),
      salesperson: url.searchParams.get('salesperson'),
    };
  }

  async function api(query: unknown): Promise<{ data: Record<string, unknown>[]; total?: number }> {
    const { status, body } = await loadRest(appUrl(), token, query);
    expect(status).toBe(200);
    return body;
  }

  async function gaugePercent(): Promise<number> {
    const locator = page.locator('[data-testid="sla-gauge"][data-percent]');
    await locator.waitFor({ timeout: 30_000 });
    return Number(await locator.getAttribute('data-percent'));
  }

  beforeAll(async () => {
    token = await signIn(appUrl(), 'management');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    await context.addInitScript(() => localStorage.setItem('asiakkuus.language', 'en'));
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('signs in and opens the last three months with the SLA share the API gives', async () => {
    await signInThroughPage(page, 'management', '/service');
    const shown = await gaugePercent();
    const url = new URL(page.url());
    expect(url.pathname).toBe('/service');
    const from = url.searchParams.get('from')!;
    const to = url.searchParams.get('to')!;
    expect((Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1).toBe(3);
    const [row] = (await api(slaSummaryQuery(filtersOfUrl()))).data;
    expect(Number(row![s.caseCount])).toBeGreaterThan(0);
    expect(shown).toBeCloseTo(Number(row![s.caseSlaMetPct]), 1);
    expect(Number((await page.textContent('[data-testid="sla-cases"]'))!.replace(/\D/g, ''))).toBe(Number(row![s.caseCount]));
    expect(Number((await page.textContent('[data-testid="sla-breached"]'))!.replace(/\D/g, ''))).toBe(Number(row![s.caseSlaBreached]));
  });

  it('draws the daily SLA, ageing, funnel, activity and mention charts', async () => {
    for (const chart of ['sla-daily-chart', 'ageing-chart', 'pipeline-funnel', 'activity-chart', 'mentions-chart']) {
      await page.locator(`[data-testid="${chart}"][data-points]`).waitFor({ timeout: 30_000 });
      expect(await canvasInkRatio(page, `[data-testid="${chart}"]`), chart).toBeGreaterThan(0.01);
    }
    expect(await page.locator('[data-testid="pipeline-funnel"]').getAttribute('data-points')).toBe('4');
    await screenshot(page, 'service-en');
  });

  it("shows the care plans' planned vs made visits and revenue the API gives, per owner and per plan, with CSV", async () => {
    const plans = (await api(carePlansQuery(filtersOfUrl(), 0, 50_000))).data;
    expect(plans.length).toBeGreaterThan(0);
    const owners = new Set(plans.map((p) => p[s.planOwner]));
    const chart = page.locator('[data-testid="plan-chart"][data-points]');
    await chart.waitFor({ timeout: 30_000 });
    expect(Number(await chart.getAttribute('data-points'))).toBe(owners.size);
    expect(await canvasInkRatio(page, '[data-testid="plan-chart"]')).toBeGreaterThan(0.01);
    // The table shows the first page of them, in the API's order.
    const rows = page.locator('[data-testid="plan-table"] tbody tr[data-plan-id]');
    await expect
      .poll(() => rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-plan-id'))), { timeout: 30_000 })
      .toEqual(plans.slice(0, carePlanPageSize).map((p) => p[s.planId]));
    const first = plans[0]!;
    const cells = await page.locator(`[data-testid="plan-table"] tr[data-plan-id="${String(first[s.planId])}"] td.numeric`).allTextContents();
    // Visits as numbers, revenue as whole euros ("€1,234").
    expect(cells.map((c) => Number(c.replace(/[^\d.-]/g, '')))).toEqual([
      Number(first[s.planPlannedVisits]), Math.round(Number(first[s.planPlannedVisitsToDate]) * 10) / 10, Number(first[s.planVisitsMade]),
      Math.round(Number(first[s.planTargetRevenue])), Math.round(Number(first[s.planTargetRevenueToDate])), Math.round(Number(first[s.planRevenueMade])),
    ]);
    // Each shaded plan of the page says what it is behind on, as the API says.
    const reasons = Object.fromEntries(
      await page.locator('[data-testid="plan-table"] tbody tr[data-plan-id]').evaluateAll((trs) =>
        trs.map((tr) => [tr.getAttribute('data-plan-id'), `${tr.classList.contains('behind')}:${tr.querySelector('[data-testid="plan-behind-on"]')?.textContent?.trim() ?? ''}`]),
      ),
    );
    const reasonOf = (p: Record<string, unknown>) =>
      `${Number(p[s.planBehind]) > 0}:${['', 'Visits', 'Revenue', 'Visits and revenue'][(Number(p[s.planBehindOnVisits]) > 0 ? 1 : 0) + (Number(p[s.planBehindOnRevenue]) > 0 ? 2 : 0)]}`;
    expect(reasons).toEqual(Object.fromEntries(plans.slice(0, carePlanPageSize).map((p) => [p[s.planId], reasonOf(p)])));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="plan-csv"]')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0]).toContain('plan_id');
    expect(csv[0]).toContain('Revenue made');
    expect(csv.length - 1).toBe(plans.length);
    await page.locator('section[aria-labelledby="care-plans-title"]').screenshot({ path: `${screenshotDir}service-care-plans.png` });
  });

  it('filters to complaints: the gauge follows and the URL keeps it', async () => {
    await page.selectOption('[data-testid="filter-case-type"]', 'complaint');
    await page.waitForURL(/caseType=complaint/, { timeout: 15_000 });
    const [row] = (await api(slaSummaryQuery(filtersOfUrl()))).data;
    await expect.poll(gaugePercent, { timeout: 30_000 }).toBeCloseTo(Number(row![s.caseSlaMetPct]), 1);
  });

  it('exports every breach of the period as CSV', async () => {
    const { total } = await api(breachListQuery(filtersOfUrl(), 0, 1));
    expect(total).toBeGreaterThan(0);
    await page.locator('[data-testid="breach-table"] tbody tr[data-case-id]').first().waitFor({ timeout: 30_000 });
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="breach-csv"]')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0]).toContain('case_id');
    expect(csv.length - 1).toBe(total);
  });

  it("opens a customer's contact history from the breach list, and keeps it over a reload", async () => {
    const firstBreach = page.locator('[data-testid="breach-table"] tbody tr[data-case-id]').first();
    const caseId = await firstBreach.getAttribute('data-case-id');
    await firstBreach.locator('button.link-button').click();
    await page.waitForURL(/customer=CU-/, { timeout: 15_000 });
    const timeline = page.locator('[data-testid="contact-timeline"]');
    await timeline.waitFor({ timeout: 30_000 });
    // The breached case is one of the customer's contacts.
    await expect.poll(() => timeline.locator(`tr[data-contact-id="helpdesk.cases:${caseId}"]`).count(), { timeout: 30_000 }).toBe(1);
    await page.reload();
    await page.locator('[data-testid="contact-timeline"] tbody tr').first().waitFor({ timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('caseType')).toBe('complaint');
  });

  it("reaches a customer's contact history from the finance page's customer", async () => {
    const { data } = await api({ dimensions: [s.contactCustomerId], measures: ['service.contact_count'], order: { 'service.contact_count': 'desc' }, limit: 1 });
    const customerId = String(data[0]![s.contactCustomerId]);
    await page.goto(`${appUrl()}/finance?customer=${encodeURIComponent(customerId)}`);
    await page.click('[data-testid="detail-contacts"]', { timeout: 30_000 });
    await page.waitForURL(/\/service\?/, { timeout: 15_000 });
    expect(new URL(page.url()).searchParams.get('customer')).toBe(customerId);
    const rows = page.locator('[data-testid="contact-timeline"] tbody tr[data-contact-id]');
    await rows.first().waitFor({ timeout: 30_000 });
    expect(await rows.count()).toBe(Math.min(20, Number(data[0]!['service.contact_count'])));
  });

  it('shows the service role the care plans without revenue, saying so, but with what each plan is behind on', async () => {
    const serviceContext = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    await serviceContext.addInitScript(() => localStorage.setItem('asiakkuus.language', 'en'));
    try {
      const servicePage = await serviceContext.newPage();
      await signInThroughPage(servicePage, 'service', '/service');
      const rows = servicePage.locator('[data-testid="plan-table"] tbody tr[data-plan-id]');
      await rows.first().waitFor({ timeout: 30_000 });
      await expect.poll(() => servicePage.textContent('[data-testid="plan-revenue-hidden"]'), { timeout: 30_000 }).toContain('hidden for your role');
      expect(await servicePage.locator('[data-testid="plan-table"] [data-testid="plan-revenue-made"]').count()).toBe(0);
      // Every shaded row still names what it is behind on.
      const shaded = await servicePage.locator('[data-testid="plan-table"] tbody tr.behind [data-testid="plan-behind-on"]').allTextContents();
      expect(shaded.length).toBeGreaterThan(0);
      expect(shaded.every((text) => ['Visits', 'Revenue', 'Visits and revenue'].includes(text.trim()))).toBe(true);
      await servicePage.locator('section[aria-labelledby="care-plans-title"]').screenshot({ path: `${screenshotDir}service-care-plans-service-role.png` });
    } finally {
      await serviceContext.close();
    }
  });

  it('speaks Finnish', async () => {
    await page.click('[data-testid="language-fi"]');
    await expect.poll(() => page.textContent('h1'), { timeout: 15_000 }).toBe('Palvelu ja myynti');
    await page.locator('[data-testid="sla-gauge"][data-percent]').waitFor({ timeout: 30_000 });
    await screenshot(page, 'service-fi');
    await page.click('[data-testid="language-en"]');
    expect(pageErrors).toEqual([]);
  });
});
