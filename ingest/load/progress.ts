// Progress of one entity's load, for the CLI's bars: the phase it is in and how far
// that phase is. Long DuckDB statements report through the connection's query
// progress, polled while they run; readers that stream in Node report bytes or rows.
import type { DuckDBConnection } from '@duckdb/node-api';

export type LoadPhase = 'reading' | 'staging' | 'checking' | 'loading';

/** fraction: 0..1 of the phase, or undefined when unknown. */
export type ProgressReport = (phase: LoadPhase, fraction?: number) => void;

const pollEveryMs = 200;

/** Runs one statement, reporting DuckDB's progress of it under `phase`. */
export async function runWithProgress<T>(connection: DuckDBConnection, phase: LoadPhase, report: ProgressReport | undefined, work: () => Promise<T>): Promise<T> {
  if (!report) return work();
  report(phase, 0);
  const timer = setInterval(() => {
    const { percentage } = connection.progress;
    // DuckDB answers -1 while it cannot estimate.
    if (percentage >= 0) report(phase, Math.min(percentage, 100) / 100);
  }, pollEveryMs);
  try {
    return await work();
  } finally {
    clearInterval(timer);
    report(phase, 1);
  }
}

/** DuckDB tracks query progress only when asked to; printing it stays off. */
export async function enableQueryProgress(connection: DuckDBConnection): Promise<void> {
  await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
}
