// The shared sample warehouse, kept between test runs: a run whose inputs (the generator,
// ingest, the dbt models, the pipeline, the Cube model and server, config, the locked
// packages, the test sample's options) are byte for byte those of the last build copies
// that build instead of generating and building again. A fresh clone, or any change to
// an input, builds once. ASIAKKUUS_TEST_SAMPLE_CACHE=off always builds.
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { repoRoot } from '../../config/settings.ts';

/** Everything the built sample warehouse depends on, relative to the repository. */
const inputs = ['models', 'ingest', 'pipeline', 'cube', 'config', 'package-lock.json', 'test/helpers/test-sample.ts', 'test/setup'];
/** Build output and caches inside those folders, which are not inputs. */
const skipped = new Set(['target', 'logs', 'dbt_packages', '__pycache__', 'node_modules', '.pytest_cache']);

const cacheRoot = join(repoRoot, 'node_modules', '.cache', 'asiakkuus-test-sample');

function addFiles(hash: ReturnType<typeof createHash>, path: string): void {
  if (!existsSync(path)) return;
  if (statSync(path).isDirectory()) {
    for (const name of readdirSync(path).sort()) if (!skipped.has(name) && !name.endsWith('.pyc')) addFiles(hash, join(path, name));
    return;
  }
  hash.update(relative(repoRoot, path)).update('\0').update(readFileSync(path)).update('\0');
}

/** The hash of every input file's path and content. */
export function sampleBuildKey(): string {
  const hash = createHash('sha256');
  for (const input of inputs) addFiles(hash, join(repoRoot, input));
  return hash.digest('hex').slice(0, 16);
}

export interface SampleBuild {
  /** Holds `source/` (the exports), `source.truth/` (the generator's ground truth) and `warehouse.duckdb`. */
  dir: string;
  fromCache: boolean;
}

/**
 * Puts the sample build in `workDir` (source/, source.truth/, warehouse.duckdb): copied from
 * the cache when its key matches, else made by `build(workDir)` and then cached.
 */
export async function sampleBuild(workDir: string, build: (dir: string) => Promise<void>): Promise<SampleBuild> {
  const cacheOff = process.env.ASIAKKUUS_TEST_SAMPLE_CACHE === 'off';
  const cached = join(cacheRoot, sampleBuildKey());
  if (!cacheOff && existsSync(join(cached, 'complete'))) {
    for (const name of ['source', 'source.truth', 'warehouse.duckdb']) cpSync(join(cached, name), join(workDir, name), { recursive: true });
    return { dir: workDir, fromCache: true };
  }
  await build(workDir);
  if (!cacheOff) {
    // Written beside the cache and renamed into place, so a run that starts meanwhile
    // sees either no entry or a whole one; older entries are dropped.
    rmSync(cacheRoot, { recursive: true, force: true });
    const staging = `${cached}.partial-${process.pid}`;
    mkdirSync(staging, { recursive: true });
    for (const name of ['source', 'source.truth', 'warehouse.duckdb']) cpSync(join(workDir, name), join(staging, name), { recursive: true });
    mkdirSync(join(staging, 'complete'));
    renameSync(staging, cached);
  }
  return { dir: workDir, fromCache: false };
}
