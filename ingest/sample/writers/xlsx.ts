// Excel exports (the sales team's account plans, the newsletter tool's lists), written
// with ExcelJS's streaming writer so a sheet of a million rows never sits in memory.
// The header row holds the catalogue's column names; dates and timestamps are real
// Excel date cells, numbers are numbers, ids stay text. The workbook's properties and
// its zip entries carry the export time, not the time of the run, so the same data gives
// the same bytes.
import ExcelJS from 'exceljs';
import type { EntitySpec } from '../../load/catalogue.ts';
import { countingWriter } from './counting-writer.ts';
import type { EntityWriter, WriterOptions } from './entity-writer.ts';
import { toDate, type SampleRecord } from './values.ts';
import { stampZipEntryTimes } from './zip-times.ts';

export function openXlsxWriter(spec: EntitySpec, path: string, options: WriterOptions): EntityWriter {
  if (options.append) throw new Error(`${spec.file}: an Excel export cannot be appended to`);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ filename: path, useStyles: true, useSharedStrings: false });
  workbook.created = options.exportedAt;
  workbook.modified = options.exportedAt;
  workbook.creator = 'Asiakkuus sample company';
  workbook.lastModifiedBy = 'Asiakkuus sample company';
  const sheet = workbook.addWorksheet(spec.options.sheet ?? spec.name);
  sheet.columns = spec.columns.map((c) => ({
    header: c.name,
    key: c.name,
    width: c.type === 'VARCHAR' ? 24 : 14,
    ...(c.type === 'DATE' ? { style: { numFmt: 'd.m.yyyy' } } : c.type === 'TIMESTAMP' ? { style: { numFmt: 'd.m.yyyy h:mm' } } : {}),
  }));
  const dated = new Set(spec.columns.filter((c) => c.type === 'DATE' || c.type === 'TIMESTAMP').map((c) => c.name));
  const writeRow = (record: SampleRecord) => {
    const cells: ExcelJS.CellValue[] = spec.columns.map((c) => {
      const value = record[c.name] ?? null;
      return value !== null && dated.has(c.name) ? toDate(String(value)) : value;
    });
    sheet.addRow(cells).commit();
  };
  return countingWriter(path, writeRow, async () => {
    sheet.commit();
    await workbook.commit();
    stampZipEntryTimes(path, options.exportedAt);
  });
}
