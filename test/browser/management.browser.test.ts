// The management page in real Chromium against the running server, in English and in
// Finnish. Every figure checked is compared with what the API answers to the query the
// page itself sends (dashboard/src/lib/api/management-queries.ts): the quadrant, nature
// and class groups, the quadrant chart's points, the transitions (nodes in the class
// order with their customers), the maturity level and indicators, the account plans and
// the customer lists. Drills: a point of the quadrant chart, a quadrant and a Hellman
// indicator each lead to their customers and on to the customer's detail; the filters
// stay in the URL over a reload; every list's CSV export has the API's rows. Screenshots
// go to test-results/screenshots/.
import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  accountPlanPageSize,
  accountPlansQuery,
  managementMembers as m,
  maturityIndicatorsQuery,
  maturityLevelsQuery,
  noOwner,
  noPortfolioFilters,
  portfolioBreakdownQuery,
  portfolioCustomersQuery,
  quadrantPointLimit,
  quadrantPointsQuery,
  transitionsQuery,
  type BehindFilter,
  type PortfolioFilters,
  type TransitionDimension,
} from '../../dashboard/src/lib/api/management-queries.ts';
import { managementEn, managementFi } from '../../dashboard/src/lib/i18n/management.ts';
import { loadRest, rowsOf, signIn } from '../helpers/api-client.ts';
import { appUrl, canvasInkRatio, launchChromium, screenshot, signInThroughPage } from './helpers.ts';

type Row = Record<string, string | number | boolean | null>;
type Messages = Record<keyof typeof managementEn, string>;

interface Language {
  code: 'en' | 'fi';
  locale: string;
  title: string;
  indicatorsTitle: string;
  messages: Messages;
  /** The CSV separator Excel expects in the language (";" where the decimal separator is a comma). */
  separator: string;
  decimalComma: boolean;
}

const languages: Language[] = [
  { code: 'en', locale: 'en-IE', title: 'Management', indicatorsTitle: 'Indicators', messages: managementEn, separator: ',', decimalComma: false },
  { code: 'fi', locale: 'fi-FI', title: 'Johto', indicatorsTitle: 'Indikaattorit', messages: managementFi, separator: ';', decimalComma: true },
];

/** The order the transitions' nodes are drawn in on each side, top to bottom: a manager's reading order, "new" last. */
const transitionOrder: Record<TransitionDimension, string[]> = {
  care_class: ['A', 'B', 'C', 'D', 'new'],
  relationship_nature: ['partner', 'contract', 'preference', 'transaction', 'unknown', 'new'],
  value_quadrant: ['most_valuable', 'exploit_potential', 'retain', 'improve_or_let_go', 'not_valued', 'new'],
};
const transitionPrefix: Record<TransitionDimension, string> = { care_class: 'careClass', relationship_nature: 'nature', value_quadrant: 'quadrant' };

/** "€3,169,275" / "3 169 275 €" / "34,5 %" -> a number, in the page's language. */
function numberOf(text: string, decimalComma: boolean): number {
  const negative = /[-−]/.test(text);
  const digits = decimalComma ? text.replace(/[^\d,]/g, '').replace(',', '.') : text.replace(/[^\d.]/g, '');
  return (negative ? -1 : 1) * Number(digits);
}

/** A CSV cell as a number: the page writes the locale's decimal separator and no grouping. */
function csvNumber(cell: string, decimalComma: boolean): number {
  return Number(decimalComma ? cell.replace(',', '.') : cell);
}

/** RFC 4180 CSV (quoted cells may hold the separator, quotes and line breaks), without the byte order mark. */
function parseCsv(text: string, separator: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\ufeff/, '');
  for (let index = 0; index < body.length; index += 1) {
    const char = body[index]!;
    if (quoted) {
      if (char === '"' && body[index + 1] === '"') {
        cell += '"';
        index += 1;
      } else if (char === '"') quoted = false;
      else cell += char;
    } else if (char === '"') quoted = true;
    else if (char === separator) {
      row.push(cell);
      cell = '';
    } else if (char === '\r' && body[index + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      index += 1;
    } else cell += char;
  }
  if (cell !== '' || row.length > 0) rows.push([...row, cell]);
  return rows;
}

const monthStart = (month: string) => `${month}-01`;

describe.each(languages)('management page in Chromium ($code)', (language) => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let token: string;
  const pageErrors: string[] = [];
  const { messages, decimalComma } = language;
  const label = (prefix: string, value: string) => messages[`${prefix}.${value}` as keyof Messages] ?? value;
  const shot = (name: string) => screenshot(page, `${name}-${language.code}`);

  async function api(query: unknown): Promise<{ data: Row[]; total?: number }> {
    const { status, body } = await loadRest(appUrl(), token, query);
    expect(status).toBe(200);
    // The quadrant points' query asks for Cube's compact format: rows as @cubejs-client/core unpacks them.
    return { ...body, data: rowsOf(body.data) as Row[] };
  }

  /** The customers of a list as the API gives them for the page's query (every one, most revenue first). */
  async function apiCustomers(filters: PortfolioFilters, behind: BehindFilter | null = null): Promise<{ rows: Row[]; total: number }> {
    const { data, total } = await api(portfolioCustomersQuery(filters, { search: '', behind, offset: 0, limit: 50_000 }));
    return { rows: data, total: total! };
  }

  async function download(testId: string): Promise<string[][]> {
    const [file] = await Promise.all([page.waitForEvent('download'), page.click(`[data-testid="${testId}"]`)]);
    return parseCsv(readFileSync((await file.path())!, 'utf8'), language.separator);
  }

  /** Waits until the customer list shows `total` customers in all (its pager's figure in the page's language). */
  async function waitForListTotal(total: number): Promise<void> {
    const pager = page.locator(`[data-testid="portfolio-pager"][data-total="${total}"]`);
    await pager.waitFor({ timeout: 30_000 });
    expect(numberOf((await pager.locator('span').first().textContent())!.split(/of|\//).pop()!, decimalComma)).toBe(total);
  }

  /** The customer list's first page equals the API's first customers, in order. */
  async function expectListIs(rows: Row[]): Promise<void> {
    await expect
      .poll(() => page.locator('[data-testid="portfolio-table"] tbody tr[data-customer-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-customer-id'))), { timeout: 30_000 })
      .toEqual(rows.slice(0, 15).map((r) => r[m.customerId]));
  }

  /** The exported customer list has the API's customers, in order, with their quadrant and revenue. */
  async function expectCustomerCsv(rows: Row[]): Promise<void> {
    const csv = await download('portfolio-export');
    expect(csv[0]![0]).toBe('customer_id');
    expect(csv.slice(1).map((line) => line[0])).toEqual(rows.map((r) => r[m.customerId]));
    csv.slice(1).forEach((line, index) => {
      const row = rows[index]!;
      expect(line[3], String(row[m.customerId])).toBe(label('quadrant', String(row[m.valueQuadrant])));
      // The owner as on screen: "No account owner" in the language where the API says "(none)".
      expect(line[8], String(row[m.customerId])).toBe(row[m.accountOwner] === noOwner ? messages['management.noOwner'] : String(row[m.accountOwner]));
      expect(csvNumber(line[11]!, decimalComma), String(row[m.customerId])).toBeCloseTo(Number(row[m.customerRevenue]), 2);
    });
  }

  /** Opens the list's first customer (the API's first row) and checks the detail: its products add up to the customer's 12-month revenue. */
  async function drillToFirstCustomer(rows: Row[]): Promise<void> {
    const first = rows[0]!;
    const firstRow = page.locator(`[data-testid="portfolio-table"] tbody tr[data-customer-id="${first[m.customerId]}"]`);
    expect(numberOf((await firstRow.locator('[data-testid="cell-revenue"]').textContent())!, decimalComma)).toBe(Math.round(Number(first[m.customerRevenue])));
    await firstRow.locator('.link-button').click();
    await expectDetailOf(String(first[m.customerId]), Number(first[m.customerRevenue]));
  }

  async function expectDetailOf(customerId: string, revenue: number): Promise<void> {
    await page.waitForFunction((id) => new URL(window.location.href).searchParams.get('customer') === id, customerId);
    if (revenue === 0) {
      // Nothing bought in the 12 months: the detail says so instead of listing products.
      await page.locator(`[data-testid="customer-detail"][data-customer-id="${customerId}"] section[aria-labelledby="detail-products-title"][aria-busy="false"] .panel-state`).waitFor({ timeout: 30_000 });
      expect(await page.locator('[data-testid="detail-products"] tbody tr').count()).toBe(0);
      return;
    }
    await page.locator(`[data-testid="customer-detail"][data-customer-id="${customerId}"] [data-testid="detail-products"] tbody tr`).first().waitFor({ timeout: 30_000 });
    // The detail covers the 12 months to the latest month, as the list's revenue does.
    const products = (await page.locator('[data-testid="detail-products"] tbody tr td:nth-child(3)').allTextContents()).map((text) => numberOf(text, decimalComma));
    expect(products.reduce((sum, value) => sum + value, 0)).toBeCloseTo(revenue, 0);
  }

  async function closeDetail(): Promise<void> {
    await page.click('[data-testid="detail-close"]');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('customer'));
  }

  function shownGroups(table: string) {
    return page.locator(`[data-testid="${table}"] tbody tr[data-group]`).evaluateAll((trs) =>
      trs.map((tr) => ({
        group: tr.getAttribute('data-group')!,
        customers: tr.querySelector('[data-testid="group-customers"]')!.textContent!,
        revenue: tr.querySelector('[data-testid="group-revenue"]')!.textContent!,
        margin: tr.querySelector('[data-testid="group-margin"]')!.textContent!,
      })),
    );
  }

  /** A breakdown table shows the API's groups: customers, revenue and contribution margin (whole euros). */
  async function expectGroups(table: string, dimension: 'valueQuadrant' | 'relationshipNature' | 'careClass', filters: PortfolioFilters): Promise<void> {
    const { data } = await api(portfolioBreakdownQuery(dimension, filters));
    const expected = data.map((r) => ({
      group: String(r[m[dimension]]),
      customers: Number(r[m.customerCount]),
      revenue: Math.round(Number(r[m.revenue])),
      margin: Math.round(Number(r[m.contributionMargin])),
    }));
    await expect
      .poll(async () => (await shownGroups(table)).map((g) => ({ group: g.group, customers: numberOf(g.customers, decimalComma), revenue: numberOf(g.revenue, decimalComma), margin: numberOf(g.margin, decimalComma) })).sort((a, b) => a.group.localeCompare(b.group)), { timeout: 30_000 })
      .toEqual(expected.sort((a, b) => a.group.localeCompare(b.group)));
    // Money in euros, the language's way: "€1,234" in English, "1 234 €" in Finnish.
    for (const g of await shownGroups(table)) expect(g.revenue.trim()).toMatch(decimalComma ? /^[-−]?\d{1,3}(?:[\u00a0\u202f ]\d{3})*[\u00a0\u202f ]€$/ : /^[-−]?€\d{1,3}(?:,\d{3})*$/);
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

  it('signs in, switches to the language and opens the management page from the header', async () => {
    await signInThroughPage(page, 'management');
    if (language.code !== 'en') await page.click(`[data-testid="language-${language.code}"]`);
    await page.click('[data-testid="nav-management"]');
    await page.locator('h1', { hasText: language.title }).waitFor({ timeout: 15_000 });
    expect(new URL(page.url()).pathname).toBe('/management');
  });

  it('shows the quadrants, natures and care classes with the API figures', async () => {
    await expectGroups('quadrant-table', 'valueQuadrant', noPortfolioFilters);
    await expectGroups('nature-table', 'relationshipNature', noPortfolioFilters);
    await expectGroups('class-table', 'careClass', noPortfolioFilters);
  });

  it('draws every valued customer in the quadrant chart', async () => {
    const chart = '[data-testid="quadrant-chart"]';
    await page.waitForSelector(`${chart}[data-points]`, { timeout: 30_000 });
    const { data } = await api(quadrantPointsQuery(noPortfolioFilters, quadrantPointLimit));
    expect(data.length).toBeGreaterThan(0);
    expect(Number(await page.getAttribute(chart, 'data-points'))).toBe(data.length);
    // The shading counts every valued customer, drawn as a point or not: the quadrants' customers but the not valued.
    const quadrants = (await api(portfolioBreakdownQuery('valueQuadrant', noPortfolioFilters))).data;
    const valued = quadrants.filter((row) => row[m.valueQuadrant] !== 'not_valued').reduce((sum, row) => sum + Number(row[m.customerCount]), 0);
    expect(valued).toBeGreaterThan(0);
    expect(Number(await page.getAttribute(chart, 'data-shaded-customers'))).toBe(valued);
    expect(await canvasInkRatio(page, chart)).toBeGreaterThan(0.02);
  });

  it('shows the transitions of each dimension with the nodes in the class order and the API counts', async () => {
    const url = new URL(page.url());
    const from = url.searchParams.get('tfrom')!;
    const to = url.searchParams.get('tto')!;
    expect(from < to).toBe(true);
    for (const [index, dimension] of (['care_class', 'relationship_nature', 'value_quadrant'] as const).entries()) {
      await page.click(`[data-testid="transition-dimension"] button >> nth=${index}`);
      await page.waitForFunction((tdim) => (new URL(window.location.href).searchParams.get('tdim') ?? 'care_class') === tdim, dimension);
      const moves = (await api(transitionsQuery(dimension, monthStart(from), monthStart(to)))).data.filter((r) => Number(r[m.movedCustomers]) > 0);
      expect(moves.length).toBeGreaterThan(0);
      const side = (which: 'from' | 'to') => {
        const member = which === 'from' ? m.fromValue : m.toValue;
        const counts = new Map<string, number>();
        for (const r of moves) counts.set(String(r[member]), (counts.get(String(r[member])) ?? 0) + Number(r[m.movedCustomers]));
        // Every value is one of the known classes, so the fixed order covers them all.
        for (const value of counts.keys()) expect(transitionOrder[dimension]).toContain(value);
        return transitionOrder[dimension].filter((value) => counts.has(value)).map((value) => `${which}:${value}:${counts.get(value)}`);
      };
      const chart = page.locator('[data-testid="transitions-chart"][data-links]');
      await expect.poll(() => chart.getAttribute('data-nodes'), { timeout: 30_000 }).toBe([...side('from'), ...side('to')].join(' '));
      const changed = moves.filter((r) => r[m.fromValue] !== r[m.toValue] && r[m.fromValue] !== 'new').reduce((sum, r) => sum + Number(r[m.movedCustomers]), 0);
      const summary = (await page.textContent('[data-testid="transitions-summary"]'))!;
      expect(numberOf(summary.split(language.code === 'fi' ? '/' : ' of ')[0]!, decimalComma)).toBe(changed);
      expect(await canvasInkRatio(page, '[data-testid="transitions-chart"]')).toBeGreaterThan(0.02);
      if (dimension === 'care_class') {
        // The export has the API's moves, each class by its name.
        const csv = await download('transitions-export');
        const exported = csv.slice(1).map((line) => `${line[0]}>${line[1]}:${csvNumber(line[2]!, decimalComma)}:${Math.round(csvNumber(line[3]!, decimalComma))}`).sort();
        const expected = moves.map((r) => `${label('careClass', String(r[m.fromValue]))}>${label('careClass', String(r[m.toValue]))}:${Number(r[m.movedCustomers])}:${Math.round(Number(r[m.movedRevenue]))}`).sort();
        expect(exported).toEqual(expected);
      }
    }
    await page.click('[data-testid="transition-dimension"] button >> nth=0');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('tdim'));
  });

  it('shows the maturity level and every indicator the API gives, under "Indicators", and exports them', async () => {
    const to = new URL(page.url()).searchParams.get('tto')!;
    await page.waitForSelector('[data-testid="indicator-table"] tbody tr', { timeout: 30_000 });
    expect((await page.textContent('#maturity-indicators-title'))!.trim()).toBe(language.indicatorsTitle);
    const levels = (await api(maturityLevelsQuery('company'))).data;
    const latestLevel = levels.find((r) => String(r[`${m.levelMonth}.month`]).startsWith(to))!;
    expect(Number(await page.getAttribute('[data-testid="level-reached"]', 'data-level'))).toBe(Number(latestLevel[m.levelReached]));
    const indicators = (await api(maturityIndicatorsQuery('company', 'all'))).data;
    const latest = indicators.filter((r) => String(r[`${m.maturityMonth}.month`]).startsWith(to));
    expect(latest.length).toBeGreaterThanOrEqual(10);
    expect(await page.locator('[data-testid="indicator-table"] tbody tr[data-indicator]').count()).toBe(latest.length);
    for (const indicator of latest) {
      const row = page.locator(`[data-testid="indicator-table"] tr[data-indicator="${indicator[m.indicator]}"]`);
      const shown = (await row.locator('[data-testid="indicator-value"]').textContent())!;
      if (indicator[m.indicatorValue] === null) expect(shown).toBe('–');
      else expect(numberOf(shown, decimalComma)).toBeCloseTo(Number(indicator[m.indicatorValue]), 1);
      expect(await row.locator('th').textContent()).toContain(label('indicator', String(indicator[m.indicator])));
    }
    const csv = await download('maturity-export');
    expect(csv.length - 1).toBe(indicators.length);
    // Numerator and denominator of each indicator and month (euros for a revenue share, so not always whole).
    const parts = new Map(csv.slice(1).map((line) => [`${line[1]}|${line[3]}`, [csvNumber(line[7]!, decimalComma), csvNumber(line[8]!, decimalComma)] as const]));
    for (const r of indicators) {
      const [numerator, denominator] = parts.get(`${r[m.indicator]}|${String(r[`${m.maturityMonth}.month`]).slice(0, 7)}`)!;
      expect(numerator).toBeCloseTo(Number(r[m.numerator]), 2);
      expect(denominator).toBeCloseTo(Number(r[m.denominator]), 2);
    }
  });

  it('lists the account plans of the year the API gives, a page at a time, and exports them all', async () => {
    const year = Number(new URL(page.url()).searchParams.get('tto')!.slice(0, 4));
    const { data, total } = await api({ ...accountPlansQuery(year, noPortfolioFilters, { offset: 0, limit: 50_000 }), total: true });
    expect(data.length).toBe(total);
    // The sample company has more than a page of plans: the table shows one page, in the API's order.
    expect(data.length).toBeGreaterThan(accountPlanPageSize);
    const shownPlans = () => page.locator('[data-testid="plans-table"] tbody tr[data-plan-id]').evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-plan-id')));
    await expect.poll(shownPlans, { timeout: 30_000 }).toEqual(data.slice(0, accountPlanPageSize).map((r) => r[m.planId]));
    const pager = page.locator(`[data-testid="plans-pager"][data-total="${total}"]`);
    await pager.waitFor({ timeout: 30_000 });
    await pager.getByRole('button').last().click();
    await expect.poll(shownPlans, { timeout: 30_000 }).toEqual(data.slice(accountPlanPageSize, 2 * accountPlanPageSize).map((r) => r[m.planId]));
    await pager.getByRole('button').first().click();
    await expect.poll(shownPlans, { timeout: 30_000 }).toEqual(data.slice(0, accountPlanPageSize).map((r) => r[m.planId]));
    const csv = await download('plans-export');
    expect(csv.slice(1).map((line) => line[0])).toEqual(data.map((r) => r[m.planId]));
    csv.slice(1).forEach((line, index) => expect(csvNumber(line[11]!, decimalComma)).toBeCloseTo(Number(data[index]![m.actualRevenue]), 2));
    await shot('management');
  });

  it('drills from a point of the quadrant chart to the customer detail', async () => {
    const chart = page.locator('[data-testid="quadrant-chart"]');
    await chart.scrollIntoViewIfNeeded();
    const [x, y, customerId] = (await chart.getAttribute('data-top-point'))!.split(',');
    const { data } = await api(quadrantPointsQuery(noPortfolioFilters, quadrantPointLimit));
    const point = data.find((r) => r[m.customerId] === customerId)!;
    const box = (await chart.locator('.echart').boundingBox())!;
    await page.mouse.click(box.x + Number(x), box.y + Number(y));
    await expectDetailOf(customerId!, Number(point[m.customerRevenue]));
    expect(await page.textContent('[data-testid="detail-title"]')).toContain(String(point[m.customerName]));
    await closeDetail();
  });

  it('drills from a quadrant to its customers and on to a customer; the filter survives a reload; the list exports as CSV', async () => {
    const retain: PortfolioFilters = { ...noPortfolioFilters, quadrant: 'retain' };
    await page.click('[data-testid="quadrant-table"] tr[data-group="retain"] .link-button');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('quadrant') === 'retain');
    const { rows, total } = await apiCustomers(retain);
    expect(total).toBeGreaterThan(0);
    await waitForListTotal(total);
    await expectListIs(rows);
    for (const quadrant of await page.locator('[data-testid="portfolio-table"] [data-testid="cell-quadrant"]').allTextContents()) expect(quadrant).toBe(label('quadrant', 'retain'));
    // The other panels follow the filter.
    await expectGroups('class-table', 'careClass', retain);
    await page.reload();
    await page.locator('h1', { hasText: language.title }).waitFor({ timeout: 15_000 });
    expect(await page.inputValue('[data-testid="filter-quadrant"]')).toBe('retain');
    await waitForListTotal(total);
    await expectListIs(rows);
    await expectGroups('nature-table', 'relationshipNature', retain);
    await expectCustomerCsv(rows);
    await drillToFirstCustomer(rows);
    await page.locator('[data-testid="detail-products"]').scrollIntoViewIfNeeded();
    await shot('management-drill');
    await closeDetail();
    await page.selectOption('[data-testid="filter-quadrant"]', '');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('quadrant'));
  });

  it('drills from a maturity indicator to the customers behind it and on to a customer; kept over a reload; exported as CSV', async () => {
    const to = new URL(page.url()).searchParams.get('tto')!;
    const [known] = (await api(maturityIndicatorsQuery('company', 'all'))).data.filter((r) => r[m.indicator] === 'known_handler' && String(r[`${m.maturityMonth}.month`]).startsWith(to));
    const behindCount = Number(known![m.denominator]) - Number(known![m.numerator]);
    expect(behindCount).toBeGreaterThan(0);
    const behind: BehindFilter = { indicator: 'known_handler', month: monthStart(to), scope: 'company', scopeValue: 'all' };
    const { rows, total } = await apiCustomers(noPortfolioFilters, behind);
    // The customers behind a higher-is-better indicator are those it counts out of but not toward.
    expect(total).toBe(behindCount);
    await page.click('[data-testid="indicator-table"] tr[data-indicator="known_handler"] [data-testid="show-behind"]');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('behind') === 'known_handler');
    await page.locator('[data-testid="behind-chip"]').waitFor({ timeout: 10_000 });
    expect(await page.textContent('[data-testid="behind-chip"]')).toContain(label('indicator', 'known_handler'));
    await waitForListTotal(total);
    await expectListIs(rows);
    await page.reload();
    await page.locator('[data-testid="behind-chip"]').waitFor({ timeout: 15_000 });
    await waitForListTotal(total);
    await expectCustomerCsv(rows);
    await drillToFirstCustomer(rows);
    await closeDetail();
    await page.click('[data-testid="behind-chip"] button');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('behind'));
  });

  it('filters by care class, keeping the view over a reload', async () => {
    const classA: PortfolioFilters = { ...noPortfolioFilters, careClass: 'A' };
    await page.selectOption('[data-testid="filter-class"]', 'A');
    await page.waitForFunction(() => new URL(window.location.href).searchParams.get('class') === 'A');
    await page.reload();
    await page.locator('h1', { hasText: language.title }).waitFor({ timeout: 15_000 });
    expect(await page.inputValue('[data-testid="filter-class"]')).toBe('A');
    await expectGroups('nature-table', 'relationshipNature', classA);
    await expectGroups('quadrant-table', 'valueQuadrant', classA);
    await waitForListTotal((await apiCustomers(classA)).total);
    await page.selectOption('[data-testid="filter-class"]', '');
    await page.waitForFunction(() => !new URL(window.location.href).searchParams.has('class'));
  });

  it('raised no errors in the page', () => {
    expect(pageErrors).toEqual([]);
  });
});
