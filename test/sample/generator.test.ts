// The sample company generator: the same seed gives byte-identical exports (Excel files:
// identical cells; their zip records write times); every
// catalogue entity is written where and how the catalogue says; the ground truth names
// the person behind every customer record in every system.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { entityName, readCatalogue } from '../../ingest/load/catalogue.ts';
import { defaultSampleOptions, generateSampleCompany } from '../../ingest/sample/generate.ts';
import { readCsv } from '../helpers/csv.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-generator-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Cell values of every sheet: an Excel file's zip carries write times, its content must not differ. */
async function sheetValues(path: string): Promise<unknown[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(path);
  return workbook.worksheets.map((sheet) => sheet.getSheetValues());
}

function hashes(root: string): Record<string, string> {
  const result: Record<string, string> = {};
  const walk = (folder: string) => {
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name !== 'manifest.json' && !name.endsWith('.xlsx')) result[relative(root, path)] = createHash('sha256').update(readFileSync(path)).digest('hex');
    }
  };
  walk(root);
  return result;
}

it('gives byte-identical exports and ground truth for the same seed, and different ones for another', async () => {
  const options = { ...defaultSampleOptions, customers: 300 };
  await generateSampleCompany({ ...options, outDir: join(dir, 'a') });
  await generateSampleCompany({ ...options, outDir: join(dir, 'b') });
  await generateSampleCompany({ ...options, seed: options.seed + 1, outDir: join(dir, 'c') });
  expect(hashes(join(dir, 'a'))).toEqual(hashes(join(dir, 'b')));
  expect(hashes(join(dir, 'a.truth'))).toEqual(hashes(join(dir, 'b.truth')));
  for (const spec of readCatalogue().filter((e) => e.format === 'xlsx')) {
    expect(await sheetValues(join(dir, 'a', spec.file)), spec.file).toEqual(await sheetValues(join(dir, 'b', spec.file)));
  }
  expect(hashes(join(dir, 'a'))['erp/customers.csv']).not.toBe(hashes(join(dir, 'c'))['erp/customers.csv']);
});

it('writes every catalogue entity, and the ground truth covers every customer record', async () => {
  const summary = JSON.parse(readFileSync(join(dir, 'a/manifest.json'), 'utf8')) as { files: Record<string, number>; entities: Record<string, string> };
  const catalogue = readCatalogue();
  for (const spec of catalogue) {
    expect(existsSync(join(dir, 'a', spec.file)), spec.file).toBe(true);
    expect(summary.entities[entityName(spec)]).toBe(spec.file);
    expect(summary.files[spec.file], spec.file).toBeGreaterThan(0);
  }
  expect(existsSync(join(dir, 'a/network/network.sql'))).toBe(true);
  const truth = readCsv(join(dir, 'a.truth/customer_records.csv'));
  for (const spec of catalogue.filter((e) => e.customerRecord)) {
    const inTruth = truth.filter((r) => `${r.source}.${r.entity}` === entityName(spec)).length;
    expect(inTruth, entityName(spec)).toBe(summary.files[spec.file]);
  }
  // 300 people, each one person in the truth, most in several systems.
  expect(new Set(truth.map((r) => r.person_id)).size).toBe(300);
  expect(readCsv(join(dir, 'a.truth/persons.csv'))).toHaveLength(300);
});
