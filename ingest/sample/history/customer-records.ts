// How each system writes the same person down, with the differences real systems have:
// the ERP is the master with customer numbers (and a few customers entered twice), the
// CRM has the newest e-mail and phone and often, not always, the ERP number; the webshop
// loses ä and ö for part of its accounts; the helpdesk knows a first name and the
// organisation; the newsletter list has whatever e-mail was typed into the form.
// Every record is entered in the ground truth under its person.
import { moment, day } from '../calendar.ts';
import { companyNameVariant, foldFinnish, messyEmail, phoneNotation, typo } from '../noise.ts';
import type { Person } from '../persons.ts';
import type { HistoryContext } from './context.ts';

export type LifecycleStage = 'prospect' | 'lead' | 'customer' | 'former';

export class CustomerRecords {
  constructor(private readonly ctx: HistoryContext) {}

  /** The ERP customer; returns its customer number (a duplicate, if entered, gets another). */
  erpCustomer(person: Person, joined: Date): string {
    const { rng, calendar } = this.ctx;
    const id = this.ctx.nextId('C', 7);
    this.ctx.emit('erp.customers', {
      customer_id: id, customer_type: person.isBusiness ? 'business' : 'consumer', company_name: person.companyName, business_id: person.businessId,
      first_name: person.firstName, last_name: person.lastName, email: person.email, phone: phoneNotation(rng, person.phone), street_address: person.street,
      postal_code: person.postalCode, city: person.city, region: person.region, created_at: day(joined), updated_at: moment(calendar.momentOn(rng, joined)),
    });
    this.ctx.truth.record('erp.customers', id, person);
    // The same customer entered again later, with the data at hand then.
    if (rng.chance(0.02)) {
      const dupId = this.ctx.nextId('C', 7);
      const later = calendar.clampDay(calendar.addDays(joined, rng.int(30, 400)));
      this.ctx.emit('erp.customers', {
        customer_id: dupId, customer_type: person.isBusiness ? 'business' : 'consumer', company_name: person.companyName, business_id: person.businessId,
        first_name: person.firstName, last_name: rng.chance(0.3) ? typo(rng, person.lastName) : person.lastName,
        email: rng.chance(0.5) && person.newEmail ? person.newEmail : person.email, phone: phoneNotation(rng, person.newPhone ?? person.phone),
        street_address: person.street, postal_code: person.postalCode, city: person.city, region: person.region,
        created_at: day(later), updated_at: moment(calendar.momentOn(rng, later)),
      });
      this.ctx.truth.record('erp.customers', dupId, person);
    }
    return id;
  }

  crmContact(person: Person, joined: Date, erpId: string | null, owner: string, stage: LifecycleStage): string {
    const { rng, calendar } = this.ctx;
    const id = this.ctx.nextId('K', 7);
    const updated = calendar.clampDay(calendar.addDays(joined, rng.int(0, 600)));
    const lastName = rng.chance(0.03) ? typo(rng, person.lastName) : rng.chance(0.05) ? foldFinnish(person.lastName) : person.lastName;
    this.ctx.emit('crm.contacts', {
      contact_id: id, erp_customer_id: erpId && rng.chance(0.7) ? erpId : null, contact_type: person.isBusiness ? 'business' : 'consumer',
      company_name: person.companyName && companyNameVariant(rng, person.companyName, 0.25), first_name: person.firstName, last_name: lastName,
      email: messyEmail(rng, person.newEmail ?? person.email, 0.2), phone: phoneNotation(rng, person.newPhone ?? person.phone), street_address: person.street,
      postal_code: person.postalCode, city: person.city, social_handle: person.socialHandle && rng.chance(0.6) ? person.socialHandle : null, owner,
      lifecycle_stage: stage, created_at: moment(calendar.momentOn(rng, joined)), updated_at: moment(calendar.momentOn(rng, updated)),
    });
    this.ctx.truth.record('crm.contacts', id, person);
    return id;
  }

  webshopAccount(person: Person, joined: Date): string {
    const { rng, calendar } = this.ctx;
    const id = this.ctx.nextId('W', 7);
    // The webshop cannot store ä/ö in names for a part of its accounts; a few logins carry a typo.
    const fold = rng.chance(0.25);
    const email = rng.chance(0.04)
      ? person.email.replace(/^([^@]+)@/, (_, local: string) => `${typo(rng, local)}@`)
      : person.newEmail && rng.chance(0.3) ? person.newEmail : person.email;
    this.ctx.emit('webshop.accounts', {
      account_id: id, email, first_name: fold ? foldFinnish(person.firstName) : person.firstName,
      last_name: rng.chance(0.03) ? typo(rng, person.lastName) : fold ? foldFinnish(person.lastName) : person.lastName,
      phone: rng.chance(0.6) ? phoneNotation(rng, person.phone) : null, street_address: person.street, postal_code: person.postalCode, city: person.city,
      marketing_consent: rng.chance(0.6), created_at: moment(calendar.momentOn(rng, joined)),
      updated_at: moment(calendar.momentOn(rng, calendar.clampDay(calendar.addDays(joined, rng.int(1, 300))))),
    });
    this.ctx.truth.record('webshop.accounts', id, person);
    return id;
  }

  helpdeskRequester(person: Person, id: string, createdAt: Date, updatedAt: Date): void {
    const { rng } = this.ctx;
    const onlyFirstName = rng.chance(0.1);
    this.ctx.emit('helpdesk.requesters', {
      requester_id: id, first_name: person.firstName, last_name: onlyFirstName ? null : person.lastName,
      organization: person.companyName && companyNameVariant(rng, person.companyName, 0.3),
      email: messyEmail(rng, rng.chance(0.8) ? (person.newEmail ?? person.email) : person.email, 0.2),
      phone: rng.chance(0.5) ? phoneNotation(rng, person.newPhone ?? person.phone) : null, created_at: moment(createdAt), updated_at: moment(updatedAt),
    });
    this.ctx.truth.record('helpdesk.requesters', id, person);
  }

  newsletterSubscriber(person: Person, id: string, status: string, subscribedAt: Date, updatedAt: Date): void {
    const { rng } = this.ctx;
    const named = rng.chance(0.6);
    this.ctx.emit('newsletter.subscribers', {
      subscriber_id: id, email: messyEmail(rng, person.newEmail && rng.chance(0.2) ? person.newEmail : person.email),
      first_name: named ? person.firstName : null, last_name: named ? person.lastName : null, status,
      subscribed_at: moment(subscribedAt), updated_at: moment(updatedAt),
    });
    this.ctx.truth.record('newsletter.subscribers', id, person);
  }
}
