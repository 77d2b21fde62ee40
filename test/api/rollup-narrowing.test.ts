// The rollup builder narrows Cube's 128-bit sums (DECIMAL(38,s), HUGEINT) to 64-bit types
// when every value fits, and leaves a column whose values do not fit as it is: a rollup
// must never lose a digit for speed (cube/server/rollup-builder.ts, storeRollup: the table
// written from the rows Cube's SQL staged).
import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { storeRollup } from '../../cube/server/rollup-builder.ts';

async function narrowed(values: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    await connection.run('CREATE SCHEMA pre_aggregations');
    await connection.run(
      `CREATE TEMP TABLE staged AS SELECT sum(money) AS money, sum(n) AS n, sum(big) AS big, any_value(label) AS label, sum(small) AS small
       FROM (VALUES ${values}) v(k, money, n, big, label, small) GROUP BY k`,
    );
    // As text: JavaScript numbers would round the wide values.
    const rows = async (table: string) =>
      (await connection.runAndReadAll(`SELECT money::VARCHAR AS money, n::VARCHAR AS n, big::VARCHAR AS big, label, small FROM ${table} ORDER BY label`)).getRowObjectsJS();
    const before = await rows('temp.main.staged');
    await storeRollup(connection, 'temp.main.staged', 'pre_aggregations.t', []);
    const types = Object.fromEntries(
      (await connection.runAndReadAll(`SELECT column_name, data_type FROM duckdb_columns() WHERE schema_name = 'pre_aggregations' AND table_name = 't'`)).getRowObjectsJS().map((row) => [row.column_name, row.data_type]),
    );
    const after = await rows('pre_aggregations.t');
    const sums = (await connection.runAndReadAll('SELECT sum(money) AS money, sum(n) AS n, typeof(sum(money)) AS money_type, typeof(sum(n)) AS n_type FROM pre_aggregations.t')).getRowObjectsJS()[0];
    return { types, before, after, sums };
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

describe('narrowing the rollup sums', () => {
  it('narrows money and counts that fit, keeping every value and the type of a sum over them', async () => {
    const { types, before, after, sums } = await narrowed(
      `(1, 12345678.91::DECIMAL(18,2), 3::INTEGER, 7::BIGINT, 'a', 1.5::DOUBLE), (1, -0.01::DECIMAL(18,2), 4::INTEGER, 8::BIGINT, 'b', 2.5::DOUBLE),
       (2, 99999999999999.99::DECIMAL(18,2), 2147483647::INTEGER, 9::BIGINT, 'c', NULL::DOUBLE), (3, NULL::DECIMAL(18,2), NULL::INTEGER, NULL::BIGINT, NULL, NULL::DOUBLE)`,
    );
    expect(types).toEqual({ money: 'DECIMAL(18,2)', n: 'BIGINT', big: 'BIGINT', label: 'VARCHAR', small: 'DOUBLE' });
    expect(after).toEqual(before);
    expect(after.map((row) => row.money)).toEqual(['12345678.90', '99999999999999.99', null]);
    // Cube re-aggregates the rollup with sum: the same 128-bit types as before narrowing.
    expect(sums).toMatchObject({ money_type: 'DECIMAL(38,2)', n_type: 'HUGEINT' });
  });

  it('keeps a column with a value a 64-bit type cannot hold as it is', async () => {
    const { types, before, after } = await narrowed(
      `(1, 9999999999999999.99::DECIMAL(18,2), 1::INTEGER, 9223372036854775807::BIGINT, 'a', 1.0::DOUBLE),
       (1, 9999999999999999.99::DECIMAL(18,2), 1::INTEGER, 1::BIGINT, 'b', 1.0::DOUBLE)`,
    );
    expect(types).toMatchObject({ money: 'DECIMAL(38,2)', big: 'HUGEINT', n: 'BIGINT' });
    expect(after).toEqual(before);
    expect(after.map((row) => [row.money, row.big])).toEqual([['19999999999999999.98', '9223372036854775808']]);
  });
});
