// Shared first step of `npm start` and `npm test` on a fresh clone: install the Node
// dependencies from package-lock.json when node_modules is missing or older than the
// lock file. Plain JavaScript with no dependencies, since nothing is installed yet.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

export function ensureNodeDependencies() {
  const lockFile = join(repoRoot, 'package-lock.json');
  const stamp = join(repoRoot, 'node_modules', '.asiakkuus-lock.sha256');
  const lockHash = createHash('sha256').update(readFileSync(lockFile)).digest('hex');
  if (existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === lockHash) return;
  console.log('Installing Node dependencies (npm ci) ...');
  const result = spawnSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error('npm ci failed; see the output above.');
    process.exit(result.status ?? 1);
  }
  writeFileSync(stamp, lockHash + '\n');
}

/** Runs a TypeScript entry point of the project through tsx, in this process. */
export async function runTypeScript(entry) {
  const { register } = await import('tsx/esm/api');
  register();
  return import(join(repoRoot, entry));
}
