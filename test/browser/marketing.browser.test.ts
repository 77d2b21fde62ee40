// The marketing page in real Chromium against the running server: sign in as
// marketing; build a segment (its size is the API's for the same conditions);
// contradictory conditions get a message; save the segment by name, reload the page,
// open the saved segment; export it and check the file's rows equal the segment's size
// of customers who may be e-mailed; the RFM grid and the funnel draw; Finnish.
// Screenshots go to test-results/screenshots/.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRest, signIn } from '../helpers/api-client.ts';
import { appUrl, canvasInkRatio, launchChromium, screenshot, signInThroughPage } from './helpers.ts';

const segmentName = `Kuluttajat ${Date.now()}`;
const consumerFilter = [{ member: 'marketing.customer_type', operator: 'equals', values: ['consumer'] }];

describe('marketing page in Chromium', () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];

  async function apiCount(measure: string, filters: unknown[]): Promise<number> {
    const { status, body } = await loadRest(appUrl(), token, { measures: [measure], filters });
    expect(status).toBe(200);
    return Number(body.data[0]?.[measure] ?? 0);
  }

  /** The segment's figures once they match `expected` customers (they follow edits after a pause). */
  async function waitForSize(expected: number): Promise<void> {
    await page.waitForFunction(
      (n) => document.querySelector('[data-testid="segment-size"]')?.textContent?.replace(/\D/g, '') === String(n),
      expected,
      { timeout: 30_000 },
    );
  }

  beforeAll(async () => {
    token = await signIn(appUrl(), 'marketing');
    browser = await launchChromium();
    context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB', acceptDownloads: true });
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  afterAll(async () => {
    await fetch(`${appUrl()}/api/marketing/segments/${encodeURIComponent(segmentName)}`, { method: 'DELETE', headers: { authorization: token } }).catch(() => undefined);
    await context?.close();
    await browser?.close();
  });

  it('signs in as marketing and shows every customer before any condition', async () => {
    await signInThroughPage(page, 'marketing', '/marketing');
    await page.locator('[data-testid="no-conditions"]').waitFor({ timeout: 30_000 });
    await waitForSize(await apiCount('marketing.count', []));
  });

  it('builds a segment whose size, contactable count and revenue are the API\'s', async () => {
    await page.click('[data-testid="add-condition"]');
    await page.selectOption('[data-testid="condition-attribute"]', 'customerType');
    await page.selectOption('[data-testid="condition-value"]', 'consumer');
    await waitForSize(await apiCount('marketing.count', consumerFilter));
    const contactable = Number(await page.getAttribute('[data-testid="segment-contactable"]', 'data-value'));
    expect(contactable).toBe(await apiCount('marketing.contactable_count', consumerFilter));
    const revenue = Number((await page.textContent('[data-testid="segment-revenue"]'))!.replace(/[^\d]/g, ''));
    expect(revenue).toBe(Math.round(await apiCount('marketing.lifetime_revenue', consumerFilter)));
    expect(new URL(page.url()).searchParams.get('segment')).toContain('consumer');
    await page.locator('[data-testid="segment-exclusions"]').waitFor();
  });

  it('says so when conditions contradict each other', async () => {
    await page.click('[data-testid="add-condition"]');
    await page.selectOption('[data-testid="condition-attribute"] >> nth=1', 'customerType');
    await page.selectOption('[data-testid="condition-value"] >> nth=1', 'business');
    await expect(page.textContent('[data-testid="segment-contradiction"]', { timeout: 15_000 })).resolves.toContain('contradict');
    await waitForSize(0);
    await page.click('[data-testid="condition"] >> nth=1 >> button.remove');
    await waitForSize(await apiCount('marketing.count', consumerFilter));
    expect(await page.locator('[data-testid="segment-contradiction"]').count()).toBe(0);
  });

  it('offers relationship nature and A-D care class, named as on the management page, sized as the API sizes them', async () => {
    await page.click('[data-testid="add-condition"]');
    await page.selectOption('[data-testid="condition-attribute"] >> nth=1', 'careClass');
    const offered = await page.locator('[data-testid="condition-value"] >> nth=1 >> option').evaluateAll((options) =>
      options.map((option) => ({ value: (option as HTMLOptionElement).value, label: option.textContent ?? '' })).filter((option) => option.value !== ''));
    // The classes the data holds, each with the management page's name (B – room to grow).
    expect(offered.length).toBeGreaterThan(0);
    for (const option of offered) expect(option.label).toMatch(new RegExp(`^${option.value} – `));
    const careClass = offered[0]!.value;
    await page.selectOption('[data-testid="condition-value"] >> nth=1', careClass);
    await waitForSize(await apiCount('marketing.count', [...consumerFilter, { member: 'marketing.care_class', operator: 'equals', values: [careClass] }]));
    await page.click('[data-testid="add-condition"]');
    await page.selectOption('[data-testid="condition-attribute"] >> nth=2', 'relationshipNature');
    const natures = await page.locator('[data-testid="condition-value"] >> nth=2 >> option').evaluateAll((options) => options.map((option) => (option as HTMLOptionElement).value));
    expect(natures.filter((value) => value !== '').every((value) => ['transaction', 'contract', 'preference', 'partner', 'unknown'].includes(value))).toBe(true);
    await page.selectOption('[data-testid="condition-value"] >> nth=2', natures.find((value) => value !== '')!);
    await screenshot(page, 'marketing-care-class');
    await page.click('[data-testid="condition"] >> nth=2 >> button.remove');
    await page.click('[data-testid="condition"] >> nth=1 >> button.remove');
    await waitForSize(await apiCount('marketing.count', consumerFilter));
  });

  it('saves the segment by name and opens it again after a reload', async () => {
    await page.fill('[data-testid="segment-name"]', segmentName);
    await page.click('[data-testid="save-segment"]');
    await expect(page.textContent('[data-testid="save-message"]', { timeout: 15_000 })).resolves.toContain(segmentName);
    // A fresh page without the segment in the URL: the saved one comes from the server.
    await page.goto(`${appUrl()}/marketing`);
    await page.locator('[data-testid="no-conditions"]').waitFor({ timeout: 30_000 });
    const saved = page.locator('[data-testid="saved-segment"]', { hasText: segmentName });
    await saved.waitFor({ timeout: 15_000 });
    await saved.locator('button', { hasText: 'Open' }).click();
    await waitForSize(await apiCount('marketing.count', consumerFilter));
    await screenshot(page, 'marketing-en');
  });

  it('exports the segment: the file has the newsletter columns and as many rows as may be e-mailed', async () => {
    const contactable = Number(await page.getAttribute('[data-testid="segment-contactable"]', 'data-value'));
    const [download] = await Promise.all([page.waitForEvent('download', { timeout: 60_000 }), page.click('[data-testid="export-segment"]')]);
    const lines = readFileSync((await download.path())!, 'utf8').split('\r\n').filter((line) => line !== '');
    expect(lines[0]).toBe('subscriber_id,email,first_name,last_name,status,subscribed_at,updated_at');
    expect(lines.length - 1).toBe(contactable);
    expect(contactable).toBe(await apiCount('marketing.contactable_count', consumerFilter));
    await expect(page.textContent('[data-testid="export-message"]')).resolves.toContain(String(contactable));
  });

  it('draws the RFM grid and the campaign funnel of the segment', async () => {
    await page.locator('[data-testid="rfm-grid"][data-cells]').waitFor({ timeout: 30_000 });
    const customers = Number(await page.getAttribute('[data-testid="rfm-grid"]', 'data-customers'));
    expect(customers).toBe(await apiCount('marketing.count', [...consumerFilter, { member: 'marketing.last_purchase_on', operator: 'set' }]));
    expect(await canvasInkRatio(page, '[data-testid="rfm-grid"]')).toBeGreaterThan(0.05);
    const stages = (await page.getAttribute('[data-testid="campaign-funnel"]', 'data-stages'))!.split(',').map(Number);
    expect(stages.length).toBe(5);
    expect(stages[0]).toBeGreaterThan(0);
    // Each stage is at most the one before it.
    for (let i = 1; i < stages.length; i++) expect(stages[i]).toBeLessThanOrEqual(stages[i - 1]!);
  });

  it('shows the lists with their counts and who they leave out', async () => {
    await page.click('[data-testid="list-tab-winback"]');
    const onList = Number((await page.textContent('[data-testid="list-count"]'))!.replace(/\D/g, ''));
    expect(onList).toBe(await apiCount('marketing.winback_list_count', [...consumerFilter, { member: 'marketing.winback_list_winback_reason', operator: 'set' }]));
    // The most valuable of them, one row each, at most 15.
    expect(await page.locator('[data-testid="winback-rows"] tbody tr').count()).toBe(Math.min(15, onList));
    await page.click('[data-testid="list-tab-leads"]');
    await page.locator('[data-testid="list-campaigns"]').waitFor();
    expect(new URL(page.url()).searchParams.get('list')).toBe('leads');
  });

  it('speaks Finnish', async () => {
    await page.click('[data-testid="language-fi"]');
    await expect(page.textContent('h1')).resolves.toBe('Markkinointi');
    await expect(page.textContent('[data-testid="export-segment"]')).resolves.toContain('Vie uutiskirjeeseen');
    await screenshot(page, 'marketing-fi');
    await page.click('[data-testid="language-en"]');
    expect(pageErrors).toEqual([]);
  });
});
