// A command whose output goes to a log file (dbt in the test suite) stays off the console,
// and its failure names the file and quotes the end of what it printed.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, it } from 'vitest';
import { CommandFailedError, runCommand } from '../../pipeline/run-command.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-run-command-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('writes stdout and stderr to the log file', async () => {
  const logFile = join(dir, 'ok', 'run.log');
  await runCommand('sh', ['-c', 'echo to-stdout; echo to-stderr >&2'], { logFile });
  expect(readFileSync(logFile, 'utf8').split('\n').sort()).toEqual(['', 'to-stderr', 'to-stdout']);
});

it('names the log and quotes its last 60 lines when the command fails', async () => {
  const logFile = join(dir, 'failed.log');
  const failure = runCommand('sh', ['-c', 'for i in $(seq 1 100); do echo line-$i; done; echo the-error >&2; exit 3'], { logFile });
  await expect(failure).rejects.toBeInstanceOf(CommandFailedError);
  const message = ((await failure.catch((error: unknown) => error)) as Error).message;
  expect(message).toContain('(exit 3)');
  expect(message).toContain(`full output: ${logFile}`);
  expect(message).toContain('line-100\nthe-error');
  expect(message).toContain('line-42\n');
  expect(message).not.toContain('line-41\n');
});
