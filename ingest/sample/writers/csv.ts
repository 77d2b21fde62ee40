// CSV exports under the catalogue's options: delimiter, encoding, decimal separator and
// date/timestamp patterns (ISO when none is given). Fields are quoted when they hold the
// delimiter, a quote or a line break, as RFC 4180 says. Each column's formatter is built
// once, because the largest exports have tens of millions of rows.
import type { ColumnSpec, EntitySpec } from '../../load/catalogue.ts';
import { countingWriter } from './counting-writer.ts';
import type { EntityWriter, WriterOptions } from './entity-writer.ts';
import { TextWriter } from './text-writer.ts';
import { decimalScale, patternFormatter, type SampleRecord, type SampleValue } from './values.ts';

type Formatter = (value: SampleValue) => string;

function columnFormatter(column: ColumnSpec, spec: EntitySpec, delimiter: string): Formatter {
  const { options } = spec;
  const needsQuotes = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]`);
  const quoted = (text: string) => (needsQuotes.test(text) ? `"${text.replaceAll('"', '""')}"` : text);
  const pattern = column.type === 'DATE' ? options.date_format : column.type === 'TIMESTAMP' ? options.timestamp_format : undefined;
  if (pattern) {
    const format = patternFormatter(pattern);
    return (value) => (value === null ? '' : quoted(format(String(value))));
  }
  if (column.type.startsWith('DECIMAL')) {
    const scale = decimalScale(column.type);
    const comma = options.decimal_separator === ',';
    return (value) => {
      if (value === null) return '';
      const text = typeof value === 'number' ? value.toFixed(scale) : String(value);
      return comma ? quoted(text.replace('.', ',')) : text;
    };
  }
  return (value) => (value === null ? '' : typeof value === 'string' ? quoted(value) : String(value));
}

/** Serialises records of the entity to CSV lines (with the line break). */
export function csvLineWriter(spec: EntitySpec): { header: string; line: (record: SampleRecord) => string } {
  const delimiter = spec.options.delimiter ?? ',';
  const names = spec.columns.map((c) => c.name);
  const formatters = spec.columns.map((c) => columnFormatter(c, spec, delimiter));
  return {
    header: names.join(delimiter) + '\n',
    line(record) {
      let text = formatters[0]!(record[names[0]!] ?? null);
      for (let i = 1; i < names.length; i++) text += delimiter + formatters[i]!(record[names[i]!] ?? null);
      return text + '\n';
    },
  };
}

export function openCsvWriter(spec: EntitySpec, path: string, options: Pick<WriterOptions, 'append'>): EntityWriter {
  const { header, line } = csvLineWriter(spec);
  const out = new TextWriter(path, spec.options.encoding ?? 'utf-8', options.append === true);
  if (!options.append) out.write(header);
  return countingWriter(path, (record) => out.write(line(record)), () => out.close());
}
