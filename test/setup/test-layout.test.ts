// Keeps the rule of vitest.config.ts: a test file that reads the shared warehouse's
// URL or paths with inject() (itself or through a helper such as test/browser/helpers.ts)
// must be named *.warehouse.test.ts or *.browser.test.ts, or it would run in the `unit`
// project, where no global setup builds the warehouse and inject() gives undefined.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { longestFiles } from './sequencer.ts';

const testRoot = join(import.meta.dirname, '..');
const needsWarehouse = /\binject\(\s*'(apiUrl|warehouseFile|sampleDir|truthDir)'/;
const inWarehouseProject = /\.(warehouse|browser)\.test\.ts$/;

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : [],
  );
}

/** Helpers (non-test .ts files) that call inject(): importing one needs the warehouse too. */
function warehouseHelpers(files: string[]): string[] {
  return files.filter((file) => !file.endsWith('.test.ts') && !file.startsWith(join(testRoot, 'setup')) && needsWarehouse.test(readFileSync(file, 'utf8')));
}

describe('test files land in the right vitest project', () => {
  const files = filesUnder(testRoot);
  const helpers = warehouseHelpers(files);

  it('finds the warehouse tests (the rule matches something)', () => {
    expect(files.filter((file) => inWarehouseProject.test(file)).length).toBeGreaterThan(0);
    expect(helpers.map((file) => relative(testRoot, file))).toContain(join('browser', 'helpers.ts'));
  });

  it('every file that uses the shared warehouse is named *.warehouse.test.ts or *.browser.test.ts', () => {
    const misplaced = files
      .filter((file) => file.endsWith('.test.ts') && !inWarehouseProject.test(file))
      .filter((file) => {
        const text = readFileSync(file, 'utf8');
        const imported = [...text.matchAll(/from '(\.{1,2}\/[^']+)'/g)].map((match) => resolve(dirname(file), match[1]!));
        return needsWarehouse.test(text) || imported.some((path) => helpers.includes(path));
      })
      .map((file) => relative(testRoot, file));
    expect(misplaced, 'rename these to *.warehouse.test.ts (see vitest.config.ts)').toEqual([]);
  });

  it('every file the sequencer starts first exists (a renamed one would quietly start last)', () => {
    const repoRoot = join(testRoot, '..');
    const known = new Set(files.map((file) => relative(repoRoot, file).split('\\').join('/')));
    expect(longestFiles.length).toBeGreaterThan(0);
    expect(longestFiles.filter((file) => !known.has(file)), 'update test/setup/sequencer.ts').toEqual([]);
  });
});
