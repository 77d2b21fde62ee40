// The project's Cube model: cube/model compiled with the options of cube/cube.js, once
// per process. A build compiles it to build the rollups and a server compiles it to
// plan queries; where both run in one process (a test company built and then served,
// the incremental test's day builds one after the other, the bench) the second and
// later uses reuse the first compile instead of paying for another (3.7 s of CPU on a
// quiet machine, 8-9 s beside a build; docs/performance.md). The compiled model is
// keyed by the content of cube.js and of every model file, so a file changed in
// between is compiled afresh, as a new process would.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { cubeConfigFile, cubeModelDir } from '../../config/settings.ts';
import { loadCubeConfig, type CubeConfig } from './cube-config.ts';
import { listModelFiles, SemanticModel } from './semantic-model.ts';

export interface ProjectModel {
  model: SemanticModel;
  /** cube.js's options, as the model was compiled with them. */
  config: CubeConfig;
}

const compiled = new Map<string, Promise<ProjectModel>>();

function fingerprint(modelDir: string, configFile: string): string {
  const hash = createHash('sha256').update(resolve(modelDir)).update('\0').update(readFileSync(configFile));
  for (const file of listModelFiles(modelDir).sort()) hash.update('\0').update(relative(modelDir, file)).update('\0').update(readFileSync(file));
  return hash.digest('hex');
}

/**
 * The model in modelDir (cube/model by default) with cube/cube.js's options, compiled on
 * first use in this process. A model without contextToGroups in cube.js compiles with
 * none (every access policy then matches no one); a server refuses it (main.ts).
 */
export function projectModel(modelDir = cubeModelDir, configFile = cubeConfigFile): Promise<ProjectModel> {
  const key = fingerprint(modelDir, configFile);
  let entry = compiled.get(key);
  if (!entry) {
    entry = (async () => {
      const config = loadCubeConfig(configFile);
      const model = await SemanticModel.compile(modelDir, { ...config, contextToGroups: config.contextToGroups ?? (() => []) });
      return { model, config };
    })();
    // A failed compile is not kept: the next use tries again (and reports the error again).
    entry.catch(() => compiled.delete(key));
    compiled.set(key, entry);
  }
  return entry;
}
