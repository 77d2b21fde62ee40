// Deterministic sample company: a Finnish sauna and outdoor-living retailer's exports
// from every system the source catalogue names (ERP, billing, CRM, webshop, helpdesk,
// newsletter tool, social listening, partner network), each in the catalogue's format.
// People are generated first; every system then records them its own way, with the
// typos, lost ä's, changed e-mails and duplicates real data has. The ground truth
// (which records are the same person, each person's true relationship type) goes to a
// separate folder the models never read. The same seed and options always give the
// same bytes, so tests can compute expected figures from them. Every writer streams, so
// a million customers fit in memory.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { entityName, readCatalogueFile } from '../load/catalogue.ts';
import { Calendar } from './calendar.ts';
import { GroundTruth } from './ground-truth.ts';
import { Billing } from './history/billing.ts';
import { HistoryContext, type Writers } from './history/context.ts';
import { Contracts } from './history/contracts.ts';
import { CustomerRecords } from './history/customer-records.ts';
import { Helpdesk } from './history/helpdesk.ts';
import { PartnerNetwork } from './history/network.ts';
import { Newsletter } from './history/newsletter.ts';
import { Orders } from './history/orders.ts';
import { PersonHistory } from './history/person-history.ts';
import { Products } from './history/products.ts';
import { SalesPipeline } from './history/sales.ts';
import { SocialMentions } from './history/social.ts';
import { ContactRegistry, makePerson, type Person } from './persons.ts';
import { SeededRandom } from './random.ts';
import { openEntityWriter } from './writers/entity-writer.ts';
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
  /** Called now and then with the number of persons done and what is being done (finishing files takes a while at large sizes). */
  onProgress?: (done: number, total: number, step: string) => void;
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

/** The moment the exports were taken: the end of the as-of day. */
export function exportTime(asOf: string): Date {
  return new Date(`${asOf}T23:59:00Z`);
}

/** Persons between turns of the event loop, so the Excel writers' zip streams drain as rows arrive. */
const personsPerTurn = 2000;

export async function generateSampleCompany(options: SampleOptions): Promise<SampleSummary> {
  const { entities } = readCatalogueFile();
  const truthDir = options.truthDir ?? defaultTruthDir(options.outDir);
  mkdirSync(options.outDir, { recursive: true });
  const exportedAt = exportTime(options.asOf);
  const writers: Writers = Object.fromEntries(entities.map((spec) => [entityName(spec), openEntityWriter(spec, options.outDir, { exportedAt })]));
  const truth = new GroundTruth(truthDir);
  const rng = new SeededRandom(options.seed);
  const ctx = new HistoryContext(rng, new Calendar(options.asOf, options.historyMonths), writers, truth);
  const contacts = new ContactRegistry();

  const billing = new Billing(ctx);
  const products = new Products(ctx);
  const records = new CustomerRecords(ctx);
  const newsletter = new Newsletter(ctx, records);
  const social = new SocialMentions(ctx, newsletter.campaigns);
  const network = new PartnerNetwork(ctx, contacts);
  const history = new PersonHistory(ctx, {
    records,
    orders: new Orders(ctx, products, billing),
    contracts: new Contracts(ctx, billing),
    sales: new SalesPipeline(ctx),
    helpdesk: new Helpdesk(ctx, records, billing),
    newsletter,
    social,
    network,
  });

  products.write();
  newsletter.writeCampaigns();
  network.writeStandalonePartners(Math.max(5, Math.round(options.customers / 150)));
  let household: Person | undefined;
  for (let index = 1; index <= options.customers; index++) {
    const person = makePerson(rng, contacts, index, options.historyMonths, household);
    history.record(person, household);
    // A few consumers share a home (same surname and address) with the next person.
    household = !person.isBusiness && !household && rng.chance(0.04) ? person : undefined;
    if (index % personsPerTurn === 0) {
      options.onProgress?.(index, options.customers, 'persons');
      await nextTurn();
    }
  }
  social.writeAnonymous(Math.max(3, Math.round(options.customers / 50)), contacts);

  const files: Record<string, number> = {};
  for (const spec of entities) {
    options.onProgress?.(options.customers, options.customers, `finishing ${spec.file}`);
    files[spec.file] = await writers[entityName(spec)]!.close();
  }
  writePostgresScript(options.outDir, entities.filter((spec) => spec.format === 'postgres'));
  await truth.close();
  options.onProgress?.(options.customers, options.customers, 'done');

  const { onProgress: _progress, ...recorded } = options;
  const summary: SampleSummary = {
    options: { ...recorded, truthDir },
    truthDir,
    files,
    erpCustomers: ctx.issued('C'),
    entities: Object.fromEntries(entities.map((spec) => [entityName(spec), spec.file])),
  };
  writeFileSync(join(options.outDir, 'manifest.json'), JSON.stringify(summary, null, 2) + '\n');
  return summary;
}
