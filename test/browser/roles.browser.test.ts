// Each role's first screen in real Chromium against the running server: management and
// finance get the finance page with its figures; marketing, sales and service, whose
// roles cannot fill it (no margin members), get no finance page and are told it is
// hidden for their role, and the API refuses them its margins anyway. The built
// dashboard runs under the server's content security policy without a single
// violation. Screenshots of every first screen go to test-results/screenshots/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrl, launchChromium, screenshot } from './helpers.ts';

interface Persona {
  username: string;
  /** What the first screen must show. */
  firstScreen: 'finance-page' | 'no-pages';
}

const personas: Persona[] = [
  { username: 'management', firstScreen: 'finance-page' },
  { username: 'finance', firstScreen: 'finance-page' },
  { username: 'marketing', firstScreen: 'no-pages' },
  { username: 'sales', firstScreen: 'no-pages' },
  { username: 'service', firstScreen: 'no-pages' },
];

describe('each role\'s first screen in Chromium', () => {
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
  });

  async function signedIn(context: BrowserContext, username: string, violations: string[]): Promise<Page> {
    const page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to (load|execute|apply)/i.test(message.text())) violations.push(message.text());
    });
    page.on('pageerror', (error) => violations.push(`page error: ${error.message}`));
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => console.error(`Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI}`));
    });
    await page.goto(appUrl());
    await page.fill('input[name="username"]', username);
    await page.fill('input[name="password"]', 'demo');
    await page.click('button[type="submit"]');
    await page.locator('[data-testid="current-user"]').waitFor({ timeout: 15_000 });
    return page;
  }

  it.each(personas)('$username', async ({ username, firstScreen }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const violations: string[] = [];
    try {
      const page = await signedIn(context, username, violations);
      if (firstScreen === 'finance-page') {
        await page.waitForSelector('[data-testid="kpi-revenue"] [data-testid="kpi-value"]', { timeout: 30_000 });
        await page.waitForSelector('[data-testid="monthly-margin-chart"][data-points]', { timeout: 30_000 });
        expect(await page.textContent('h1')).toBe('Finance');
      } else {
        const notice = page.locator('[data-testid="no-pages"]');
        await notice.waitFor({ timeout: 15_000 });
        expect(await notice.textContent()).toContain('Hidden for your role: Finance');
        expect(await page.locator('[data-testid="kpi-revenue"]').count()).toBe(0);
        // The finance page by its address: named as hidden, not shown.
        await page.goto(`${appUrl()}/finance`);
        await page.locator('[data-testid="page-hidden"]').waitFor({ timeout: 15_000 });
        expect(await page.textContent('[data-testid="page-hidden"]')).toContain('The Finance page is not available for your role');
        await page.goto(appUrl());
        await notice.waitFor({ timeout: 15_000 });
      }
      await screenshot(page, `role-${username}-first-screen`);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
