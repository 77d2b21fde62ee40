// Builds with their own dbt target folder (the suite's fixtures, the bench) start from the
// last saved parse instead of parsing the whole project again; dbt itself decides whether
// the saved parse still fits the project.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { seedPartialParse, sharedPartialParseFile, sharePartialParse } from '../../pipeline/dbt.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-partial-parse-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shared = join(dir, 'cache', 'partial_parse.msgpack');

it('leaves a new target folder alone while nothing has been parsed', () => {
  seedPartialParse(join(dir, 'first'), shared);
  expect(existsSync(join(dir, 'first'))).toBe(false);
});

it("shares a build's saved parse and seeds the next build's new target folder with it", () => {
  mkdirSync(join(dir, 'first'));
  writeFileSync(join(dir, 'first', 'partial_parse.msgpack'), 'parse of build one');
  sharePartialParse(join(dir, 'first'), shared);
  expect(readdirSync(join(dir, 'cache'))).toEqual(['partial_parse.msgpack']);

  seedPartialParse(join(dir, 'second'), shared);
  expect(readFileSync(join(dir, 'second', 'partial_parse.msgpack'), 'utf8')).toBe('parse of build one');
});

it("keeps a target folder's own saved parse", () => {
  mkdirSync(join(dir, 'third'));
  writeFileSync(join(dir, 'third', 'partial_parse.msgpack'), 'parse of build three');
  seedPartialParse(join(dir, 'third'), shared);
  expect(readFileSync(join(dir, 'third', 'partial_parse.msgpack'), 'utf8')).toBe('parse of build three');
});

it('keeps one saved parse per file name and vars: builds in other folders share it, a run with other vars or another file name does not replace it', () => {
  const fixture = sharedPartialParseFile(['build', '--quiet'], '/tmp/fixture-a/warehouse.duckdb.next');
  expect(sharedPartialParseFile(['build', '--exclude', 'resource_type:unit_test'], '/tmp/fixture-b/warehouse.duckdb.next')).toBe(fixture);
  expect(sharedPartialParseFile(['build', '--vars', '{customer_value_refit: true}'], '/tmp/fixture-a/warehouse.duckdb.next')).not.toBe(fixture);
  expect(sharedPartialParseFile(['build', '--full-refresh'], '/tmp/fixture-a/full-refresh.duckdb')).not.toBe(fixture);
});
