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
  /**
   * The column's name in the entity's staging model when staging renames it: a system's
   * own customer number is named after its system there (customer_id ->
   * erp_customer_number), because customer_id means the resolved customer downstream.
   */
  stagedAs?: string;
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
  /** postgres: format of the fallback `file` read when the connection setting is empty. */
  fallback_format?: FileFormat;
  /**
   * csv, ndjson: how many rows that cannot be parsed are set aside before the whole
   * file is refused: a count ("20") or a share of the rows ("1%", the default).
   */
  max_broken_rows?: string;
}

/** Formats a file can have (everything but a live database table). */
export type FileFormat = Exclude<Format, 'postgres'>;
const fileFormats: FileFormat[] = ['csv', 'xlsx', 'json', 'ndjson', 'parquet'];

const optionsByFormat: Record<Format, (keyof EntityOptions)[]> = {
  csv: ['delimiter', 'encoding', 'decimal_separator', 'date_format', 'timestamp_format', 'max_broken_rows'],
  xlsx: ['sheet', 'decimal_separator', 'date_format', 'timestamp_format'],
  json: [],
  ndjson: ['max_broken_rows'],
  parquet: [],
  postgres: ['connection_env', 'table', 'fallback_format'],
};

const entityFields = ['name', 'description', 'file', 'format', 'options', 'key', 'columns', 'customer_record'];
const sourceFields = ['name', 'description', 'entities'];
const columnFields = ['type', 'required', 'values', 'description', 'staged_as'];

/** A misspelt field would otherwise be ignored silently (e.g. `requried: true`). */
function rejectUnknownFields(where: string, what: string, raw: Record<string, unknown>, known: string[]): void {
  const unknown = Object.keys(raw).filter((field) => !known.includes(field));
  if (unknown.length > 0) fail(where, `unknown ${what} field(s) ${unknown.map((f) => `"${f}"`).join(', ')}; known: ${known.join(', ')}`);
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Standard customer attributes an entity's columns can map to (customer_record). */
export const customerAttributes = [
  'id', 'erp_customer_number', 'customer_type', 'company_name', 'first_name', 'last_name', 'email', 'phone',
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
  if (raw === undefined || raw === null) raw = {};
  if (!isMapping(raw)) fail(where, 'options must be a mapping');
  const options = raw;
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
  const fallback = text('fallback_format');
  if (fallback !== undefined && !fileFormats.includes(fallback as FileFormat)) fail(where, `fallback_format must be one of ${fileFormats.join(', ')}, not "${fallback}"`);
  const table = text('table');
  if (table !== undefined && !/^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)?$/.test(table)) fail(where, `table must be "schema.table" or "table", not "${table}"`);
  const maxBroken = text('max_broken_rows');
  if (maxBroken !== undefined && !/^(\d+|\d+(\.\d+)?\s*%)$/.test(maxBroken.trim())) fail(where, `max_broken_rows must be a number of rows (20) or a percentage of the rows (1%), not "${maxBroken}"`);
  for (const pattern of ['date_format', 'timestamp_format']) {
    const value = text(pattern);
    if (value !== undefined && !value.includes('%')) fail(where, `${pattern} must be a strptime pattern such as %d.%m.%Y, not "${value}"`);
  }
  const result: EntityOptions = {};
  for (const name of optionsByFormat[format]) {
    const value = text(name);
    if (value !== undefined) (result as Record<string, string>)[name] = value;
  }
  return result;
}

function readColumns(where: string, raw: unknown): ColumnSpec[] {
  if (raw === undefined || raw === null) return [];
  if (!isMapping(raw)) fail(where, 'columns must be a mapping of column name -> { type, required, values }');
  return Object.entries(raw).map(([name, spec]) => {
    if (!identifier.test(name)) fail(where, `column "${name}" must be lower_snake_case`);
    if (!isMapping(spec)) fail(where, `column "${name}" must be a mapping such as { type: VARCHAR, required: true }`);
    rejectUnknownFields(`${where}.${name}`, 'column', spec, columnFields);
    const type = String(spec.type ?? 'VARCHAR').toUpperCase();
    if (!allowedTypes.test(type)) fail(where, `column "${name}" has unsupported type "${type}"`);
    if (spec.required !== undefined && typeof spec.required !== 'boolean') fail(where, `column "${name}": required must be true or false`);
    if (spec.values !== undefined && (!Array.isArray(spec.values) || spec.values.length === 0)) fail(where, `column "${name}": values must be a non-empty list of codes`);
    const values = spec.values === undefined ? undefined : (spec.values as unknown[]).map(String);
    if (spec.staged_as !== undefined && !identifier.test(String(spec.staged_as))) fail(where, `column "${name}": staged_as must be a lower_snake_case column name, not "${String(spec.staged_as)}"`);
    const stagedAs = spec.staged_as === undefined ? undefined : String(spec.staged_as);
    return { name, type, required: spec.required === true, ...(values ? { values } : {}), ...(stagedAs ? { stagedAs } : {}) };
  });
}

function readCustomerRecord(where: string, raw: unknown, columns: ColumnSpec[]): EntitySpec['customerRecord'] {
  if (raw === undefined) return undefined;
  if (!isMapping(raw)) fail(where, 'customer_record must be a mapping of attribute -> column');
  const mapping = raw;
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
  if (!isMapping(document) || !Array.isArray(document.sources)) fail(file, 'expected a top-level "sources" list');
  rejectUnknownFields(file, 'top-level', document, ['sources', 'customer_attribute_masters']);
  const entities: EntitySpec[] = [];
  const sourceNames = new Set<string>();
  for (const source of document.sources as unknown[]) {
    if (!isMapping(source)) fail(file, 'every entry of "sources" must be a mapping with name and entities');
    const sourceName = String(source.name ?? '');
    if (!identifier.test(sourceName)) fail(file, `source name "${sourceName}" must be lower_snake_case`);
    if (sourceNames.has(sourceName)) fail(file, `source "${sourceName}" is declared twice`);
    sourceNames.add(sourceName);
    rejectUnknownFields(sourceName, 'source', source, sourceFields);
    if (!Array.isArray(source.entities) || source.entities.length === 0) fail(sourceName, 'needs a list of entities');
    for (const entity of source.entities as unknown[]) {
      if (!isMapping(entity)) fail(sourceName, 'every entity must be a mapping');
      const where = `${sourceName}.${String(entity.name)}`;
      if (!identifier.test(String(entity.name))) fail(where, 'entity name must be lower_snake_case');
      if (entities.some((e) => e.source === sourceName && e.name === entity.name)) fail(where, 'entity is declared twice');
      rejectUnknownFields(where, 'entity', entity, entityFields);
      const format = String(entity.format) as Format;
      if (!formats.includes(format)) fail(where, `unsupported format "${format}"; supported: ${formats.join(', ')}`);
      if (typeof entity.file !== 'string' || entity.file === '') fail(where, 'needs a file (for postgres: the fallback file)');
      const columns = readColumns(where, entity.columns);
      if (columns.length === 0) fail(where, 'declares no columns');
      if (entity.key !== undefined && !Array.isArray(entity.key)) fail(where, 'key must be a list of columns, e.g. [customer_id]');
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
  const masters = document.customer_attribute_masters ?? {};
  if (!isMapping(masters)) fail(file, 'customer_attribute_masters must be a mapping of attribute -> [sources, best first]');
  for (const [attribute, ranked] of Object.entries(masters)) {
    if (!Array.isArray(ranked)) fail(file, `customer_attribute_masters.${attribute} must be a list of sources`);
    for (const source of ranked) {
      const where = `customer_attribute_masters.${attribute}`;
      if (!sourceNames.has(String(source))) fail(file, `${where} names unknown source "${String(source)}"`);
      // Identity resolution ranks customer records; a source without any would never win.
      if (!entities.some((e) => e.source === String(source) && e.customerRecord)) fail(file, `${where} names source "${String(source)}", which has no entity with a customer_record`);
      if (ranked.filter((other) => other === source).length > 1) fail(file, `${where} names source "${String(source)}" twice`);
    }
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
