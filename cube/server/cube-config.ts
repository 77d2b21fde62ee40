// Loads cube/cube.js, the Cube project's configuration, the way the official Cube server
// does: as a CommonJS module. The repository's package.json says "type": "module", which
// would make Node treat the file as ES module, so it is evaluated here as CommonJS
// explicitly. The embedded server takes contextToGroups, dialectFactory and
// allowUngroupedWithoutPrimaryKey from it, so the official server and the embedded one
// map a token to the same groups and plan the same SQL.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRequire } from 'node:module';
import type { CompilerConfig } from './cube-internals.ts';

/** The options the embedded server reads from cube.js: those it hands to Cube's CompilerApi, each optional in the file. */
export type CubeConfig = Partial<CompilerConfig>;

export function loadCubeConfig(file: string): CubeConfig {
  const module = { exports: {} as CubeConfig };
  const evaluate = new Function('module', 'exports', 'require', readFileSync(file, 'utf8')) as (
    module: { exports: CubeConfig },
    exports: CubeConfig,
    require: NodeJS.Require,
  ) => void;
  evaluate(module, module.exports, createRequire(resolve(file)));
  return module.exports;
}
