// Opens an entity's source with the reader of its format. A postgres entity whose
// connection setting is empty is read from its fallback file instead, and says so.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { entityName, type EntityOptions, type EntitySpec, type FileFormat } from '../catalogue.ts';
import { openCsv } from './csv.ts';
import { openJson } from './json.ts';
import type { OpenedSource } from './opened-source.ts';
import { openParquet } from './parquet.ts';
import { openPostgres } from './postgres.ts';
import { SourceFileError } from './source-file-error.ts';
import { openXlsx } from './xlsx.ts';

export type { OpenedSource } from './opened-source.ts';
export { SourceFileError } from './source-file-error.ts';

function openFile(spec: EntitySpec, path: string, format: FileFormat, options: EntityOptions): Promise<OpenedSource> {
  if (!existsSync(path)) throw new SourceFileError(`${path}: file not found (expected by ${entityName(spec)} in the source catalogue)`);
  switch (format) {
    case 'csv':
      return openCsv(spec, path, options);
    case 'xlsx':
      return openXlsx(spec, path, options);
    case 'json':
      return openJson(spec, path, 'array');
    case 'ndjson':
      return openJson(spec, path, 'newline_delimited');
    case 'parquet':
      return openParquet(spec, path, options);
  }
}

export async function openSource(spec: EntitySpec, sourceDir: string): Promise<OpenedSource> {
  const path = join(sourceDir, spec.file);
  if (spec.format !== 'postgres') return openFile(spec, path, spec.format, spec.options);
  const setting = spec.options.connection_env!;
  const url = process.env[setting];
  if (url) return openPostgres(spec, url);
  const fallback = await openFile(spec, path, spec.options.fallback_format ?? 'csv', {});
  return { ...fallback, note: `${setting} not set; read the fallback file` };
}
