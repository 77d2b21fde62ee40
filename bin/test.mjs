#!/usr/bin/env node
// `npm test`: installs what the tests need (Node dependencies; Debian's chromium for
// the browser test, when run as root), type-checks, and runs the vitest suite. The
// Python virtualenv for dbt is set up by the suite's global setup. Ends with a plain
// "Tests: N passed, N failed" line for CI.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureNodeDependencies, repoRoot } from './bootstrap.mjs';

const chromiumPath = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

function run(command, args) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  return result.status ?? 1;
}

function ensureChromium() {
  if (existsSync(chromiumPath)) return;
  const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
  if (!isRoot || spawnSync('which', ['apt-get']).status !== 0) {
    console.error(`The browser test needs Chromium at ${chromiumPath}. Install Debian's chromium package (apt-get install chromium) or set CHROMIUM_PATH.`);
    process.exit(1);
  }
  console.log("Installing Debian's chromium for the browser test ...");
  if (run('apt-get', ['update', '-qq']) !== 0 || run('apt-get', ['install', '-y', '-qq', 'chromium']) !== 0) {
    console.error('Installing chromium failed; see the output above.');
    process.exit(1);
  }
}

ensureNodeDependencies();
ensureChromium();

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
