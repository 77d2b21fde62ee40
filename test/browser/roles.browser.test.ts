// Each role's first screen in real Chromium against the running server: management and
// finance get the finance page with its figures; marketing, sales and service, whose
// roles cannot fill it (no margin members), get no finance page, are told it is hidden
// for their role (in the header beside the pages they do get, or on the screen when
// they get none), and opening /finance by its address says it is not available. The built
// dashboard runs under the server's content security policy without a single
// violation. Screenshots of every first screen go to test-results/screenshots/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrl, launchChromium, screenshot } from './helpers.ts';

interface Persona {
  username: string;
  /** Whether the role can fill the finance page (its first page when it can). */
  financePage: boolean;
}

const personas: Persona[] = [
  { username: 'management', financePage: true },
  { username: 'finance', financePage: true },
  { username: 'marketing', financePage: false },
  { username: 'sales', financePage: false },
  { username: 'service', financePage: false },
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

  it.each(personas)('$username', async ({ username, financePage }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const violations: string[] = [];
    try {
      const page = await signedIn(context, username, violations);
      if (financePage) {
        await page.waitForSelector('[data-testid="kpi-revenue"] [data-testid="kpi-value"]', { timeout: 30_000 });
        await page.waitForSelector('[data-testid="monthly-margin-chart"][data-points]', { timeout: 30_000 });
        expect(await page.textContent('h1')).toBe('Finance');
      } else {
        // Either no page at all, or other pages with the finance page named as hidden in the header.
        const notice = page.locator('[data-testid="no-pages"], [data-testid="hidden-pages"]').first();
        await notice.waitFor({ timeout: 15_000 });
        expect(await notice.textContent()).toContain('Hidden for your role: Finance');
        expect(await page.locator('[data-testid="nav-finance"]').count()).toBe(0);
        expect(await page.locator('[data-testid="kpi-revenue"]').count()).toBe(0);
        // The first screen as the user sees it: the page they get, or the notice.
        await page.locator('main h1, [data-testid="no-pages"]').first().waitFor({ timeout: 30_000 });
        await page.waitForLoadState('networkidle');
        await screenshot(page, `role-${username}-first-screen`);
        // The finance page by its address: named as hidden, not shown.
        await page.goto(`${appUrl()}/finance`);
        await page.locator('[data-testid="page-hidden"]').waitFor({ timeout: 15_000 });
        expect(await page.textContent('[data-testid="page-hidden"]')).toContain('The Finance page is not available for your role');
        expect(await page.locator('[data-testid="kpi-revenue"]').count()).toBe(0);
        expect(violations).toEqual([]);
        return;
      }
      await screenshot(page, `role-${username}-first-screen`);
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
