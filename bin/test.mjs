#!/usr/bin/env node
// `npm test`: installs what the tests need (Node dependencies; Debian's chromium for
// the browser test and postgresql for the PostgreSQL source test, when run as root),
// type-checks while the vitest suite runs (their output is shown when they fail), and
// fails when either fails. The
// Python virtualenv for dbt is set up by the suite's global setup. Ends with a plain
// "Tests: N passed, N failed" line for CI.
import { spawn, spawnSync } from 'node:child_process';
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

/** Runs a check in the background with its output kept; resolves to its exit status and output. */
function runQuietly(command, args) {
  return new Promise((resolvePromise) => {
    const child = spawn(command, args, { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => resolvePromise({ status: 1, output: String(error) }));
    child.on('close', (code) => resolvePromise({ status: code ?? 1, output }));
  });
}

// The type-checks run one after the other (two cores), beside the tests: the warehouse
// build in the tests' global setup waits on dbt much of the time.
console.log('Type-checking (tsc, svelte-check) while the tests run ...');
const typeChecks = (async () => {
  const checks = [
    ['tsc', ['-p', 'tsconfig.json']],
    ['svelte-check', ['--tsconfig', 'dashboard/tsconfig.json', '--threshold', 'error', '--output', 'human']],
  ];
  const failed = [];
  for (const [name, args] of checks) {
    const { status, output } = await runQuietly(bin(name), args);
    if (status !== 0) failed.push(`${name} failed (exit ${status}):\n${output}`);
  }
  return failed;
})();

const reportDir = mkdtempSync(join(tmpdir(), 'asiakkuus-vitest-'));
const reportFile = join(reportDir, 'report.json');
const status = await new Promise((resolvePromise) => {
  const child = spawn(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...process.argv.slice(2)], { cwd: repoRoot, stdio: 'inherit' });
  child.on('error', () => resolvePromise(1));
  child.on('close', (code) => resolvePromise(code ?? 1));
});
const typeCheckFailures = await typeChecks;
for (const failure of typeCheckFailures) console.error(failure);
if (existsSync(reportFile)) {
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  console.log(`Tests: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
  if (report.numTotalTests === 0) {
    console.error('No test ran.');
    process.exit(1);
  }
}
rmSync(reportDir, { recursive: true, force: true });
process.exit(typeCheckFailures.length > 0 ? 1 : status);
