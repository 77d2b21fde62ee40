// The rows of one worksheet's XML (<sheetData><row><c>), each cell as its value: shared
// and inline strings as text, numbers as numbers, numbers in a date style and ISO date
// cells (t="d") as dates, booleans, error codes and cached formula results. A cell
// without an r attribute follows the previous one, a row without r the previous row, as
// the format allows.
//
// The sheet is scanned as the inflated part's bytes. A 100,000-row sheet has close to a
// million cells, and every allocation per cell shows (profiled: a string scan with
// sliced-out values, per-row arrays and Date objects spent a third of its time
// collecting garbage), so SheetScanner hands out each row as positions in the bytes
// (column, type, style, value range) in arrays it reuses; the reader turns the common
// cells into CSV straight from those bytes (xlsx.ts). cellValue gives a cell's value
// for everything else (the header, rare cell types, the tests). Every text value is in
// byte text (byte-text.ts), so shared strings must be given in byte text too
// (byteTextStrings).
import { decodedByteText, toByteText } from './byte-text.ts';
import type { Workbook } from './workbook.ts';
import { decodeXmlText, stringItemText } from './xml.ts';

export type CellValue = string | number | boolean | Date | { error: string } | null;

export interface SheetRow {
  /** 1-based row number, as Excel shows it. */
  number: number;
  /** By 0-based column; missing cells are undefined. */
  cells: CellValue[];
}

/** A cell's t attribute. Absent, "n" and types this reader does not know are numbers (text when not numeric). */
export const cellKind = { number: 0, shared: 1, formulaString: 2, inline: 3, boolean: 4, error: 5, date: 6 } as const;

/** One row as positions in the sheet's bytes; the arrays are reused from row to row and grow as needed. */
export interface ScannedRow {
  /** 1-based row number, as Excel shows it. */
  number: number;
  /** Cells with content (a self-closed <c/> is none), in the order they appear; a later cell of the same column wins. */
  count: number;
  column: Int32Array;
  kind: Uint8Array;
  style: Int32Array;
  /** The value's bytes [from, to): the content of <v>, or of <is> for an inline string; from is -1 when the cell has no value. */
  from: Float64Array;
  to: Float64Array;
}

const lessThan = 60;
const greaterThan = 62;
const slash = 47;
const quote = 34;
const equals = 61;

/** What may follow an element's name: space, >, / (otherwise "<c" would match "<col"). */
function isTagEnd(code: number | undefined): boolean {
  return code === 32 || code === 62 || code === 47 || code === 9 || code === 10 || code === 13;
}

function isSpace(code: number | undefined): boolean {
  return code === 32 || code === 9 || code === 10 || code === 13;
}

/** Where `needle` next starts in bytes[from, ...), starting before `limit`; -1 when it does not. */
function find(bytes: Uint8Array, needle: Uint8Array, from: number, limit = bytes.length): number {
  const first = needle[0]!;
  const last = Math.min(limit, bytes.length - needle.length + 1);
  outer: for (let i = from; i < last; i++) {
    if (bytes[i] !== first) continue;
    for (let k = 1; k < needle.length; k++) if (bytes[i + k] !== needle[k]) continue outer;
    return i;
  }
  return -1;
}

/** Whether `needle` is at bytes[at]. */
function matchAt(bytes: Uint8Array, at: number, needle: Uint8Array): boolean {
  for (let k = 0; k < needle.length; k++) if (bytes[at + k] !== needle[k]) return false;
  return true;
}

function byteIndexOf(bytes: Uint8Array, code: number, from: number): number {
  for (let i = from; i < bytes.length; i++) if (bytes[i] === code) return i;
  return -1;
}

const ascii = (text: string) => Uint8Array.from(text, (c) => c.charCodeAt(0));

/**
 * The namespace prefix the sheet's writer used (none for Excel, "x:" for the Open XML
 * SDK), from the <sheetData> (or first <row>) start tag.
 */
function tagPrefix(bytes: Buffer): string {
  const sheetData = find(bytes, ascii('sheetData'), 0);
  const head = bytes.toString('latin1', 0, sheetData >= 0 ? sheetData + 10 : Math.min(bytes.length, 16 * 1024 * 1024));
  return /<([A-Za-z_][\w.-]*:)?(?:sheetData|row)[\s/>]/.exec(head)?.[1] ?? '';
}

const rowNumberPattern = /(?:^|\s)r\s*=\s*"(\d+)"/;

/** The t attribute's value bytes[from, to) as a cellKind. */
function kindOf(bytes: Uint8Array, from: number, to: number): number {
  const length = to - from;
  const first = bytes[from];
  if (length === 1) {
    if (first === 115 /* s */) return cellKind.shared;
    if (first === 98 /* b */) return cellKind.boolean;
    if (first === 101 /* e */) return cellKind.error;
    if (first === 100 /* d */) return cellKind.date;
    return cellKind.number;
  }
  if (length === 3 && first === 115 && bytes[from + 1] === 116 && bytes[from + 2] === 114) return cellKind.formulaString;
  if (length === 9 && first === 105 && find(bytes, inlineStr, from, from + 1) === from) return cellKind.inline;
  return cellKind.number;
}
const inlineStr = ascii('inlineStr');

export class SheetScanner {
  readonly row: ScannedRow;
  private at = 0;
  private previousRow = 0;
  private readonly rowOpen: Uint8Array;
  private readonly rowClose: Uint8Array;
  private readonly cellOpen: Uint8Array;
  private readonly cellClose: Uint8Array;
  private readonly valueOpen: Uint8Array;
  private readonly valueClose: Uint8Array;
  private readonly inlineOpen: Uint8Array;
  private readonly inlineClose: Uint8Array;

  constructor(readonly bytes: Buffer) {
    const prefix = tagPrefix(bytes);
    this.rowOpen = ascii(`<${prefix}row`);
    this.rowClose = ascii(`</${prefix}row>`);
    this.cellOpen = ascii(`<${prefix}c`);
    this.cellClose = ascii(`</${prefix}c>`);
    this.valueOpen = ascii(`<${prefix}v`);
    this.valueClose = ascii(`</${prefix}v>`);
    this.inlineOpen = ascii(`<${prefix}is`);
    this.inlineClose = ascii(`</${prefix}is>`);
    const size = 16;
    this.row = { number: 0, count: 0, column: new Int32Array(size), kind: new Uint8Array(size), style: new Int32Array(size), from: new Float64Array(size), to: new Float64Array(size) };
  }

  private grow(): void {
    const row = this.row;
    const size = row.column.length * 2;
    const grown = <T extends Int32Array | Uint8Array | Float64Array>(array: T, make: (n: number) => T) => {
      const bigger = make(size);
      bigger.set(array);
      return bigger;
    };
    row.column = grown(row.column, (n) => new Int32Array(n));
    row.kind = grown(row.kind, (n) => new Uint8Array(n));
    row.style = grown(row.style, (n) => new Int32Array(n));
    row.from = grown(row.from, (n) => new Float64Array(n));
    row.to = grown(row.to, (n) => new Float64Array(n));
  }

  /** The row's number from its start tag bytes[from, tagEnd): r="..." or the previous row's + 1. */
  private rowNumber(from: number, tagEnd: number): number {
    const bytes = this.bytes;
    // Writers put r first: <row r="12" ...>.
    if (isSpace(bytes[from]) && bytes[from + 1] === 114 && bytes[from + 2] === equals && bytes[from + 3] === quote) {
      let number = 0;
      let i = from + 4;
      for (; i < tagEnd && i < from + 19; i++) {
        const digit = bytes[i]! - 48;
        if (digit < 0 || digit > 9) break;
        number = number * 10 + digit;
      }
      if (i > from + 4 && bytes[i] === quote) return number;
    }
    const numbered = rowNumberPattern.exec(bytes.toString('latin1', from, tagEnd));
    return numbered ? Number(numbered[1]) : this.previousRow + 1;
  }

  /**
   * Reads the next row into `row`; false at the end of the sheet (or where its XML breaks
   * off). The row is walked from one '<' to the next, so each byte is looked at about
   * once (searching for </row>, each <c>'s </c> and then its <v> again was most of the
   * scan). A cell's value is the content of its first <v> (<is> for an inline string)
   * before its </c>. Cell start tags are read in one pass over their bytes (writers do
   * not prefix r, s and t).
   */
  next(): boolean {
    const bytes = this.bytes;
    const row = this.row;
    const { rowOpen, rowClose, cellOpen, cellClose } = this;
    let at = find(bytes, rowOpen, this.at);
    while (at >= 0 && !isTagEnd(bytes[at + rowOpen.length])) at = find(bytes, rowOpen, at + 1);
    const rowTagEnd = at < 0 ? -1 : byteIndexOf(bytes, greaterThan, at);
    if (rowTagEnd < 0) return this.broken();
    row.number = this.rowNumber(at + rowOpen.length, rowTagEnd);
    this.previousRow = row.number;
    row.count = 0;
    if (bytes[rowTagEnd - 1] === slash) {
      this.at = rowTagEnd + 1;
      return true;
    }
    let column = -1;
    let lt = byteIndexOf(bytes, lessThan, rowTagEnd + 1);
    for (;;) {
      if (lt < 0) return this.broken();
      if (bytes[lt + 1] === slash) {
        if (matchAt(bytes, lt, rowClose)) {
          this.at = lt + rowClose.length;
          return true;
        }
        lt = byteIndexOf(bytes, lessThan, lt + 2);
        continue;
      }
      if (!matchAt(bytes, lt, cellOpen) || !isTagEnd(bytes[lt + cellOpen.length])) {
        lt = byteIndexOf(bytes, lessThan, lt + 1);
        continue;
      }
      // The start tag's r, s and t, read on the way to its end (values skipped whole).
      let cellTagEnd = -1;
      let cellColumn = -1;
      let style = 0;
      let kind: number = cellKind.number;
      for (let i = lt + cellOpen.length; i < bytes.length; i++) {
        const code = bytes[i];
        if (code === greaterThan) {
          cellTagEnd = i;
          break;
        }
        if (!isSpace(code) || bytes[i + 2] !== equals || bytes[i + 3] !== quote) continue;
        const name = bytes[i + 1];
        const valueStart = i + 4;
        const valueEnd = byteIndexOf(bytes, quote, valueStart);
        if (valueEnd < 0) break;
        if (name === 114 /* r */) {
          cellColumn = 0;
          for (let j = valueStart; j < valueEnd; j++) {
            const letter = bytes[j]!;
            if (letter < 65 || letter > 90) break;
            cellColumn = cellColumn * 26 + (letter - 64);
          }
          cellColumn -= 1;
        } else if (name === 115 /* s */) {
          for (let j = valueStart; j < valueEnd; j++) style = style * 10 + (bytes[j]! - 48);
        } else if (name === 116 /* t */) {
          kind = kindOf(bytes, valueStart, valueEnd);
        }
        i = valueEnd;
      }
      if (cellTagEnd < 0) return this.broken();
      column = cellColumn >= 0 ? cellColumn : column + 1;
      if (bytes[cellTagEnd - 1] === slash) {
        lt = byteIndexOf(bytes, lessThan, cellTagEnd + 1);
        continue;
      }
      const open = kind === cellKind.inline ? this.inlineOpen : this.valueOpen;
      const close = kind === cellKind.inline ? this.inlineClose : this.valueClose;
      let seen = false;
      let pending = -1;
      let from = -1;
      let to = -1;
      let p = byteIndexOf(bytes, lessThan, cellTagEnd + 1);
      for (;;) {
        if (p < 0) return this.broken();
        if (bytes[p + 1] === slash) {
          if (pending >= 0 && matchAt(bytes, p, close)) {
            from = pending;
            to = p;
            pending = -1;
            // Most cells end right after their value: <v>...</v></c>.
            if (matchAt(bytes, p + close.length, cellClose)) {
              p += close.length;
              break;
            }
          } else if (matchAt(bytes, p, cellClose)) {
            break;
          }
          p = byteIndexOf(bytes, lessThan, p + 2);
          continue;
        }
        if (!seen && matchAt(bytes, p, open) && isTagEnd(bytes[p + open.length])) {
          seen = true;
          const tagEnd = byteIndexOf(bytes, greaterThan, p);
          if (tagEnd < 0) return this.broken();
          if (bytes[tagEnd - 1] !== slash) pending = tagEnd + 1;
          p = byteIndexOf(bytes, lessThan, tagEnd + 1);
          continue;
        }
        p = byteIndexOf(bytes, lessThan, p + 1);
      }
      if (row.count === row.column.length) this.grow();
      const n = row.count++;
      row.column[n] = column;
      row.kind[n] = kind;
      row.style[n] = style;
      row.from[n] = from;
      row.to[n] = to;
      lt = byteIndexOf(bytes, lessThan, p + cellClose.length);
    }
  }

  /** The XML breaks off: there are no more rows (the row it breaks off in is not one). */
  private broken(): false {
    this.at = this.bytes.length;
    return false;
  }
}

const millisecondsPerDay = 86_400_000;
/** Serial day 0 in the 1900 date system is 1899-12-30, as Excel counts (its phantom 1900-02-29 included). */
const epoch1900 = Date.UTC(1899, 11, 30);
const epoch1904 = Date.UTC(1904, 0, 1);

/** Excel keeps times as fractions of a day, which can land a millisecond off; the sheet shows whole seconds. */
export function serialToMillis(serial: number, date1904: boolean): number {
  // Serials below 61 are before Excel's phantom 1900-02-29: one day later than counted.
  const days = !date1904 && serial < 61 ? serial + 1 : serial;
  return (date1904 ? epoch1904 : epoch1900) + Math.round((days * millisecondsPerDay) / 1000) * 1000;
}

/** An ISO 8601 date cell (t="d"); without a zone it is the time the sheet shows, taken as UTC. */
function isoToDate(text: string): Date | string {
  const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const date = new Date(text.includes('T') ? withZone : `${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? text : date;
}

/** The workbook's shared strings in byte text, as cell values refer to them. */
export function byteTextStrings(workbook: Workbook): string[] {
  return workbook.sharedStrings.map(toByteText);
}

/** The value of the row's `index`th cell (scanner.row); `strings` from byteTextStrings. */
export function cellValue(scanner: SheetScanner, index: number, workbook: Workbook, strings: string[]): CellValue {
  const row = scanner.row;
  const from = row.from[index]!;
  const to = row.to[index]!;
  if (from < 0) return null;
  const kind = row.kind[index]!;
  if (kind === cellKind.inline) return to > from ? decodedByteText(scanner.bytes.toString('latin1', from, to), stringItemText) : null;
  const raw = scanner.bytes.toString('latin1', from, to);
  switch (kind) {
    case cellKind.shared:
      return strings[Number(raw)] ?? null;
    case cellKind.formulaString:
      return decodedByteText(raw, decodeXmlText);
    case cellKind.boolean:
      return raw === '1' || raw === 'true';
    case cellKind.error:
      return { error: decodedByteText(raw, decodeXmlText) };
    case cellKind.date:
      return isoToDate(raw);
    default: {
      const number = Number(raw);
      if (raw === '' || Number.isNaN(number)) return decodedByteText(raw, decodeXmlText);
      return workbook.dateStyles[row.style[index]!] ? new Date(serialToMillis(number, workbook.date1904)) : number;
    }
  }
}

/** The scanner's current row with every cell as its value (a later cell of the same column wins). */
export function rowCells(scanner: SheetScanner, workbook: Workbook, strings: string[]): CellValue[] {
  const cells: CellValue[] = [];
  for (let i = 0; i < scanner.row.count; i++) cells[scanner.row.column[i]!] = cellValue(scanner, i, workbook, strings);
  return cells;
}

/** The rows of a sheet's XML bytes with their cells' values. */
export function* sheetRows(bytes: Buffer, workbook: Workbook): Generator<SheetRow> {
  const scanner = new SheetScanner(bytes);
  const strings = byteTextStrings(workbook);
  while (scanner.next()) yield { number: scanner.row.number, cells: rowCells(scanner, workbook, strings) };
}
