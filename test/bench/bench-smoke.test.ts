// A tiny run of `npm run bench`, so the benchmark script does not rot. It checks that
// every stage was measured and that the API answered without errors, never how fast.
// Its timeout only catches a hang: on a fresh clone sharing two cores with other builds
// (load average 11-13) the whole run took over 15 minutes, and a busy machine must not
// fail a behaviour test.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { repoRoot } from '../../config/settings.ts';
import type { BenchResult } from '../../bench/result.ts';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';

it('runs every stage on a tiny company and writes a complete result', () => {
  const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-bench-smoke-'));
  const out = join(dir, 'result.json');
  try {
    const run = spawnSync(
      process.execPath,
      // FEBRL and the evaluation set are measured by their own tests with the same code
      // (bench/febrl.ts, bench/evalset.ts); here they would add a minute of CPU.
      ['--import', 'tsx', 'bench/cli.ts', '--customers', '150', '--duration', '0.25', '--runs', '1', '--skip-identity-sets', '--swaps', '1', '--out', out],
      { cwd: repoRoot, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
    );
    // On failure, show what the benchmark said rather than only its exit code.
    expect(run.status, `npm run bench failed:\n${run.stderr}\n${run.stdout}`).toBe(0);
    const printed = run.stdout;
    const result = JSON.parse(readFileSync(out, 'utf8')) as BenchResult;
    expect(result.data.customers).toBe(150);
    expect(result.stages.map((s) => s.name.replace(/ \(.*$/, ''))).toEqual([
      'generate sample company',
      'ingest',
      'dbt build',
      "incremental rebuild after a day's data",
    ]);
    for (const stage of result.stages) {
      expect(stage.seconds).toBeGreaterThan(0);
      expect(stage.cpuSeconds).toBeGreaterThan(0);
      expect(stage.maxRssBytes).toBeGreaterThan(10 * 2 ** 20);
    }
    expect(result.ingest.map((e) => e.entity)).toEqual(readCatalogue().map(entityName));
    for (const entry of result.ingest) expect(entry.rows, entry.entity).toBe(result.data.files[readCatalogue().find((e) => entityName(e) === entry.entity)!.file]);
    expect(result.identity.nodes.map((n) => n.node)).toContain('int_identity_scored_pairs');
    expect(result.identity.quality.persons).toBe(150);
    expect(result.identity.quality.precision).toBeGreaterThan(0);
    expect(result.identity.febrl).toBeUndefined();
    expect(result.identity.evalSet).toBeUndefined();
    expect(result.dbtSlowest.length).toBeGreaterThan(0);
    expect(result.management?.nodes.map((n) => n.node)).toContain('fct_relationship_nature_monthly');
    expect(result.management?.agreement.customers).toBeGreaterThan(0);
    expect(result.api.queries.map((q) => q.name)).toContain('management: quadrant chart points');
    for (const query of result.api.queries) {
      for (const stats of Object.values(query.byConcurrency)) {
        expect(stats.requests).toBeGreaterThan(0);
        expect(stats.errors).toBe(0);
      }
      expect(query.directDuckDbMedianMs).toBeGreaterThan(0);
    }
    expect(printed).toContain('API latency');
    // The pages opened at once right after a swap (cache empty, not warmed): every client
    // asks every query once, one swap here.
    expect(result.serving!.swaps).toBe(1);
    for (const query of result.serving!.queries) {
      expect(query.afterSwap?.['1']?.requests, query.name).toBe(1);
      expect(query.afterSwap?.['20']?.requests, query.name).toBe(20);
      expect(query.afterSwap?.['20']?.errors, query.name).toBe(0);
    }
    expect(printed).toContain('after swap 20');
    // The server's own time, from its Server-Timing header: inside every request the client
    // timed, so its p50 is no more than the client's.
    for (const query of result.serving!.queries) {
      const cold = query.cold['1']!;
      expect(cold.serverP50Ms, query.name).toBeGreaterThan(0);
      expect(cold.serverP50Ms!, query.name).toBeLessThanOrEqual(cold.p50Ms);
      expect(query.coldServerRatio, query.name).toBeCloseTo(cold.serverP50Ms! / query.directDuckDbMedianMs, 6);
    }
    expect(printed).toContain('server ratio');
    // The finance page's first render in Chromium, once on the cold server and once on the
    // warm one (--runs 1): every chart drawn, none waited for until the minute ran out.
    const render = result.serving!.firstRender!;
    for (const [server, run] of Object.entries(render)) {
      expect(run.runs, server).toBe(1);
      expect(run.notDrawn, server).toEqual([]);
      expect(run.medianMs, server).toBeGreaterThan(0);
      expect(run.maxMs, server).toBe(run.medianMs);
    }
    expect(printed).toContain('Finance page first render in Chromium');
    expect(result.api.queries.map((q) => q.name)).toContain('marketing: segment size, three conditions');
    expect(result.marketingExport!.rows).toBeGreaterThan(0);
    expect(result.marketingExport!.segmentSizeRequestsDuringExport).toBeGreaterThan(0);
    expect(printed).toContain('Newsletter export');
    expect(printed).toContain('150 customers');
    expect(printed).toContain('pairwise precision');
    // Left out with --skip-identity-sets, and said nowhere rather than printed empty.
    expect(printed).not.toContain('FEBRL');
    expect(printed).not.toContain('on the evaluation set');
    expect(printed).toContain('true \\ decided');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}, 45 * 60_000);
