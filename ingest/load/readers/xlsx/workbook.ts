// A workbook's structure: its sheets by name and where each one's XML lives, the
// shared strings, which cell styles show dates, and the date system. Every location is
// found through the package's relationships, so a workbook reads the same whether its
// writer stored relative targets (Excel: worksheets/sheet1.xml) or absolute ones
// (openpyxl: /xl/worksheets/sheet1.xml).
import { posix } from 'node:path';
import { attribute, elements, stringItemText } from './xml.ts';
import type { ZipParts } from './zip-parts.ts';

export interface Workbook {
  sheets: { name: string; part: string }[];
  sharedStrings: string[];
  /** Cell style index (the s attribute) -> true when its number format shows a date or time. */
  dateStyles: boolean[];
  /** Serial day 0 is 1904-01-01 instead of 1899-12-30 (old Mac Excel). */
  date1904: boolean;
}

const relationshipType = {
  officeDocument: /\/officeDocument$/,
  worksheet: /\/worksheet$/,
  sharedStrings: /\/sharedStrings$/,
  styles: /\/styles$/,
};

/** The relationships part of a part: xl/workbook.xml -> xl/_rels/workbook.xml.rels. */
function relationshipsPart(part: string): string {
  return posix.join(posix.dirname(part), '_rels', `${posix.basename(part)}.rels`);
}

interface Relationship {
  id: string;
  type: string;
  /** Part name without a leading slash. */
  part: string;
}

async function relationships(parts: ZipParts, source: string): Promise<Relationship[]> {
  const xml = (await parts.text(relationshipsPart(source))) ?? '';
  const found: Relationship[] = [];
  for (const { attributes } of elements(xml, 'Relationship')) {
    const target = attribute(attributes, 'Target');
    if (!target || attribute(attributes, 'TargetMode') === 'External') continue;
    // An absolute target starts at the package root; a relative one at the source part's folder.
    const part = target.startsWith('/') ? posix.normalize(target).slice(1) : posix.normalize(posix.join(posix.dirname(source), target));
    found.push({ id: attribute(attributes, 'Id') ?? '', type: attribute(attributes, 'Type') ?? '', part });
  }
  return found;
}

/** Built-in number formats that show dates or times (ECMA-376 part 1, 18.8.30). */
const builtInDateFormats = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58]);

/** A custom format code shows a date when, outside quoted text, escapes and [colour]/[locale] brackets, it has d, m, y, h or s. */
export function isDateFormatCode(code: string): boolean {
  const bare = code.replace(/"[^"]*"/g, '').replace(/\\./g, '').replace(/\[[^\]]*\]/g, '').replace(/_.|\*./g, '');
  // A format with sections uses the first one for positive numbers.
  const positive = bare.split(';')[0]!;
  return /[dmyhs]/i.test(positive) && !/^general$/i.test(positive.trim());
}

function dateStyles(xml: string): boolean[] {
  const customFormats = new Map<number, string>();
  for (const { attributes } of elements(xml, 'numFmt')) customFormats.set(Number(attribute(attributes, 'numFmtId')), attribute(attributes, 'formatCode') ?? '');
  const cellXfs = [...elements(xml, 'cellXfs')][0]?.inner ?? '';
  return [...elements(cellXfs, 'xf')].map(({ attributes }) => {
    const id = Number(attribute(attributes, 'numFmtId') ?? 0);
    const custom = customFormats.get(id);
    return custom !== undefined ? isDateFormatCode(custom) : builtInDateFormats.has(id);
  });
}

export async function readWorkbook(parts: ZipParts): Promise<Workbook> {
  const root = await relationships(parts, '');
  const workbookPart = root.find((r) => relationshipType.officeDocument.test(r.type))?.part ?? 'xl/workbook.xml';
  const workbookXml = await parts.text(workbookPart);
  if (workbookXml === undefined) throw new Error(`the package has no workbook part (${workbookPart}); parts found: ${parts.names.slice(0, 8).join(', ')}`);
  const links = await relationships(parts, workbookPart);
  const byId = new Map(links.map((link) => [link.id, link]));
  const sheets = [...elements(workbookXml, 'sheet')].flatMap(({ attributes }) => {
    const link = byId.get(attribute(attributes, 'id') ?? '');
    // Chart sheets and dialog sheets are not worksheets and hold no rows.
    return link && relationshipType.worksheet.test(link.type) ? [{ name: attribute(attributes, 'name') ?? '', part: link.part }] : [];
  });
  const workbookPr = [...elements(workbookXml, 'workbookPr')][0]?.attributes ?? '';
  const date1904 = /^(1|true)$/.test(attribute(workbookPr, 'date1904') ?? '');
  const partOf = (type: RegExp) => links.find((link) => type.test(link.type))?.part;
  const sharedStringsPart = partOf(relationshipType.sharedStrings);
  const stylesPart = partOf(relationshipType.styles);
  const sharedStringsXml = sharedStringsPart ? ((await parts.text(sharedStringsPart)) ?? '') : '';
  const stylesXml = stylesPart ? ((await parts.text(stylesPart)) ?? '') : '';
  return {
    sheets,
    sharedStrings: [...elements(sharedStringsXml, 'si')].map(({ inner }) => stringItemText(inner)),
    dateStyles: dateStyles(stylesXml),
    date1904,
  };
}

