// Excel sheets with exceljs's streaming reader (DuckDB's excel extension cannot be
// downloaded here). The chosen sheet is written to a UTF-8 scratch CSV, which then
// takes the same bulk path as any CSV. Dates become ISO text, numbers plain text.
import { createWriteStream } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import ExcelJS from 'exceljs';
import type { EntityOptions } from '../catalogue.ts';
import { sha256OfFile } from './checksum.ts';
import { csvRelation } from './csv.ts';
import { describeColumns } from './describe.ts';
import type { PreparedSource } from './prepared-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { makeTempDir } from './temp-files.ts';

function isoText(date: Date): string {
  const iso = date.toISOString();
  return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso.slice(0, 19).replace('T', ' ');
}

/** A cell's value as the text a person sees in it. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return isoText(value);
  if (typeof value === 'object') {
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('error' in value) return '';
  }
  return String(value);
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

async function writeSheetAsCsv(path: string, sheet: string | undefined, target: string): Promise<void> {
  const out = createWriteStream(target);
  const found: string[] = [];
  let written = false;
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(path, { sharedStrings: 'cache', styles: 'cache', worksheets: 'emit', hyperlinks: 'ignore' });
  for await (const worksheet of reader) {
    const name = (worksheet as unknown as { name: string }).name;
    found.push(name);
    if (written || (sheet !== undefined && name !== sheet)) continue;
    written = true;
    let width = 0;
    let expectedRow = 1;
    for await (const row of worksheet) {
      // Empty rows are not emitted; keep numbering by writing them as empty lines of the sheet width.
      for (; expectedRow < row.number; expectedRow++) out.write(`${','.repeat(Math.max(0, width - 1))}\n`);
      const values = (row.values as ExcelJS.CellValue[]).slice(1);
      if (row.number === 1) width = values.length;
      const cells = Array.from({ length: Math.max(width, values.length) }, (_, i) => csvField(cellText(values[i])));
      if (!out.write(cells.join(',') + '\n')) await new Promise<void>((resolveDrain) => out.once('drain', () => resolveDrain()));
      expectedRow = row.number + 1;
    }
  }
  await new Promise<void>((resolveClose, reject) => out.end((error?: Error | null) => (error ? reject(error) : resolveClose())));
  if (!written) throw new SourceFileError(`${path}: no sheet named "${sheet}"; the workbook has: ${found.join(', ') || 'no sheets'}`);
}

export async function prepareXlsx(connection: DuckDBConnection, path: string, options: EntityOptions): Promise<PreparedSource> {
  const checksum = await sha256OfFile(path);
  const temp = makeTempDir();
  try {
    const csv = temp.file('sheet.csv');
    try {
      await writeSheetAsCsv(path, options.sheet, csv);
    } catch (error) {
      if (error instanceof SourceFileError) throw error;
      throw new SourceFileError(`${path}: not a readable Excel workbook: ${error instanceof Error ? error.message : String(error)}`);
    }
    const relation = csvRelation(csv);
    const columns = await describeColumns(connection, relation, path);
    return { location: `${path}#${options.sheet ?? 'first sheet'}`, checksum, relation, columns, cleanup: temp.remove };
  } catch (error) {
    temp.remove();
    throw error;
  }
}
