// Excel sheets (.xlsx). The package is a zip of XML parts; yauzl reads its central
// directory and inflates the parts the workbook needs, in whatever order they were
// stored (xlsx/zip-parts.ts); the workbook's relationships say where each sheet lives
// (xlsx/workbook.ts), and the inflated sheet's bytes are scanned row by row
// (xlsx/sheet-rows.ts). Each cell becomes the text a person sees in it and the rows go
// to a UTF-8 CSV scratch file that DuckDB's read_csv stages in bulk; a plain cell's
// text is copied from the sheet's bytes to the file's (see ScratchCsv). DuckDB's excel
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
import { literal } from '../sql.ts';
import { checkColumns } from './columns.ts';
import { unreadable } from './describe.ts';
import { datePatternBytes, formatUtcMillis, writeUtcMillis } from './format-date.ts';
import { openedFile, type OpenedSource } from './opened-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { checkedRows } from '../rules.ts';
import { stageNumberedView } from './staging.ts';
import { makeTempDir, type TempDir } from './temp-files.ts';
import { fromByteText, toByteText } from './xlsx/byte-text.ts';
import { byteTextStrings, cellKind, cellValue, rowCells, serialToMillis, SheetScanner, type CellValue } from './xlsx/sheet-rows.ts';
import { readWorkbook, type Workbook } from './xlsx/workbook.ts';
import { openZipParts, type ZipParts } from './xlsx/zip-parts.ts';

/** A cell's value as the text a person sees in it, in byte text (xlsx/byte-text.ts); null for an empty cell. */
function cellText(value: CellValue | undefined, options: EntityOptions): string | null {
  if (value === null || value === undefined || value === '') return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value, options);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (value instanceof Date) return dateText(value.getTime(), options);
  return value.error;
}

function numberText(value: number, options: EntityOptions): string {
  return options.decimal_separator === ',' ? String(value).replace('.', ',') : String(value);
}

/** A date cell as its date, or its timestamp when it has a time of day (whole seconds: see sheet-rows.ts), in byte text. */
function dateText(millis: number, options: EntityOptions): string {
  const midnight = millis % 86_400_000 === 0;
  const pattern = midnight ? (options.date_format ?? '%Y-%m-%d') : (options.timestamp_format ?? '%Y-%m-%d %H:%M:%S');
  const text = formatUtcMillis(millis, pattern);
  return isAscii(pattern) ? text : toByteText(text);
}

const asciiPatterns = new Map<string, boolean>();
function isAscii(pattern: string): boolean {
  let ascii = asciiPatterns.get(pattern);
  if (ascii === undefined) asciiPatterns.set(pattern, (ascii = !/[^\x00-\x7f]/.test(pattern)));
  return ascii;
}

function csvField(text: string | null): string {
  if (text === null) return '';
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/**
 * No text, or only white space (a no-break space is two bytes in byte text, so such text
 * is decoded to tell). The whole text is decoded, not the trimmed one: trim() takes
 * byte 0xA0 for a no-break space and would cut the second byte of one off.
 */
function isBlank(text: string | null): boolean {
  if (text === null) return true;
  const trimmed = text.trim();
  return trimmed === '' || (trimmed.charCodeAt(0) > 0x7f && fromByteText(text).trim() === '');
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

/**
 * The scratch CSV, built in a buffer from the sheet's bytes: the text of a cell that
 * needs no decoding or quoting is its bytes (byte text written as latin1 is the same
 * UTF-8), and everything else goes through cellValue and cellText.
 */
class ScratchCsv {
  /** Written up to `position`; callers that write it themselves reserve room first. */
  bytes = Buffer.allocUnsafe(1 << 20);
  position = 0;
  /** Bytes flushed to the file `fd` so far. */
  flushed = 0;

  constructor(public fd: number) {}

  /** Room for `length` more bytes. */
  reserve(length: number): void {
    if (this.position + length <= this.bytes.length) return;
    this.flush();
    if (length > this.bytes.length) this.bytes = Buffer.allocUnsafe(length * 2);
  }

  flush(): void {
    if (this.position > 0) writeSync(this.fd, this.bytes, 0, this.position);
    this.flushed += this.position;
    this.position = 0;
  }

  byte(code: number): void {
    this.bytes[this.position++] = code;
  }

  /** Byte text (one byte per character), reserved beforehand. */
  text(text: string): void {
    const buffer = this.bytes;
    let at = this.position;
    for (let i = 0; i < text.length; i++) buffer[at++] = text.charCodeAt(i);
    this.position = at;
  }

  /** bytes[from, to), reserved beforehand. */
  copy(bytes: Uint8Array, from: number, to: number): void {
    const buffer = this.bytes;
    let at = this.position;
    for (let i = from; i < to; i++) buffer[at++] = bytes[i]!;
    this.position = at;
  }

  /**
   * Copies text bytes[from, to) that a cell holds as its value when it is plain, in the
   * same pass that tells: returns 0 (and writes nothing) when it must be decoded (an
   * entity, an _xHHHH_ escape, markup) or quoted for CSV, else 1 when it is blank (only ASCII
   * white space), 2 when it is not, 3 when it has only white space and non-ASCII bytes
   * (decoded to tell).
   */
  plainText(bytes: Uint8Array, from: number, to: number): number {
    this.reserve(to - from);
    const buffer = this.bytes;
    let at = this.position;
    let blank = 1;
    for (let i = from; i < to; i++) {
      const code = bytes[i]!;
      if (code === 38 /* & */ || code === 34 /* " */ || code === 44 /* , */ || code === 10 || code === 13 || code === 60 /* < */) return 0;
      if (code === 95 /* _ */ && bytes[i + 1] === 120 /* x */) return 0;
      if (blank !== 2 && code !== 32 && (code < 9 || code > 13)) blank = code < 0x80 ? 2 : 3;
      buffer[at++] = code;
    }
    this.position = at;
    return blank;
  }

  /** Drops what was written since `position` (a blank row). */
  rewind(position: number): void {
    this.position = position;
  }
}

/** Whether the number plainDecimal last read is written as String(number) would write it. */
let plainDecimalIsCanonical = false;

const maxExact = 2 ** 53;
const powersOfTen = Array.from({ length: 23 }, (_, k) => 10 ** k);

/**
 * Number(text) of bytes[from, to) when they are a plain decimal (-?digits(.digits)?)
 * whose digits make an integer below 2^53 and that has at most 22 decimals: that
 * integer over a power of ten, both exact, is one correctly rounded division, which is
 * what Number() gives. NaN for anything else (which Number() then reads). Sets
 * plainDecimalIsCanonical when String(number) would give these very bytes: at most 15
 * significant digits (so no shorter decimal is the same number), no leading or
 * trailing zeros, not -0, and not small enough for an exponent.
 */
function plainDecimal(bytes: Uint8Array, from: number, to: number): number {
  plainDecimalIsCanonical = false;
  let i = from;
  const negative = bytes[i] === 45;
  if (negative) i++;
  const integerFrom = i;
  let digits = 0;
  while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) digits = digits * 10 + (bytes[i++]! - 48);
  const integerDigits = i - integerFrom;
  if (integerDigits === 0) return Number.NaN;
  let decimals = 0;
  if (i < to) {
    if (bytes[i] !== 46 || i + 1 === to) return Number.NaN;
    i++;
    const fractionFrom = i;
    while (i < to && bytes[i]! >= 48 && bytes[i]! <= 57) digits = digits * 10 + (bytes[i++]! - 48);
    if (i < to) return Number.NaN;
    decimals = i - fractionFrom;
  }
  if (digits > maxExact || decimals > 22) return Number.NaN;
  const value = decimals === 0 ? digits : digits / powersOfTen[decimals]!;
  if (digits < 1e15 && !(negative && digits === 0)) {
    const leadingZero = bytes[integerFrom] === 48;
    const canonicalInteger = !leadingZero || integerDigits === 1;
    // 0.000001 is written so, 0.0000001 as 1e-7.
    const smallEnough = !leadingZero || decimals === 0 || value >= 1e-6;
    const noTrailingZero = decimals === 0 || bytes[to - 1] !== 48;
    plainDecimalIsCanonical = canonicalInteger && smallEnough && noTrailingZero && (decimals === 0 || !(leadingZero && digits === 0));
  }
  return negative ? -value : value;
}

/** Writes the row's cells at the catalogue's positions; returns whether any of them has text. */
type RowWriter = (scanner: SheetScanner, cellAt: Int32Array) => boolean;

function rowWriter(workbook: Workbook, options: EntityOptions, positions: number[], out: ScratchCsv): RowWriter {
  const strings = byteTextStrings(workbook);
  // Each shared string as its CSV field, and whether it is blank, once.
  const sharedFields = strings.map((text) => csvField(text === '' ? null : text));
  const sharedBlank = strings.map((text) => isBlank(text === '' ? null : text));
  const { dateStyles, date1904 } = workbook;
  const decimalComma = options.decimal_separator === ',';
  const datePattern = datePatternBytes(options.date_format ?? '%Y-%m-%d');
  const timestampPattern = datePatternBytes(options.timestamp_format ?? '%Y-%m-%d %H:%M:%S');

  /** A cell as text through its value: the general path. */
  const viaValue = (scanner: SheetScanner, index: number): boolean => {
    const text = cellText(cellValue(scanner, index, workbook, strings), options);
    if (text === null) return false;
    const field = csvField(text);
    out.reserve(field.length);
    out.text(field);
    return !isBlank(text);
  };

  /** Number or date text: short, and not blank. */
  const shortText = (text: string): boolean => {
    const field = csvField(text);
    out.reserve(field.length);
    out.text(field);
    return !isBlank(text);
  };

  /** Plain text bytes[from, to) (see ScratchCsv.plainText), or the general path. */
  const plain = (scanner: SheetScanner, index: number, from: number, to: number): boolean => {
    const bytes = scanner.bytes;
    const kind = out.plainText(bytes, from, to);
    if (kind === 0) return viaValue(scanner, index);
    return kind === 2 || (kind === 3 && !isBlank(bytes.toString('latin1', from, to)));
  };

  const cell = (scanner: SheetScanner, index: number): boolean => {
    const row = scanner.row;
    const from = row.from[index]!;
    if (from < 0) return false;
    const to = row.to[index]!;
    const bytes = scanner.bytes;
    switch (row.kind[index]) {
      case cellKind.number: {
        if (to === from) return viaValue(scanner, index);
        let number = plainDecimal(bytes, from, to);
        const canonical = plainDecimalIsCanonical;
        if (Number.isNaN(number)) number = Number(bytes.toString('latin1', from, to));
        if (Number.isNaN(number)) return viaValue(scanner, index);
        if (dateStyles[row.style[index]!]) {
          const millis = serialToMillis(number, date1904);
          const pattern = millis % 86_400_000 === 0 ? datePattern : timestampPattern;
          if (pattern !== null) {
            out.reserve(pattern.length * 4);
            const end = writeUtcMillis(millis, pattern, out.bytes, out.position);
            if (end >= 0) {
              out.position = end;
              return true;
            }
          }
          return shortText(dateText(millis, options));
        }
        // The digits as written are String(number)'s: copied.
        if (canonical && !decimalComma) {
          out.reserve(to - from);
          out.copy(bytes, from, to);
          return true;
        }
        return shortText(decimalComma ? numberText(number, options) : String(number));
      }
      case cellKind.shared: {
        // Digits only: anything else is looked up as Number() reads it, on the general path.
        let at = 0;
        for (let i = from; i < to; i++) {
          const digit = bytes[i]! - 48;
          if (digit < 0 || digit > 9 || i - from > 9) return viaValue(scanner, index);
          at = at * 10 + digit;
        }
        const field = to > from ? sharedFields[at] : undefined;
        if (field === undefined) return viaValue(scanner, index);
        out.reserve(field.length);
        out.text(field);
        return !sharedBlank[at];
      }
      case cellKind.formulaString:
        return plain(scanner, index, from, to);
      case cellKind.inline: {
        // Most inline strings are one run: <t>text</t> or <t xml:space="preserve">text</t>.
        if (to - from < 7 || bytes[from] !== 60 || bytes[from + 1] !== 116 || (bytes[from + 2] !== 62 && bytes[from + 2] !== 32)) return viaValue(scanner, index);
        let textFrom = from + 2;
        while (textFrom < to && bytes[textFrom] !== 62) textFrom++;
        textFrom++;
        const textTo = to - 4;
        if (textFrom > textTo || bytes[textTo] !== 60 || bytes[textTo + 1] !== 47 || bytes[textTo + 2] !== 116 || bytes[textTo + 3] !== 62) return viaValue(scanner, index);
        if (textFrom === textTo) return false;
        // More markup inside (runs, phonetic hints) is not plain: it takes the general path.
        return plain(scanner, index, textFrom, textTo);
      }
      default:
        return viaValue(scanner, index);
    }
  };

  const lastPosition = Math.max(...positions);
  return (scanner, cellAt) => {
    const row = scanner.row;
    cellAt.fill(-1, 0, lastPosition + 1);
    for (let i = 0; i < row.count; i++) {
      const column = row.column[i]!;
      if (column <= lastPosition) cellAt[column] = i;
    }
    let any = false;
    for (const position of positions) {
      out.reserve(1);
      out.byte(44);
      const index = position < 0 ? -1 : cellAt[position]!;
      if (index >= 0 && cell(scanner, index)) any = true;
    }
    return any;
  };
}

/**
 * Scratch CSV of this size or more is handed on (onChunk) and a new file begun, so that
 * DuckDB converts and checks the rows read so far on its own threads while the sheet
 * is still being scanned (openXlsx).
 */
let chunkBytes = 1024 * 1024;

/** Sets the chunk size (tests: 1 makes every row its own file and statement); returns the one before. */
export function setScratchChunkBytes(bytes: number): number {
  const before = chunkBytes;
  chunkBytes = bytes;
  return before;
}

/**
 * Writes the sheet's catalogue columns as `_source_row, <columns...>` to scratch CSV
 * files from `temp`, each handed to `onChunk` once complete (the last, possibly
 * empty, too); returns the rows written.
 */
async function writeSheetCsv(
  spec: EntitySpec,
  path: string,
  parts: ZipParts,
  options: EntityOptions,
  temp: TempDir,
  onChunk: (file: string) => void,
  progress?: ProgressReport,
): Promise<number> {
  const workbook = await readWorkbook(parts);
  const sheet = options.sheet === undefined ? workbook.sheets[0] : workbook.sheets.find((s) => s.name === options.sheet);
  if (!sheet) throw new SourceFileError(`${path}: no sheet named "${options.sheet}"; the workbook has: ${workbook.sheets.map((s) => s.name).join(', ') || 'no sheets'}`);
  const location = `${path}#${sheet.name}`;
  const bytes = await parts.bytes(sheet.part);
  if (!bytes) throw new SourceFileError(`${location}: the workbook names part ${sheet.part} for this sheet, which the package does not have`);
  const scanner = new SheetScanner(bytes);
  let chunk = 0;
  let file = temp.file(`sheet-${chunk}.csv`);
  const out = new ScratchCsv(openSync(file, 'w'));
  let writeRow: RowWriter | null = null;
  let cellAt = new Int32Array(0);
  let rows = 0;
  try {
    while (scanner.next()) {
      if (writeRow === null) {
        const strings = byteTextStrings(workbook);
        const header = Array.from(rowCells(scanner, workbook, strings), (value) => fromByteText(cellText(value, {}) ?? '').trim());
        while (header.length > 0 && header[header.length - 1] === '') header.pop();
        // Rows before the header that hold nothing are not the header.
        if (header.length === 0) continue;
        checkColumns(spec, header, location, 'header columns');
        const positions = spec.columns.map((c) => header.indexOf(c.name));
        cellAt = new Int32Array(Math.max(...positions) + 1);
        writeRow = rowWriter(workbook, options, positions, out);
        continue;
      }
      const start = out.position;
      const number = String(scanner.row.number);
      out.reserve(number.length);
      out.text(number);
      if (!writeRow(scanner, cellAt)) {
        // Wholly empty rows are spacing, not records.
        out.rewind(start);
        continue;
      }
      out.reserve(1);
      out.byte(10);
      rows++;
      if (out.flushed + out.position >= chunkBytes) {
        out.flush();
        closeSync(out.fd);
        out.fd = -1;
        onChunk(file);
        file = temp.file(`sheet-${++chunk}.csv`);
        out.fd = openSync(file, 'w');
        out.flushed = 0;
        // A turn for the event loop: DuckDB's answer for the previous chunk lets the next one start.
        await new Promise((resolveTurn) => setImmediate(resolveTurn));
      }
      // The event loop gets a turn now and then: progress bars draw while a big sheet is read.
      if (rows % 65_536 === 0) {
        progress?.('reading');
        await new Promise((resolveTurn) => setImmediate(resolveTurn));
      }
    }
    out.flush();
  } finally {
    if (out.fd >= 0) closeSync(out.fd);
  }
  if (writeRow === null) throw new SourceFileError(`${location}: the sheet is empty; expected a header row with: ${spec.columns.map((c) => c.name).join(', ')}`);
  onChunk(file);
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
      // Each complete chunk of scratch CSV is converted and checked into _checked (as
      // the rules would from _staged) while the next is read; one statement at a time.
      const files: string[] = [];
      let converting: Promise<unknown> = Promise.resolve();
      const onChunk = (file: string) => {
        const sql = `${files.length === 0 ? 'CREATE OR REPLACE TEMP TABLE _checked AS' : 'INSERT INTO _checked'} ${checkedRows(spec, csvRelation(spec, [file]))}`;
        files.push(file);
        converting = converting.then(() => connection.run(sql));
        // Awaited below; until then a failure must not count as unhandled.
        converting.catch(() => {});
      };
      try {
        await writeSheetCsv(spec, path, parts, options, temp, onChunk, progress);
      } catch (error) {
        await converting.catch(() => {});
        if (error instanceof SourceFileError) throw error;
        throw new SourceFileError(`${path}: not a readable Excel workbook: ${error instanceof Error ? error.message : String(error)}`);
      } finally {
        parts.close();
      }
      progress?.('staging');
      try {
        await converting;
      } catch (error) {
        throw unreadable(path, error);
      }
      await stageNumberedView(connection, spec, csvRelation(spec, files));
      return { checked: true as const };
    },
    () => temp?.remove(),
  );
}

/** The scratch CSV files as DuckDB reads them: `_source_row` and every catalogue column as text. */
function csvRelation(spec: EntitySpec, files: string[]): string {
  const columns = [`'_source_row': 'BIGINT'`, ...spec.columns.map((c) => `${literal(c.name)}: 'VARCHAR'`)].join(', ');
  return `read_csv([${files.map(literal).join(', ')}], header = false, auto_detect = false, columns = {${columns}}, delim = ',', quote = '"', escape = '"')`;
}
