// Runs a child process with inherited output and turns a non-zero exit into an error
// that names the command, so setup and build failures say what failed.
import { spawn, type SpawnOptions } from 'node:child_process';

export class CommandFailedError extends Error {
  constructor(readonly command: string, readonly exitCode: number | null) {
    super(`command failed (exit ${exitCode ?? 'signal'}): ${command}`);
  }
}

export function runCommand(command: string, args: readonly string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: 'inherit', ...options });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolvePromise();
      else reject(new CommandFailedError([command, ...args].join(' '), code));
    });
  });
}
