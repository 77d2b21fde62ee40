// The forms of SpreadsheetML the corpus's writers do not happen to use but others do:
// the Open XML SDK's "x:" prefixes, cells and rows without r, ISO date cells, error
// cells, rich text with phonetic hints, escaped characters, the 1904 date system.
import { describe, expect, it } from 'vitest';
import { fromByteText } from '../../ingest/load/readers/xlsx/byte-text.ts';
import { sheetRows, type CellValue } from '../../ingest/load/readers/xlsx/sheet-rows.ts';
import { isDateFormatCode, type Workbook } from '../../ingest/load/readers/xlsx/workbook.ts';
import { stringItemText } from '../../ingest/load/readers/xlsx/xml.ts';

const workbook: Workbook = { sheets: [], sharedStrings: ['nimi', 'Mäkelä'], dateStyles: [false, true], date1904: false };

/** The reader scans the XML's UTF-8 bytes and gives text cells in byte text; here they are read as text. */
function rows(xml: string, book = workbook) {
  const asText = (cell: CellValue | undefined) => (typeof cell === 'string' ? fromByteText(cell) : cell);
  return [...sheetRows(Buffer.from(xml, 'utf8'), book)].map((row) => ({ number: row.number, cells: Array.from(row.cells, asText) }));
}

describe('sheet XML', () => {
  it('reads prefixed tags, cells and rows without r, and every cell type', () => {
    const xml = `<x:worksheet><x:sheetData>
      <x:row r="1"><x:c r="A1" t="s"><x:v>0</x:v></x:c><x:c r="C1" t="inlineStr"><x:is><x:t>vapaa &amp; &lt;teksti&gt;</x:t></x:is></x:c></x:row>
      <x:row><x:c t="s"><x:v>1</x:v></x:c><x:c s="1"><x:v>45667.5</x:v></x:c><x:c t="d"><x:v>2026-01-05T09:30:00</x:v></x:c><x:c t="e"><x:v>#N/A</x:v></x:c><x:c t="b"><x:v>1</x:v></x:c><x:c t="str"><x:f>A1</x:f><x:v>kaava_x000D_</x:v></x:c><x:c r="H2"/></x:row>
      <x:row r="5"/>
    </x:sheetData></x:worksheet>`;
    expect(rows(xml)).toEqual([
      { number: 1, cells: ['nimi', undefined, 'vapaa & <teksti>'] },
      // Serial 45658 is 2025-01-01, so 45667.5 is 2025-01-10 at noon.
      { number: 2, cells: ['Mäkelä', new Date(Date.UTC(2025, 0, 10, 12)), new Date(Date.UTC(2026, 0, 5, 9, 30)), { error: '#N/A' }, true, 'kaava\r'] },
      { number: 5, cells: [] },
    ]);
  });

  it('counts days from 1904-01-01 in the 1904 date system, and from 1899-12-30 otherwise (Excel\'s 1900-02-29 included)', () => {
    const xml = '<sheetData><row r="1"><c r="A1" s="1"><v>0</v></c><c r="B1" s="1"><v>61</v></c><c r="C1"><v>61</v></c></row></sheetData>';
    expect(rows(xml)[0]!.cells).toEqual([new Date(Date.UTC(1899, 11, 31)), new Date(Date.UTC(1900, 2, 1)), 61]);
    expect(rows(xml, { ...workbook, date1904: true })[0]!.cells.slice(0, 2)).toEqual([new Date(Date.UTC(1904, 0, 1)), new Date(Date.UTC(1904, 2, 2))]);
  });

  it('joins rich text runs and leaves out phonetic hints', () => {
    expect(stringItemText('<r><rPr><b/></rPr><t xml:space="preserve">Uusi </t></r><r><t>tavoite</t></r><rPh sb="0" eb="1"><t>ウ</t></rPh>')).toBe('Uusi tavoite');
  });

  it('knows a date format by its code, not by letters inside quotes, escapes or brackets', () => {
    expect(['d.m.yyyy', 'yyyy-mm-dd hh:mm:ss', '[$-40B]d. mmmm yyyy', 'h:mm AM/PM'].map(isDateFormatCode)).toEqual([true, true, true, true]);
    expect(['0.00', '#,##0 "kpl"', '[Red]0.00', 'General', '0.00\\ "m"'].map(isDateFormatCode)).toEqual([false, false, false, false, false]);
  });
});
