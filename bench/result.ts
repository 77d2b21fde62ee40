// The machine-readable benchmark result (written as JSON, read back by --compare).
import type { QueryLatency } from './api-latency.ts';
import type { ServingResult } from './serving.ts';
import type { DuckDbReadFigure } from './duckdb-read.ts';
import type { LoadPhaseSeconds } from '../ingest/load/load-entity.ts';
import type { EvalSetResult } from './evalset.ts';
import type { IdentityMetrics } from './identity-metrics.ts';
import type { ExportMeasurement } from './marketing-export.ts';
import type { RelationshipAgreement } from './relationship-agreement.ts';
import type { environmentFacts } from './versions.ts';

export interface StageResult {
  name: string;
  seconds: number;
  /** User plus system CPU time of the stage's processes (absent in results saved before 6 December 2026). */
  cpuSeconds?: number;
  maxRssBytes: number;
  /** Rows processed, where the stage has a row count. */
  rows?: number;
}

interface FebrlScores {
  precision: number;
  recall: number;
  f1: number;
}

/** The identity engine on the public FEBRL data sets, with a simple baseline (bench/febrl.ts). */
export type FebrlResults = Record<string, { records: number; splink: FebrlScores & { seconds: number }; baseline: FebrlScores }>;

export interface BenchResult {
  startedAt: string;
  environment: ReturnType<typeof environmentFacts>;
  data: { customers: number; sourceDir: string; files: Record<string, number> };
  stages: StageResult[];
  /**
   * Each entity's first load. format, phaseSeconds, peakRssBytes and duckdb are absent in
   * results written before they were recorded; duckdb is DuckDB's own reader of the same
   * file (bench/duckdb-read.ts), absent for Excel.
   */
  ingest: {
    entity: string;
    format?: string;
    rows: number;
    seconds: number;
    phaseSeconds?: LoadPhaseSeconds;
    peakRssBytes?: number;
    duckdb?: { read: DuckDbReadFigure; toFile: DuckDbReadFigure };
  }[];
  dbtSlowest: { node: string; seconds: number }[];
  /** The incremental rebuild after a day's data: its slowest dbt nodes (absent in runs saved before it). */
  incrementalSlowest?: { node: string; seconds: number }[];
  /** Identity resolution: its dbt models' time in the build, its quality against the sample generator's ground truth,
   * on the public FEBRL data and on the separately generated evaluation set (those two absent with --skip-identity-sets). */
  identity: { seconds: number; nodes: { node: string; seconds: number }[]; quality: IdentityMetrics; febrl?: FebrlResults; evalSet?: EvalSetResult };
  /** The management models' time in the build, and relationship natures against the true types. */
  management?: { seconds: number; nodes: { node: string; seconds: number }[]; agreement: RelationshipAgreement };
  api: { durationSeconds: number; serverPeakRssBytes: number; queries: QueryLatency[] };
  /** The marketing page's newsletter export of every e-mailable customer (bench/marketing-export.ts). */
  marketingExport?: ExportMeasurement;
  /** Rollups, result cache and pool (bench/serving.ts); absent in runs saved before it. */
  serving?: ServingResult;
  notMeasured: string[];
}
