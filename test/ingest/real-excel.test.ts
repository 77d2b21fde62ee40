// Workbooks that Microsoft Excel saved (test/fixtures/ingest/corpus/excel, taken from
// PyPI packages' source distributions; provenance and licences in PROVENANCE.md there).
// The expected rows were read by hand from the files and cross-checked with
// python-calamine. Their headers are not lower_snake_case, which the catalogue asks of
// its own column names, so the entities are declared here rather than in a catalogue file.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColumnSpec, EntitySpec } from '../../ingest/load/catalogue.ts';
import { loadEntity } from '../../ingest/load/load-entity.ts';
import { ident } from '../../ingest/load/sql.ts';
import { expectEveryRowAccountedFor, fixtures, openTestWarehouse, quarantineRows, type TestWarehouse } from './ingest-test-support.ts';

const excelDir = join(fixtures, 'corpus', 'excel');

function workbookEntity(name: string, file: string, sheet: string, columns: [string, string][]): EntitySpec {
  const specs: ColumnSpec[] = columns.map(([column, type]) => ({ name: column, type, required: false }));
  return { source: 'excel', name, file, format: 'xlsx', options: { sheet }, key: [columns[0]![0]], columns: specs };
}

let warehouse: TestWarehouse;

beforeAll(async () => {
  warehouse = await openTestWarehouse();
});

afterAll(() => warehouse.close());

/** The raw rows as [_source_row, ...each column as text], in sheet order. */
async function loaded(spec: EntitySpec): Promise<unknown[][]> {
  const columns = spec.columns.map((c) => `${ident(c.name)}::VARCHAR`).join(', ');
  const rows = await warehouse.rows(`SELECT _source_row, ${columns} FROM raw.excel__${spec.name} ORDER BY _source_row`);
  return rows.map((row) => Object.values(row).map((value) => (typeof value === 'bigint' ? Number(value) : value)));
}

describe('workbooks saved by Microsoft Excel', () => {
  it('reads the second sheet of an Excel 2007 workbook by its Cyrillic name, text cells as written', async () => {
    const spec = workbookEntity('use_case', 'xlsx2csv_sheets.xlsx', 'Вариант использования', [
      ['№', 'VARCHAR'],
      ['Элемент', 'VARCHAR'],
      ['Описание', 'VARCHAR'],
      ['Результат шага (Выход)', 'VARCHAR'],
      ['Ссылки', 'VARCHAR'],
    ]);
    const result = await loadEntity(warehouse.connection, spec, excelDir);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 19, rowsAccepted: 19, rowsRejected: 0 });
    const rows = await loaded(spec);
    expect(rows.slice(0, 2)).toEqual([
      [2, '1', 'Номер', 'Полный код (номер) сценария', null, null],
      [3, '2', 'Название', 'Полное название сценария', null, null],
    ]);
    // The cell is 'Актер ' (a trailing space), trimmed as every format's text is; '8.х' has a Cyrillic х.
    expect(rows[5]).toEqual([7, '6.1', 'Актер', 'Кто основное действующее лицо. Если есть еще - добавляем', null, null]);
    expect(rows[7]).toEqual([9, '7.1', 'Цель', 'Одна или несколько определенных целей для сценария', 'Целевой показатель', null]);
    expect(rows.map((row) => row[1])).toEqual(['1', '2', '3', '4', '5', '6.1', '6.2', '7.1', '7.2', '7.3', '8.1', '8.2', '8.х', '9', '9.1', '9.х', '10', '10.1', '10.х']);
  });

  it('reads the first sheet by name: a number cell 1 as a whole number, the text cell 1.0 as its text', async () => {
    const spec = workbookEntity('register', 'xlsx2csv_sheets.xlsx', 'Реестр', [
      ['№', 'INTEGER'],
      ['URL', 'VARCHAR'],
      ['Название', 'VARCHAR'],
      ['Вер.', 'VARCHAR'],
      ['Сост.', 'VARCHAR'],
      ['Аналитик', 'VARCHAR'],
      ['Заказчик', 'VARCHAR'],
    ]);
    const result = await loadEntity(warehouse.connection, spec, excelDir);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 5, rowsAccepted: 5, rowsRejected: 0 });
    expect(await loaded(spec)).toEqual([
      [2, '1', 'url', '<<Шаблон сценария>>', '1.0', 'Подп.', 'Фамилия', 'Фамилия'],
      [3, '2', null, null, null, null, null, null],
      [4, '3', null, null, null, null, null, null],
      [5, '4', null, null, null, null, null, null],
      [6, '5', null, null, null, null, null, null],
    ]);
  });

  it('reads a mostly empty last column as empty, and numbers under a text header as their digits', async () => {
    const spec = workbookEntity('last_column_empty', 'xlsx2csv_last_column_empty.xlsx', 'Sheet1', [
      ['A', 'VARCHAR'],
      ['B', 'VARCHAR'],
      ['C', 'VARCHAR'],
    ]);
    const result = await loadEntity(warehouse.connection, spec, excelDir);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 5, rowsAccepted: 5, rowsRejected: 0 });
    expect(await loaded(spec)).toEqual([
      [2, 'stuff', 'more stuff', null],
      [3, 'things', 'more things', 'even more things'],
      [4, 'a', 'b', null],
      [5, 'one', 'two', null],
      [6, '1', '2', '3'],
    ]);
  });

  it('reads Excel 2013 date cells as dates and numbers as exact numbers (the header row is itself dates and numbers)', async () => {
    const spec = workbookEntity('rates', 'pyexcel_xlsx_test8.xlsx', 'CNY', [
      ['2013-09-01', 'DATE'],
      ['2013-09-02', 'DATE'],
      ['1000', 'INTEGER'],
      ['5', 'INTEGER'],
      ['13.89', 'DECIMAL(10,2)'],
    ]);
    const result = await loadEntity(warehouse.connection, spec, excelDir);
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 2, rowsAccepted: 2, rowsRejected: 0 });
    expect(await loaded(spec)).toEqual([
      [2, '2013-09-02', '2013-09-03', '2000', '6', '33.33'],
      [3, '2013-09-03', '2013-09-04', '3000', '7', '58.33'],
    ]);
  });

  it('refuses a text in a whole-number column with the file, sheet row and field', async () => {
    const spec = workbookEntity('use_case_typed', 'xlsx2csv_sheets.xlsx', 'Вариант использования', [
      ['№', 'INTEGER'],
      ['Элемент', 'VARCHAR'],
      ['Описание', 'VARCHAR'],
      ['Результат шага (Выход)', 'VARCHAR'],
      ['Ссылки', 'VARCHAR'],
    ]);
    const result = await loadEntity(warehouse.connection, spec, excelDir);
    // 6.1, 6.2, 7.1-7.3, 8.1, 8.2, 8.х, 9.1, 9.х, 10.1, 10.х are not whole numbers; 1-5, 9 and 10 are.
    expect(result).toMatchObject({ status: 'loaded', rowsRead: 19, rowsAccepted: 7, rowsRejected: 12 });
    // (Those rows' keys are then empty, so each after the first is also a duplicate key.)
    const refused = (await quarantineRows(warehouse)).filter(([file, , , , reason]) => file.endsWith('xlsx2csv_sheets.xlsx') && reason.includes('INTEGER'));
    expect(refused[0]).toEqual([expect.stringContaining('xlsx2csv_sheets.xlsx'), 7, '№', '6.1', 'not a valid INTEGER']);
    expect(refused.map(([, row]) => row)).toEqual([7, 8, 9, 10, 11, 12, 13, 14, 16, 17, 19, 20]);
  });

  it('accounts for every row of every file', async () => {
    await expectEveryRowAccountedFor(warehouse);
  });
});
