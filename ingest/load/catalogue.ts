// Reads and checks ingest/sources.yml, so a mistake in the catalogue is reported with
// the entity it concerns before any data is touched. docs/source-catalogue.md
// documents every field.
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

export const formats = ['csv', 'xlsx', 'json', 'ndjson', 'parquet', 'postgres'] as const;
export type Format = (typeof formats)[number];

/** Options of every format; each format accepts only its own (see optionsByFormat). */
export interface EntityOptions {
  delimiter?: string;
  encoding?: 'utf-8' | 'windows-1252';
  decimal_separator?: '.' | ',';
  date_format?: string;
  timestamp_format?: string;
  sheet?: string;
  connection_env?: string;
  table?: string;
}

const optionsByFormat: Record<Format, (keyof EntityOptions)[]> = {
  csv: ['delimiter', 'encoding', 'decimal_separator', 'date_format', 'timestamp_format'],
  xlsx: ['sheet', 'decimal_separator', 'date_format', 'timestamp_format'],
  json: [],
  ndjson: [],
  parquet: [],
  postgres: ['connection_env', 'table'],
};

/** Standard customer attributes an entity's columns can map to (customer_record). */
export const customerAttributes = [
  'id', 'customer_number', 'customer_type', 'company_name', 'first_name', 'last_name', 'email', 'phone',
  'street_address', 'postal_code', 'city', 'social_handle', 'updated_at',
] as const;
export type CustomerAttribute = (typeof customerAttributes)[number];

export interface EntitySpec {
  source: string;
  name: string;
  description?: string;
  file: string;
  format: Format;
  options: EntityOptions;
  key: string[];
  columns: ColumnSpec[];
  customerRecord?: Partial<Record<CustomerAttribute, string>>;
}

export interface Catalogue {
  entities: EntitySpec[];
  /** attribute -> sources, best first */
  attributeMasters: Record<string, string[]>;
}

export const defaultCatalogueFile = resolve(repoRoot, 'ingest/sources.yml');

const identifier = /^[a-z][a-z0-9_]*$/;
const allowedTypes = /^(VARCHAR|DATE|TIMESTAMP|BOOLEAN|INTEGER|BIGINT|DOUBLE|DECIMAL\(\d+,\d+\))$/;

function fail(where: string, message: string): never {
  throw new Error(`source catalogue: ${where}: ${message}`);
}

function readOptions(where: string, format: Format, raw: unknown): EntityOptions {
  if (raw === undefined || raw === null) return {};
  if (typeof raw !== 'object') fail(where, 'options must be a mapping');
  const options = raw as Record<string, unknown>;
  for (const name of Object.keys(options)) {
    if (!optionsByFormat[format].includes(name as keyof EntityOptions)) {
      fail(where, `option "${name}" does not apply to format ${format}; allowed: ${optionsByFormat[format].join(', ') || 'none'}`);
    }
  }
  const text = (name: string) => (options[name] === undefined ? undefined : String(options[name]));
  const encoding = text('encoding');
  if (encoding !== undefined && encoding !== 'utf-8' && encoding !== 'windows-1252') fail(where, `encoding must be utf-8 or windows-1252, not "${encoding}"`);
  const decimal = text('decimal_separator');
  if (decimal !== undefined && decimal !== '.' && decimal !== ',') fail(where, `decimal_separator must be "." or ","`);
  const delimiter = text('delimiter');
  if (delimiter !== undefined && delimiter.length !== 1) fail(where, 'delimiter must be one character');
  if (format === 'postgres' && (!text('connection_env') || !text('table'))) fail(where, 'postgres entities need options connection_env and table');
  const result: EntityOptions = {};
  for (const name of optionsByFormat[format]) {
    const value = text(name);
    if (value !== undefined) (result as Record<string, string>)[name] = value;
  }
  return result;
}

function readColumns(where: string, raw: unknown): ColumnSpec[] {
  return Object.entries((raw ?? {}) as Record<string, Record<string, unknown>>).map(([name, spec]) => {
    if (!identifier.test(name)) fail(where, `column "${name}" must be lower_snake_case`);
    const type = String(spec.type ?? 'VARCHAR').toUpperCase();
    if (!allowedTypes.test(type)) fail(where, `column "${name}" has unsupported type "${type}"`);
    const values = spec.values === undefined ? undefined : (spec.values as unknown[]).map(String);
    return { name, type, required: spec.required === true, ...(values ? { values } : {}) };
  });
}

function readCustomerRecord(where: string, raw: unknown, columns: ColumnSpec[]): EntitySpec['customerRecord'] {
  if (raw === undefined) return undefined;
  const mapping = raw as Record<string, unknown>;
  const result: Partial<Record<CustomerAttribute, string>> = {};
  for (const [attribute, column] of Object.entries(mapping)) {
    if (!customerAttributes.includes(attribute as CustomerAttribute)) fail(where, `customer_record: unknown attribute "${attribute}"; known: ${customerAttributes.join(', ')}`);
    if (!columns.some((c) => c.name === column)) fail(where, `customer_record: ${attribute} maps to "${String(column)}", which is not a declared column`);
    result[attribute as CustomerAttribute] = String(column);
  }
  if (!result.id) fail(where, 'customer_record needs an id column');
  return result;
}

export function readCatalogueFile(file = defaultCatalogueFile): Catalogue {
  const document = parse(readFileSync(file, 'utf8')) as { sources?: unknown; customer_attribute_masters?: unknown };
  if (!Array.isArray(document?.sources)) fail(file, 'expected a top-level "sources" list');
  const entities: EntitySpec[] = [];
  const sourceNames = new Set<string>();
  for (const source of document.sources as Record<string, unknown>[]) {
    const sourceName = String(source.name ?? '');
    if (!identifier.test(sourceName)) fail(file, `source name "${sourceName}" must be lower_snake_case`);
    if (sourceNames.has(sourceName)) fail(file, `source "${sourceName}" is declared twice`);
    sourceNames.add(sourceName);
    for (const entity of (source.entities ?? []) as Record<string, unknown>[]) {
      const where = `${sourceName}.${String(entity.name)}`;
      if (!identifier.test(String(entity.name))) fail(where, 'entity name must be lower_snake_case');
      const format = String(entity.format) as Format;
      if (!formats.includes(format)) fail(where, `unsupported format "${format}"; supported: ${formats.join(', ')}`);
      if (typeof entity.file !== 'string' || entity.file === '') fail(where, 'needs a file (for postgres: the fallback file)');
      const columns = readColumns(where, entity.columns);
      if (columns.length === 0) fail(where, 'declares no columns');
      const key = ((entity.key ?? []) as unknown[]).map(String);
      if (key.length === 0) fail(where, 'needs a key');
      for (const k of key) if (!columns.some((c) => c.name === k)) fail(where, `key column "${k}" is not declared`);
      const customerRecord = readCustomerRecord(where, entity.customer_record, columns);
      entities.push({
        source: sourceName,
        name: String(entity.name),
        ...(entity.description ? { description: String(entity.description) } : {}),
        file: entity.file,
        format,
        options: readOptions(where, format, entity.options),
        key,
        columns,
        ...(customerRecord ? { customerRecord } : {}),
      });
    }
  }
  const attributeMasters: Record<string, string[]> = {};
  for (const [attribute, ranked] of Object.entries((document.customer_attribute_masters ?? {}) as Record<string, unknown>)) {
    if (!Array.isArray(ranked)) fail(file, `customer_attribute_masters.${attribute} must be a list of sources`);
    for (const source of ranked) if (!sourceNames.has(String(source))) fail(file, `customer_attribute_masters.${attribute} names unknown source "${String(source)}"`);
    attributeMasters[attribute] = ranked.map(String);
  }
  return { entities, attributeMasters };
}

/** The entities of the catalogue (most callers need only these). */
export function readCatalogue(file = defaultCatalogueFile): EntitySpec[] {
  return readCatalogueFile(file).entities;
}

export function rawTableName(entity: Pick<EntitySpec, 'source' | 'name'>): string {
  return `raw.${entity.source}__${entity.name}`;
}

export function entityName(entity: Pick<EntitySpec, 'source' | 'name'>): string {
  return `${entity.source}.${entity.name}`;
}
