// Reads and checks ingest/sources.yml, so a mistake in the catalogue is reported with
// the entity it concerns before any data is touched.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../../config/settings.ts';

export interface ColumnSpec {
  name: string;
  type: string;
  required: boolean;
  values?: string[];
}

export interface EntitySpec {
  source: string;
  name: string;
  file: string;
  format: 'csv';
  key: string[];
  columns: ColumnSpec[];
}

export const defaultCatalogueFile = resolve(repoRoot, 'ingest/sources.yml');

const identifier = /^[a-z][a-z0-9_]*$/;
const allowedTypes = /^(VARCHAR|DATE|TIMESTAMP|BOOLEAN|INTEGER|BIGINT|DOUBLE|DECIMAL\(\d+,\d+\))$/;

function fail(where: string, message: string): never {
  throw new Error(`source catalogue: ${where}: ${message}`);
}

export function readCatalogue(file = defaultCatalogueFile): EntitySpec[] {
  const document = parse(readFileSync(file, 'utf8')) as { sources?: unknown };
  if (!Array.isArray(document?.sources)) fail(file, 'expected a top-level "sources" list');
  const entities: EntitySpec[] = [];
  for (const source of document.sources as Record<string, unknown>[]) {
    const sourceName = String(source.name ?? '');
    if (!identifier.test(sourceName)) fail(file, `source name "${sourceName}" must be lower_snake_case`);
    for (const entity of (source.entities ?? []) as Record<string, unknown>[]) {
      const where = `${sourceName}.${String(entity.name)}`;
      if (!identifier.test(String(entity.name))) fail(where, 'entity name must be lower_snake_case');
      if (entity.format !== 'csv') fail(where, `unsupported format "${String(entity.format)}"`);
      const columns = Object.entries((entity.columns ?? {}) as Record<string, Record<string, unknown>>).map(([name, spec]) => {
        if (!identifier.test(name)) fail(where, `column "${name}" must be lower_snake_case`);
        const type = String(spec.type ?? 'VARCHAR').toUpperCase();
        if (!allowedTypes.test(type)) fail(where, `column "${name}" has unsupported type "${type}"`);
        const values = spec.values === undefined ? undefined : (spec.values as unknown[]).map(String);
        return { name, type, required: spec.required === true, ...(values ? { values } : {}) };
      });
      const key = ((entity.key ?? []) as unknown[]).map(String);
      if (key.length === 0) fail(where, 'needs a key');
      for (const k of key) if (!columns.some((c) => c.name === k)) fail(where, `key column "${k}" is not declared`);
      entities.push({ source: sourceName, name: String(entity.name), file: String(entity.file), format: 'csv', key, columns });
    }
  }
  return entities;
}

export function rawTableName(entity: Pick<EntitySpec, 'source' | 'name'>): string {
  return `raw.${entity.source}__${entity.name}`;
}
