// Helpers for the browser test: where the app runs, starting Chromium, and reading a
// chart canvas's pixels.
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { inject } from 'vitest';

/** Where screenshots go (git-ignored with test-results/). */
export const screenshotDir = fileURLToPath(new URL('../../test-results/screenshots/', import.meta.url));

/** Base URL of the running server: ASIAKKUUS_URL, else what the global setup provided. */
export function appUrl(): string {
  const url = process.env.ASIAKKUUS_URL ?? inject('apiUrl');
  if (!url) throw new Error('set ASIAKKUUS_URL to the base URL of a running Asiakkuus server');
  return url.replace(/\/+$/, '');
}

export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Opens `path` (the app's first screen by default), signs in through the sign-in form as a person would, and waits for the signed-in header. */
export async function signInThroughPage(page: Page, username: string, path = '/', password = 'demo'): Promise<void> {
  await page.goto(`${appUrl()}${path}`);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', password);
  await page.click('button[type="submit"]');
  await page.locator('[data-testid="current-user"]').waitFor({ timeout: 15_000 });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const path = `${screenshotDir}${name}.png`;
  await page.screenshot({ path, fullPage: true });
  return path;
}

/**
 * Share of the canvas's pixels that are drawn (not transparent and not white), over all
 * canvases under `selector`. ECharts draws on a transparent canvas, so axes and labels
 * alone cover a few percent; bars for real data cover far more.
 */
export async function canvasInkRatio(page: Page, selector: string): Promise<number> {
  return page.evaluate((rootSelector) => {
    const canvases = Array.from(document.querySelectorAll<HTMLCanvasElement>(`${rootSelector} canvas`));
    let drawn = 0;
    let total = 0;
    for (const canvas of canvases) {
      const context = canvas.getContext('2d');
      if (!context || canvas.width === 0 || canvas.height === 0) continue;
      const { data } = context.getImageData(0, 0, canvas.width, canvas.height);
      for (let index = 0; index < data.length; index += 4) {
        const alpha = data[index + 3]!;
        const isWhite = data[index]! > 245 && data[index + 1]! > 245 && data[index + 2]! > 245;
        if (alpha > 16 && !isWhite) drawn += 1;
      }
      total += canvas.width * canvas.height;
    }
    return total === 0 ? 0 : drawn / total;
  }, selector);
}
