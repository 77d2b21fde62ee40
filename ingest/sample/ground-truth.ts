// What the sample company really is, for tests and the benchmark only: which source
// records are the same person, each person's true relationship type, and whose each
// social handle is. The models never read this folder.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Person } from './persons.ts';
import { TextWriter } from './writers/text-writer.ts';

const readme = `# Ground truth of the generated sample company

Written by the sample generator beside the source exports; the models never read it.

- customer_records.csv: source, entity, record_id, person_id - every customer record in
  every system (erp.customers, crm.contacts, webshop.accounts, helpdesk.requesters,
  newsletter.subscribers) and the real person or company it belongs to. Records with
  the same person_id are the same customer.
- persons.csv: person_id, is_business, relationship_type (transaction, contract,
  preference, partner), is_prospect, household_of (person sharing the home, if any).
- social_handles.csv: handle, person_id (empty for handles of people who are not
  customers).
`;

export class GroundTruth {
  private readonly records: TextWriter;
  private readonly persons: TextWriter;
  private readonly handles: TextWriter;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'README.md'), readme);
    this.records = new TextWriter(join(dir, 'customer_records.csv'));
    this.records.write('source,entity,record_id,person_id\n');
    this.persons = new TextWriter(join(dir, 'persons.csv'));
    this.persons.write('person_id,is_business,relationship_type,is_prospect,household_of\n');
    this.handles = new TextWriter(join(dir, 'social_handles.csv'));
    this.handles.write('handle,person_id\n');
  }

  record(entity: string, recordId: string, person: Person): void {
    const [source, name] = entity.split('.');
    this.records.write(`${source},${name},${recordId},${person.personId}\n`);
  }

  person(person: Person, householdOf: Person | undefined): void {
    this.persons.write(`${person.personId},${person.isBusiness},${person.relationshipType},${person.isProspect},${householdOf?.personId ?? ''}\n`);
  }

  handle(handle: string, person: Person | null): void {
    this.handles.write(`${handle},${person?.personId ?? ''}\n`);
  }

  close(): void {
    this.records.close();
    this.persons.close();
    this.handles.close();
  }
}
