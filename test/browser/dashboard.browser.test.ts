// The finance page in real Chromium against the running server: sign in; the KPI
// figures are the API's for the period shown; a filter changes every figure and lands
// in the URL; the customer table sorts, searches and exports; a customer drills down to
// products, months and the order lines behind the figures, which add up to the table
// row; the charts draw; Finnish formats; the view survives a reload. Screenshots go to
// test-results/screenshots/.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { readCsv } from '../helpers/csv.ts';
import { appUrl, canvasInkRatio, launchChromium, screenshot } from './helpers.ts';

const kpi = (key: string) => `[data-testid="kpi-${key}"] [data-testid="kpi-value"]`;
const customerTable = '[data-testid="customer-table"]';
/** A Finnish money amount: groups of three separated by a (narrow) no-break space, comma decimals, then " €". */
const finnishEuros = /^[-−]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*,\d{2}[\u00a0\u202f ]€$/;

/** "€3,169,275" / "3 169 275 €" / "−€12.50" -> 3169275 / -12.5, for the page's two languages. */
function amountOf(text: string, decimalComma: boolean): number {
  const negative = /[-−]/.test(text);
  const digits = decimalComma ? text.replace(/[^\d,]/g, '').replace(',', '.') : text.replace(/[^\d.]/g, '');
  return (negative ? -1 : 1) * Number(digits);
}

function lastDayOf(month: string): string {
  const [year, m] = month.split('-').map(Number);
  return `${month}-${String(new Date(Date.UTC(year!, m!, 0)).getUTCDate()).padStart(2, '0')}`;
}

describe('finance page in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  /** The API's total of `measure` for the period in the page's URL and the given filters. */
  async function apiTotal(measure: string, filters: { member: string; operator: string; values: string[] }[] = []): Promise<number> {
    const url = new URL(page.url());
    const from = url.searchParams.get('from')!;
    const to = url.searchParams.get('to')!;
    const { status, body } = await loadRest(appUrl(), token, {
      measures: [measure],
      timeDimensions: [{ dimension: 'finance.month', dateRange: [`${from}-01`, lastDayOf(to)] }],
      filters,
    });
    expect(status).toBe(200);
    return Number(body.data[0]?.[measure] ?? 0);
  }

  async function waitForKpis(): Promise<void> {
    await page.waitForSelector(kpi('revenue'), { timeout: 30_000 });
  }

  beforeAll(async () => {
    token = await signIn(appUrl());
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await context?.close();
    await browser?.close();
  });

  it('rejects a wrong password with a message', async () => {
    await page.goto(appUrl());
    await page.fill('input[name="username"]', 'finance');
    await page.fill('input[name="password"]', 'not-the-password');
    await page.click('button[type="submit"]');
    await expect(page.locator('.form-message-error').textContent({ timeout: 15_000 })).resolves.toContain('Wrong username or password');
  });

  it('signs in as finance and opens the last twelve months', async () => {
    await page.fill('input[name="username"]', 'finance');
    await page.fill('input[name="password"]', 'demo');
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="current-user"]').waitFor({ timeout: 15_000 });
    await waitForKpis();
    const url = new URL(page.url());
    const from = url.searchParams.get('from')!;
    const to = url.searchParams.get('to')!;
    expect(from).toMatch(/^\d{4}-\d{2}$/);
    const months = (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5)) - Number(from.slice(5)) + 1;
    expect(months).toBe(12);
  });

  it('shows the KPI figures the API gives for the period, with the change against the previous one', async () => {
    const shown = async (key: string) => amountOf((await page.textContent(kpi(key)))!, false);
    const revenue = await apiTotal('finance.revenue');
    const grossMargin = await apiTotal('finance.gross_margin');
    const contribution = await apiTotal('finance.contribution_margin');
    expect(revenue).toBeGreaterThan(0);
    // The cards show whole euros.
    expect(await shown('revenue')).toBe(Math.round(revenue));
    expect(await shown('gross-margin')).toBe(Math.round(grossMargin));
    expect(await shown('contribution-margin')).toBe(Math.round(contribution));
    expect(await shown('margin-pct')).toBeCloseTo((100 * grossMargin) / revenue, 1);
    // The change is against the twelve months before, which the sample company has.
    const change = (await page.textContent('[data-testid="kpi-revenue"] [data-testid="kpi-change"]'))!;
    expect(change).toMatch(/^[+−±]\d/);
  });

  it('draws the monthly chart, the whale curve, the deciles and both heatmaps from real data', async () => {
    const monthly = '[data-testid="monthly-margin-chart"]';
    await page.waitForSelector(`${monthly}[data-points]`, { timeout: 30_000 });
    expect(Number(await page.getAttribute(monthly, 'data-points'))).toBe(12);
    expect(await canvasInkRatio(page, monthly)).toBeGreaterThan(0.05);
    await page.waitForSelector('[data-testid="whale-curve"][data-points]', { timeout: 30_000 });
    expect(Number(await page.getAttribute('[data-testid="whale-curve"]', 'data-points'))).toBeGreaterThan(10);
    await page.waitForSelector('[data-testid="decile-chart"][data-points="10"]', { timeout: 30_000 });
    expect(await page.textContent('[data-testid="whale-summary"]')).toMatch(/The top 20% of customers earn \d/);
    for (const heatmap of ['customer-product-heatmap', 'segment-product-heatmap']) {
      await page.waitForSelector(`[data-testid="${heatmap}"][data-cells]`, { timeout: 30_000 });
      expect(Number(await page.getAttribute(`[data-testid="${heatmap}"]`, 'data-cells'))).toBeGreaterThan(3);
    }
    await screenshot(page, 'finance-en');
  });

  it('draws the charts again at a new size when the window narrows', async () => {
    // EChart.svelte skips the ResizeObserver's first report (the size it drew at); a real
    // change of size must still redraw the canvas at the container's new width.
    const monthly = '[data-testid="monthly-margin-chart"]';
    const canvasAndContainerWidths = () =>
      page.$eval(`${monthly} .echart`, (container) => [container.querySelector('canvas')!.clientWidth, container.clientWidth]);
    const [before] = await canvasAndContainerWidths();
    await page.setViewportSize({ width: 1000, height: 900 });
    try {
      await page.waitForFunction(
        (selector) => {
          const container = document.querySelector<HTMLElement>(`${selector} .echart`)!;
          return container.querySelector('canvas')!.clientWidth === container.clientWidth;
        },
        monthly,
        { timeout: 15_000 },
      );
      const [after, containerWidth] = await canvasAndContainerWidths();
      expect(after).toBe(containerWidth);
      expect(after).toBeLessThan(before!);
      expect(await canvasInkRatio(page, monthly)).toBeGreaterThan(0.05);
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  it('sorts customers by contribution margin and searches them by name', async () => {
    await page.waitForSelector(`${customerTable} tbody tr[data-customer-id]`, { timeout: 30_000 });
    const margins = (await page.locator(`${customerTable} tbody tr td:nth-child(6)`).allTextContents()).map((text) => amountOf(text, false));
    expect(margins).toHaveLength(15);
    expect([...margins].sort((a, b) => b - a)).toEqual(margins);
    const name = (await page.locator(`${customerTable} tbody tr:nth-child(3) .customer-name`).textContent())!.trim();
    const word = name.split(' ')[0]!;
    await page.fill('[data-testid="customer-search"]', word);
    await page.waitForFunction(
      ([selector, text]) => {
        const rows = Array.from(document.querySelectorAll(`${selector} tbody tr[data-customer-id] .customer-name`));
        return rows.length > 0 && rows.every((row) => row.textContent!.toLowerCase().includes(text!.toLowerCase()));
      },
      [customerTable, word] as const,
      { timeout: 15_000 },
    );
    await page.fill('[data-testid="customer-search"]', '');
    await page.waitForFunction((selector) => document.querySelectorAll(`${selector} tbody tr[data-customer-id]`).length === 15, customerTable, { timeout: 15_000 });
  });

  it('exports every customer of the period as CSV', async () => {
    const pager = (await page.textContent('[data-testid="customer-pager"]'))!;
    const total = Number(/of ([\d,]+)/.exec(pager)![1]!.replace(/,/g, ''));
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid="export-csv"]')]);
    const csv = readFileSync((await download.path())!, 'utf8').replace(/^\ufeff/, '').trim().split('\r\n');
    expect(csv[0]).toContain('customer_id');
    expect(csv.length - 1).toBe(total);
    // Every customer with its own name, type and region (asked after the margins, by id),
    // as the customers themselves are in the API.
    const rows = readCsv((await download.path())!);
    expect(rows).toHaveLength(total);
    const { status, body } = await loadRest(appUrl(), token, {
      dimensions: ['finance.customer_id', 'finance.customer_name', 'finance.customer_type', 'finance.region'],
      limit: 50_000,
    });
    expect(status).toBe(200);
    const customers = new Map((body.data as Record<string, string | null>[]).map((c) => [c['finance.customer_id'], [c['finance.customer_name'] ?? '', c['finance.customer_type'] ?? '', c['finance.region'] ?? '']]));
    const idColumn = Object.keys(rows[0]!).find((key) => key.endsWith('customer_id'))!;
    for (const row of rows) expect([row.Customer, row['Customer type'], row.Region], row[idColumn]).toEqual(customers.get(row[idColumn]!));
    // The screen's page asks for its customers' figures after the page itself, the export
    // with its pages (loadCustomerMargins): the same customer carries the same figures.
    const exportedById = new Map(rows.map((row) => [row[idColumn]!, row]));
    const screenRows = await page.locator(`${customerTable} tbody tr[data-customer-id]`).all();
    expect(screenRows).toHaveLength(15);
    for (const screenRow of screenRows) {
      const id = (await screenRow.getAttribute('data-customer-id'))!;
      const exported = exportedById.get(id)!;
      const [revenue, grossMargin, grossMarginPct, costToServe, contributionMargin] = (await screenRow.locator('td').allTextContents()).map((text) => amountOf(text, false));
      expect(revenue, id).toBeCloseTo(Number(exported['Net revenue']), 2);
      expect(grossMargin, id).toBeCloseTo(Number(exported['Gross margin']), 2);
      expect(grossMarginPct, id).toBeCloseTo(Number(exported['Margin %']), 1);
      expect(costToServe, id).toBeCloseTo(Number(exported['Cost-to-serve']), 2);
      expect(contributionMargin, id).toBeCloseTo(Number(exported['Contribution margin']), 2);
    }
  });

  it('drills into a customer: products and order lines add up to the table row', async () => {
    const firstRow = page.locator(`${customerTable} tbody tr[data-customer-id]`).first();
    const customerId = (await firstRow.getAttribute('data-customer-id'))!;
    const rowRevenue = amountOf((await firstRow.locator('td:nth-child(2)').textContent())!, false);
    await firstRow.locator('.link-button').click();
    await page.waitForSelector('[data-testid="detail-products"] tbody tr', { timeout: 30_000 });
    expect(new URL(page.url()).searchParams.get('customer')).toBe(customerId);
    const productRevenues = (await page.locator('[data-testid="detail-products"] tbody tr td:nth-child(3)').allTextContents()).map((text) => amountOf(text, false));
    const productSum = productRevenues.reduce((sum, value) => sum + value, 0);
    expect(productSum).toBeCloseTo(rowRevenue, 1);
    await page.waitForSelector('[data-testid="order-lines"] tbody tr', { timeout: 30_000 });
    // Every line names the source file and row it came from.
    const sources = await page.locator('[data-testid="order-lines"] tbody tr .source').allTextContents();
    expect(sources.length).toBeGreaterThan(0);
    for (const source of sources) expect(source).toMatch(/order_lines\.\w+:\d+ · load \d+/);
    // The lines of one product add up to that product's row.
    const product = page.locator('[data-testid="detail-products"] tbody tr').first();
    const productRevenue = amountOf((await product.locator('td:nth-child(3)').textContent())!, false);
    await product.locator('.link-button').click();
    await page.locator('h2', { hasText: 'Order lines of' }).waitFor({ timeout: 15_000 });
    const pagerText = (await page.textContent('[data-testid="lines-pager"]'))!;
    const lineCount = Number(/of (\d+)/.exec(pagerText)![1]);
    if (lineCount <= 20) {
      const lineRevenues = (await page.locator('[data-testid="order-lines"] tbody tr td:nth-child(7)').allTextContents()).map((text) => amountOf(text, false));
      expect(lineRevenues.reduce((sum, value) => sum + value, 0)).toBeCloseTo(productRevenue, 1);
    }
    await page.locator('[data-testid="order-lines"]').scrollIntoViewIfNeeded();
    await screenshot(page, 'finance-drill-en');
  });

  it('filters every figure by customer type and keeps the filter in the URL', async () => {
    await page.click('[data-testid="detail-close"]');
    await page.selectOption('[data-testid="filter-type"]', 'business');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('type') === 'business');
    const business = await apiTotal('finance.revenue', [{ member: 'finance.customer_type', operator: 'equals', values: ['business'] }]);
    const all = await apiTotal('finance.revenue');
    expect(business).toBeLessThan(all);
    await page.waitForFunction(
      ([selector, expected]) => {
        const text = document.querySelector(selector)?.textContent ?? '';
        return Number(text.replace(/[^\d.]/g, '')) === expected;
      },
      [kpi('revenue'), Math.round(business)] as const,
      { timeout: 30_000 },
    );
  });

  it('speaks Finnish with Finnish number formats, and keeps the view over a reload', async () => {
    await page.click('[data-testid="language-fi"]');
    await page.locator('h2', { hasText: 'Kate asiakkaittain' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi');
    await page.reload();
    await waitForKpis();
    expect(await page.inputValue('[data-testid="filter-type"]')).toBe('business');
    const revenue = amountOf((await page.textContent(kpi('revenue')))!, true);
    expect(revenue).toBe(Math.round(await apiTotal('finance.revenue', [{ member: 'finance.customer_type', operator: 'equals', values: ['business'] }])));
    await page.waitForSelector(`${customerTable} tbody tr[data-customer-id]`, { timeout: 30_000 });
    const cell = (await page.locator(`${customerTable} tbody tr:first-child td:nth-child(2)`).textContent())!.trim();
    expect(cell).toMatch(finnishEuros);
    await page.waitForSelector('[data-testid="decile-chart"][data-points="10"]', { timeout: 30_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'finance-fi');
    await page.click('[data-testid="sign-out"]');
    await page.locator('[data-testid="sign-in-form"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
