// The dashboard in real Chromium against the running server: sign in, the monthly
// chart draws real data, the top-customers table is filled, the Finnish UI formats
// numbers the Finnish way, and the choices survive a reload.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrl, canvasInkRatio, launchChromium, screenshot } from './helpers.ts';

const chart = '[data-testid="monthly-margin-chart"]';
const table = '[data-testid="top-customers"]';
/** A Finnish money amount: groups of three separated by a (narrow) no-break space, comma decimals, then " €". */
const finnishEuros = /^-?\d{1,3}(?:[\u00a0\u202f ]\d{3})*,\d{2}[\u00a0\u202f ]€$/;

describe('dashboard in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
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

  it('signs in as finance', async () => {
    await page.fill('input[name="username"]', 'finance');
    await page.fill('input[name="password"]', 'demo');
    await page.click('button[type="submit"]');
    const user = page.locator('[data-testid="current-user"]');
    await user.waitFor({ timeout: 15_000 });
    expect(await user.textContent()).toContain('Finance (demo)');
  });

  it('draws revenue and gross margin by month from real data', async () => {
    await page.waitForSelector(`${chart}[data-points]`, { timeout: 30_000 });
    expect(Number(await page.getAttribute(chart, 'data-points'))).toBeGreaterThan(0);
    expect(await page.locator('h2', { hasText: 'Revenue and gross margin by month' }).count()).toBe(1);
    // Axes, legend and labels alone cover a few percent of the canvas; bars cover far more.
    expect(await canvasInkRatio(page, chart)).toBeGreaterThan(0.05);
  });

  it('lists the top 10 customers by gross margin', async () => {
    await page.waitForSelector(`${table} tbody tr`, { timeout: 30_000 });
    const names = await page.locator(`${table} tbody .customer-name`).allTextContents();
    expect(names).toHaveLength(10);
    for (const name of names) expect(name.trim()).not.toBe('');
    const margins = await page.locator(`${table} tbody tr td:nth-child(5)`).allTextContents();
    const amounts = margins.map((text) => Number(text.replace(/[^\d.-]/g, '')));
    expect(amounts.every((amount) => amount > 0)).toBe(true);
    expect([...amounts].sort((a, b) => b - a)).toEqual(amounts);
    await screenshot(page, 'dashboard-en');
  });

  it('switches to Finnish labels and number formats', async () => {
    await page.click('[data-testid="language-fi"]');
    await page.locator('h2', { hasText: 'Liikevaihto ja myyntikate kuukausittain' }).waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('fi');
    const revenue = (await page.locator(`${table} tbody tr:first-child td:nth-child(3)`).textContent())?.trim() ?? '';
    expect(revenue).toMatch(finnishEuros);
    expect(revenue).toMatch(/\d[\u00a0\u202f ]\d{3},/);
    // The chart is redrawn with Finnish labels.
    await page.waitForSelector(`${chart}[data-points]`, { timeout: 30_000 });
    await page.waitForTimeout(800);
    await screenshot(page, 'dashboard-fi');
  });

  it('keeps the language and the session over a reload, and signs out', async () => {
    await page.reload();
    await page.locator('h2', { hasText: 'Suurimmat asiakkaat myyntikatteen mukaan' }).waitFor({ timeout: 15_000 });
    await page.waitForSelector(`${chart}[data-points]`, { timeout: 30_000 });
    await page.click('[data-testid="sign-out"]');
    await page.locator('[data-testid="sign-in-form"]').waitFor({ timeout: 10_000 });
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
