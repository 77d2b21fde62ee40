// Picks the reader for an entity's format. A postgres entity whose connection setting
// is empty is read from its fallback file instead, and the result says so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { entityName, type EntitySpec } from '../catalogue.ts';
import { prepareCsv } from './csv.ts';
import { prepareJson, prepareParquet } from './json.ts';
import { preparePostgres } from './postgres.ts';
import type { PreparedSource } from './prepared-source.ts';
import { SourceFileError } from './source-file-error.ts';
import { prepareXlsx } from './xlsx.ts';

export type { PreparedSource } from './prepared-source.ts';
export { SourceFileError } from './source-file-error.ts';

function requireFile(spec: EntitySpec, path: string): void {
  if (!existsSync(path)) throw new SourceFileError(`${path}: file not found (expected by ${entityName(spec)} in the source catalogue)`);
}

export async function prepareSource(connection: DuckDBConnection, spec: EntitySpec, sourceDir: string): Promise<PreparedSource> {
  const path = join(sourceDir, spec.file);
  switch (spec.format) {
    case 'postgres': {
      const url = process.env[spec.options.connection_env!];
      if (url) return preparePostgres(connection, spec, url);
      requireFile(spec, path);
      const prepared = await prepareCsv(connection, path, {});
      return { ...prepared, note: `${spec.options.connection_env} not set; read the fallback file` };
    }
    case 'csv':
      requireFile(spec, path);
      return prepareCsv(connection, path, spec.options);
    case 'xlsx':
      requireFile(spec, path);
      return prepareXlsx(connection, path, spec.options);
    case 'json':
      requireFile(spec, path);
      return prepareJson(connection, path, 'array');
    case 'ndjson':
      requireFile(spec, path);
      return prepareJson(connection, path, 'newline_delimited');
    case 'parquet':
      requireFile(spec, path);
      return prepareParquet(connection, path);
  }
}
