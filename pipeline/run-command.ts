// Runs a child process and turns a non-zero exit into an error that names the command,
// so setup and build failures say what failed. Output is inherited, or, with `logFile`,
// written to that file (a test run stays readable) and its tail quoted in the error.
import { spawn, type SpawnOptions } from 'node:child_process';
import { closeSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** How many lines of a logged command's output a failure quotes. */
const tailLines = 60;

export class CommandFailedError extends Error {
  constructor(readonly command: string, readonly exitCode: number | null, readonly logFile?: string) {
    super(
      `command failed (exit ${exitCode ?? 'signal'}): ${command}` +
        (logFile ? `\nfull output: ${logFile}\n--- last ${tailLines} lines ---\n${logTail(logFile)}` : ''),
    );
  }
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-tailLines).join('\n');
  } catch (error) {
    return `(could not read the log: ${(error as Error).message})`;
  }
}

export interface RunOptions extends SpawnOptions {
  /** Append stdout and stderr to this file instead of the console. */
  logFile?: string;
}

export function runCommand(command: string, args: readonly string[], options: RunOptions = {}): Promise<void> {
  const { logFile, ...spawnOptions } = options;
  let fd: number | undefined;
  if (logFile) {
    mkdirSync(dirname(logFile), { recursive: true });
    fd = openSync(logFile, 'a');
  }
  return new Promise<void>((resolvePromise, reject) => {
    const child = spawn(command, args, { stdio: fd === undefined ? 'inherit' : ['ignore', fd, fd], ...spawnOptions });
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code === 0) resolvePromise();
      else reject(new CommandFailedError([command, ...args].join(' '), code, logFile));
    });
  }).finally(() => {
    if (fd !== undefined) closeSync(fd);
  });
}
