// dbt commands run by a server that has imported dbt once (pipeline/dbt-server.py) instead
// of a new `dbt` process each. The test suite starts one for its dozens of small builds,
// and runDbt sends it every command whose output goes to a log file while
// ASIAKKUUS_DBT_SERVER names its socket. A build on its own (npm start, the bench) runs
// dbt as a process, as before: it starts dbt once, and the server would save it nothing.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { repoRoot } from '../config/settings.ts';
import { pythonPackagesEnv, venvBinary } from './python-env.ts';
import { CommandFailedError } from './run-command.ts';

const serverScript = resolve(repoRoot, 'pipeline/dbt-server.py');

export interface DbtServer {
  socketPath: string;
  /** The server's process id. */
  pid: number;
  close(): Promise<void>;
}

/** Starts the server and resolves once it listens (its imports take a few seconds). */
export function startDbtServer(): Promise<DbtServer> {
  // mkdtemp makes the folder readable by this user alone, so no one else can send commands.
  const socketDir = mkdtempSync(join(tmpdir(), 'asiakkuus-dbt-'));
  const socketPath = join(socketDir, 'dbt.sock');
  const server = spawn(venvBinary('python'), [serverScript, socketPath], { env: pythonPackagesEnv(), stdio: ['ignore', 'pipe', 'pipe'] });
  // The last of its output, for the error when it dies before it listens.
  let output = '';
  const collect = (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-4000);
  };
  server.stderr.on('data', collect);
  const exited = new Promise<void>((resolveExit) => server.once('exit', () => resolveExit()));
  const close = async () => {
    if (server.exitCode === null && server.signalCode === null) server.kill('SIGTERM');
    await exited;
    rmSync(socketDir, { recursive: true, force: true });
  };
  return new Promise<DbtServer>((resolveStart, reject) => {
    const onExit = (code: number | null) => {
      rmSync(socketDir, { recursive: true, force: true });
      reject(new Error(`the dbt server (${serverScript}) exited before it listened (exit ${code ?? 'signal'}):\n${output}`));
    };
    const onStdout = (chunk: Buffer) => {
      collect(chunk);
      if (!/^ready$/m.test(output)) return;
      server.off('exit', onExit);
      server.stdout.off('data', onStdout);
      // Read on, so a line the server prints later never fills the pipe.
      server.stdout.resume();
      resolveStart({ socketPath, pid: server.pid!, close });
    };
    server.once('error', reject);
    server.once('exit', onExit);
    server.stdout.on('data', onStdout);
  });
}

export interface DbtServerCommand {
  /** dbt's arguments, as to the `dbt` script. */
  args: readonly string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** dbt's output is appended here. */
  logFile: string;
}

/** Runs one dbt command on the server; fails as runCommand does, with the log's tail. Resolves with the id of dbt's process, which has ended by then. */
export function runOnDbtServer(socketPath: string, command: DbtServerCommand): Promise<{ pid: number }> {
  mkdirSync(dirname(command.logFile), { recursive: true });
  const env = Object.fromEntries(Object.entries(command.env).filter((entry): entry is [string, string] => entry[1] !== undefined));
  // Absolute: the server's child opens the log before it changes to the caller's folder.
  const request = JSON.stringify({ args: command.args, cwd: command.cwd, env, logFile: resolve(command.logFile) });
  const commandLine = [venvBinary('dbt'), ...command.args].join(' ');
  return new Promise<{ pid: number }>((resolveRun, reject) => {
    const connection = createConnection(socketPath);
    let answer = '';
    connection.setEncoding('utf8');
    connection.on('connect', () => connection.write(`${request}\n`));
    connection.on('data', (chunk: string) => {
      answer += chunk;
    });
    connection.on('error', (error) => reject(new Error(`the dbt server at ${socketPath} did not take ${commandLine}: ${error.message}`)));
    connection.on('close', () => {
      // No answer: the child died before it could write one (killed, or out of memory).
      const ended = answer.includes('\n') ? (JSON.parse(answer) as { pid: number; exitCode: number | null }) : undefined;
      if (ended?.exitCode === 0) resolveRun({ pid: ended.pid });
      else reject(new CommandFailedError(commandLine, ended?.exitCode ?? null, command.logFile));
    });
  });
}
