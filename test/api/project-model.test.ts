// The project's Cube model is compiled once per process (cube/server/project-model.ts):
// the rollup build and the server of one process share it. A model file or cube.js
// changed in between must give a model compiled afresh, never the one compiled before.
// Between processes, Cube's transpiled YAML is kept in a file named after the model's
// content: a new process compiling the same model reads it, a changed model does not.
import { mkdtempSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { loadCubeConfig } from '../../cube/server/cube-config.ts';
import { projectModel } from '../../cube/server/project-model.ts';
import { SemanticModel } from '../../cube/server/semantic-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-project-model-'));
const modelDir = join(dir, 'model');
const configFile = join(dir, 'cube.js');
const cacheDir = join(dir, 'kept-transpiles');
mkdirSync(join(modelDir, 'cubes'), { recursive: true });

function writeCube(title: string): void {
  writeFileSync(
    join(modelDir, 'cubes', 'orders.yml'),
    `cubes:
  - name: orders
    sql_table: main.orders
    title: ${title}
    measures:
      - name: count
        type: count
        title: Orders
`,
  );
}

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const titlesOf = async (model: SemanticModel) => (await model.visibleMeta({})).map((cube) => cube.config.title);
const titleOf = async () => titlesOf((await projectModel(modelDir, configFile, cacheDir)).model);

it('compiles the model once and compiles it again when a model file or cube.js changes', async () => {
  writeCube('Orders before');
  writeFileSync(configFile, 'module.exports = { contextToGroups: () => [] };\n');
  const first = await projectModel(modelDir, configFile, cacheDir);
  expect(await projectModel(modelDir, configFile, cacheDir)).toBe(first);
  expect(await titleOf()).toEqual(['Orders before']);

  writeCube('Orders after');
  const afterModelChange = await projectModel(modelDir, configFile, cacheDir);
  expect(afterModelChange).not.toBe(first);
  expect(await titleOf()).toEqual(['Orders after']);

  writeFileSync(configFile, 'module.exports = { contextToGroups: () => [], allowUngroupedWithoutPrimaryKey: true };\n');
  const afterConfigChange = await projectModel(modelDir, configFile, cacheDir);
  expect(afterConfigChange).not.toBe(afterModelChange);
  expect(afterConfigChange.config.allowUngroupedWithoutPrimaryKey).toBe(true);
});

it('keeps Cube\'s transpiled YAML in a file per model content, which the next compile of that model reads', async () => {
  writeCube('Orders kept');
  writeFileSync(configFile, 'module.exports = { contextToGroups: () => [] };\n');
  const before = new Set(readdirSync(cacheDir));
  await projectModel(modelDir, configFile, cacheDir);
  const written = readdirSync(cacheDir).filter((name) => !before.has(name));
  expect(written).toHaveLength(1);
  const file = join(cacheDir, written[0]!);
  const kept = JSON.parse(readFileSync(file, 'utf8')) as Record<string, string>;
  // One entry: the one YAML file, as Cube transpiled it.
  expect(Object.values(kept)).toHaveLength(1);
  expect(Object.values(kept)[0]).toContain('Orders kept');

  // A compile in a new process reads the file instead of transpiling: what it holds is what compiles.
  writeFileSync(file, JSON.stringify(Object.fromEntries(Object.entries(kept).map(([key, code]) => [key, code.replace('Orders kept', 'Orders read from the file')]))));
  const config = loadCubeConfig(configFile);
  const next = await SemanticModel.compile(modelDir, { ...config, contextToGroups: config.contextToGroups! }, file);
  expect(await titlesOf(next)).toEqual(['Orders read from the file']);
});

it('compiles when the folder for the kept YAML cannot be written', async () => {
  writeCube('Orders without a cache folder');
  writeFileSync(configFile, 'module.exports = { contextToGroups: () => [] };\n');
  // A file where the folder would be: creating the folder fails (ENOTDIR), as root too.
  const blocked = join(dir, 'not-a-folder');
  writeFileSync(blocked, '');
  const { model } = await projectModel(modelDir, configFile, join(blocked, 'kept'));
  expect(await titlesOf(model)).toEqual(['Orders without a cache folder']);
});
