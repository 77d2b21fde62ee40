// The management page in real Chromium against the running server, in English and
// Finnish: the quadrant, nature and class figures are the API's; the quadrant chart
// draws every valued customer; a quadrant drills to its customers and a customer to the
// finance page's detail; filters land in the URL and survive a reload; the transitions
// and the maturity level are the API's; the customer list exports as CSV. Screenshots go
// to test-results/screenshots/.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { appUrl, canvasInkRatio, launchChromium, screenshot } from './helpers.ts';

/** "€3,169,275" / "3 169 275 €" / "1,064" / "1 064" -> a number, for the page's two languages. */
function numberOf(text: string, decimalComma: boolean): number {
  const negative = /[-−]/.test(text);
  const digits = decimalComma ? text.replace(/[^\d,]/g, '').replace(',', '.') : text.replace(/[^\d.]/g, '');
  return (negative ? -1 : 1) * Number(digits);
}

type Row = Record<string, string | number | boolean | null>;

describe('management page in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  async function api(query: Record<string, unknown>): Promise<Row[]> {
    const { status, body } = await loadRest(appUrl(), token, query);
    expect(status).toBe(200);
    return body.data as Row[];
  }

  /** Customers and revenue per value of a portfolio dimension, from the API. */
  async function apiGroups(dimension: string, filters: Record<string, unknown>[] = []): Promise<Map<string, { customers: number; revenue: number }>> {
    const rows = await api({ dimensions: [dimension], measures: ['management.customer_count', 'management.revenue'], filters });
    return new Map(rows.map((r) => [String(r[dimension]), { customers: Number(r['management.customer_count']), revenue: Number(r['management.revenue']) }]));
  }

  /** Customers and revenue per group as the page's table shows them. */
  async function shownGroups(table: string, decimalComma: boolean): Promise<Map<string, { customers: number; revenue: number }>> {
    const rows = page.locator(`[data-testid="${table}"] tbody tr[data-group]`);
    const result = new Map<string, { customers: number; revenue: number }>();
    for (const row of await rows.all()) {
      result.set((await row.getAttribute('data-group'))!, {
        customers: numberOf((await row.locator('[data-testid="group-customers"]').textContent())!, decimalComma),
        revenue: numberOf((await row.locator('[data-testid="group-revenue"]').textContent())!, decimalComma),
      });
    }
    return result;
  }

  function expectSameGroups(shown: Map<string, { customers: number; revenue: number }>, fromApi: Map<string, { customers: number; revenue: number }>): void {
    expect([...shown.keys()].sort()).toEqual([...fromApi.keys()].sort());
    for (const [group, figures] of fromApi) {
      expect(shown.get(group)!.customers, group).toBe(figures.customers);
      // The tables show whole euros.
      expect(shown.get(group)!.revenue, group).toBe(Math.round(figures.revenue));
    }
  }

  beforeAll(async () => {
    token = await signIn(appUrl(), 'management');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('signs in as management and opens the management page from the header', async () => {
    await page.goto(appUrl());
    await page.fill('input[name="username"]', 'management');
    await page.fill('input[name="password"]', 'demo');
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="current-user"]').waitFor({ timeout: 15_000 });
    await page.getByRole('link', { name: 'Management' }).click();
    await page.locator('h1', { hasText: 'Management' }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/management');
  });

  it('shows the quadrants, natures and care classes with the API figures', async () => {
    await page.waitForSelector('[data-testid="quadrant-table"] tbody tr[data-group]', { timeout: 30_000 });
    expectSameGroups(await shownGroups('quadrant-table', false), await apiGroups('management.value_quadrant'));
    await page.waitForSelector('[data-testid="nature-table"] tbody tr[data-group]', { timeout: 30_000 });
    expectSameGroups(await shownGroups('nature-table', false), await apiGroups('management.relationship_nature'));
    await page.waitForSelector('[data-testid="class-table"] tbody tr[data-group]', { timeout: 30_000 });
    expectSameGroups(await shownGroups('class-table', false), await apiGroups('management.care_class'));
  });

  it('draws every valued customer in the quadrant chart', async () => {
    const chart = '[data-testid="quadrant-chart"]';
    await page.waitForSelector(`${chart}[data-points]`, { timeout: 30_000 });
    const valued = await api({ measures: ['management.customer_count'], filters: [{ member: 'management.value_quadrant', operator: 'notEquals', values: ['not_valued'] }] });
    expect(Number(await page.getAttribute(chart, 'data-points'))).toBe(Number(valued[0]!['management.customer_count']));
    expect(await canvasInkRatio(page, chart)).toBeGreaterThan(0.02);
    await page.waitForSelector('[data-testid="transitions-chart"][data-links]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="indicator-table"] tbody tr', { timeout: 30_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'management-en');
  });

  it('drills from a quadrant to its customers, keeping the filter in the URL', async () => {
    await page.click('[data-testid="quadrant-table"] tr[data-group="retain"] .link-button');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('quadrant') === 'retain');
    const retain = (await apiGroups('management.value_quadrant')).get('retain')!;
    await page.waitForFunction(
      (expected) => (document.querySelector('[data-testid="portfolio-pager"]')?.textContent ?? '').replace(/[^\d]/g, '').endsWith(String(expected)),
      retain.customers,
      { timeout: 30_000 },
    );
    const quadrants = await page.locator('[data-testid="portfolio-table"] [data-testid="cell-quadrant"]').allTextContents();
    expect(quadrants.length).toBeGreaterThan(0);
    for (const quadrant of quadrants) expect(quadrant).toBe('Retain');
    // The other panels follow the filter: the care classes add up to the quadrant.
    await page.waitForFunction(
      (expected) => (document.querySelector('[data-testid="class-table"] [data-testid="total-customers"]')?.textContent ?? '').replace(/[^\d]/g, '') === String(expected),
      retain.customers,
      { timeout: 30_000 },
    );
  });

  it("drills from a customer to the finance page's detail, whose revenue is the customer's", async () => {
    const firstRow = page.locator('[data-testid="portfolio-table"] tbody tr[data-customer-id]').first();
    const customerId = (await firstRow.getAttribute('data-customer-id'))!;
    await firstRow.locator('.link-button').click();
    await page.waitForSelector('[data-testid="detail-products"] tbody tr', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('customer')).toBe(customerId);
    // The detail covers the 12 months to the latest month: its products add up to the list's revenue.
    const listRevenue = numberOf((await firstRow.locator('[data-testid="cell-revenue"]').textContent())!, false);
    const products = (await page.locator('[data-testid="detail-products"] tbody tr td:nth-child(3)').allTextContents()).map((text) => numberOf(text, false));
    expect(products.reduce((sum, value) => sum + value, 0)).toBeCloseTo(listRevenue, 0);
    await page.locator('[data-testid="detail-products"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'management-drill-en');
    await page.click('[data-testid="detail-close"]');
    expect(new URL(page.url()).searchParams.get('customer')).toBeNull();
  });

  it('exports every customer of the filter as CSV', async () => {
    const pager = (await page.textContent('[data-testid="portfolio-pager"]'))!;
    const total = Number(/of ([\d,]+)/.exec(pager)![1]!.replace(/,/g, ''));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="portfolio-export"]')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0]).toContain('customer_id');
    expect(csv.length - 1).toBe(total);
    for (const line of csv.slice(1)) expect(line).toContain(',Retain,');
  });

  it('shows the transitions and the maturity level the API gives', async () => {
    const url = new URL(page.url());
    const from = url.searchParams.get('tfrom')!;
    const to = url.searchParams.get('tto')!;
    expect(from < to).toBe(true);
    const moves = await api({
      dimensions: ['management.from_value', 'management.to_value'],
      measures: ['management.moved_customers'],
      filters: [{ member: 'management.transition_dimension', operator: 'equals', values: ['care_class'] }],
      timeDimensions: [
        { dimension: 'management.from_month', dateRange: [`${from}-01`, `${from}-01`] },
        { dimension: 'management.to_month', dateRange: [`${to}-01`, `${to}-01`] },
      ],
    });
    const changed = moves.filter((m) => m['management.from_value'] !== m['management.to_value'] && m['management.from_value'] !== 'new').reduce((sum, m) => sum + Number(m['management.moved_customers']), 0);
    const summary = (await page.textContent('[data-testid="transitions-summary"]'))!;
    expect(numberOf(summary.split(' of ')[0]!, false)).toBe(changed);
    const levels = await api({
      measures: ['management.level_reached'],
      filters: [{ member: 'management.level_scope_type', operator: 'equals', values: ['company'] }],
      timeDimensions: [{ dimension: 'management.level_month', dateRange: [`${to}-01`, `${to}-01`] }],
    });
    expect(Number(await page.getAttribute('[data-testid="level-reached"]', 'data-level'))).toBe(Number(levels[0]!['management.level_reached']));
    const indicators = await api({
      dimensions: ['management.indicator'],
      measures: ['management.indicator_value'],
      filters: [{ member: 'management.scope_type', operator: 'equals', values: ['company'] }],
      timeDimensions: [{ dimension: 'management.maturity_month', dateRange: [`${to}-01`, `${to}-01`] }],
    });
    for (const indicator of indicators) {
      const cell = page.locator(`[data-testid="indicator-table"] tr[data-indicator="${indicator['management.indicator']}"] [data-testid="indicator-value"]`);
      const shown = (await cell.textContent())!;
      if (indicator['management.indicator_value'] === null) expect(shown).toBe('–');
      else expect(numberOf(shown, false)).toBeCloseTo(Number(indicator['management.indicator_value']), 1);
    }
  });

  it('drills from a maturity indicator to the customers behind it', async () => {
    await page.selectOption('[data-testid="filter-quadrant"]', '');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('quadrant'));
    const to = new URL(page.url()).searchParams.get('tto')!;
    const [known] = await api({
      dimensions: ['management.indicator'],
      measures: ['management.numerator', 'management.denominator'],
      filters: [{ member: 'management.scope_type', operator: 'equals', values: ['company'] }, { member: 'management.indicator', operator: 'equals', values: ['known_handler'] }],
      timeDimensions: [{ dimension: 'management.maturity_month', dateRange: [`${to}-01`, `${to}-01`] }],
    });
    const behind = Number(known!['management.denominator']) - Number(known!['management.numerator']);
    expect(behind).toBeGreaterThan(0);
    await page.click('[data-testid="indicator-table"] tr[data-indicator="known_handler"] [data-testid="show-behind"]');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('behind') === 'known_handler');
    await page.locator('[data-testid="behind-chip"]').waitFor({ timeout: 10_000 });
    await page.waitForFunction(
      (expected) => (document.querySelector('[data-testid="portfolio-pager"]')?.textContent ?? '').replace(/[^\d]/g, '').endsWith(String(expected)),
      behind,
      { timeout: 30_000 },
    );
    await page.click('[data-testid="behind-chip"] button');
    expect(new URL(page.url()).searchParams.get('behind')).toBeNull();
  });

  it('filters by care class and speaks Finnish, keeping the view over a reload', async () => {
    await page.selectOption('[data-testid="filter-quadrant"]', '');
    await page.selectOption('[data-testid="filter-class"]', 'A');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('class') === 'A');
    await page.click('[data-testid="language-fi"]');
    await page.locator('h1', { hasText: 'Johto' }).waitFor({ timeout: 10_000 });
    await page.reload();
    await page.locator('h1', { hasText: 'Johto' }).waitFor({ timeout: 15_000 });
    expect(await page.inputValue('[data-testid="filter-class"]')).toBe('A');
    await page.waitForSelector('[data-testid="nature-table"] tbody tr[data-group]', { timeout: 30_000 });
    const classA = [{ member: 'management.care_class', operator: 'equals', values: ['A'] }];
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="quadrant-table"] tbody tr[data-group]').length > 0, undefined, { timeout: 30_000 });
    expectSameGroups(await shownGroups('nature-table', true), await apiGroups('management.relationship_nature', classA));
    expectSameGroups(await shownGroups('quadrant-table', true), await apiGroups('management.value_quadrant', classA));
    // Finnish money: groups of three with a no-break space, then " €".
    const revenue = (await page.locator('[data-testid="nature-table"] [data-testid="group-revenue"]').first().textContent())!.trim();
    expect(revenue).toMatch(/^[-−]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*[\u00a0\u202f ]€$/);
    await page.selectOption('[data-testid="filter-class"]', '');
    await page.waitForSelector('[data-testid="quadrant-chart"][data-points]', { timeout: 30_000 });
    await page.waitForSelector('[data-testid="indicator-table"] tbody tr', { timeout: 30_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'management-fi');
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
