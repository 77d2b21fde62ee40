// One writer per catalogue entity, in the format and with the options the catalogue
// declares for it, so the generator only produces records and the exports look exactly
// like what the loaders are configured to read: Windows-1252 semicolon CSV with decimal
// commas and Finnish dates from the CRM, Excel sheets, JSON, NDJSON, Parquet.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import ExcelJS from 'exceljs';
import type { ColumnSpec, EntitySpec } from '../../load/catalogue.ts';
import { convertCsvToParquet } from './parquet.ts';
import { TextWriter } from './text-writer.ts';
import { formatWithPattern, toDate, type SampleRecord, type SampleValue } from './values.ts';

export interface EntityWriter {
  readonly path: string;
  rows: number;
  write(record: SampleRecord): void;
  /** Finishes the file; resolves to the number of data rows. */
  close(): Promise<number>;
}

function scaleOf(type: string): number {
  return Number(/DECIMAL\(\d+,(\d+)\)/.exec(type)?.[1] ?? 0);
}

/** A value as CSV text under the entity's options (ISO dates unless a pattern is given). */
function csvText(column: ColumnSpec, value: SampleValue, spec: EntitySpec): string {
  if (value === null || value === undefined) return '';
  const { options } = spec;
  if (column.type === 'DATE' && options.date_format && typeof value === 'string') return formatWithPattern(value, options.date_format);
  if (column.type === 'TIMESTAMP' && options.timestamp_format && typeof value === 'string') return formatWithPattern(value, options.timestamp_format);
  if (typeof value === 'number' && column.type.startsWith('DECIMAL')) {
    const text = value.toFixed(scaleOf(column.type));
    return options.decimal_separator === ',' ? text.replace('.', ',') : text;
  }
  return String(value);
}

function csvField(text: string, delimiter: string): string {
  return text.includes(delimiter) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

function csvWriter(spec: EntitySpec, path: string): EntityWriter & { finish(): void } {
  const delimiter = spec.format === 'csv' ? (spec.options.delimiter ?? ',') : ',';
  const encoding = spec.format === 'csv' ? (spec.options.encoding ?? 'utf-8') : 'utf-8';
  const out = new TextWriter(path, encoding);
  out.write(spec.columns.map((c) => c.name).join(delimiter) + '\n');
  const writer = {
    path,
    rows: 0,
    write(record: SampleRecord) {
      out.write(spec.columns.map((c) => csvField(csvText(c, record[c.name] ?? null, spec), delimiter)).join(delimiter) + '\n');
      writer.rows++;
    },
    finish: () => out.close(),
    async close() {
      out.close();
      return writer.rows;
    },
  };
  return writer;
}

function jsonValue(column: ColumnSpec, value: SampleValue): string {
  if (value === null || value === undefined) return 'null';
  if ((column.type === 'DATE' || column.type === 'TIMESTAMP') && typeof value === 'string') return JSON.stringify(value.replace(' ', 'T'));
  return JSON.stringify(value);
}

function jsonWriter(spec: EntitySpec, path: string, layout: 'array' | 'lines'): EntityWriter {
  const out = new TextWriter(path);
  if (layout === 'array') out.write('[\n');
  const writer: EntityWriter = {
    path,
    rows: 0,
    write(record) {
      const object = '{' + spec.columns.map((c) => `${JSON.stringify(c.name)}:${jsonValue(c, record[c.name] ?? null)}`).join(',') + '}';
      out.write(layout === 'array' ? `${writer.rows > 0 ? ',\n' : ''}${object}` : `${object}\n`);
      writer.rows++;
    },
    async close() {
      if (layout === 'array') out.write('\n]\n');
      out.close();
      return writer.rows;
    },
  };
  return writer;
}

function xlsxWriter(spec: EntitySpec, path: string): EntityWriter {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(spec.options.sheet ?? spec.name);
  sheet.columns = spec.columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: 18,
    ...(c.type === 'DATE' ? { style: { numFmt: 'd.m.yyyy' } } : c.type === 'TIMESTAMP' ? { style: { numFmt: 'd.m.yyyy h:mm' } } : {}),
  }));
  const writer: EntityWriter = {
    path,
    rows: 0,
    write(record) {
      const row: Record<string, ExcelJS.CellValue> = {};
      for (const c of spec.columns) {
        const value = record[c.name] ?? null;
        row[c.name] = value === null ? null : (c.type === 'DATE' || c.type === 'TIMESTAMP') && typeof value === 'string' ? toDate(value) : value;
      }
      sheet.addRow(row).commit();
      writer.rows++;
    },
    async close() {
      sheet.commit();
      await workbook.commit();
      return writer.rows;
    },
  };
  return writer;
}

function parquetWriter(spec: EntitySpec, path: string): EntityWriter {
  const staging = csvWriter({ ...spec, format: 'csv', options: {} }, `${path}.csv`);
  return {
    path,
    get rows() {
      return staging.rows;
    },
    set rows(_value: number) {},
    write: (record) => staging.write(record),
    async close() {
      staging.finish();
      await convertCsvToParquet(spec, `${path}.csv`, path);
      return staging.rows;
    },
  };
}

export function openEntityWriter(spec: EntitySpec, outDir: string): EntityWriter {
  const path = join(outDir, spec.file);
  mkdirSync(dirname(path), { recursive: true });
  switch (spec.format) {
    case 'csv':
    case 'postgres':
      return csvWriter(spec, path);
    case 'json':
      return jsonWriter(spec, path, 'array');
    case 'ndjson':
      return jsonWriter(spec, path, 'lines');
    case 'xlsx':
      return xlsxWriter(spec, path);
    case 'parquet':
      return parquetWriter(spec, path);
  }
}
