// dbt (Python duckdb) and the loaders and API (@duckdb/node-api) must run the same
// DuckDB, or one side cannot open the warehouse file the other wrote.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DuckDBInstance } from '@duckdb/node-api';
import { pythonRequirementsFile } from '../../config/settings.ts';
import { venvBinary } from '../../pipeline/python-env.ts';

it('pins the same DuckDB version on the Python and the Node side', async () => {
  const pinned = /^duckdb==(\S+)$/m.exec(readFileSync(pythonRequirementsFile, 'utf8'))?.[1];
  const python = execFileSync(venvBinary('python'), ['-c', 'import duckdb; print(duckdb.__version__)'], { encoding: 'utf8' }).trim();
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const node = String((await connection.runAndReadAll('SELECT version()')).getRowsJS()[0]![0]).replace(/^v/, '');
  connection.closeSync();
  instance.closeSync();
  expect(python).toBe(pinned);
  expect(node).toBe(pinned);
});
