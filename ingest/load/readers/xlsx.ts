// Excel sheets (.xlsx). The package is a zip of XML parts; yauzl reads its central
// directory and inflates the parts the workbook needs, in whatever order they were
// stored (xlsx/zip-parts.ts); the workbook's relationships say where each sheet lives
// (xlsx/workbook.ts), and the sheet's rows are scanned as they inflate
// (xlsx/sheet-rows.ts). Each cell becomes the text a person sees in it and the rows go
// to a UTF-8 CSV scratch file that DuckDB's read_csv stages in bulk. DuckDB's excel
// extension cannot be downloaded here; exceljs's streaming reader, used before, lost
// sheet names when a writer stored absolute part names (openpyxl, so pandas) and could
// read a worksheet before its shared strings, and ran at a tenth of the speed.
//
// The first row with a value is the header; _source_row is the Excel row number. Date
// cells become ISO dates (or the entity's date_format / timestamp_format), numbers
// their shortest exact digits (with the entity's decimal separator), formulas their
// cached result, rich text its text, error cells their code (#N/A), so a typed column
// refuses them; wholly empty rows are spacing, not records.
import { closeSync, openSync, readSync, writeSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { EntityOptions, EntitySpec } from '../catalogue.ts';
import type { ProgressReport } from '../progress.ts';
import { ident, literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { formatDate } from './format-date.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { stageNumbered } from './staging.ts';
import { makeTempDir, type TempDir } from './temp-files.ts';
import { fromByteText, toByteText } from './xlsx/byte-text.ts';
import { sheetRowsOfChunks, type CellValue } from './xlsx/sheet-rows.ts';
import { readWorkbook } from './xlsx/workbook.ts';
import { openZipParts, type ZipParts } from './xlsx/zip-parts.ts';

/** A cell's value as the text a person sees in it, in byte text (xlsx/byte-text.ts); null for an empty cell. */
function cellText(value: CellValue | undefined, options: EntityOptions): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return options.decimal_separator === ',' ? String(value).replace('.', ',') : String(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return toByteText(dateText(value, options));
  return value.error;
}

/** A date cell as its date, or its timestamp when it has a time of day (whole seconds: see sheet-rows.ts). */
function dateText(date: Date, options: EntityOptions): string {
  const midnight = date.getTime() % 86_400_000 === 0;
  if (midnight) return formatDate(date, options.date_format ?? '%Y-%m-%d');
  return formatDate(date, options.timestamp_format ?? '%Y-%m-%d %H:%M:%S');
}

function csvField(text: string | null): string {
  if (text === null) return '';
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** No text, or only white space (a no-break space is two bytes in byte text, so such text is decoded to tell). */
function isBlank(text: string | null): boolean {
  if (text === null) return true;
  const trimmed = text.trim();
  return trimmed === '' || (trimmed.charCodeAt(0) > 0x7f && fromByteText(trimmed).trim() === '');
}

/** What the first bytes say a file is when it is not a zip package: the real cause of "not a workbook". */
function notAWorkbook(path: string, cause: string): SourceFileError {
  const head = Buffer.alloc(64);
  const fd = openSync(path, 'r');
  const length = readSync(fd, head, 0, head.length, 0);
  closeSync(fd);
  const bytes = head.subarray(0, length);
  let what: string;
  if (length === 0) what = 'the file is empty';
  else if (bytes.subarray(0, 4).equals(Buffer.from([0xd0, 0xcf, 0x11, 0xe0]))) what = 'it is an Excel 97-2003 workbook (.xls) or a password-protected one; save it as .xlsx without a password';
  else if (bytes.subarray(0, 2).toString('latin1') === 'PK') what = `a damaged zip package (${cause})`;
  else what = `it is not a zip package; it starts with ${JSON.stringify(bytes.toString('utf8').split(/\r?\n/)[0]!.slice(0, 40))}`;
  return new SourceFileError(`${path}: not a readable Excel workbook: ${what}`);
}

/** Writes the sheet's catalogue columns to `csvPath` as `_source_row, <columns...>`; returns the rows written. */
async function writeSheetCsv(spec: EntitySpec, path: string, parts: ZipParts, options: EntityOptions, csvPath: string, progress?: ProgressReport): Promise<number> {
  const workbook = await readWorkbook(parts);
  const sheet = options.sheet === undefined ? workbook.sheets[0] : workbook.sheets.find((s) => s.name === options.sheet);
  if (!sheet) throw new SourceFileError(`${path}: no sheet named "${options.sheet}"; the workbook has: ${workbook.sheets.map((s) => s.name).join(', ') || 'no sheets'}`);
  const location = `${path}#${sheet.name}`;
  const chunks = parts.byteTextChunks(sheet.part);
  if (!chunks) throw new SourceFileError(`${location}: the workbook names part ${sheet.part} for this sheet, which the package does not have`);
  const out = openSync(csvPath, 'w');
  let positions: number[] | null = null;
  let rows = 0;
  try {
    let lines: string[] = [];
    const flush = () => {
      // Byte text written as latin1 is the cells' UTF-8 bytes again.
      if (lines.length > 0) writeSync(out, lines.join(''), null, 'latin1');
      rows += lines.length;
      lines = [];
    };
    for await (const batch of sheetRowsOfChunks(chunks, workbook)) {
      for (const row of batch) {
        if (positions === null) {
          const header = Array.from(row.cells, (value) => fromByteText(cellText(value, {}) ?? '').trim());
          while (header.length > 0 && header[header.length - 1] === '') header.pop();
          // Rows before the header that hold nothing are not the header.
          if (header.length === 0) continue;
          checkColumns(spec, header, location, 'header columns');
          positions = spec.columns.map((c) => header.indexOf(c.name));
          continue;
        }
        // One string per row, built in one pass: the cells of a big sheet are many.
        let line = String(row.number);
        let blank = true;
        for (const position of positions) {
          const text = cellText(row.cells[position], options);
          if (blank && !isBlank(text)) blank = false;
          line += text === null ? ',' : `,${csvField(text)}`;
        }
        if (blank) continue;
        lines.push(`${line}\n`);
        if (lines.length === 4096) flush();
      }
      progress?.('reading');
    }
    flush();
  } finally {
    closeSync(out);
  }
  if (positions === null) throw new SourceFileError(`${location}: the sheet is empty; expected a header row with: ${spec.columns.map((c) => c.name).join(', ')}`);
  return rows;
}

export async function openXlsx(spec: EntitySpec, path: string, options: EntityOptions): Promise<OpenedSource> {
  let temp: TempDir | undefined;
  return openedFile(
    path,
    async (connection: DuckDBConnection, progress?: ProgressReport) => {
      progress?.('reading');
      let parts: ZipParts;
      try {
        parts = await openZipParts(path);
      } catch (error) {
        throw notAWorkbook(path, error instanceof Error ? error.message : String(error));
      }
      temp = makeTempDir();
      const csvPath = temp.file('sheet.csv');
      try {
        await writeSheetCsv(spec, path, parts, options, csvPath, progress);
      } catch (error) {
        if (error instanceof SourceFileError) throw error;
        throw new SourceFileError(`${path}: not a readable Excel workbook: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        parts.close();
      }
      progress?.('staging');
      const columns = [`'_source_row': 'BIGINT'`, ...spec.columns.map((c) => `${literal(c.name)}: 'VARCHAR'`)].join(', ');
      const relation = `read_csv(${literal(csvPath)}, header = false, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"')`;
      await stageNumbered(connection, spec, `(SELECT _source_row, ${spec.columns.map((c) => ident(c.name)).join(', ')} FROM ${relation})`, path);
    },
    () => temp?.remove(),
  );
}
