// Prints a benchmark result as a readable table, optionally against an earlier result.
import { formatConfusion } from './relationship-agreement.ts';
import { formatServing } from './serving.ts';
import { formatComparison, stableName } from './compare.ts';
import type { BenchResult } from './result.ts';

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const secs = (s: number) => `${s.toFixed(2)} s`;
const ms = (v: number) => (Number.isFinite(v) ? `${v.toFixed(1)} ms` : 'n/a');
const int = (n: number) => Math.round(n).toLocaleString('en');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  return rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ')).join('\n');
}

function ratio(current: number, earlier: number | undefined): string {
  return earlier === undefined || earlier === 0 || !Number.isFinite(earlier) ? '' : `${(current / earlier).toFixed(2)}x`;
}

type IngestEntry = BenchResult['ingest'][number];

const rate = (rows: number, seconds: number | undefined) => (seconds ? int(rows / seconds) : '');

/**
 * Each entity's load side by side with DuckDB's own reader of the same file: in memory
 * (the reader alone) and into a database file (the same storage work, no rules), then
 * the totals per format and overall.
 */
export function formatIngest(entries: IngestEntry[]): string {
  const header = ['entity', 'format', 'rows', 'time', 'rows/s', 'peak', 'open', 'stage', 'check', 'load', 'commit', 'DuckDB read', 'rows/s', 'DuckDB to file', 'rows/s', 'peak', 'ingest/to file'];
  const phase = (e: IngestEntry, name: keyof NonNullable<IngestEntry['phaseSeconds']>) => (e.phaseSeconds ? e.phaseSeconds[name].toFixed(2) : '');
  const rows = entries.map((e) => [
    e.entity, e.format ?? '', int(e.rows), secs(e.seconds), rate(e.rows, e.seconds), e.peakRssBytes ? mib(e.peakRssBytes) : '',
    phase(e, 'open'), phase(e, 'staging'), phase(e, 'checking'), phase(e, 'loading'), phase(e, 'commit'),
    e.duckdb ? secs(e.duckdb.read.seconds) : 'n/a', rate(e.rows, e.duckdb?.read.seconds),
    e.duckdb ? secs(e.duckdb.toFile.seconds) : 'n/a', rate(e.rows, e.duckdb?.toFile.seconds), e.duckdb ? mib(e.duckdb.toFile.peakRssBytes) : '',
    e.duckdb ? `${(e.seconds / e.duckdb.toFile.seconds).toFixed(1)}x` : '',
  ]);
  const total = (label: string, group: IngestEntry[]) => {
    const n = group.reduce((sum, e) => sum + e.rows, 0);
    const seconds = group.reduce((sum, e) => sum + e.seconds, 0);
    const withDuckDb = group.filter((e) => e.duckdb);
    const read = withDuckDb.length === group.length ? withDuckDb.reduce((sum, e) => sum + e.duckdb!.read.seconds, 0) : undefined;
    const toFile = withDuckDb.length === group.length ? withDuckDb.reduce((sum, e) => sum + e.duckdb!.toFile.seconds, 0) : undefined;
    const peak = Math.max(0, ...group.map((e) => e.peakRssBytes ?? 0));
    const sumPhase = (name: keyof NonNullable<IngestEntry['phaseSeconds']>) => (group.every((e) => e.phaseSeconds) ? group.reduce((sum, e) => sum + e.phaseSeconds![name], 0).toFixed(2) : '');
    return [
      label, '', int(n), secs(seconds), rate(n, seconds), peak ? mib(peak) : '',
      sumPhase('open'), sumPhase('staging'), sumPhase('checking'), sumPhase('loading'), sumPhase('commit'),
      read === undefined ? 'n/a' : secs(read), rate(n, read), toFile === undefined ? 'n/a' : secs(toFile), rate(n, toFile),
      toFile === undefined ? '' : mib(Math.max(...group.map((e) => e.duckdb!.toFile.peakRssBytes))), toFile ? `${(seconds / toFile).toFixed(1)}x` : '',
    ];
  };
  const formats = [...new Set(entries.map((e) => e.format ?? ''))];
  const totals = [
    ...formats.map((format) => total(`all ${format || '(format not recorded)'}`, entries.filter((e) => (e.format ?? '') === format))),
    total('all but Excel', entries.filter((e) => e.format !== 'xlsx')),
    total('all', entries),
  ];
  return [
    "ingest per entity (first load into an empty warehouse; phases in seconds) beside DuckDB's own reader of the same file",
    '(DuckDB read = read_csv/read_json/read_parquet with its defaults into memory; to file = into a new database file, checkpointed):',
    table([header, ...rows, ...totals]),
  ].join('\n');
}

export function formatReport(result: BenchResult, earlier?: BenchResult): string {
  const out: string[] = [];
  const { machine, versions } = result.environment;
  out.push(`Asiakkuus benchmark, ${result.startedAt}`);
  out.push(`machine: ${machine.cores} cores (${machine.cpuModel}), ${mib(machine.memoryBytes)} memory, node ${machine.node}`);
  out.push(`versions: ${Object.entries(versions).map(([name, version]) => `${name} ${version}`).join(', ')}`);
  out.push(`data: ${int(result.data.customers)} customers, ${Object.entries(result.data.files).map(([f, n]) => `${f} ${int(n)}`).join(', ')}`);
  out.push('');
  const stageRows = [['stage', 'time', 'CPU', 'rows/s', 'peak memory', ...(earlier ? ['time vs earlier', 'CPU vs earlier'] : [])]];
  for (const stage of result.stages) {
    const before = earlier?.stages.find((s) => stableName(s.name) === stableName(stage.name));
    stageRows.push([
      stage.name, secs(stage.seconds), stage.cpuSeconds !== undefined ? secs(stage.cpuSeconds) : '', stage.rows ? int(stage.rows / stage.seconds) : '', stage.maxRssBytes ? mib(stage.maxRssBytes) : '',
      ...(earlier ? [ratio(stage.seconds, before?.seconds), stage.cpuSeconds !== undefined ? ratio(stage.cpuSeconds, before?.cpuSeconds) : ''] : []),
    ]);
  }
  out.push(table(stageRows));
  out.push('');
  out.push(formatIngest(result.ingest));
  const excel = result.ingest.filter((e) => e.format === 'xlsx');
  if (excel.length > 0) {
    const rows = excel.reduce((sum, e) => sum + e.rows, 0);
    const seconds = excel.reduce((sum, e) => sum + e.seconds, 0);
    const before = earlier?.ingest.filter((e) => e.format === 'xlsx' || excel.some((x) => x.entity === e.entity));
    const earlierRate = before?.length ? before.reduce((sum, e) => sum + e.rows, 0) / before.reduce((sum, e) => sum + e.seconds, 0) : undefined;
    out.push(`Excel (${excel.map((e) => e.entity).join(', ')}): ${int(rows)} rows in ${secs(seconds)}, ${int(rows / seconds)} rows/s${earlierRate ? ` (earlier ${int(earlierRate)} rows/s)` : ''}`);
  }
  out.push('');
  out.push('slowest dbt nodes (dbt build):');
  out.push(table([['node', 'time'], ...result.dbtSlowest.map((n) => [n.node, secs(n.seconds)])]));
  out.push('');
  if (result.incrementalSlowest) {
    out.push('slowest dbt nodes of the incremental rebuild after a day\'s data:');
    out.push(table([['node', 'time'], ...result.incrementalSlowest.map((n) => [n.node, secs(n.seconds)])]));
    out.push('');
  }
  const q = result.identity.quality;
  out.push(`identity resolution: ${secs(result.identity.seconds)} of the dbt build (${result.identity.nodes.map((n) => `${n.node} ${secs(n.seconds)}`).join(', ')})`);
  out.push(
    `  against the ground truth: ${int(q.records)} records of ${int(q.persons)} real customers -> ${int(q.customers)} customers; ` +
      `pairwise precision ${q.precision.toFixed(4)}, recall ${q.recall.toFixed(4)}, F1 ${q.f1.toFixed(4)}; cluster accuracy ${q.clusterAccuracy.toFixed(4)}`,
  );
  const febrl = result.identity.febrl;
  if (febrl) {
    out.push('  on the public FEBRL benchmark (Splink vs a blocking + exact-agreement baseline):');
    out.push(
      table([
        ['data set', 'records', 'precision', 'recall', 'F1', 'time', 'baseline F1'],
        ...Object.entries(febrl).map(([name, r]) => [
          name, int(r.records), r.splink.precision.toFixed(4), r.splink.recall.toFixed(4), r.splink.f1.toFixed(4), secs(r.splink.seconds), r.baseline.f1.toFixed(4),
        ]),
      ]),
    );
  }
  const e = result.identity.evalSet;
  if (e) {
    out.push(
      `  on the evaluation set (separate generator, python -m asiakkuus_identity.evalset): ${int(e.records)} records of ${int(e.persons)} persons; ` +
        `pairwise precision ${e.pairs.precision.toFixed(4)}, recall ${e.pairs.recall.toFixed(4)}, F1 ${e.pairs.f1.toFixed(4)}`,
    );
    out.push(
      table([
        ['variation kind', 'true pairs', 'joined', 'recall'],
        ...Object.entries(e.recall_by_kind).map(([kind, r]) => [kind, int(r.pairs), int(r.joined), r.recall.toFixed(4)]),
      ]),
    );
    out.push(
      table([
        ['hard negative', 'person pairs', 'merged', 'merged without a shared e-mail'],
        ...Object.entries(e.false_merges_by_kind).map(([kind, m]) => [kind, int(m.person_pairs), int(m.merged), int(m.merged_without_shared_email)]),
      ]),
    );
  }
  out.push('');
  if (result.management) {
    const { agreement } = result.management;
    out.push(`management models: ${secs(result.management.seconds)} of the dbt build (${result.management.nodes.map((n) => `${n.node} ${secs(n.seconds)}`).join(', ')})`);
    out.push(
      `  relationship nature against the ground truth (latest month): ${(100 * agreement.overall).toFixed(1)} % of ${int(agreement.decided)} customers given a type agree; ` +
        `coverage ${(100 * agreement.coverage).toFixed(1)} % of ${int(agreement.customers)}`,
    );
    out.push(formatConfusion(agreement).replace(/^/gm, '  '));
    out.push('');
  }
  const concurrencies = Object.keys(result.api.queries[0]?.byConcurrency ?? {});
  const apiRows = [['query', ...concurrencies.flatMap((c) => [`p50 @${c}`, `p95 @${c}`, `p99 @${c}`, `req/s @${c}`, `errors @${c}`]), 'DuckDB direct', 'API/direct', ...(earlier ? ['p50@1 vs earlier'] : [])]];
  for (const q of result.api.queries) {
    const before = earlier?.api.queries.find((e) => e.name === q.name);
    apiRows.push([
      q.name,
      ...concurrencies.flatMap((c) => {
        const s = q.byConcurrency[c]!;
        return [ms(s.p50Ms), ms(s.p95Ms), ms(s.p99Ms), s.requestsPerSecond.toFixed(1), String(s.errors)];
      }),
      ms(q.directDuckDbMedianMs),
      `${q.overheadRatio.toFixed(1)}x`,
      ...(earlier ? [ratio(q.byConcurrency[concurrencies[0]!]!.p50Ms, before?.byConcurrency[concurrencies[0]!]?.p50Ms)] : []),
    ]);
  }
  out.push(`API latency (${result.api.durationSeconds} s per concurrency level; API server peak memory ${mib(result.api.serverPeakRssBytes)}):`);
  out.push(table(apiRows));
  const exported = result.marketingExport;
  if (exported) {
    out.push('');
    out.push(
      `Newsletter export: ${exported.rows} rows (${mib(exported.bytes)}) in ${secs(exported.seconds)}; segment-size query p50 ${ms(exported.segmentSizeIdleMs)} idle, ` +
        `${ms(exported.segmentSizeDuringExportMs)} during the export (${exported.segmentSizeRequestsDuringExport} requests)`,
    );
  }
  if (result.serving) {
    out.push('');
    out.push(formatServing(result.serving, earlier?.serving));
  }
  if (result.notMeasured.length) {
    out.push('');
    out.push(`not measured yet: ${result.notMeasured.join('; ')}`);
  }
  if (earlier) {
    out.push('');
    out.push(formatComparison(earlier, result));
  }
  return out.join('\n');
}
