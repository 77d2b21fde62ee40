// The newsletter export at the bench's size: every customer who may be e-mailed, read
// as a client would, while a second client keeps asking the segment-size query; its
// latency during the export against idle shows whether the export holds other users up.
import { signIn } from './api-latency.ts';
import { median } from './measured-run.ts';
import { segmentSummaryQuery } from '../dashboard/src/lib/api/marketing-queries.ts';

export interface ExportMeasurement {
  rows: number;
  bytes: number;
  seconds: number;
  /** Median latency of the segment-size query with no export running, and while one runs. */
  segmentSizeIdleMs: number;
  segmentSizeDuringExportMs: number;
  segmentSizeRequestsDuringExport: number;
}

async function timedSegmentSize(base: string, token: string): Promise<number> {
  const url = new URL('/cubejs-api/v1/load', base);
  url.searchParams.set('query', JSON.stringify(segmentSummaryQuery([])));
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: token } });
  await response.arrayBuffer();
  if (!response.ok) throw new Error(`segment-size query failed: ${response.status}`);
  return performance.now() - started;
}

export async function measureMarketingExport(base: string): Promise<ExportMeasurement> {
  // As management, whose policies grant the whole segment summary (the marketing role's
  // page leaves the margin members out of it, docs/access.md).
  const token = await signIn(base);
  const idle: number[] = [];
  for (let i = 0; i < 10; i++) idle.push(await timedSegmentSize(base, token));

  let done = false;
  const during: number[] = [];
  const prober = (async () => {
    while (!done) during.push(await timedSegmentSize(base, token));
  })();
  const started = performance.now();
  const response = await fetch(`${base}/api/marketing/export`, {
    method: 'POST',
    headers: { authorization: token, 'content-type': 'application/json' },
    body: JSON.stringify({ query: {} }),
  });
  if (!response.ok || !response.body) throw new Error(`export failed: ${response.status}`);
  let bytes = 0;
  let lines = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    bytes += chunk.byteLength;
    for (const byte of chunk) if (byte === 10) lines++;
  }
  const seconds = (performance.now() - started) / 1000;
  done = true;
  await prober;
  return {
    rows: lines - 1,
    bytes,
    seconds,
    segmentSizeIdleMs: median(idle),
    segmentSizeDuringExportMs: median(during),
    segmentSizeRequestsDuringExport: during.length,
  };
}
