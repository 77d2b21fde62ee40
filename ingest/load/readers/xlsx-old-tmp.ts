// Excel sheets with exceljs's streaming reader (DuckDB's excel extension cannot be
// downloaded here): the sheet's rows go through DuckDB's appender into _staged_rows, in
// bulk, never as INSERT statements. The first row is the header; _source_row is the
// Excel row number. Cells become the text a person sees in them: date cells ISO dates
// (or the entity's date_format / timestamp_format), numbers plain digits (with the
// entity's decimal separator), formulas their result.
import type { DuckDBAppender, DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { EntityOptions, EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { checkColumns } from './columns.ts';
import { formatDate } from './format-date.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { createStagedRows, exposeStagedRows } from './staging.ts';

/** A cell's value as the text a person sees in it; null for an empty cell. */
function cellText(value: ExcelJS.CellValue, options: EntityOptions): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (value instanceof Date) return dateText(value, options);
  if (typeof value === 'number') return options.decimal_separator === ',' ? String(value).replace('.', ',') : String(value);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue, options);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    // An error cell (#N/A, #DIV/0!) keeps its text, so a typed column quarantines it.
    if ('error' in value) return String(value.error);
  }
  return String(value);
}

/**
 * Excel stores times as fractions of a day; exceljs turns them into UTC dates that can
 * be a millisecond off. Whole seconds are what the sheet shows.
 */
function dateText(date: Date, options: EntityOptions): string {
  const rounded = new Date(Math.round(date.getTime() / 1000) * 1000);
  const midnight = rounded.getUTCHours() === 0 && rounded.getUTCMinutes() === 0 && rounded.getUTCSeconds() === 0;
  if (midnight) return formatDate(rounded, options.date_format ?? '%Y-%m-%d');
  return formatDate(rounded, options.timestamp_format ?? '%Y-%m-%d %H:%M:%S');
}

function headerNames(values: ExcelJS.CellValue[]): string[] {
  const names = values.slice(1).map((value) => (cellText(value, {}) ?? '').trim());
  while (names.length > 0 && names[names.length - 1] === '') names.pop();
  return names;
}

/** Streams the chosen sheet into the appender; throws SourceFileError naming the sheets found when it is missing. */
async function appendSheet(spec: EntitySpec, path: string, options: EntityOptions, appender: DuckDBAppender, progress?: ProgressReport): Promise<void> {
  const found: string[] = [];
  let appended = false;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore' });
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name: string }).name;
    found.push(name);
    if (appended || (options.sheet !== undefined && name !== options.sheet)) continue;
    appended = true;
    const location = `${path}#${name}`;
    // Position of each catalogue column in the sheet, known once the header row is read.
    let positions: number[] | null = null;
    let rows = 0;
    for await (const row of worksheet) {
      const values = row.values as ExcelJS.CellValue[];
      if (positions === null) {
        const header = headerNames(values);
        checkColumns(spec, header, location, 'header columns');
        positions = spec.columns.map((c) => header.indexOf(c.name) + 1);
        continue;
      }
      const texts = positions.map((position) => cellText(values[position], options));
      // A wholly empty row is spacing in the sheet, not a record.
      if (texts.every((text) => text === null || text.trim() === '')) continue;
      appender.appendBigInt(BigInt(row.number));
      for (const text of texts) if (text === null) appender.appendNull(); else appender.appendVarchar(text);
      appender.endRow();
      if (++rows % 10_000 === 0) progress?.('reading');
    }
  }
  if (!appended) throw new SourceFileError(`${path}: no sheet named "${options.sheet}"; the workbook has: ${found.join(', ') || 'no sheets'}`);

}

export async function openXlsx(spec: EntitySpec, path: string, options: EntityOptions): Promise<OpenedSource> {
  return openedFile(path, async (connection: DuckDBConnection, progress?: ProgressReport) => {
    progress?.('reading');
    const target = await createStagedRows(connection, spec);
    const appender = await connection.createAppender(target.table, target.schema, target.catalog);
    try {
      await appendSheet(spec, path, options, appender, progress);
      appender.flushSync();
    } catch (error) {
      if (error instanceof SourceFileError) throw error;
      throw new SourceFileError(`${path}: not a readable Excel workbook: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      appender.closeSync();
    }
    await exposeStagedRows(connection);
  });
}
