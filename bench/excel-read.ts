// `npx tsx bench/excel-read.ts --source-dir DIR [--runs N] [--only source.entity ...]`
//
// The Excel reader alone, split into its steps, on the Excel exports of a generated
// sample (npm run generate -- --out DIR): `npm run bench`'s Excel rows/s is the whole
// loadEntity (checksum, reading, rules, quarantine, writing the raw table, commit), and
// this says which part of it is the reader's. Per workbook and run, cumulative steps
// (each run again from the file, so each includes the ones before it):
//
//   inflate  open the zip, read the workbook's parts, inflate the sheet
//   scan     + scan the sheet's XML into rows of cells (positions, not yet values)
//   stage    the reader's whole stage() into an in-memory DuckDB (scan, cell text, and
//            DuckDB converting and checking the scratch CSV chunk by chunk while it is
//            written); its own 'staging' progress marks the end of the reading, after
//            which only the last chunks' conversion is waited for
//   load     loadEntity into an empty warehouse file, as the bench measures it
//
// Prints the median of --runs (default 3) for each step, and rows/s of the load.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { ensureBookkeeping } from '../ingest/load/bookkeeping.ts';
import { defaultCatalogueFile, entityName, readCatalogueFile, type EntitySpec } from '../ingest/load/catalogue.ts';
import { loadEntity } from '../ingest/load/load-entity.ts';
import { openSource } from '../ingest/load/readers/index.ts';
import { SheetScanner } from '../ingest/load/readers/xlsx/sheet-rows.ts';
import { readWorkbook } from '../ingest/load/readers/xlsx/workbook.ts';
import { openZipParts } from '../ingest/load/readers/xlsx/zip-parts.ts';
import { readCommandLine } from '../pipeline/command-line.ts';

const values = readCommandLine('npx tsx bench/excel-read.ts --source-dir DIR [--runs N] [--only ENTITY ...]', { options: { 'source-dir': { type: 'string' }, runs: { type: 'string', default: '3' }, only: { type: 'string', multiple: true } } });
if (!values['source-dir']) throw new Error('--source-dir DIR is required (a generated sample)');
const sourceDir = resolve(values['source-dir']);
const runs = Number(values.runs);
const entities = readCatalogueFile(defaultCatalogueFile).entities.filter((e) => e.format === 'xlsx' && (!values.only || values.only.includes(entityName(e))));

const seconds = (from: number) => (performance.now() - from) / 1000;
/** CPU seconds (user + system, every thread of the process: DuckDB's too) since `from`. */
const cpuSeconds = (from: NodeJS.CpuUsage) => {
  const used = process.cpuUsage(from);
  return (used.user + used.system) / 1e6;
};
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function inflateAndScan(spec: EntitySpec, scan: boolean): Promise<{ seconds: number; cpu: number; rows: number; cells: number }> {
  const started = performance.now();
  const cpu = process.cpuUsage();
  const parts = await openZipParts(join(sourceDir, spec.file));
  let rows = 0;
  let cells = 0;
  try {
    const workbook = await readWorkbook(parts);
    const sheet = workbook.sheets.find((s) => s.name === spec.options.sheet) ?? workbook.sheets[0]!;
    const bytes = (await parts.bytes(sheet.part))!;
    if (scan) {
      const scanner = new SheetScanner(bytes);
      while (scanner.next()) {
        rows++;
        cells += scanner.row.count;
      }
    }
  } finally {
    parts.close();
  }
  return { seconds: seconds(started), cpu: cpuSeconds(cpu), rows, cells };
}

async function stage(spec: EntitySpec): Promise<{ seconds: number; cpu: number; beforeWrite: number; cpuBeforeWrite: number; rows: number }> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    const source = await openSource(spec, sourceDir);
    const started = performance.now();
    const cpu = process.cpuUsage();
    let beforeWrite = Number.NaN;
    let cpuBeforeWrite = Number.NaN;
    await source.stage(connection, (phase) => {
      if (phase !== 'staging') return;
      beforeWrite = seconds(started);
      cpuBeforeWrite = cpuSeconds(cpu);
    });
    const total = seconds(started);
    const cpuTotal = cpuSeconds(cpu);
    const rows = Number((await connection.runAndReadAll('SELECT count(*) FROM _staged')).getRowsJS()[0]![0]);
    source.cleanup();
    return { seconds: total, cpu: cpuTotal, beforeWrite, cpuBeforeWrite, rows };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

async function load(spec: EntitySpec): Promise<{ seconds: number; cpu: number; rows: number; phases: Record<string, number> }> {
  const dir = mkdtempSync(join(tmpdir(), 'excel-read-'));
  const instance = await DuckDBInstance.create(join(dir, 'warehouse.duckdb'));
  const connection = await instance.connect();
  try {
    await ensureBookkeeping(connection);
    const cpu = process.cpuUsage();
    const result = await loadEntity(connection, spec, sourceDir);
    return { seconds: result.seconds, cpu: cpuSeconds(cpu), rows: result.rowsRead, phases: { ...result.phaseSeconds } };
  } finally {
    connection.closeSync();
    instance.closeSync();
    rmSync(dir, { recursive: true, force: true });
  }
}

const fixed = (s: number) => s.toFixed(3);
let allRows = 0;
let allLoad = 0;
let allCpu = 0;
for (const spec of entities) {
  const steps = { inflate: [] as number[], scan: [] as number[], convert: [] as number[], stage: [] as number[], load: [] as number[] };
  const cpu = { inflate: [] as number[], scan: [] as number[], convert: [] as number[], stage: [] as number[], load: [] as number[] };
  let rows = 0;
  let cells = 0;
  const phases: Record<string, number[]> = {};
  for (let run = 0; run < runs; run++) {
    const inflated = await inflateAndScan(spec, false);
    steps.inflate.push(inflated.seconds);
    cpu.inflate.push(inflated.cpu);
    const scanned = await inflateAndScan(spec, true);
    steps.scan.push(scanned.seconds);
    cpu.scan.push(scanned.cpu);
    cells = scanned.cells;
    const staged = await stage(spec);
    steps.convert.push(staged.beforeWrite);
    steps.stage.push(staged.seconds);
    cpu.convert.push(staged.cpuBeforeWrite);
    cpu.stage.push(staged.cpu);
    const loaded = await load(spec);
    steps.load.push(loaded.seconds);
    cpu.load.push(loaded.cpu);
    rows = loaded.rows;
    for (const [phase, s] of Object.entries(loaded.phases)) (phases[phase] ??= []).push(s);
  }
  const m = Object.fromEntries(Object.entries(steps).map(([k, v]) => [k, median(v)])) as Record<keyof typeof steps, number>;
  const c = Object.fromEntries(Object.entries(cpu).map(([k, v]) => [k, median(v)])) as Record<keyof typeof cpu, number>;
  allCpu += c.load;
  allRows += rows;
  allLoad += m.load;
  console.log(`${entityName(spec)}: ${rows} rows, ${cells} cells, median of ${runs}`);
  console.log(`  inflate ${fixed(m.inflate)} s | +scan ${fixed(m.scan)} s | +cell text & scratch (reading done) ${fixed(m.convert)} s | +last conversion = stage() ${fixed(m.stage)} s`);
  console.log(`  load ${fixed(m.load)} s (${Math.round(rows / m.load)} rows/s; phases ${Object.entries(phases).map(([k, v]) => `${k} ${fixed(median(v))}`).join(', ')})`);
  console.log(`  CPU s: inflate ${fixed(c.inflate)} | +scan ${fixed(c.scan)} | +cell text & scratch ${fixed(c.convert)} | stage() ${fixed(c.stage)} | load ${fixed(c.load)}`);
  console.log(`  runs: load ${steps.load.map(fixed).join(' ')}; stage ${steps.stage.map(fixed).join(' ')}`);
}
console.log(`Excel: ${allRows} rows, sum of median loads ${fixed(allLoad)} s, ${Math.round(allRows / allLoad)} rows/s; CPU ${fixed(allCpu)} s, ${Math.round(allRows / allCpu)} rows per CPU s`);
