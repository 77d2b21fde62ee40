// A lock between processes on one machine, as a folder: mkdir is atomic, so exactly one
// process creates it; the others wait until it is gone.
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Whether a process with this id still runs. EPERM: it runs, as another user (signal 0
 * only asks whether we may signal it), so its lock is not to be taken over.
 */
export function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether the lock's owner died (or never wrote its id and a minute has passed). */
function lockIsAbandoned(lockDir: string, ownerFile: string): boolean {
  try {
    const owner = existsSync(ownerFile) ? Number(readFileSync(ownerFile, 'utf8')) : 0;
    if (owner) return !processIsAlive(owner);
    return Date.now() - statSync(lockDir).mtimeMs > 60_000;
  } catch {
    // The lock went away while we looked: try to take it again.
    return false;
  }
}

/**
 * Runs `work` while holding `lockDir` (created atomically; it holds the owner's process
 * id), waiting while another process or caller holds it. A lock left by a process that
 * died is taken over.
 */
export async function withFileLock<T>(lockDir: string, work: () => Promise<T>): Promise<T> {
  const ownerFile = join(lockDir, 'pid');
  for (;;) {
    try {
      mkdirSync(lockDir);
      writeFileSync(ownerFile, String(process.pid));
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      if (lockIsAbandoned(lockDir, ownerFile)) rmSync(lockDir, { recursive: true, force: true });
      else await sleep(500);
    }
  }
  try {
    return await work();
  } finally {
    rmSync(lockDir, { recursive: true, force: true });
  }
}

