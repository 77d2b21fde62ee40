// What the sample company really is, for tests and the benchmark only: which source
// records are the same person, each person's true relationship type, and whose each
// social handle is. The models never read this folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EntitySpec } from '../load/catalogue.ts';
import type { Person } from './persons.ts';
import { openCsvWriter } from './writers/csv.ts';
import type { EntityWriter } from './writers/entity-writer.ts';

const readme = `# Ground truth of the generated sample company

Written by the sample generator beside the source exports (for tests and the benchmark);
the models never read it. All files are UTF-8 CSV with a header row.

- customer_records.csv: source, entity, record_id, person_id. Every customer record in
  every system (erp.customers, crm.contacts, webshop.accounts, helpdesk.requesters,
  newsletter.subscribers) and the real person or company it belongs to. Records with
  the same person_id are the same customer, however different their data (typos, lost
  ä/ö, old and new e-mails and phones, company names with and without legal form). A
  few persons have two ERP customer numbers (duplicates inside the ERP).
- persons.csv: one row per real person or company, as they really are before any system
  wrote them down: person_id, relationship_type (transaction, contract, preference,
  partner: the nature of the relationship, which drives behaviour), is_business,
  is_prospect (known to the CRM or newsletter, never bought), household_of (person_id of
  the person sharing the home: same surname and address, a different person),
  first_name, last_name, company_name, business_id, email, new_email (the address the
  person moved to, if any), phone, new_phone (national significant number), city,
  social_handle, joined_on (first day the company knew the person).
- social_handles.csv: handle, person_id. Every handle in social/mentions.ndjson; an
  empty person_id means the handle belongs to nobody among the customers.
`;

function truthFile(name: string, columns: string[]): EntitySpec {
  return { source: 'truth', name, file: `${name}.csv`, format: 'csv', options: {}, key: [], columns: columns.map((c) => ({ name: c, type: 'VARCHAR', required: false })) };
}

const files = {
  records: truthFile('customer_records', ['source', 'entity', 'record_id', 'person_id']),
  persons: truthFile('persons', [
    'person_id', 'relationship_type', 'is_business', 'is_prospect', 'household_of', 'first_name', 'last_name', 'company_name', 'business_id',
    'email', 'new_email', 'phone', 'new_phone', 'city', 'social_handle', 'joined_on',
  ]),
  handles: truthFile('social_handles', ['handle', 'person_id']),
};

export class GroundTruth {
  private readonly records: EntityWriter;
  private readonly persons: EntityWriter;
  private readonly handles: EntityWriter;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'README.md'), readme);
    this.records = openCsvWriter(files.records, join(dir, files.records.file), {});
    this.persons = openCsvWriter(files.persons, join(dir, files.persons.file), {});
    this.handles = openCsvWriter(files.handles, join(dir, files.handles.file), {});
  }

  /** A record of `entity` ("source.entity") with id `recordId` belongs to the person. */
  record(entity: string, recordId: string, person: Person): void {
    const dot = entity.indexOf('.');
    this.records.write({ source: entity.slice(0, dot), entity: entity.slice(dot + 1), record_id: recordId, person_id: person.personId });
  }

  person(person: Person, householdOf: Person | undefined, joinedOn: string): void {
    this.persons.write({
      person_id: person.personId, relationship_type: person.relationshipType, is_business: person.isBusiness, is_prospect: person.isProspect,
      household_of: householdOf?.personId ?? null, first_name: person.firstName, last_name: person.lastName, company_name: person.companyName,
      business_id: person.businessId, email: person.email, new_email: person.newEmail, phone: person.phone, new_phone: person.newPhone,
      city: person.city, social_handle: person.socialHandle, joined_on: joinedOn,
    });
  }

  handle(handle: string, person: Person | null): void {
    this.handles.write({ handle, person_id: person?.personId ?? null });
  }

  async close(): Promise<void> {
    await Promise.all([this.records.close(), this.persons.close(), this.handles.close()]);
  }
}
