// The real people and companies of the sample company, before any system has written
// them down. Each source system then records a person in its own way (see history/);
// the ground truth keeps which records are whose.
import { companyKinds, companyStems, emailProviders, firstNames, handleWords, lastNames, legalForms, places, streets } from './finnish-data.ts';
import { emailPart } from './noise.ts';
import type { SeededRandom } from './random.ts';

/** The nature of the relationship (Mäntyneva): drives how the person buys and is served. */
export type RelationshipType = 'transaction' | 'contract' | 'preference' | 'partner';

export interface Person {
  personId: string;
  index: number;
  isBusiness: boolean;
  relationshipType: RelationshipType;
  /** A prospect is known to the CRM (and maybe the newsletter) but has never bought. */
  isProspect: boolean;
  firstName: string;
  lastName: string;
  companyName: string | null;
  businessId: string | null;
  email: string;
  /** A newer e-mail the person moved to during the history (new provider), or null. */
  newEmail: string | null;
  /** National significant number, e.g. "401234567". */
  phone: string;
  newPhone: string | null;
  street: string;
  postalCode: string;
  city: string;
  region: string;
  /** Month slot of the history when the person became known (may be negative: before it). */
  joinSlot: number;
  joinDay: number;
  /** Months the person keeps buying after joining; fewer than the history for those who drift away. */
  activeMonths: number;
  socialHandle: string | null;
}

/** Finnish business id (Y-tunnus) with its check digit: weights 7,9,10,5,8,4,2, mod 11; remainder 1 is never issued. */
export function businessIdFor(serial: number): string | null {
  const digits = String(1000000 + (serial % 8999999)).padStart(7, '0');
  const weights = [7, 9, 10, 5, 8, 4, 2];
  const remainder = digits.split('').reduce((sum, d, i) => sum + Number(d) * weights[i]!, 0) % 11;
  if (remainder === 1) return null;
  return `${digits}-${remainder === 0 ? 0 : 11 - remainder}`;
}

function pickRelationship(rng: SeededRandom, isBusiness: boolean): RelationshipType {
  return isBusiness
    ? rng.weighted([['contract', 35], ['partner', 10], ['preference', 25], ['transaction', 30]] as const)
    : rng.weighted([['preference', 30], ['transaction', 65], ['contract', 5]] as const);
}

/**
 * E-mail addresses, phone numbers and social handles belong to one person each (a
 * provider never hands out an address twice), so namesakes get a number in theirs, as
 * in life.
 */
export class ContactRegistry {
  private readonly emails = new Set<string>();
  private readonly phones = new Set<string>();
  private readonly handles = new Set<string>();

  email(rng: SeededRandom, local: string, domain: string): string {
    let candidate = rng.chance(0.3) ? `${local}${rng.int(1, 99)}@${domain}` : `${local}@${domain}`;
    while (this.emails.has(candidate)) candidate = `${local}${rng.int(1, 9999)}@${domain}`;
    this.emails.add(candidate);
    return candidate;
  }

  phone(rng: SeededRandom): string {
    let candidate = `4${rng.int(0, 9)}${rng.int(1000000, 9999999)}`;
    while (this.phones.has(candidate)) candidate = `4${rng.int(0, 9)}${rng.int(1000000, 9999999)}`;
    this.phones.add(candidate);
    return candidate;
  }

  /** A handle such as "@VihainenMatti", "@MattiSaunoo" or "@matti_virtanen"; unique across people. */
  handle(rng: SeededRandom, firstName: string, lastName: string): string {
    const word = rng.pick(handleWords);
    const styles = [`${word}${firstName}`, `${firstName}${word}`, `${emailPart(firstName)}_${emailPart(lastName)}`, `${firstName}${lastName[0]}`];
    let candidate = `@${rng.pick(styles)}`;
    while (this.handles.has(candidate.toLowerCase())) candidate = `@${rng.pick(styles)}${rng.int(1, 999)}`;
    this.handles.add(candidate.toLowerCase());
    return candidate;
  }
}

export function makePerson(rng: SeededRandom, contacts: ContactRegistry, index: number, historyMonths: number, household?: Person): Person {
  const isBusiness = household ? false : rng.chance(0.22);
  const firstName = rng.pick(firstNames);
  const lastName = household?.lastName ?? rng.pick(lastNames);
  const place = household ? places.find((p) => p.city === household.city)! : rng.weighted(places.map((p) => [p, p.weight] as const));
  const companyName = isBusiness ? `${rng.pick(companyStems)}${rng.pick(companyKinds).toLowerCase()} ${rng.pick(legalForms)}` : null;
  const domain = isBusiness ? `${emailPart(companyName!.split(' ')[0]!)}.fi` : rng.pick(emailProviders);
  const email = contacts.email(rng, `${emailPart(firstName)}.${emailPart(lastName)}`, domain);
  const phone = contacts.phone(rng);
  let businessId: string | null = null;
  if (isBusiness) for (let tries = 0; businessId === null; tries++) businessId = businessIdFor(index * 7 + tries);
  const joinSlot = rng.int(-12, historyMonths - 1);
  return {
    personId: `P${String(index).padStart(7, '0')}`,
    index,
    isBusiness,
    relationshipType: pickRelationship(rng, isBusiness),
    isProspect: rng.chance(isBusiness ? 0.15 : 0.08),
    firstName,
    lastName,
    companyName,
    businessId,
    email,
    newEmail: rng.chance(0.1) ? contacts.email(rng, `${emailPart(firstName)}.${emailPart(lastName)}`, rng.pick(emailProviders)) : null,
    phone,
    newPhone: rng.chance(0.08) ? contacts.phone(rng) : null,
    street: household?.street ?? `${rng.pick(streets)} ${rng.int(1, 60)}${rng.chance(0.3) ? ` ${rng.pick(['A', 'B', 'C'])} ${rng.int(1, 30)}` : ''}`,
    postalCode: household?.postalCode ?? `${place.postalPrefix}${String(rng.int(10, 99) * 10).padStart(3, '0')}`,
    city: place.city,
    region: place.region,
    joinSlot,
    joinDay: rng.int(1, 28),
    activeMonths: rng.chance(0.35) ? rng.int(1, 18) : historyMonths,
    socialHandle: rng.chance(0.06) ? contacts.handle(rng, firstName, lastName) : null,
  };
}
