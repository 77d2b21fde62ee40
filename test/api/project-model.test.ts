// The project's Cube model is compiled once per process (cube/server/project-model.ts):
// the rollup build and the server of one process share it. A model file or cube.js
// changed in between must give a model compiled afresh, never the one compiled before.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { projectModel } from '../../cube/server/project-model.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-project-model-'));
const modelDir = join(dir, 'model');
const configFile = join(dir, 'cube.js');
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

const titleOf = async () => (await (await projectModel(modelDir, configFile)).model.visibleMeta({})).map((cube) => cube.config.title);

it('compiles the model once and compiles it again when a model file or cube.js changes', async () => {
  writeCube('Orders before');
  writeFileSync(configFile, 'module.exports = { contextToGroups: () => [] };\n');
  const first = await projectModel(modelDir, configFile);
  expect(await projectModel(modelDir, configFile)).toBe(first);
  expect(await titleOf()).toEqual(['Orders before']);

  writeCube('Orders after');
  const afterModelChange = await projectModel(modelDir, configFile);
  expect(afterModelChange).not.toBe(first);
  expect(await titleOf()).toEqual(['Orders after']);

  writeFileSync(configFile, 'module.exports = { contextToGroups: () => [], allowUngroupedWithoutPrimaryKey: true };\n');
  const afterConfigChange = await projectModel(modelDir, configFile);
  expect(afterConfigChange).not.toBe(afterModelChange);
  expect(afterConfigChange.config.allowUngroupedWithoutPrimaryKey).toBe(true);
});
