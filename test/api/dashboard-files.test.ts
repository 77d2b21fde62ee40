// The dashboard's files and /meta go out compressed to a client that accepts it, and a
// browser keeps the built assets (named by a hash of their content) for good while it
// asks for the app shell again each time. /load answers keep their own compression (the
// result cache's, test/api/compressed-answers.test.ts): the middleware never compresses
// them a second time. The app runs on fakes; the built dashboard is a folder written here.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp } from '../../cube/server/app.ts';
import type { Authenticator } from '../../cube/server/auth.ts';
import { ResultCache } from '../../cube/server/result-cache.ts';
import type { MetaCube, PlannedQuery, SemanticModel } from '../../cube/server/semantic-model.ts';
import type { WarehouseReader } from '../../cube/server/warehouse-reader.ts';
import { rawGet } from '../helpers/api-client.ts';

const asset = 'assets/charts-Dk3F9a1Q.js';
// Script-like text of 200 KB, compressible as a bundle is.
const assetText = Array.from({ length: 4_000 }, (_, i) => `export function chart${i}(option){return option.series.map((s)=>s.data.length+${i})}\n`).join('');
const indexText = `<!doctype html><html><head><script type="module" src="/${asset}"></script></head><body><div id="app"></div></body></html>\n`;

let dir: string;
let server: Server;
let port: number;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'asiakkuus-dashboard-files-'));
  mkdirSync(join(dir, 'assets'));
  writeFileSync(join(dir, 'index.html'), indexText);
  writeFileSync(join(dir, asset), assetText);
  // A member list the size of a role's /meta (about 1,500 members).
  const cubes: MetaCube[] = [{
    config: {
      name: 'finance',
      type: 'view',
      measures: Array.from({ length: 1_500 }, (_, i) => ({ name: `finance.measure_${i}`, title: `Measure ${i}`, type: 'number', isVisible: true })),
    },
  }];
  const planned: PlannedQuery = {
    query: { measures: ['finance.revenue'] },
    sql: 'SELECT ...',
    values: [],
    aliasNameToMember: { finance__revenue: 'finance.revenue' },
    annotation: { measures: { 'finance.revenue': { title: 'Revenue', shortTitle: 'Revenue', type: 'number' } }, dimensions: {}, segments: {}, timeDimensions: {} },
    views: ['finance'],
  };
  const model = { visibleMeta: async () => cubes, plan: async () => planned } as unknown as SemanticModel;
  // 3,000 rows: an answer large enough that the result cache keeps a compressed copy.
  const warehouse = {
    file: join(dir, 'warehouse.duckdb'),
    version: () => '1:2:1764633600000000000:3',
    query: async () => Array.from({ length: 3_000 }, (_, i) => ({ finance__revenue: String(1000 + i) })),
  } as unknown as WarehouseReader;
  const auth = { verify: () => ({ sub: 'anna', roles: ['finance'] }) } as unknown as Authenticator;
  server = createApp({ model, warehouse, auth, cache: new ResultCache(), dashboardDir: dir, log: () => {} }).listen(0);
  await new Promise((resolve) => server.once('listening', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(dir, { recursive: true, force: true });
});

/** A GET as a signed-in client, with exactly the given headers. */
const get = (path: string, headers: Record<string, string> = {}) => rawGet(port, path, { authorization: 'token', ...headers });

describe('the dashboard files and /meta', () => {
  it('send an asset gzip- or Brotli-compressed to a client that accepts it, decoding to the file, and plain to one that does not', async () => {
    const plain = await get(`/${asset}`);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.bytes.toString('utf8')).toBe(assetText);
    const gzipped = await get(`/${asset}`, { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.bytes).toString('utf8')).toBe(assetText);
    expect(gzipped.bytes.length).toBeLessThan(assetText.length / 5);
    const brotli = await get(`/${asset}`, { 'accept-encoding': 'br, gzip' });
    expect(brotli.headers['content-encoding']).toBe('br');
    expect(brotliDecompressSync(brotli.bytes).toString('utf8')).toBe(assetText);
    expect(gzipped.headers.vary).toMatch(/accept-encoding/i);
  });

  it('let a browser keep a built asset for good, and ask for the app shell again every time', async () => {
    expect((await get(`/${asset}`)).headers['cache-control']).toBe('public, max-age=31536000, immutable');
    for (const path of ['/', '/index.html', '/finance', '/service/customers']) {
      const shell = await get(path, { 'accept-encoding': 'gzip' });
      expect(shell.status, path).toBe(200);
      expect(shell.headers['cache-control'], path).toBe('no-cache');
      const text = shell.headers['content-encoding'] === 'gzip' ? gunzipSync(shell.bytes).toString('utf8') : shell.bytes.toString('utf8');
      expect(text, path).toBe(indexText);
    }
  });

  it('send /meta compressed, decoding to the member list', async () => {
    const plain = await get('/cubejs-api/v1/meta');
    expect(plain.status).toBe(200);
    const members = (JSON.parse(plain.bytes.toString('utf8')) as { cubes: { measures: unknown[] }[] }).cubes[0]!.measures;
    expect(members).toHaveLength(1_500);
    const gzipped = await get('/cubejs-api/v1/meta', { 'accept-encoding': 'gzip' });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gzipped.bytes).equals(plain.bytes)).toBe(true);
    expect(gzipped.bytes.length).toBeLessThan(plain.bytes.length / 5);
  });

  it('leave a /load answer to the result cache: compressed once as it keeps it, never a second time', async () => {
    const path = `/cubejs-api/v1/load?query=${encodeURIComponent(JSON.stringify({ measures: ['finance.revenue'] }))}`;
    const plain = await get(path);
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    // Brotli asked first: the middleware would answer br; the cache's copy is gzip.
    const compressed = await get(path, { 'accept-encoding': 'br, gzip' });
    expect(compressed.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(compressed.bytes).equals(plain.bytes)).toBe(true);
    // A client asking for Brotli alone gets the plain body, as before the middleware.
    const brotliOnly = await get(path, { 'accept-encoding': 'br' });
    expect(brotliOnly.headers['content-encoding']).toBeUndefined();
    expect(brotliOnly.bytes.equals(plain.bytes)).toBe(true);
  });
});
