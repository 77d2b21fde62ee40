// The machine-readable benchmark result (written as JSON, read back by --compare).
import type { QueryLatency } from './api-latency.ts';
import type { IdentityMetrics } from './identity-metrics.ts';
import type { RelationshipAgreement } from './relationship-agreement.ts';
import type { environmentFacts } from './versions.ts';

export interface StageResult {
  name: string;
  seconds: number;
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
  ingest: { entity: string; rows: number; seconds: number }[];
  dbtSlowest: { node: string; seconds: number }[];
  /** Identity resolution: its dbt models' time in the build, and its quality against the generator's ground truth. */
  identity: { seconds: number; nodes: { node: string; seconds: number }[]; quality: IdentityMetrics; febrl: FebrlResults };
  /** The management models' time in the build, and relationship natures against the true types. */
  management?: { seconds: number; nodes: { node: string; seconds: number }[]; agreement: RelationshipAgreement };
  api: { durationSeconds: number; serverPeakRssBytes: number; queries: QueryLatency[] };
  notMeasured: string[];
}
