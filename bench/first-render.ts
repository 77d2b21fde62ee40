// The finance page's first render in Chromium: from pressing "Sign in" until the KPIs,
// every chart and the customer table are drawn (each chart sets its data-points or
// data-cells attribute once ECharts has drawn it). Run against a started API server,
// which serves the built dashboard.
import { chromium } from 'playwright-core';
import { median } from './measured-run.ts';

export interface FirstRender {
  runs: number;
  medianMs: number;
  maxMs: number;
  /** What was not drawn within the minute a run waits (the run then counts as a minute). */
  notDrawn: string[];
}

/** What "all charts drawn" means on the finance page (as test/browser/dashboard.browser.test.ts checks them). */
const financeDrawn = [
  '[data-testid="kpi-revenue"] [data-testid="kpi-value"]',
  '[data-testid="monthly-margin-chart"][data-points]',
  '[data-testid="whale-curve"][data-points]',
  '[data-testid="decile-chart"][data-points]',
  '[data-testid="segment-product-heatmap"][data-cells]',
  '[data-testid="customer-table"] tbody tr[data-customer-id]',
];

/**
 * Each run is a new browser context (no cached assets, no stored session), as a user
 * opening the dashboard on Monday morning; the server's caches are as they are.
 */
export async function measureFirstRender(baseUrl: string, runs = 3, user = { username: 'finance', password: 'demo' }): Promise<FirstRender> {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  const timings: number[] = [];
  const notDrawn = new Set<string>();
  try {
    for (let run = 0; run < runs; run++) {
      const context = await browser.newContext({ viewport: { width: 1440, height: 1000 } });
      const page = await context.newPage();
      await page.goto(baseUrl);
      await page.fill('input[name="username"]', user.username);
      await page.fill('input[name="password"]', user.password);
      const started = performance.now();
      await page.click('button[type="submit"]');
      // A panel that never draws is reported, not fatal: the other figures still count.
      await Promise.all(financeDrawn.map((selector) => page.waitForSelector(selector, { timeout: 60_000 }).catch(() => notDrawn.add(selector))));
      timings.push(performance.now() - started);
      await context.close();
    }
  } finally {
    await browser.close();
  }
  return { runs, medianMs: median(timings), maxMs: Math.max(...timings), notDrawn: [...notDrawn] };
}
