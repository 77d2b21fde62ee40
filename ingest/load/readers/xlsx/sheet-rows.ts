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

/** The first element named by `open` at or after `from`: its attribute text, its content (null when self-closed) and where it ends. */
function nextElement(xml: string, from: number, open: string, close: string): { attributes: string; content: string | null; end: number } | null {
  let at = xml.indexOf(open, from);
  while (at >= 0 && !isTagAt(xml, at, open.length)) at = xml.indexOf(open, at + 1);
  if (at < 0) return null;
  const tagEnd = xml.indexOf('>', at);
  if (tagEnd < 0) return null;
  if (xml.charCodeAt(tagEnd - 1) === 47) return { attributes: xml.slice(at + open.length, tagEnd - 1), content: null, end: tagEnd + 1 };
  const closeAt = xml.indexOf(close, tagEnd);
  if (closeAt < 0) return null;
  return { attributes: xml.slice(at + open.length, tagEnd), content: xml.slice(tagEnd + 1, closeAt), end: closeAt + close.length };
}

const rowNumberPattern = /(?:^|\s)r\s*=\s*"(\d+)"/;

const millisecondsPerDay = 86_400_000;
/** Serial day 0 in the 1900 date system is 1899-12-30, as Excel counts (its phantom 1900-02-29 included). */
const epoch1900 = Date.UTC(1899, 11, 30);
const epoch1904 = Date.UTC(1904, 0, 1);

/** Column letters of a cell reference ("AB12") as a 0-based index. */
function columnIndex(reference: string): number {
  let index = 0;
  for (let i = 0; i < reference.length; i++) {
    const code = reference.charCodeAt(i);
    if (code < 65 || code > 90) break;
    index = index * 26 + (code - 64);
  }
  return index - 1;
}

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

function cellValue(type: string | undefined, style: number, inner: string, workbook: Workbook, strings: string[], tags: Tags): CellValue {
  if (type === 'inlineStr') {
    const inline = nextElement(inner, 0, tags.inlineOpen, tags.inlineClose);
    return inline?.content ? decodedByteText(inline.content, stringItemText) : null;
  }
  const value = nextElement(inner, 0, tags.valueOpen, tags.valueClose);
  if (value?.content == null) return null;
  const raw = value.content;
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

/** The value of attribute `name=` (r, s or t; writers do not prefix these) in a cell's start tag, undefined when absent. */
function attributeIn(tag: string, pattern: string): string | undefined {
  const at = tag.indexOf(pattern);
  if (at < 0) return undefined;
  const start = at + pattern.length;
  return tag.slice(start, tag.indexOf('"', start));
}

/**
 * The rows of a piece of sheet XML (byte text) that holds whole rows. The cell loop works on
 * positions in the row's text rather than on sliced-out elements: a 100,000-row sheet
 * has close to a million cells, and every allocation per cell shows.
 */
export function* sheetRows(xml: string, workbook: Workbook, tags: Tags, state = scanState(workbook)): Generator<SheetRow> {
  const { cellOpen, cellClose } = tags;
  for (let row = nextElement(xml, 0, tags.rowOpen, tags.rowClose); row !== null; row = nextElement(xml, row.end, tags.rowOpen, tags.rowClose)) {
    const numbered = rowNumberPattern.exec(row.attributes);
    const number = numbered ? Number(numbered[1]) : state.previousRow + 1;
    state.previousRow = number;
    const cells: CellValue[] = [];
    const inner = row.content;
    let column = -1;
    let at = inner ? inner.indexOf(cellOpen) : -1;
    while (inner && at >= 0) {
      if (!isTagAt(inner, at, cellOpen.length)) {
        at = inner.indexOf(cellOpen, at + 1);
        continue;
      }
      const tagEnd = inner.indexOf('>', at);
      // Attributes are looked up in the start tag alone: searching the row from here would
      // run into the next cells' attributes whenever this one lacks one (most lack t).
      const tag = inner.slice(at, tagEnd);
      const reference = attributeIn(tag, ' r="');
      column = reference ? columnIndex(reference) : column + 1;
      let next = tagEnd + 1;
      if (inner.charCodeAt(tagEnd - 1) !== 47) {
        const closeAt = inner.indexOf(cellClose, tagEnd);
        const style = attributeIn(tag, ' s="');
        cells[column] = cellValue(attributeIn(tag, ' t="'), style === undefined ? 0 : Number(style), inner.slice(tagEnd + 1, closeAt), workbook, state.strings, tags);
        next = closeAt + cellClose.length;
      }
      at = inner.indexOf(cellOpen, next);
    }
    yield { number, cells };
  }
}
