// Each role's first screen in real Chromium against the running server. Each role gets
// the pages it can fill (registry.ts `requires`, against the /meta Cube's access policies
// give it), the first of them as its first screen, and the header names the pages
// hidden for it: management everything; finance the finance, management and marketing
// pages (the service view gives it only money parts); marketing the marketing page with
// margin shown as hidden; sales the marketing page (margin hidden) and the service page;
// service the service page with pipeline values hidden. A page a role cannot fill, opened
// by its address, says it is not available. The built dashboard runs under the server's
// content security policy without a single violation. Screenshots of every first screen
// go to test-results/screenshots/.
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appUrl, launchChromium, screenshot, signInThroughPage } from './helpers.ts';

interface Persona {
  username: string;
  /** The pages the role gets, in the header's order; the first is its first screen. */
  pages: readonly ('finance' | 'management' | 'marketing' | 'service')[];
  /** The header's note on the pages hidden for the role (none for management). */
  hiddenNote: string | null;
  /** What the first screen shows once it has loaded, and a note it must show there (a figure hidden for the role). */
  firstScreen: { h1: string; readySelector: string; hiddenNote?: { selector: string; text: string } };
  /** Another page of the role and a note it must show there. */
  alsoOpen?: { path: string; selector: string; text: string };
}

const personas: Persona[] = [
  {
    username: 'management',
    pages: ['finance', 'management', 'marketing', 'service'],
    hiddenNote: null,
    firstScreen: { h1: 'Finance', readySelector: '[data-testid="monthly-margin-chart"][data-points]' },
  },
  {
    username: 'finance',
    pages: ['finance', 'management', 'marketing'],
    hiddenNote: 'Hidden for your role: Service & sales',
    firstScreen: { h1: 'Finance', readySelector: '[data-testid="monthly-margin-chart"][data-points]' },
  },
  {
    username: 'marketing',
    pages: ['marketing'],
    hiddenNote: 'Hidden for your role: Finance, Management, Service & sales',
    firstScreen: { h1: 'Marketing', readySelector: '[data-testid="segment-size"]', hiddenNote: { selector: '[data-testid="segment-margin"]', text: 'hidden for your role' } },
  },
  {
    username: 'sales',
    pages: ['marketing', 'service'],
    hiddenNote: 'Hidden for your role: Finance, Management',
    firstScreen: { h1: 'Marketing', readySelector: '[data-testid="segment-size"]', hiddenNote: { selector: '[data-testid="segment-margin"]', text: 'hidden for your role' } },
    alsoOpen: { path: '/service', selector: '[data-testid="complainers-summary"]', text: 'Their contribution margin is hidden for your role' },
  },
  {
    username: 'service',
    pages: ['service'],
    hiddenNote: 'Hidden for your role: Finance, Management, Marketing',
    firstScreen: { h1: 'Service & sales', readySelector: '[data-testid="sla-cases"]', hiddenNote: { selector: '[data-testid="pipeline-values-hidden"]', text: 'Open and won values are hidden for your role' } },
  },
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
    await signInThroughPage(page, username);
    return page;
  }

  it.each(personas)('$username', async ({ username, pages, hiddenNote, firstScreen, alsoOpen }) => {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 }, locale: 'en-GB' });
    const violations: string[] = [];
    try {
      const page = await signedIn(context, username, violations);
      await page.waitForSelector(firstScreen.readySelector, { timeout: 30_000 });
      expect(await page.textContent('main h1')).toBe(firstScreen.h1);
      // The header lists the pages when there is more than one to choose from.
      for (const id of ['finance', 'management', 'marketing', 'service'] as const) {
        const listed = pages.length > 1 && pages.includes(id);
        expect(await page.locator(`[data-testid="nav-${id}"]`).count(), `${username} ${listed ? 'has' : 'has no'} a link to the ${id} page`).toBe(listed ? 1 : 0);
      }
      if (hiddenNote) expect(await page.textContent('[data-testid="hidden-pages"]')).toContain(hiddenNote);
      else expect(await page.locator('[data-testid="hidden-pages"]').count()).toBe(0);
      if (firstScreen.hiddenNote) {
        const note = page.locator(firstScreen.hiddenNote.selector);
        await note.waitFor({ timeout: 30_000 });
        await expect.poll(() => note.textContent(), { timeout: 30_000 }).toContain(firstScreen.hiddenNote.text);
      }
      await page.waitForLoadState('networkidle');
      await screenshot(page, `role-${username}-first-screen`);
      if (alsoOpen) {
        await page.click(`[data-testid="nav-${alsoOpen.path.slice(1)}"]`);
        const note = page.locator(alsoOpen.selector);
        await note.waitFor({ timeout: 30_000 });
        await expect.poll(() => note.textContent(), { timeout: 30_000 }).toContain(alsoOpen.text);
        await page.waitForLoadState('networkidle');
        await screenshot(page, `role-${username}${alsoOpen.path.replace('/', '-')}`);
      }
      if (!pages.includes('finance')) {
        // The finance page by its address: named as hidden, not shown.
        await page.goto(`${appUrl()}/finance`);
        await page.locator('[data-testid="page-hidden"]').waitFor({ timeout: 15_000 });
        expect(await page.textContent('[data-testid="page-hidden"]')).toContain('The Finance page is not available for your role');
        expect(await page.locator('[data-testid="kpi-revenue"]').count()).toBe(0);
      }
      expect(violations).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
