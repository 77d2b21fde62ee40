// The partner network database: partners (resellers, installers, travel agencies,
// suppliers, cooperation partners; some are the company's customers themselves),
// customers a partner shares with the company, and referrals: good customers and
// partners bring their friends, who become customers or stay an e-mail address.
import { day } from '../calendar.ts';
import { companyStems, emailProviders, firstNames, lastNames, partnerKinds } from '../finnish-data.ts';
import { emailPart } from '../noise.ts';
import type { ContactRegistry, Person } from '../persons.ts';
import type { HistoryContext } from './context.ts';

interface Partner {
  id: string;
  joined: Date;
}

interface Referrer {
  erpId: string;
  joined: Date;
  partnerId: string | null;
}

/** Referrers are drawn from the latest customers, so memory stays flat at any size. */
const referrerPoolSize = 5000;

export class PartnerNetwork {
  private readonly partners: Partner[] = [];
  private readonly referrers: Referrer[] = [];
  private nextReferrerSlot = 0;

  constructor(
    private readonly ctx: HistoryContext,
    private readonly contacts: ContactRegistry,
  ) {}

  /** Partner firms that are not customers themselves. */
  writeStandalonePartners(count: number): void {
    const { rng, calendar } = this.ctx;
    for (let i = 0; i < count; i++) {
      const [label, kind] = rng.pick(partnerKinds);
      this.addPartner(`${rng.pick(companyStems)} ${label} Oy`, kind, null, calendar.date(rng.int(-12, calendar.months - 6), 1));
    }
  }

  private addPartner(name: string, kind: string, erpId: string | null, joined: Date): string {
    const id = this.ctx.nextId('PA', 4);
    this.partners.push({ id, joined });
    this.ctx.emit('network.partners', { partner_id: id, partner_name: name, partner_type: kind, erp_customer_id: erpId, joined_on: day(joined) });
    return id;
  }

  /** A customer and partner: both further each other's business. */
  addCustomerPartner(person: Person, erpId: string, joined: Date): string {
    const { rng, calendar } = this.ctx;
    return this.addPartner(person.companyName!, rng.pick(partnerKinds)[1], erpId, calendar.clampDay(calendar.addDays(joined, rng.int(0, 120))));
  }

  forCustomer(person: Person, erpId: string, joined: Date, partnerId: string | null): void {
    const { rng, calendar } = this.ctx;
    if (this.partners.length > 0 && !partnerId && rng.chance(0.05)) {
      const partner = rng.pick(this.partners);
      const since = new Date(Math.max(partner.joined.getTime(), joined.getTime()));
      this.ctx.emit('network.partner_customers', { partner_id: partner.id, erp_customer_id: erpId, shared_since: day(calendar.clampDay(calendar.addDays(since, rng.int(0, 60)))) });
    }
    if (rng.chance(0.03)) this.referral(joined, erpId, person.email);
    // A friend who was told about the company but never bought: only an e-mail address.
    if (rng.chance(person.relationshipType === 'preference' || partnerId ? 0.03 : 0.005)) {
      const first = rng.pick(firstNames);
      const friend = this.contacts.email(rng, `${emailPart(first)}.${emailPart(rng.pick(lastNames))}`, rng.pick(emailProviders));
      this.referralBy({ erpId, joined, partnerId }, calendar.clampDay(calendar.addDays(joined, rng.int(30, 400))), null, friend);
    }
    if (partnerId || person.relationshipType === 'preference' || rng.chance(0.2)) this.rememberReferrer({ erpId, joined, partnerId });
  }

  /** A prospect who came by referral is known by e-mail only. */
  forProspect(person: Person, joined: Date): void {
    if (this.ctx.rng.chance(0.08)) this.referral(joined, null, person.email);
  }

  private rememberReferrer(referrer: Referrer): void {
    if (this.referrers.length < referrerPoolSize) this.referrers.push(referrer);
    else this.referrers[this.nextReferrerSlot++ % referrerPoolSize] = referrer;
  }

  /** Someone who was a customer before the referred person joined told them about the company. */
  private referral(joined: Date, referredId: string | null, referredEmail: string): void {
    const { rng, calendar } = this.ctx;
    if (this.referrers.length === 0) return;
    const referredOn = calendar.addDays(joined, -rng.int(1, 30));
    const referrer = rng.pick(this.referrers);
    if (referrer.joined.getTime() >= referredOn.getTime()) return;
    this.referralBy(referrer, referredOn, referredId, referredEmail);
  }

  private referralBy(referrer: Referrer, referredOn: Date, referredId: string | null, referredEmail: string): void {
    this.ctx.emit('network.referrals', {
      referral_id: this.ctx.nextId('RF', 7), referrer_customer_id: referrer.erpId, referred_customer_id: referredId, referred_email: referredEmail,
      referred_on: day(referredOn), partner_id: referrer.partnerId,
    });
  }
}
