// The text the Excel reader stages for each kind of cell. Most cells are written to the
// scratch CSV straight from the sheet's bytes (plain text, shared strings, numbers
// already in their shortest form, dates through a compiled pattern); the rest through
// their value. Both must give the text a person sees, so every case here is one the
// byte path could get wrong: numbers not in shortest form, text that needs quoting or
// decoding, blank text, dates in other patterns.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipFile } from 'yazl';
import type { EntityOptions, EntitySpec } from '../../ingest/load/catalogue.ts';
import { openXlsx } from '../../ingest/load/readers/xlsx.ts';

/** A zip of the parts, stored uncompressed in the order given (yazl writes them so): enough of a package for the reader. */
async function storedZip(parts: Record<string, string>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [name, text] of Object.entries(parts)) zip.addBuffer(Buffer.from(text, 'utf8'), name, { compress: false });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

const relationship = (id: string, type: string, target: string) =>
  `<Relationship Id="${id}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/${type}" Target="${target}"/>`;

/** A workbook with one sheet "Data" whose rows are `rows` (the <row> elements), shared strings `shared` (<si> contents). */
function workbook(rows: string[], shared: string[]): Promise<Buffer> {
  return storedZip({
    '[Content_Types].xml': '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>',
    '_rels/.rels': `<Relationships>${relationship('rId1', 'officeDocument', 'xl/workbook.xml')}</Relationships>`,
    'xl/workbook.xml': '<workbook><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>',
    'xl/_rels/workbook.xml.rels': `<Relationships>${relationship('rId1', 'worksheet', 'worksheets/sheet1.xml')}${relationship('rId2', 'sharedStrings', 'sharedStrings.xml')}${relationship('rId3', 'styles', 'styles.xml')}</Relationships>`,
    'xl/sharedStrings.xml': `<sst>${shared.map((item) => `<si>${item}</si>`).join('')}</sst>`,
    // Style 1 shows a built-in date format (14), style 2 a custom date-and-time one, style 3 two decimals.
    'xl/styles.xml': '<styleSheet><numFmts><numFmt numFmtId="164" formatCode="d.m.yyyy h:mm"/></numFmts><cellXfs><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/><xf numFmtId="2"/></cellXfs></styleSheet>',
    'xl/worksheets/sheet1.xml': `<worksheet><sheetData><row r="1"><c r="A1" t="str"><v>id</v></c><c r="B1" t="str"><v>v</v></c></row>${rows.join('')}</sheetData></worksheet>`,
  });
}

const spec: EntitySpec = {
  source: 'test',
  name: 'cells',
  file: 'cells.xlsx',
  format: 'xlsx',
  options: {},
  key: ['id'],
  columns: [
    { name: 'id', type: 'VARCHAR' },
    { name: 'v', type: 'VARCHAR' },
  ] as EntitySpec['columns'],
};

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-xlsx-cells-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The staged (row, v) of a sheet whose row n + 1 is `<c r="An" t="str"><v>n</v></c>` + cells[n - 1] in column B. */
async function staged(cells: string[], options: EntityOptions = {}, shared: string[] = []): Promise<[number, string | null][]> {
  const rows = cells.map((cell, i) => `<row r="${i + 2}"><c r="A${i + 2}" t="str"><v>${i + 1}</v></c>${cell.replaceAll('@', `B${i + 2}`)}</row>`);
  const path = join(dir, `cells-${Math.random().toString(36).slice(2)}.xlsx`);
  writeFileSync(path, await workbook(rows, shared));
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const source = await openXlsx(spec, path, options);
  try {
    await source.stage(connection);
    const found = (await connection.runAndReadAll('SELECT _source_row, v FROM _staged ORDER BY _source_row')).getRowsJS();
    return found.map(([row, value]) => [Number(row), value as string | null]);
  } finally {
    source.cleanup();
    connection.closeSync();
    instance.closeSync();
  }
}

describe('Excel cell text', () => {
  it('writes numbers in their shortest form, whatever form the sheet stores', async () => {
    const numbers = ['45258.5', '1.50', '-0', '007', '1E3', '0.000001', '0.0000001', '-12.25', '0.1000000000000000055', '123456789012345678', 'n/a'];
    const rows = await staged(numbers.map((n) => `<c r="@"><v>${n}</v></c>`));
    expect(rows.map(([, v]) => v)).toEqual(['45258.5', '1.5', '0', '7', '1000', '0.000001', '1e-7', '-12.25', '0.1', '123456789012345680', 'n/a']);
    const comma = await staged(['2.5', '3', '-0.75'].map((n) => `<c r="@" s="3"><v>${n}</v></c>`), { decimal_separator: ',' });
    expect(comma.map(([, v]) => v)).toEqual(['2,5', '3', '-0,75']);
  });

  it('writes date cells by the date or timestamp pattern, a comma in the pattern included', async () => {
    const cells = ['<c r="@" s="1"><v>45658</v></c>', '<c r="@" s="2"><v>45667.5</v></c>', '<c r="@" s="2"><v>45258.74722222222</v></c>', '<c r="@" s="1"><v>59</v></c>'];
    expect((await staged(cells)).map(([, v]) => v)).toEqual(['2025-01-01', '2025-01-10 12:00:00', '2023-11-28 17:56:00', '1900-02-28']);
    const finnish = await staged(cells, { date_format: '%d.%m.%Y', timestamp_format: '%-d.%-m.%Y klo %H.%M' });
    expect(finnish.map(([, v]) => v)).toEqual(['01.01.2025', '10.1.2025 klo 12.00', '28.11.2023 klo 17.56', '28.02.1900']);
    const commas = await staged(cells.slice(0, 2), { date_format: '%d,%m,%Y', timestamp_format: '%Y-%m-%dT%H:%M:%S "x"' });
    expect(commas.map(([, v]) => v)).toEqual(['01,01,2025', '2025-01-10T12:00:00 "x"']);
  });

  it('writes text as it reads: quoted, decoded, joined, and blank text as nothing in a row of its own', async () => {
    const shared = ['<t>Mäkelä</t>', '<t></t>', '<t xml:space="preserve">  </t>', '<t>a,b</t>', '<t>say "hi"</t>', '<r><t>Uusi </t></r><r><t>tavoite</t></r>'];
    const cells = [
      ...shared.map((_, i) => `<c r="@" t="s"><v>${i}</v></c>`),
      '<c r="@" t="str"><v>Väinö</v></c>',
      '<c r="@" t="str"><v>&amp;co &lt;x&gt;</v></c>',
      '<c r="@" t="str"><v>rivi_x000D_</v></c>',
      '<c r="@" t="str"><v>kaksi\nriviä</v></c>',
      '<c r="@" t="inlineStr"><is><t xml:space="preserve"> sp </t></is></c>',
      '<c r="@" t="inlineStr"><is><t></t></is></c>',
      '<c r="@" t="inlineStr"><is><r><t>ri</t></r><r><t>ch</t></r><rPh sb="0" eb="1"><t>ウ</t></rPh></is></c>',
      '<c r="@" t="b"><v>1</v></c>',
      '<c r="@" t="e"><v>#N/A</v></c>',
      '<c r="@" t="s"><v>99</v></c>',
    ];
    const rows = await staged(cells, {}, shared);
    expect(rows.map(([, v]) => v)).toEqual([
      'Mäkelä', null, '  ', 'a,b', 'say "hi"', 'Uusi tavoite',
      'Väinö', '&co <x>', 'rivi\r', 'kaksi\nriviä', ' sp ', null, 'rich', 'true', '#N/A', null,
    ]);
  });

  it('leaves out rows whose cells hold only white space, a no-break space included', async () => {
    const rows = ['<c r="A2" t="str"><v> </v></c><c r="B2" t="str"><v>\u00a0</v></c>', '<c r="A3" t="str"><v>x</v></c><c r="B3" t="str"><v>\u00a0</v></c>'];
    const path = join(dir, 'blank.xlsx');
    writeFileSync(path, await workbook(rows.map((cells, i) => `<row r="${i + 2}">${cells}</row>`), []));
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const source = await openXlsx(spec, path, {});
    await source.stage(connection);
    const found = (await connection.runAndReadAll('SELECT _source_row, id, v FROM _staged ORDER BY _source_row')).getRowsJS();
    source.cleanup();
    connection.closeSync();
    instance.closeSync();
    expect(found).toEqual([[3n, 'x', '\u00a0']]);
  });
});
