// The CLI's progress on stderr: one bar for the whole run and one for the entity being
// loaded, showing its phase. Finished entities are printed above the bars. Only on a
// terminal and without --json; otherwise nothing is drawn.
import cliProgress from 'cli-progress';
import { entityName, type EntitySpec } from './catalogue.ts';
import type { LoadPhase } from './progress.ts';

/** How much of a load each phase is, roughly, for one steady bar per entity. */
const phaseSpan: Record<LoadPhase, [number, number]> = {
  reading: [0, 10],
  staging: [10, 35],
  checking: [35, 60],
  loading: [60, 100],
};

export interface IngestProgress {
  start(entity: EntitySpec, index: number, total: number): void;
  progress(entity: EntitySpec, phase: LoadPhase, fraction?: number): void;
  finished(line: string): void;
  stop(): void;
}

export function progressBars(enabled: boolean): IngestProgress {
  if (!enabled) return { start: () => {}, progress: () => {}, finished: () => {}, stop: () => {} };
  const bars = new cliProgress.MultiBar(
    { format: '{label} [{bar}] {percentage}% {detail}', hideCursor: true, clearOnComplete: true, stream: process.stderr },
    cliProgress.Presets.shades_classic,
  );
  let overall: cliProgress.SingleBar | null = null;
  let current: cliProgress.SingleBar | null = null;
  return {
    start(entity, index, total) {
      overall ??= bars.create(total, 0, { label: 'ingest'.padEnd(28), detail: '' });
      overall.update(index, { detail: `${index}/${total} entities` });
      current?.stop();
      if (current) bars.remove(current);
      current = bars.create(100, 0, { label: entityName(entity).padEnd(28), detail: 'reading' });
    },
    progress(_entity, phase, fraction) {
      const [from, to] = phaseSpan[phase];
      current?.update(Math.round(from + (to - from) * (fraction ?? 0)), { detail: phase });
    },
    finished(line) {
      bars.log(`${line}\n`);
    },
    stop() {
      bars.stop();
    },
  };
}
