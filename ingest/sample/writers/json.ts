// JSON exports: one array of objects (webshop, newsletter campaigns) or one object per
// line (helpdesk, social listening), streamed row by row, never built as one string.
// Timestamps are ISO 8601 ("2026-03-05T14:07:00"), as those systems' APIs give them.
import type { ColumnSpec, EntitySpec } from '../../load/catalogue.ts';
import { countingWriter } from './counting-writer.ts';
import type { EntityWriter, WriterOptions } from './entity-writer.ts';
import { TextWriter } from './text-writer.ts';
import type { SampleRecord, SampleValue } from './values.ts';

function jsonValue(column: ColumnSpec, value: SampleValue): string {
  if (value === null) return 'null';
  if (column.type === 'TIMESTAMP' && typeof value === 'string') return JSON.stringify(value.replace(' ', 'T'));
  return JSON.stringify(value);
}

export function openJsonWriter(spec: EntitySpec, path: string, layout: 'array' | 'lines', options: Pick<WriterOptions, 'append'>): EntityWriter {
  // An array cannot grow by appending to the file: its closing bracket is already written.
  if (options.append && layout === 'array') throw new Error(`${spec.file}: a JSON array export cannot be appended to`);
  const keys = spec.columns.map((c) => `${JSON.stringify(c.name)}:`);
  const out = new TextWriter(path, 'utf-8', options.append === true);
  if (layout === 'array') out.write('[\n');
  let separator = '';
  const writeRow = (record: SampleRecord) => {
    let object = '{';
    spec.columns.forEach((column, i) => {
      object += (i > 0 ? ',' : '') + keys[i]! + jsonValue(column, record[column.name] ?? null);
    });
    object += '}';
    if (layout === 'lines') out.write(`${object}\n`);
    else {
      out.write(separator + object);
      separator = ',\n';
    }
  };
  return countingWriter(path, writeRow, () => {
    if (layout === 'array') out.write('\n]\n');
    out.close();
  });
}
