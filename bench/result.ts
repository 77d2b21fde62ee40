// The machine-readable benchmark result (written as JSON, read back by --compare).
import type { QueryLatency } from './api-latency.ts';
import type { IdentityMetrics } from './identity-metrics.ts';
import type { environmentFacts } from './versions.ts';

export interface StageResult {
  name: string;
  seconds: number;
  maxRssBytes: number;
  /** Rows processed, where the stage has a row count. */
  rows?: number;
}

export interface BenchResult {
  startedAt: string;
  environment: ReturnType<typeof environmentFacts>;
  data: { customers: number; sourceDir: string; files: Record<string, number> };
  stages: StageResult[];
  ingest: { entity: string; rows: number; seconds: number }[];
  dbtSlowest: { node: string; seconds: number }[];
  /** Identity resolution: its dbt models' time in the build, and its quality against the generator's ground truth. */
  identity: { seconds: number; nodes: { node: string; seconds: number }[]; quality: IdentityMetrics };
  api: { durationSeconds: number; serverPeakRssBytes: number; queries: QueryLatency[] };
  notMeasured: string[];
}
