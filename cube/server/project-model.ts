// The project's Cube model: cube/model compiled with the options of cube/cube.js, once
// per process. A build compiles it to build the rollups and a server compiles it to
// plan queries; where both run in one process (a test company built and then served,
// the incremental test's day builds one after the other, the bench) the second and
// later uses reuse the first compile instead of paying for another (3.7 s of CPU on a
// quiet machine, 8-9 s beside a build; docs/performance.md). The compiled model is
// keyed by the content of cube.js and of every model file, so a file changed in
// between is compiled afresh, as a new process would.
//
// Across processes, Cube's transpiled YAML is kept in a file named after the same key
// and Cube's version (cube-internals.ts, KeptTranspiles): a new process compiling an
// unchanged model skips Cube's transpiler, 2.5 s of a 4.5 s compile here.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { cubeCompileCacheDir, cubeConfigFile, cubeModelDir, repoRoot } from '../../config/settings.ts';
import { loadCubeConfig, type CubeConfig } from './cube-config.ts';
import { listModelFiles, SemanticModel } from './semantic-model.ts';

export interface ProjectModel {
  model: SemanticModel;
  /** cube.js's options, as the model was compiled with them. */
  config: CubeConfig;
}

const compiled = new Map<string, Promise<ProjectModel>>();

/** How many models' transpiled YAML files are kept: the project's, and the few a test compiles beside it. */
const keptModels = 8;

function fingerprint(modelDir: string, configFile: string): string {
  const hash = createHash('sha256').update(resolve(modelDir)).update('\0').update(readFileSync(configFile));
  for (const file of listModelFiles(modelDir).sort()) hash.update('\0').update(relative(modelDir, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/** Cube's release: another release may transpile the same file differently. */
function cubeRelease(): string {
  return (JSON.parse(readFileSync(join(repoRoot, 'node_modules/@cubejs-backend/schema-compiler/package.json'), 'utf8')) as { version: string }).version;
}

/**
 * Removes all but the newest kept transpiled-YAML files. Another process may prune at the
 * same time: a file gone in between is skipped, and nothing here fails a compile.
 */
function pruneKeptTranspiles(cacheDir: string): void {
  try {
    const byAge = readdirSync(cacheDir)
      .filter((name) => name.endsWith('.json'))
      .map((name) => ({ name, modified: statSync(join(cacheDir, name), { throwIfNoEntry: false })?.mtimeMs ?? 0 }))
      .sort((a, b) => b.modified - a.modified);
    for (const { name } of byAge.slice(keptModels)) rmSync(join(cacheDir, name), { force: true });
  } catch {
    // A folder that cannot be read or written keeps what it has.
  }
}

/**
 * The model in modelDir (cube/model by default) with cube/cube.js's options, compiled on
 * first use in this process. A model without contextToGroups in cube.js compiles with
 * none (every access policy then matches no one); a server refuses it (main.ts). Cube's
 * transpiled YAML is kept in cacheDir between processes.
 */
export function projectModel(modelDir = cubeModelDir, configFile = cubeConfigFile, cacheDir = cubeCompileCacheDir): Promise<ProjectModel> {
  const key = fingerprint(modelDir, configFile);
  let entry = compiled.get(key);
  if (!entry) {
    entry = (async () => {
      const config = loadCubeConfig(configFile);
      const transpiledYamlFile = join(cacheDir, `${createHash('sha256').update(key).update(cubeRelease()).digest('hex').slice(0, 24)}.json`);
      const model = await SemanticModel.compile(modelDir, { ...config, contextToGroups: config.contextToGroups ?? (() => []) }, transpiledYamlFile);
      pruneKeptTranspiles(cacheDir);
      return { model, config };
    })();
    // A failed compile is not kept: the next use tries again (and reports the error again).
    entry.catch(() => compiled.delete(key));
    compiled.set(key, entry);
  }
  return entry;
}
