// The source catalogue: the real ingest/sources.yml reads with every format, mistakes
// are reported with the entity they concern before any data is touched, and every
// ingest writes the customer_record mappings and master ranks into the warehouse.
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formats, readCatalogueFile } from '../../ingest/load/catalogue.ts';
import { repoRoot } from '../../config/settings.ts';
import { writeCatalogueTables } from '../../ingest/load/bookkeeping.ts';
import { openTestWarehouse, testCatalogue } from './ingest-test-support.ts';

const dir = mkdtempSync(join(tmpdir(), 'asiakkuus-catalogue-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const valid = `
customer_attribute_masters:
  email: [crm]
sources:
  - name: crm
    entities:
      - name: contacts
        file: crm/contacts.csv
        format: csv
        options: { delimiter: ';' }
        key: [contact_id]
        customer_record: { id: contact_id, email: email }
        columns:
          contact_id: { type: VARCHAR, required: true }
          email: { type: VARCHAR }
`;

function read(text: string) {
  const file = join(dir, `catalogue-${Math.random().toString(36).slice(2)}.yml`);
  writeFileSync(file, text);
  return () => readCatalogueFile(file);
}

describe('source catalogue', () => {
  it('reads the real catalogue: every format, customer records and attribute masters', () => {
    const catalogue = readCatalogueFile();
    expect(new Set(catalogue.entities.map((e) => e.format))).toEqual(new Set(formats));
    const contacts = catalogue.entities.find((e) => e.source === 'crm' && e.name === 'contacts')!;
    expect(contacts.options).toEqual({ delimiter: ';', encoding: 'windows-1252', decimal_separator: ',', date_format: '%d.%m.%Y', timestamp_format: '%d.%m.%Y %H:%M' });
    expect(contacts.customerRecord).toMatchObject({ id: 'contact_id', email: 'email', erp_customer_number: 'erp_customer_id' });
    expect(catalogue.attributeMasters.email).toEqual(['crm', 'webshop', 'erp', 'newsletter', 'helpdesk']);
    expect(read(valid)().entities[0]).toMatchObject({ source: 'crm', name: 'contacts', options: { delimiter: ';' } });
  });

  it.each([
    ['an option of another format', valid.replace("{ delimiter: ';' }", '{ sheet: Tilaajat }'), /crm\.contacts: option "sheet" does not apply to format csv; allowed: delimiter, encoding/],
    ['an unknown encoding', valid.replace("{ delimiter: ';' }", '{ encoding: latin-9 }'), /crm\.contacts: encoding must be utf-8 or windows-1252/],
    ['a date format that is no pattern', valid.replace("{ delimiter: ';' }", "{ date_format: 'dd.mm.yyyy' }"), /crm\.contacts: date_format must be a strptime pattern/],
    ['a broken-row limit that is neither a count nor a share', valid.replace("{ delimiter: ';' }", "{ max_broken_rows: 'few' }"), /crm\.contacts: max_broken_rows must be a number of rows \(20\) or a percentage of the rows \(1%\), not "few"/],
    ['a misspelt column field', valid.replace('required: true', 'requried: true'), /crm\.contacts\.contact_id: unknown column field\(s\) "requried"/],
    ['a misspelt entity field', valid.replace('key: [contact_id]', 'keys: [contact_id]'), /crm\.contacts: unknown entity field\(s\) "keys"/],
    ['an unsupported type', valid.replace('email: { type: VARCHAR }', 'email: { type: TEXT }'), /crm\.contacts: column "email" has unsupported type "TEXT"/],
    ['a key column that is not declared', valid.replace('key: [contact_id]', 'key: [id]'), /crm\.contacts: key column "id" is not declared/],
    ['a customer_record column that does not exist', valid.replace('email: email }', 'email: e_mail }'), /crm\.contacts: customer_record: email maps to "e_mail", which is not a declared column/],
    ['a staged_as that is no column name', valid.replace('contact_id: { type: VARCHAR, required: true }', "contact_id: { type: VARCHAR, required: true, staged_as: 'Contact Id' }"), /crm\.contacts: column "contact_id": staged_as must be a lower_snake_case column name, not "Contact Id"/],
    ['a customer_record without id', valid.replace('{ id: contact_id, email: email }', '{ email: email }'), /crm\.contacts: customer_record needs an id column/],
    ['an unknown customer attribute', valid.replace('{ id: contact_id,', '{ id: contact_id, shoe_size: email,'), /crm\.contacts: customer_record: unknown attribute "shoe_size"/],
    ['a master source that does not exist', valid.replace('email: [crm]', 'email: [crm, erp]'), /customer_attribute_masters\.email names unknown source "erp"/],
    ['a postgres entity without table', valid.replace('format: csv', 'format: postgres').replace("{ delimiter: ';' }", '{ connection_env: DB_URL }'), /crm\.contacts: postgres entities need options connection_env and table/],
    ['a fallback format that is not a file format', valid.replace('format: csv', 'format: postgres').replace("{ delimiter: ';' }", '{ connection_env: DB_URL, table: crm.contacts, fallback_format: postgres }'), /crm\.contacts: fallback_format must be one of csv, xlsx, json, ndjson, parquet/],
    ['an unsupported format', valid.replace('format: csv', 'format: xml'), /crm\.contacts: unsupported format "xml"/],
  ])('refuses %s, naming the entity', (_what, text, message) => {
    expect(read(text)).toThrow(message);
  });

  it('accepts a postgres entity with its fallback format', () => {
    const text = valid.replace('format: csv', 'format: postgres').replace("{ delimiter: ';' }", '{ connection_env: DB_URL, table: crm.contacts, fallback_format: parquet }');
    expect(read(text)().entities[0]!.options).toEqual({ connection_env: 'DB_URL', table: 'crm.contacts', fallback_format: 'parquet' });
  });

  it('writes the customer_record mappings and master ranks into the warehouse', async () => {
    const warehouse = await openTestWarehouse();
    try {
      await writeCatalogueTables(warehouse.connection, testCatalogue);
      await writeCatalogueTables(warehouse.connection, testCatalogue);
      // staging_column is what int_customer_records reads: the catalogue's staged_as
      // (shop.customers.customer_id is staged as shop_customer_number), else the column.
      expect(await warehouse.rows('SELECT source, entity, attribute, column_name, staging_column FROM raw.catalogue_customer_records ORDER BY ALL')).toEqual([
        { source: 'shop', entity: 'customers', attribute: 'city', column_name: 'city', staging_column: 'city' },
        { source: 'shop', entity: 'customers', attribute: 'email', column_name: 'email', staging_column: 'email' },
        { source: 'shop', entity: 'customers', attribute: 'first_name', column_name: 'first_name', staging_column: 'first_name' },
        { source: 'shop', entity: 'customers', attribute: 'id', column_name: 'customer_id', staging_column: 'shop_customer_number' },
        { source: 'shop', entity: 'customers', attribute: 'last_name', column_name: 'last_name', staging_column: 'last_name' },
        { source: 'web', entity: 'accounts', attribute: 'email', column_name: 'email', staging_column: 'email' },
        { source: 'web', entity: 'accounts', attribute: 'id', column_name: 'account_id', staging_column: 'account_id' },
      ]);
      expect(await warehouse.rows('SELECT attribute, source, rank FROM raw.catalogue_attribute_masters ORDER BY ALL')).toEqual([
        { attribute: 'email', source: 'shop', rank: 1 },
        { attribute: 'email', source: 'web', rank: 2 },
      ]);
    } finally {
      warehouse.close();
    }
  });
});

describe('staged_as in the real catalogue', () => {
  // int_customer_records reads a customer attribute under its staged_as name, so the
  // staging model must give the column that name.
  it.each(readCatalogueFile().entities.flatMap((entity) => entity.columns.filter((c) => c.stagedAs).map((c) => [`${entity.source}.${entity.name}.${c.name}`, entity, c] as const)))(
    '%s: the staging model renames it as declared',
    (_name, entity, column) => {
      // The entity's staging model, or the model of all its versions it is read from.
      const folder = join(repoRoot, 'models/models/staging', entity.source);
      const models = readdirSync(folder).filter((file) => file.startsWith(`stg_${entity.source}__${entity.name}`) && file.endsWith('.sql'));
      const sql = models.map((file) => readFileSync(join(folder, file), 'utf8')).join('\n');
      expect(sql).toMatch(new RegExp(`\\b${column.name} as ${column.stagedAs}\\b`));
    },
  );
});
