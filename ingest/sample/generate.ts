// Deterministic sample company: a Finnish sauna and outdoor-living retailer's exports
// from every system the source catalogue names (ERP, billing, CRM, webshop, helpdesk,
// newsletter tool, social listening, partner network), each in the catalogue's format.
// People are generated first; every system then records them its own way, with the
// typos, lost ä's, changed e-mails and duplicates real data has. The ground truth
// (which records are the same person, each person's true relationship type) goes to a
// separate folder the models never read. The same seed and options always give the
// same files, so tests can compute expected figures from them.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { entityName, readCatalogueFile, type EntitySpec } from '../load/catalogue.ts';
import { Calendar } from './calendar.ts';
import { CompanyHistory } from './company-history.ts';
import { GroundTruth } from './ground-truth.ts';
import { ContactRegistry, makePerson, type Person } from './persons.ts';
import { SeededRandom } from './random.ts';
import { openEntityWriter, type EntityWriter } from './writers/entity-writer.ts';
import { writePostgresScript } from './writers/postgres-script.ts';

export interface SampleOptions {
  /** Number of real people and companies (persons); each appears in several systems. */
  customers: number;
  seed: number;
  /** Last day of the generated history (ISO date). */
  asOf: string;
  historyMonths: number;
  outDir: string;
  /** Where the ground truth goes; default: beside outDir, named <outDir>.truth. */
  truthDir?: string;
  /** Called now and then with the number of persons done. */
  onProgress?: (done: number, total: number) => void;
}

export const defaultSampleOptions: Omit<SampleOptions, 'outDir'> = {
  customers: 2000,
  seed: 20261124,
  asOf: '2026-10-31',
  historyMonths: 24,
};

export interface SampleSummary {
  options: Omit<SampleOptions, 'onProgress'>;
  truthDir: string;
  /** File (relative to outDir) -> data rows. */
  files: Record<string, number>;
  /** ERP customer numbers run from C0000001 to this count, without gaps. */
  erpCustomers: number;
  /** Per entity ("source.entity") the file it was written to. */
  entities: Record<string, string>;
}

export function defaultTruthDir(outDir: string): string {
  return join(dirname(outDir), `${basename(outDir)}.truth`);
}

export type Writers = Record<string, EntityWriter>;

export async function generateSampleCompany(options: SampleOptions): Promise<SampleSummary> {
  const { entities } = readCatalogueFile();
  const truthDir = options.truthDir ?? defaultTruthDir(options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  const writers: Writers = Object.fromEntries(entities.map((spec) => [entityName(spec), openEntityWriter(spec, options.outDir)]));
  const truth = new GroundTruth(truthDir);
  const rng = new SeededRandom(options.seed);
  const calendar = new Calendar(options.asOf, options.historyMonths);
  const history = new CompanyHistory(rng, calendar, writers, truth, options.customers);

  history.writeProducts();
  history.writeCampaigns();
  history.writeStandalonePartners();
  const contacts = new ContactRegistry();
  let household: Person | undefined;
  for (let index = 1; index <= options.customers; index++) {
    const person = makePerson(rng, contacts, index, options.historyMonths, household);
    history.recordPerson(person, household);
    // A few consumers share a home (same surname and address) with the next person.
    household = !person.isBusiness && !household && rng.chance(0.04) ? person : undefined;
    if (index % 10_000 === 0) options.onProgress?.(index, options.customers);
  }
  history.writeAnonymousMentions();

  const files: Record<string, number> = {};
  for (const spec of entities) files[spec.file] = await writers[entityName(spec)]!.close();
  writePostgresScript(options.outDir, entities.filter((spec: EntitySpec) => spec.format === 'postgres'));
  truth.close();
  options.onProgress?.(options.customers, options.customers);

  const { onProgress: _progress, ...recorded } = options;
  const summary: SampleSummary = {
    options: { ...recorded, truthDir },
    truthDir,
    files,
    erpCustomers: history.erpCustomerCount,
    entities: Object.fromEntries(entities.map((spec) => [entityName(spec), spec.file])),
  };
  writeFileSync(join(options.outDir, 'manifest.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
