// The lock that lets test files and the global setup share one Python virtualenv setup.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { withFileLock } from '../../pipeline/file-lock.ts';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('withFileLock', () => {
  it('runs one holder at a time and removes the lock afterwards', async () => {
    dir = mkdtempSync(join(tmpdir(), 'asiakkuus-lock-'));
    const lockDir = join(dir, 'lock');
    const events: string[] = [];
    const holder = (name: string) =>
      withFileLock(lockDir, async () => {
        events.push(`${name} in`);
        await sleep(300);
        events.push(`${name} out`);
        return name;
      });
    const results = await Promise.all([holder('first'), holder('second')]);
    expect(results).toEqual(['first', 'second']);
    // Never two "in" in a row: the second waited for the first to leave.
    expect(events).toEqual(['first in', 'first out', 'second in', 'second out']);
    expect(existsSync(lockDir)).toBe(false);
  });

  it('takes over a lock whose owner process has died, and releases it when work throws', async () => {
    dir = mkdtempSync(join(tmpdir(), 'asiakkuus-lock-'));
    const lockDir = join(dir, 'lock');
    // A process id that no longer runs: a child that has exited.
    const deadPid = spawnSync(process.execPath, ['-e', 'process.exit(0)']).pid!;
    mkdirSync(lockDir);
    writeFileSync(join(lockDir, 'pid'), String(deadPid));
    await expect(withFileLock(lockDir, async () => { throw new Error('setup failed'); })).rejects.toThrow('setup failed');
    expect(existsSync(lockDir)).toBe(false);
  });
});
