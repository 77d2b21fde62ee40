// A query that holds its warehouse connection for exactly as long as a test says, without
// using the CPU: DuckDB reads a named pipe (FIFO) that gets its one line only on release().
//
// The pool tests used to hold a connection with a query that multiplied a billion pairs
// of numbers: about 5 s of both cores quiet, 10-12 s beside other test files, three times
// per suite, and how long it ran depended on the machine (a fast one could finish it before
// the test looked). Blocked on the pipe, the query runs until the test releases it.
import { spawnSync } from 'node:child_process';
import { closeSync, constants, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export interface HeldQuery {
  /** One row, column `s` = 1, once released. */
  sql: string;
  /**
   * Lets the query finish; waits until DuckDB has the pipe open (a query still queued has
   * not opened it). A second call does nothing, so a test can also release in `finally`
   * and a failed assertion never leaves a connection held.
   */
  release(): Promise<void>;
}

const releaseRetryMs = 20;
// A query that never opens the pipe (it failed, or was never run) must fail the test
// soon, not hold it for the suite's hang timeout; a started query opens it at once, even
// on a busy machine.
const releaseGiveUpMs = 120_000;

/** Numbers the pipes of one process, so two held queries in one folder never share one. */
let pipesMade = 0;

export function heldQuery(dir: string): HeldQuery {
  const pipe = join(dir, `held-${process.pid}-${++pipesMade}.fifo`);
  const made = spawnSync('mkfifo', [pipe], { encoding: 'utf8' });
  if (made.status !== 0) throw new Error(`mkfifo ${pipe} failed: ${made.stderr || made.error}`);
  const sql = `SELECT count(*) AS s FROM read_csv('${pipe}', header = false, auto_detect = false, columns = {'line': 'VARCHAR'})`;
  let released = false;
  const release = async () => {
    if (released) return;
    released = true;
    const started = Date.now();
    for (;;) {
      let fd: number;
      try {
        // Non-blocking: with no reader yet, open fails at once (ENXIO) instead of blocking
        // the test's event loop until one comes.
        fd = openSync(pipe, constants.O_WRONLY | constants.O_NONBLOCK);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENXIO' || Date.now() - started > releaseGiveUpMs) throw error;
        await new Promise((resolve) => setTimeout(resolve, releaseRetryMs));
        continue;
      }
      try {
        writeSync(fd, '1\n');
      } finally {
        closeSync(fd);
      }
      return;
    }
  };
  return { sql, release };
}
