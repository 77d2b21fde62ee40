// The rows of one worksheet's XML (<sheetData><row><c>), each cell as its value: shared
// and inline strings as text, numbers as numbers, numbers in a date style and ISO date
// cells (t="d") as dates, booleans, error codes and cached formula results. A cell
// without an r attribute follows the previous one, a row without r the previous row, as
// the format allows.
//
// The XML comes as byte text (byte-text.ts), and so does every text value: shared
// strings must be given in byte text too (sheetStrings).
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

/**
 * The tags of one sheet, with the namespace prefix its writer used (none for Excel,
 * "x:" for the Open XML SDK). Scanning with indexOf for fixed tags is several times
 * faster than regular expressions with lazy quantifiers over tens of megabytes.
 */
interface Tags {
  rowOpen: string;
  rowClose: string;
  cellOpen: string;
  cellClose: string;
  valueOpen: string;
  valueClose: string;
  inlineOpen: string;
  inlineClose: string;
}

export function sheetTags(xmlStart: string): Tags {
  const prefix = /<([A-Za-z_][\w.-]*:)?(?:sheetData|row)[\s/>]/.exec(xmlStart)?.[1] ?? '';
  return {
    rowOpen: `<${prefix}row`,
    rowClose: `</${prefix}row>`,
    cellOpen: `<${prefix}c`,
    cellClose: `</${prefix}c>`,
    valueOpen: `<${prefix}v`,
    valueClose: `</${prefix}v>`,
    inlineOpen: `<${prefix}is`,
    inlineClose: `</${prefix}is>`,
  };
}

/** Where the element whose name starts at `at` ends its name: the next character must be a space, > or /. */
function isTagAt(xml: string, at: number, length: number): boolean {
  const next = xml.charCodeAt(at + length);
  return next === 32 || next === 62 || next === 47 || next === 9 || next === 10 || next === 13;
}

const rowNumberPattern = /(?:^|\s)r\s*=\s*"(\d+)"/;

const millisecondsPerDay = 86_400_000;
/** Serial day 0 in the 1900 date system is 1899-12-30, as Excel counts (its phantom 1900-02-29 included). */
const epoch1900 = Date.UTC(1899, 11, 30);
const epoch1904 = Date.UTC(1904, 0, 1);

/** Excel keeps times as fractions of a day, which can land a millisecond off; the sheet shows whole seconds. */
function serialToDate(serial: number, date1904: boolean): Date {
  // Serials below 61 are before Excel's phantom 1900-02-29: one day later than counted.
  const days = !date1904 && serial < 61 ? serial + 1 : serial;
  return new Date((date1904 ? epoch1904 : epoch1900) + Math.round((days * millisecondsPerDay) / 1000) * 1000);
}

/** An ISO 8601 date cell (t="d"); without a zone it is the time the sheet shows, taken as UTC. */
function isoToDate(text: string): Date | string {
  const withZone = /(Z|[+-]\d\d:?\d\d)$/.test(text) || !text.includes('T') ? text : `${text}Z`;
  const date = new Date(text.includes('T') ? withZone : `${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? text : date;
}

/**
 * The content of the first element named by `open` between `from` and `to` (a cell's
 * <v> or <is>), as [start, end) positions; null when absent or self-closed.
 */
function contentWithin(xml: string, from: number, to: number, open: string, close: string): [number, number] | null {
  let at = xml.indexOf(open, from);
  while (at >= 0 && at < to && !isTagAt(xml, at, open.length)) at = xml.indexOf(open, at + 1);
  if (at < 0 || at >= to) return null;
  const tagEnd = xml.indexOf('>', at);
  if (xml.charCodeAt(tagEnd - 1) === 47) return null;
  const closeAt = xml.indexOf(close, tagEnd);
  return closeAt < 0 || closeAt > to ? null : [tagEnd + 1, closeAt];
}

/** The value of the cell whose content is xml[from, to). */
function cellValue(type: string | undefined, style: number, xml: string, from: number, to: number, workbook: Workbook, strings: string[], tags: Tags): CellValue {
  if (type === 'inlineStr') {
    const inline = contentWithin(xml, from, to, tags.inlineOpen, tags.inlineClose);
    return inline && inline[1] > inline[0] ? decodedByteText(xml.slice(inline[0], inline[1]), stringItemText) : null;
  }
  const value = contentWithin(xml, from, to, tags.valueOpen, tags.valueClose);
  if (value === null) return null;
  const raw = xml.slice(value[0], value[1]);
  switch (type) {
    case 's':
      return strings[Number(raw)] ?? null;
    case 'str':
      return decodedByteText(raw, decodeXmlText);
    case 'b':
      return raw === '1' || raw === 'true';
    case 'e':
      return { error: decodedByteText(raw, decodeXmlText) };
    case 'd':
      return isoToDate(raw);
    default: {
      const number = Number(raw);
      if (raw === '' || Number.isNaN(number)) return decodedByteText(raw, decodeXmlText);
      return workbook.dateStyles[style] ? serialToDate(number, workbook.date1904) : number;
    }
  }
}

/** Where the text's last complete row ends (after its closing tag), 0 when it has none. */
function endOfCompleteRows(text: string, tags: Tags): number {
  const at = text.lastIndexOf(tags.rowClose);
  return at < 0 ? 0 : at + tags.rowClose.length;
}

/**
 * The rows of a worksheet whose XML arrives in pieces: each piece is cut after its last
 * complete row and the rest waits for the next, so a sheet never has to fit in one string.
 */
export async function* sheetRowsOfChunks(chunks: AsyncIterable<string>, workbook: Workbook): AsyncGenerator<Iterable<SheetRow>> {
  let pending = '';
  let tags: Tags | undefined;
  const state = scanState(workbook);
  for await (const chunk of chunks) {
    pending += chunk;
    tags ??= sheetTags(pending);
    const end = endOfCompleteRows(pending, tags);
    if (end === 0) continue;
    // Rows are handed on one at a time, so each row's values die young (cheap to collect).
    yield sheetRows(pending.slice(0, end), workbook, tags, state);
    pending = pending.slice(end);
  }
  // A last row may close itself (<row r="9"/>).
  yield sheetRows(pending, workbook, tags ?? sheetTags(pending), state);
}

/** Where a scan of a sheet stands between pieces, and the shared strings as byte text. */
interface ScanState {
  previousRow: number;
  strings: string[];
}

export function scanState(workbook: Workbook): ScanState {
  return { previousRow: 0, strings: workbook.sharedStrings.map(toByteText) };
}

/** A cell start tag's r (as a 0-based column), s and t; one object reused for every cell. */
interface CellTag {
  column: number;
  style: number;
  type: string | undefined;
}

const space = 32;
const equals = 61;
const quote = 34;

/**
 * Reads r, s and t from the start tag xml[from, tagEnd) in one pass over its characters,
 * without slicing it (writers do not prefix these attributes). A cell without r follows
 * the previous one.
 */
function readCellTag(xml: string, from: number, tagEnd: number, tag: CellTag): void {
  let column = -1;
  tag.style = 0;
  tag.type = undefined;
  for (let i = from; i < tagEnd; i++) {
    const code = xml.charCodeAt(i);
    if ((code !== space && code !== 9 && code !== 10 && code !== 13) || xml.charCodeAt(i + 2) !== equals || xml.charCodeAt(i + 3) !== quote) continue;
    const name = xml.charCodeAt(i + 1);
    const valueStart = i + 4;
    const valueEnd = xml.indexOf('"', valueStart);
    if (name === 114 /* r */) {
      column = 0;
      for (let j = valueStart; j < valueEnd; j++) {
        const letter = xml.charCodeAt(j);
        if (letter < 65 || letter > 90) break;
        column = column * 26 + (letter - 64);
      }
      column -= 1;
    } else if (name === 115 /* s */) {
      let style = 0;
      for (let j = valueStart; j < valueEnd; j++) style = style * 10 + (xml.charCodeAt(j) - 48);
      tag.style = style;
    } else if (name === 116 /* t */) {
      tag.type = xml.slice(valueStart, valueEnd);
    }
    i = valueEnd;
  }
  tag.column = column >= 0 ? column : tag.column + 1;
}

/**
 * The rows of a piece of sheet XML (byte text) that holds whole rows. The loops work on
 * positions in the piece rather than on sliced-out rows and cells: a 100,000-row sheet
 * has close to a million cells, and every allocation per cell shows.
 */
export function* sheetRows(xml: string, workbook: Workbook, tags: Tags, state = scanState(workbook)): Generator<SheetRow> {
  const { rowOpen, rowClose, cellOpen, cellClose } = tags;
  const tag: CellTag = { column: -1, style: 0, type: undefined };
  let at = xml.indexOf(rowOpen);
  while (at >= 0) {
    if (!isTagAt(xml, at, rowOpen.length)) {
      at = xml.indexOf(rowOpen, at + 1);
      continue;
    }
    const rowTagEnd = xml.indexOf('>', at);
    if (rowTagEnd < 0) return;
    const numbered = rowNumberPattern.exec(xml.slice(at + rowOpen.length, rowTagEnd));
    const number = numbered ? Number(numbered[1]) : state.previousRow + 1;
    state.previousRow = number;
    const cells: CellValue[] = [];
    if (xml.charCodeAt(rowTagEnd - 1) === 47) {
      yield { number, cells };
      at = xml.indexOf(rowOpen, rowTagEnd);
      continue;
    }
    const rowEnd = xml.indexOf(rowClose, rowTagEnd);
    if (rowEnd < 0) return;
    tag.column = -1;
    let cellAt = xml.indexOf(cellOpen, rowTagEnd);
    while (cellAt >= 0 && cellAt < rowEnd) {
      if (!isTagAt(xml, cellAt, cellOpen.length)) {
        cellAt = xml.indexOf(cellOpen, cellAt + 1);
        continue;
      }
      const cellTagEnd = xml.indexOf('>', cellAt);
      readCellTag(xml, cellAt + cellOpen.length, cellTagEnd, tag);
      let next = cellTagEnd + 1;
      if (xml.charCodeAt(cellTagEnd - 1) !== 47) {
        const closeAt = xml.indexOf(cellClose, cellTagEnd);
        cells[tag.column] = cellValue(tag.type, tag.style, xml, cellTagEnd + 1, closeAt, workbook, state.strings, tags);
        next = closeAt + cellClose.length;
      }
      cellAt = xml.indexOf(cellOpen, next);
    }
    yield { number, cells };
    at = xml.indexOf(rowOpen, rowEnd + rowClose.length);
  }
}
