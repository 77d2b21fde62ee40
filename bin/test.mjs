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
    // Incremental: a run after a small change re-checks only what it touches (half the time here).
    ['tsc', ['-p', 'tsconfig.json', '--incremental', '--tsBuildInfoFile', join(repoRoot, 'node_modules/.cache/asiakkuus-tsc/tsconfig.tsbuildinfo')]],
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

/** The vitest run with its JSON report in reportDir; resolves to its exit status and report file. */
function vitest(name, args) {
  const reportFile = join(reportDir, `${name}.json`);
  return new Promise((resolvePromise) => {
    const child = spawn(bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`, ...args], {
      cwd: repoRoot,
      stdio: 'inherit',
    });
    child.on('error', () => resolvePromise({ status: 1, reportFile }));
    child.on('close', (code) => resolvePromise({ status: code ?? 1, reportFile }));
  });
}

// One vitest run of both projects, two files at a time (vitest.config.ts): the unit files
// start at once while the warehouse project's global setup builds the shared sample
// warehouse in the background (test/setup/global-setup.ts), and whichever worker is free
// takes the next file, so neither project waits on the other's longest files. Arguments
// (files, --project, ...) are passed on.
const runs = [await vitest('all', process.argv.slice(2))];
const typeCheckFailures = await typeChecks;
for (const failure of typeCheckFailures) console.error(failure);
let passed = 0;
let failed = 0;
let total = 0;
for (const { reportFile } of runs) {
  if (!existsSync(reportFile)) continue;
  const report = JSON.parse(readFileSync(reportFile, 'utf8'));
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  total += report.numTotalTests;
}
console.log(`Tests: ${passed} passed, ${failed} failed`);
rmSync(reportDir, { recursive: true, force: true });
if (total === 0) {
  console.error('No test ran.');
  process.exit(1);
}
process.exit(typeCheckFailures.length > 0 || runs.some((run) => run.status !== 0) ? 1 : 0);
