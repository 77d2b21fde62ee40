// The dbt virtualenv (pipeline/python-env.ts): pip installs the pinned uv, uv installs
// the rest of models/requirements.txt. What ends up installed must be exactly the pins,
// each at its pinned version, with its bytecode compiled, as pip alone installed them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { pythonRequirementsFile } from '../../config/settings.ts';
import { ensurePythonEnv, uvRequirement, venvBinary } from '../../pipeline/python-env.ts';

/** PEP 503 names: case, '-', '_' and '.' do not distinguish packages. */
const normalized = (pin: string) => {
  const [name, version] = pin.split('==');
  return `${name!.toLowerCase().replace(/[-_.]+/g, '-')}==${version}`;
};

it('installs every package of the requirements file at its pinned version', async () => {
  await ensurePythonEnv(() => {});
  const pins = readFileSync(pythonRequirementsFile, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
    .map(normalized);
  const frozen = spawnSync(venvBinary('uv'), ['pip', 'freeze', '--python', venvBinary('python')], { encoding: 'utf8' });
  expect(frozen.status, frozen.stderr).toBe(0);
  const installed = new Set(frozen.stdout.split('\n').filter(Boolean).map(normalized));
  expect(pins.filter((pin) => !installed.has(pin))).toEqual([]);
});

it('installs the packages with their bytecode compiled, so no dbt run compiles them from source again', async () => {
  await ensurePythonEnv(() => {});
  // Where PYTHONDONTWRITEBYTECODE is set, Python never writes these itself.
  const compiled = spawnSync(venvBinary('python'), ['-c', 'import importlib.util, os, dbt.cli.main as m; print(os.path.exists(importlib.util.cache_from_source(m.__file__)))'], {
    encoding: 'utf8',
    env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' },
  });
  expect(compiled.stderr).toBe('');
  expect(compiled.stdout.trim()).toBe('True');
});

it('reads the uv pin from the requirements file and refuses a file without one', () => {
  expect(uvRequirement('agate==1.9.1\nuv==0.13.9\nzipp==4.1.2\n')).toBe('uv==0.13.9');
  expect(() => uvRequirement('agate==1.9.1\n')).toThrow(/pins no uv/);
});
