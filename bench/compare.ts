// `--compare`: every figure of a saved bench result against the same figure now, before,
// after and change. Generic over the result JSON, so a stage, query or section that is
// added to the bench later is compared without a change here:
//
// - every number in the result is a figure, named by its path (environment facts and
//   the data set's description aside);
// - a list of objects is matched by each object's name (`name`, `entity`, `node`,
//   `query`, ...), not by position, and a name's trailing "(median of 3)" or "(364
//   orders)" is ignored, so runs with other --runs or data still line up;
// - an object with `rows` and `seconds` also gets its rows/s.
//
//   npx tsx bench/compare.ts BEFORE.json AFTER.json     (two saved runs, no bench run)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

/** Parts of a result that describe the run rather than measure it. */
const notFigures = new Set(['startedAt', 'environment', 'data']);
/** Fields that name an element of a list, most specific first. */
const nameFields = ['name', 'entity', 'node', 'query', 'rollup', 'file', 'stage', 'kind', 'id'];

type Figures = Map<string, number>;

/** A stage's or query's name without its run-dependent parenthesised tail. */
export function stableName(name: string): string {
  let stable = name.trim();
  for (let previous = ''; previous !== stable; ) {
    previous = stable;
    stable = stable.replace(/\s*\([^()]*\)$/, '');
  }
  return stable || name.trim();
}

function elementName(element: unknown, index: number): string {
  if (element && typeof element === 'object' && !Array.isArray(element)) {
    for (const field of nameFields) {
      const value = (element as Record<string, unknown>)[field];
      if (typeof value === 'string' && value !== '') return stableName(value);
    }
  }
  return String(index);
}

function collect(value: unknown, path: string, into: Figures): void {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) into.set(path, value);
    return;
  }
  if (Array.isArray(value)) {
    const seen = new Map<string, number>();
    value.forEach((element, index) => {
      const name = elementName(element, index);
      const count = (seen.get(name) ?? 0) + 1;
      seen.set(name, count);
      collect(element, `${path}[${count > 1 ? `${name} #${count}` : name}]`, into);
    });
    return;
  }
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    for (const [key, child] of Object.entries(record)) {
      if (path === '' && notFigures.has(key)) continue;
      collect(child, path ? `${path}.${key}` : key, into);
    }
    if (typeof record.rows === 'number' && typeof record.seconds === 'number' && record.seconds > 0) {
      into.set(path ? `${path}.rows/s` : 'rows/s', record.rows / record.seconds);
    }
  }
}

/** Every figure of a bench result by its path, e.g. `stages[dbt build].seconds`. */
export function figures(result: unknown): Figures {
  const found: Figures = new Map();
  collect(result, '', found);
  return found;
}

export interface FigureChange {
  figure: string;
  before?: number;
  after?: number;
  /** after / before, when both exist and before is not 0. */
  ratio?: number;
}

/** Every figure present in either result, in the order of the newer result, then those gone. */
export function compareFigures(before: unknown, after: unknown): FigureChange[] {
  const old = figures(before);
  const now = figures(after);
  const paths = [...now.keys(), ...[...old.keys()].filter((path) => !now.has(path))];
  return paths.map((figure) => {
    const b = old.get(figure);
    const a = now.get(figure);
    return { figure, ...(b !== undefined ? { before: b } : {}), ...(a !== undefined ? { after: a } : {}), ...(a !== undefined && b !== undefined && b !== 0 ? { ratio: a / b } : {}) };
  });
}

/** A figure in the unit its name says (bytes as MiB, seconds as s, milliseconds as ms). */
export function formatFigure(path: string, value: number): string {
  const last = path.slice(path.lastIndexOf('.') + 1);
  if (/bytes$/i.test(last)) return `${(value / 2 ** 20).toFixed(0)} MiB`;
  if (/ms$/i.test(last)) return `${value.toFixed(1)} ms`;
  if (/seconds$/i.test(last) || path.includes('phaseSeconds.')) return `${value.toFixed(2)} s`;
  if (Number.isInteger(value) || Math.abs(value) >= 1000) return Math.round(value).toLocaleString('en');
  return value.toPrecision(4);
}

function change(entry: FigureChange): string {
  if (entry.before === undefined) return 'new';
  if (entry.after === undefined) return 'gone';
  if (entry.after === entry.before) return 'same';
  if (entry.ratio === undefined) return `${entry.after > 0 ? '+' : ''}${formatFigure(entry.figure, entry.after)}`;
  const percent = (entry.ratio - 1) * 100;
  return `${percent > 0 ? '+' : ''}${percent.toFixed(1)} % (${entry.ratio.toFixed(2)}x)`;
}

/** The comparison as a table: figure, before, after, change; figures that did not change are counted, not listed. */
export function formatComparison(before: unknown, after: unknown, label = 'earlier run'): string {
  const entries = compareFigures(before, after);
  const changed = entries.filter((e) => e.before !== e.after);
  const rows = [['figure', 'before', 'after', 'change'], ...changed.map((e) => [
    e.figure,
    e.before === undefined ? '-' : formatFigure(e.figure, e.before),
    e.after === undefined ? '-' : formatFigure(e.figure, e.after),
    change(e),
  ])];
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!))).join('  ').trimEnd());
  const unchanged = entries.length - changed.length;
  return [`compared with the ${label} (every figure of the result; before = ${label}, after = this run):`, ...lines, ...(unchanged ? [`(${unchanged} figures unchanged)`] : [])].join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [beforeFile, afterFile] = process.argv.slice(2);
  if (!beforeFile || !afterFile) throw new Error('usage: npx tsx bench/compare.ts BEFORE.json AFTER.json');
  const read = (file: string): unknown => JSON.parse(readFileSync(resolve(file), 'utf8'));
  console.log(formatComparison(read(beforeFile), read(afterFile), beforeFile));
}
