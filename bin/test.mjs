#!/usr/bin/env node
// `npm test`: installs what the tests need (Node dependencies; Debian's chromium for
// the browser test and postgresql for the PostgreSQL source test, when run as root),
// type-checks, and runs the vitest suite. The
// Python virtualenv for dbt is set up by the suite's global setup. Ends with a plain
// "Tests: N passed, N failed" line for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNodeDependencies, repoRoot } from './bootstrap.mjs';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  return result.status ?? 1;
}

let aptUpdated = false;

/** Installs a Debian package the tests need when it is missing (as root, where apt-get exists). */
function ensureDebianPackage(pkg, present, purpose) {
  if (present()) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('which', ['apt-get']).status !== 0) {
    console.error(`${purpose} needs Debian's ${pkg} package; install it (apt-get install ${pkg}).`);
    process.exit(1);
  }
  console.log(`Installing Debian's ${pkg} for ${purpose} ...`);
  if ((!aptUpdated && run('apt-get', ['update', '-qq']) !== 0) || run('apt-get', ['install', '-y', '-qq', pkg]) !== 0) {
    console.error(`Installing ${pkg} failed; see the output above.`);
    process.exit(1);
  }
  aptUpdated = true;
}

function postgresServerInstalled() {
  const root = '/usr/lib/postgresql';
  return existsSync(root) && readdirSync(root).some((version) => existsSync(join(root, version, 'bin/initdb')));
}

ensureNodeDependencies();
ensureDebianPackage('chromium', () => existsSync(chromiumPath), 'the browser test');
// The PostgreSQL source test starts its own throwaway server from these binaries.
ensureDebianPackage('postgresql', postgresServerInstalled, 'the PostgreSQL source test');

const bin = (name) => join(repoRoot, 'node_modules', '.bin', name);
console.log('Type-checking ...');
if (run(bin('tsc'), ['-p', 'tsconfig.json']) !== 0) process.exit(1);
if (run(bin('svelte-check'), ['--tsconfig', 'dashboard/tsconfig.json', '--threshold', 'error', '--output', 'human']) !== 0) process.exit(1);

const reportDir = mkdtempSync(join(tmpdir(), 'asiakkuus-vitest-'));
const reportFile = join(reportDir, 'report.json');
const status = run(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)]);
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  if (report.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
}
rmSync(reportDir, { recursive: true, force: true });
process.exit(status);
