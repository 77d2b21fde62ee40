// bench --compare: every figure of two results side by side, matched by name, whatever
// sections the results have. The results here are written by hand, so each expected
// before/after/change can be checked by reading them.
import { describe, expect, it } from 'vitest';
import { compareFigures, figures, formatComparison, stableName } from '../../bench/compare.ts';

const before = {
  startedAt: '2026-11-30T10:00:00Z',
  environment: { machine: { cores: 2 } },
  data: { customers: 100000, files: { 'erp/orders.csv': 249564 } },
  stages: [
    { name: 'ingest (all sources, empty warehouse) (median of 3)', seconds: 40, maxRssBytes: 1024 * 2 ** 20, rows: 8_000_000 },
    { name: 'dbt build', seconds: 100, maxRssBytes: 4096 * 2 ** 20 },
    { name: "incremental rebuild after a day's data (364 orders)", seconds: 70, maxRssBytes: 2048 * 2 ** 20, rows: 1000 },
  ],
  ingest: [{ entity: 'erp.orders', format: 'csv', rows: 250_000, seconds: 2 }],
  api: { queries: [{ name: 'finance: KPI totals', byConcurrency: { '1': { p50Ms: 20, errors: 0 } } }] },
  retired: { seconds: 5 },
};

const after = {
  ...before,
  startedAt: '2026-12-01T10:00:00Z',
  stages: [
    { name: 'ingest (all sources, empty warehouse)', seconds: 16, maxRssBytes: 1024 * 2 ** 20, rows: 8_000_000 },
    { name: 'dbt build (median of 2)', seconds: 110, maxRssBytes: 4096 * 2 ** 20 },
    { name: "incremental rebuild after a day's data (401 orders)", seconds: 7, maxRssBytes: 2048 * 2 ** 20, rows: 1000 },
  ],
  ingest: [{ entity: 'erp.orders', format: 'csv', rows: 250_000, seconds: 0.5, phaseSeconds: { open: 0.1, staging: 0.2, checking: 0.1, loading: 0.1, commit: 0 } }],
  api: { queries: [{ name: 'finance: KPI totals', byConcurrency: { '1': { p50Ms: 10, errors: 0 } } }] },
  retired: undefined,
  // A section another helper adds later: compared without any change to compare.ts.
  excel: { readers: [{ name: 'xlsx reader', seconds: 3, rows: 100_000 }] },
};

describe('bench --compare', () => {
  it('names a stage without its run-dependent tail', () => {
    expect(stableName('dbt build (median of 3)')).toBe('dbt build');
    expect(stableName("incremental rebuild after a day's data (364 orders)")).toBe("incremental rebuild after a day's data");
    expect(stableName('ingest (all sources, empty warehouse) (median of 3)')).toBe('ingest');
  });

  it('collects every number by path, lists matched by name, with rows/s where rows and seconds are given', () => {
    const found = figures(before);
    expect(found.get('stages[ingest].seconds')).toBe(40);
    expect(found.get('stages[ingest].rows/s')).toBe(200_000);
    expect(found.get('ingest[erp.orders].rows/s')).toBe(125_000);
    expect(found.get('api.queries[finance: KPI totals].byConcurrency.1.p50Ms')).toBe(20);
    // The run's description is not a figure.
    expect([...found.keys()].filter((path) => path.startsWith('environment') || path.startsWith('data'))).toEqual([]);
  });

  it('gives before, after and change for every figure, new and gone ones included', () => {
    const byFigure = new Map(compareFigures(before, after).map((entry) => [entry.figure, entry]));
    expect(byFigure.get('stages[ingest].seconds')).toEqual({ figure: 'stages[ingest].seconds', before: 40, after: 16, ratio: 0.4 });
    expect(byFigure.get('stages[ingest].rows/s')).toEqual({ figure: 'stages[ingest].rows/s', before: 200_000, after: 500_000, ratio: 2.5 });
    expect(byFigure.get('stages[dbt build].seconds')).toEqual({ figure: 'stages[dbt build].seconds', before: 100, after: 110, ratio: 1.1 });
    expect(byFigure.get("stages[incremental rebuild after a day's data].seconds")?.ratio).toBeCloseTo(0.1);
    expect(byFigure.get('api.queries[finance: KPI totals].byConcurrency.1.p50Ms')).toMatchObject({ before: 20, after: 10, ratio: 0.5 });
    expect(byFigure.get('ingest[erp.orders].phaseSeconds.staging')).toEqual({ figure: 'ingest[erp.orders].phaseSeconds.staging', after: 0.2 });
    expect(byFigure.get('excel.readers[xlsx reader].rows/s')).toEqual({ figure: 'excel.readers[xlsx reader].rows/s', after: 100_000 / 3 });
    expect(byFigure.get('retired.seconds')).toEqual({ figure: 'retired.seconds', before: 5 });
  });

  it('prints the changed figures in their units and counts the unchanged ones', () => {
    const text = formatComparison(before, after, 'saved run');
    const line = (figure: string) => text.split('\n').find((l) => l.startsWith(`${figure} `))?.replace(/\s+/g, ' ');
    expect(line('stages[ingest].seconds')).toBe('stages[ingest].seconds 40.00 s 16.00 s -60.0 % (0.40x)');
    expect(line('stages[ingest].rows/s')).toBe('stages[ingest].rows/s 200,000 500,000 +150.0 % (2.50x)');
    expect(line('api.queries[finance: KPI totals].byConcurrency.1.p50Ms')).toBe('api.queries[finance: KPI totals].byConcurrency.1.p50Ms 20.0 ms 10.0 ms -50.0 % (0.50x)');
    expect(line('ingest[erp.orders].phaseSeconds.staging')).toBe('ingest[erp.orders].phaseSeconds.staging - 0.20 s new');
    expect(line('retired.seconds')).toBe('retired.seconds 5.00 s - gone');
    // Unchanged: the three stages' maxRssBytes, the rows of the ingest and incremental stages, erp.orders' rows, the query's errors.
    expect(text).toContain('(7 figures unchanged)');
    expect(text).not.toMatch(/^stages\[dbt build\]\.maxRssBytes/m);
  });
});
