// Everything that happens between the sample company and its customers over the
// history, written through the catalogue writers: how each system records a person
// (with the noise real systems have), orders with returns and cancellations, invoices,
// credit notes and payments, contracts and account plans, the sales pipeline and
// sales activities, helpdesk cases, newsletter campaigns with sends and reactions,
// survey answers, social mentions and the partner network.
import { day, moment, type Calendar } from './calendar.ts';
import {
  caseSubjects, companyStems, handleWords, helpdeskAgents, mentionTexts, monthSeasonality, partnerKinds, productRange,
  salespeople, socialChannels, surveyAnswers, surveyQuestion,
} from './finnish-data.ts';
import type { Writers } from './generate.ts';
import type { GroundTruth } from './ground-truth.ts';
import { foldFinnish, messyEmail, phoneNotation, typo } from './noise.ts';
import type { Person } from './persons.ts';
import type { SeededRandom } from './random.ts';
import type { SampleRecord } from './writers/values.ts';

const pad = (prefix: string, n: number, width: number) => prefix + String(n).padStart(width, '0');
const cents = (amount: number) => Math.round(amount * 100) / 100;
const vatRate = 0.255;

interface Campaign {
  id: string;
  type: 'offer' | 'newsletter' | 'reminder' | 'winback' | 'survey';
  slot: number;
  sentAt: Date;
  linkCount: number;
  /** For a reminder: the offer it reminds of. */
  remindsOf?: string;
}

interface OrderFacts {
  orderId: string;
  orderedOn: Date;
  lines: { lineId: string; productIndex: number; quantity: number; unitPrice: number; discount: number; net: number }[];
}

/** Per-person rates of buying by true relationship type (orders per month before seasonality). */
const monthlyOrderRate = {
  business: { contract: 0.6, partner: 0.5, preference: 0.8, transaction: 0.12 },
  consumer: { contract: 0.2, partner: 0.2, preference: 0.3, transaction: 0.05 },
} as const;

export class CompanyHistory {
  erpCustomerCount = 0;
  private readonly seq = new Map<string, number>();
  private readonly campaigns: Campaign[] = [];
  private readonly partners: string[] = [];
  private readonly recentErpIds: string[] = [];
  private readonly productIds = productRange.map((_, i) => pad('P', i + 1, 3));
  private readonly productCost: number[][] = [];

  constructor(
    private readonly rng: SeededRandom,
    private readonly calendar: Calendar,
    private readonly writers: Writers,
    private readonly truth: GroundTruth,
    private readonly personCount: number,
  ) {}

  private next(kind: string): number {
    const n = (this.seq.get(kind) ?? 0) + 1;
    this.seq.set(kind, n);
    return n;
  }

  private write(entity: string, record: SampleRecord): void {
    const writer = this.writers[entity];
    if (!writer) throw new Error(`the catalogue has no entity ${entity}`);
    writer.write(record);
  }

  /** Products, and their cost history: some costs rise mid-history. */
  writeProducts(): void {
    const start = this.calendar.date(-12, 1);
    productRange.forEach((spec, index) => {
      const startCost = cents(spec.listPrice * spec.costShare);
      const costs = [startCost];
      this.write('erp.product_costs', { product_id: this.productIds[index]!, valid_from: day(start), unit_cost: startCost });
      if (this.rng.chance(0.4)) {
        const slot = this.rng.int(4, this.calendar.slots.length - 4);
        const raised = cents(startCost * (1 + this.rng.int(3, 12) / 100));
        costs.push(raised);
        this.write('erp.product_costs', { product_id: this.productIds[index]!, valid_from: day(this.calendar.date(slot, 1)), unit_cost: raised });
      }
      this.productCost.push(costs);
      this.write('erp.products', {
        product_id: this.productIds[index]!, product_name: spec.name, product_group: spec.group,
        list_price: spec.listPrice, unit_cost: costs[costs.length - 1]!,
      });
    });
  }

  /** Two mailings a month (an offer with a reminder to those who did not open it, and a newsletter), win-backs quarterly, two surveys. */
  writeCampaigns(): void {
    const months = this.calendar.slots.length;
    for (let slot = 0; slot < months; slot++) {
      const add = (type: Campaign['type'], dayOfMonth: number, remindsOf?: string) => {
        const id = pad('CA', this.next('campaign'), 4);
        const sentAt = new Date(this.calendar.date(slot, dayOfMonth).getTime() + 9 * 3_600_000);
        const campaign: Campaign = { id, type, slot, sentAt, linkCount: this.rng.int(1, 5), ...(remindsOf ? { remindsOf } : {}) };
        this.campaigns.push(campaign);
        const slotInfo = this.calendar.slots[slot]!;
        const label = `${slotInfo.year}-${String(slotInfo.month + 1).padStart(2, '0')}`;
        const subjects = {
          offer: `Kuukauden tarjous ${label}`, newsletter: `Saunauutiset ${label}`, reminder: `Muistutus: tarjous päättyy pian`,
          winback: 'Meillä on ollut ikävä sinua', survey: surveyQuestion,
        };
        this.write('newsletter.campaigns', {
          campaign_id: id, campaign_name: `${type} ${label}`, campaign_type: type, subject: subjects[type],
          sent_at: moment(sentAt), link_count: campaign.linkCount,
        });
        return id;
      };
      const offer = add('offer', 5);
      add('reminder', 8, offer);
      add('newsletter', 15);
      if (slot % 3 === 1) add('winback', 20);
      if (slot === 5 || slot === 17) add('survey', 25);
    }
  }

  /** Partner firms that are not customers themselves. */
  writeStandalonePartners(): void {
    const count = Math.max(5, Math.round(this.personCount / 150));
    for (let i = 0; i < count; i++) this.addPartner(`${this.rng.pick(companyStems)} ${this.rng.pick(partnerKinds)[0]} Oy`, null, this.rng.int(-12, 6));
  }

  private addPartner(name: string, erpCustomerId: string | null, joinSlot: number): void {
    const id = pad('PA', this.next('partner'), 4);
    const kind = partnerKinds.find(([label]) => name.includes(label))?.[1] ?? this.rng.pick(partnerKinds)[1];
    this.partners.push(id);
    this.write('network.partners', { partner_id: id, partner_name: name, partner_type: kind, erp_customer_id: erpCustomerId, joined_on: day(this.calendar.date(joinSlot, 1)) });
  }

  recordPerson(person: Person, householdOf?: Person): void {
    const rng = this.rng;
    this.truth.person(person, householdOf);
    const joined = this.calendar.date(person.joinSlot, person.joinDay);
    const erpId = person.isProspect ? null : this.erpCustomer(person, joined);
    const crmId = person.isBusiness || person.isProspect || rng.chance(0.3) ? this.crmContact(person, joined, erpId) : null;
    const webshopId = !person.isProspect && rng.chance(person.isBusiness ? 0.08 : 0.55) ? this.webshopAccount(person, joined) : null;
    const subscriberId = rng.chance(person.isProspect ? 0.4 : 0.5) ? this.subscriber(person, joined) : null;

    const orders = erpId ? this.orders(person, erpId, webshopId) : [];
    if (erpId && person.relationshipType === 'contract' && person.isBusiness) this.contracts(person, erpId);
    if (erpId && person.isBusiness && (person.relationshipType === 'contract' || rng.chance(0.2))) this.accountPlans(person, erpId);
    if (crmId) this.pipeline(person, crmId, orders);
    if (!person.isProspect && rng.chance(0.25)) this.helpdesk(person, orders);
    if (subscriberId) this.newsletter(person, subscriberId, orders);
    if (person.socialHandle) this.mentions(person.socialHandle, person);
    if (erpId) this.network(person, erpId, joined);
  }

  private erpCustomer(person: Person, joined: Date): string {
    const rng = this.rng;
    const id = pad('C', ++this.erpCustomerCount, 7);
    const created = joined;
    this.write('erp.customers', {
      customer_id: id, customer_type: person.isBusiness ? 'business' : 'consumer', company_name: person.companyName,
      business_id: person.businessId, first_name: person.firstName, last_name: person.lastName, email: person.email,
      phone: phoneNotation(rng, person.phone), street_address: person.street, postal_code: person.postalCode, city: person.city,
      region: person.region, created_at: day(created), updated_at: moment(this.calendar.momentOn(rng, created)),
    });
    this.truth.record('erp.customers', id, person);
    // The same customer entered twice in the ERP, later, with the data at hand then.
    if (rng.chance(0.02)) {
      const dupId = pad('C', ++this.erpCustomerCount, 7);
      const later = this.calendar.clamp(this.calendar.addDays(created, rng.int(30, 400)));
      this.write('erp.customers', {
        customer_id: dupId, customer_type: person.isBusiness ? 'business' : 'consumer', company_name: person.companyName,
        business_id: person.businessId, first_name: person.firstName, last_name: rng.chance(0.3) ? typo(rng, person.lastName) : person.lastName,
        email: rng.chance(0.5) && person.newEmail ? person.newEmail : person.email, phone: phoneNotation(rng, person.newPhone ?? person.phone),
        street_address: person.street, postal_code: person.postalCode, city: person.city, region: person.region,
        created_at: day(later), updated_at: moment(this.calendar.momentOn(rng, later)),
      });
      this.truth.record('erp.customers', dupId, person);
      this.recentErpIds.push(dupId);
    }
    this.recentErpIds.push(id);
    if (this.recentErpIds.length > 5000) this.recentErpIds.splice(0, 2500);
    if (person.relationshipType === 'partner' && person.isBusiness) this.addPartner(person.companyName!, id, person.joinSlot);
    return id;
  }

  private crmContact(person: Person, joined: Date, erpId: string | null): string {
    const rng = this.rng;
    const id = pad('K', this.next('crm'), 7);
    const updated = this.calendar.clamp(this.calendar.addDays(joined, rng.int(0, 600)));
    const lastName = rng.chance(0.03) ? typo(rng, person.lastName) : rng.chance(0.05) ? foldFinnish(person.lastName) : person.lastName;
    this.write('crm.contacts', {
      contact_id: id, erp_customer_id: erpId && rng.chance(0.7) ? erpId : null, contact_type: person.isBusiness ? 'business' : 'consumer',
      company_name: person.companyName && rng.chance(0.3) ? person.companyName.replace(/ (Oy|Ab|Ky|Tmi)$/, '') : person.companyName,
      first_name: person.firstName, last_name: lastName, email: person.newEmail ?? person.email,
      phone: phoneNotation(rng, person.newPhone ?? person.phone), street_address: person.street, postal_code: person.postalCode,
      city: person.city, social_handle: person.socialHandle && rng.chance(0.6) ? person.socialHandle : null, owner: rng.pick(salespeople),
      lifecycle_stage: person.isProspect ? rng.pick(['prospect', 'lead'] as const) : person.activeMonths < 12 && rng.chance(0.3) ? 'former' : 'customer',
      created_at: moment(this.calendar.momentOn(rng, joined)), updated_at: moment(this.calendar.momentOn(rng, updated)),
    });
    this.truth.record('crm.contacts', id, person);
    return id;
  }

  private webshopAccount(person: Person, joined: Date): string {
    const rng = this.rng;
    const id = pad('W', this.next('webshop'), 7);
    // The webshop cannot store ä/ö in names for a part of its accounts; a few logins carry a typo.
    const fold = rng.chance(0.25);
    const email = rng.chance(0.04) ? person.email.replace(/^([^@]+)@/, (_, local: string) => `${typo(rng, local)}@`) : person.newEmail && rng.chance(0.3) ? person.newEmail : person.email;
    this.write('webshop.accounts', {
      account_id: id, email, first_name: fold ? foldFinnish(person.firstName) : person.firstName,
      last_name: rng.chance(0.03) ? typo(rng, person.lastName) : fold ? foldFinnish(person.lastName) : person.lastName,
      phone: rng.chance(0.6) ? phoneNotation(rng, person.phone) : null, street_address: person.street, postal_code: person.postalCode,
      city: person.city, marketing_consent: rng.chance(0.6), created_at: moment(this.calendar.momentOn(rng, joined)),
      updated_at: moment(this.calendar.clamp(this.calendar.momentOn(rng, this.calendar.addDays(joined, rng.int(0, 300))))),
    });
    this.truth.record('webshop.accounts', id, person);
    return id;
  }

  private subscriber(person: Person, joined: Date): string {
    const rng = this.rng;
    const id = pad('S', this.next('subscriber'), 7);
    const status = rng.weighted([['subscribed', 90], ['unsubscribed', 8], ['bounced', 2]] as const);
    const named = rng.chance(0.6);
    const subscribed = this.calendar.addDays(joined, rng.int(-30, 60));
    this.write('newsletter.subscribers', {
      subscriber_id: id, email: messyEmail(rng, person.email), first_name: named ? person.firstName : null, last_name: named ? person.lastName : null,
      status, subscribed_at: moment(this.calendar.momentOn(rng, subscribed)),
      updated_at: moment(this.calendar.clamp(this.calendar.momentOn(rng, this.calendar.addDays(subscribed, rng.int(0, 400))))),
    });
    this.truth.record('newsletter.subscribers', id, person);
    return id;
  }

  private orders(person: Person, erpId: string, webshopId: string | null): OrderFacts[] {
    const rng = this.rng;
    const slots = this.calendar.slots;
    const facts: OrderFacts[] = [];
    const rate = monthlyOrderRate[person.isBusiness ? 'business' : 'consumer'][person.relationshipType] * (0.5 + rng.next());
    const discount = person.isBusiness ? rng.pick([0, 5, 10, 15]) : 0;
    const start = Math.max(0, person.joinSlot);
    for (let s = start; s < Math.min(slots.length, start + person.activeMonths); s++) {
      const count = rng.poisson(rate * monthSeasonality[slots[s]!.month]!);
      for (let o = 0; o < count; o++) {
        const orderId = pad('O', this.next('order'), 9);
        const orderedOn = this.calendar.dayIn(rng, s, s === person.joinSlot ? person.joinDay : 1);
        const channel = rng.weighted([['webshop', person.isBusiness ? 2 : 6], ['sales', person.isBusiness ? 5 : 1], ['store', 3]] as const);
        const cancelled = rng.chance(0.03);
        this.write('erp.orders', {
          order_id: orderId, customer_id: erpId, order_date: day(orderedOn), channel, status: cancelled ? 'cancelled' : 'delivered',
          cancelled_at: cancelled ? day(this.calendar.addDays(orderedOn, rng.int(0, 3))) : null,
          webshop_customer_id: channel === 'webshop' && webshopId && rng.chance(0.8) ? webshopId : null,
          salesperson: channel === 'sales' ? rng.pick(salespeople) : null,
        });
        const order: OrderFacts = { orderId, orderedOn, lines: [] };
        const lineCount = rng.weighted([[1, 5], [2, 3], [3, 2], [4, 1]] as const);
        for (let l = 1; l <= lineCount; l++) {
          const productIndex = rng.weighted(productRange.map((p, i) => [i, p.weight] as const));
          const spec = productRange[productIndex]!;
          const quantity = spec.bulk && person.isBusiness ? rng.int(2, 20) : rng.weighted([[1, 8], [2, 2]] as const);
          const lineDiscount = discount || (rng.chance(person.relationshipType === 'transaction' ? 0.3 : 0.1) ? rng.pick([10, 20]) : 0);
          const lineId = pad('L', this.next('line'), 10);
          this.write('erp.order_lines', {
            order_line_id: lineId, order_id: orderId, line_number: l, product_id: this.productIds[productIndex]!, quantity,
            unit_price: spec.listPrice, discount_pct: lineDiscount,
          });
          const net = Math.floor((quantity * Math.round(spec.listPrice * 100) * (100 - lineDiscount) + 50) / 100) / 100;
          order.lines.push({ lineId, productIndex, quantity, unitPrice: spec.listPrice, discount: lineDiscount, net });
        }
        if (!cancelled) {
          this.billOrder(erpId, order);
          facts.push(order);
        }
      }
    }
    return facts;
  }

  /** An invoice per delivered order, payment for most, and returns with their credit notes. */
  private billOrder(erpId: string, order: OrderFacts): void {
    const rng = this.rng;
    const invoiceId = pad('I', this.next('invoice'), 9);
    const invoiced = this.calendar.addDays(order.orderedOn, rng.int(0, 2));
    const net = cents(order.lines.reduce((sum, line) => sum + line.net, 0));
    this.write('billing.invoices', {
      invoice_id: invoiceId, customer_id: erpId, order_id: order.orderId, contract_id: null, invoice_date: day(invoiced),
      due_date: day(this.calendar.addDays(invoiced, 14)), net_amount: net, vat_amount: cents(net * vatRate), currency: 'EUR',
    });
    this.payment(invoiceId, invoiced, cents(net * (1 + vatRate)));
    for (const line of order.lines) {
      if (!rng.chance(0.04)) continue;
      const returnedQuantity = rng.int(1, line.quantity);
      const returned = this.calendar.notAfterEnd(this.calendar.addDays(order.orderedOn, rng.int(3, 40)));
      if (!returned) continue;
      this.write('erp.returns', {
        return_id: pad('R', this.next('return'), 8), order_line_id: line.lineId, returned_on: day(returned), quantity: returnedQuantity,
        reason: rng.pick(['defect', 'wrong_item', 'changed_mind', 'late_delivery', 'other'] as const),
      });
      this.write('billing.credit_notes', {
        credit_note_id: pad('CN', this.next('credit'), 8), invoice_id: invoiceId, customer_id: erpId, order_line_id: line.lineId,
        issued_on: day(this.calendar.addDays(returned, rng.int(0, 5))), net_amount: cents((line.net * returnedQuantity) / line.quantity), reason: 'return',
      });
    }
    if (rng.chance(0.005)) {
      this.write('billing.credit_notes', {
        credit_note_id: pad('CN', this.next('credit'), 8), invoice_id: invoiceId, customer_id: erpId, order_line_id: null,
        issued_on: day(this.calendar.addDays(invoiced, rng.int(5, 30))), net_amount: cents(net * rng.int(5, 10) / 100), reason: 'price_correction',
      });
    }
  }

  private payment(invoiceId: string, invoiced: Date, gross: number): void {
    const rng = this.rng;
    const roll = rng.next();
    if (roll > 0.97) return; // still open
    const paid = this.calendar.notAfterEnd(this.calendar.addDays(invoiced, roll > 0.85 ? rng.int(20, 60) : rng.int(3, 14)));
    if (!paid) return;
    const amount = roll > 0.94 ? cents(gross / 2) : gross;
    this.write('billing.payments', { payment_id: pad('PM', this.next('payment'), 9), invoice_id: invoiceId, paid_on: day(paid), amount });
  }

  private contracts(person: Person, erpId: string): void {
    const rng = this.rng;
    const count = rng.int(1, 2);
    for (let c = 0; c < count; c++) {
      const id = pad('CT', this.next('contract'), 6);
      const startSlot = Math.max(0, person.joinSlot) + rng.int(0, 6);
      if (startSlot >= this.calendar.slots.length) continue;
      const start = this.calendar.date(startSlot, 1);
      const months = rng.pick([12, 24, 36]);
      const annual = rng.int(12, 240) * 100;
      this.write('erp.contracts', {
        contract_id: id, customer_id: erpId, contract_type: rng.pick(['maintenance', 'supply', 'rental', 'framework'] as const),
        start_date: day(start), end_date: rng.chance(0.3) ? null : day(this.calendar.date(startSlot + months, 0)), annual_value: annual,
      });
      // Contract customers are invoiced monthly for the contract.
      for (let s = startSlot; s < Math.min(this.calendar.slots.length, startSlot + months); s++) {
        const invoiceId = pad('I', this.next('invoice'), 9);
        const invoiced = this.calendar.date(s, 1);
        const net = cents(annual / 12);
        this.write('billing.invoices', {
          invoice_id: invoiceId, customer_id: erpId, order_id: null, contract_id: id, invoice_date: day(invoiced),
          due_date: day(this.calendar.addDays(invoiced, 14)), net_amount: net, vat_amount: cents(net * vatRate), currency: 'EUR',
        });
        this.payment(invoiceId, invoiced, cents(net * (1 + vatRate)));
      }
    }
  }

  private accountPlans(person: Person, erpId: string): void {
    const rng = this.rng;
    const lastYear = this.calendar.slots[this.calendar.slots.length - 1]!.year;
    for (const year of [lastYear - 1, lastYear]) {
      if (!rng.chance(0.8)) continue;
      this.write('crm.account_plans', {
        plan_id: pad('AP', this.next('plan'), 6), erp_customer_id: erpId, owner: rng.pick(salespeople), plan_year: year,
        goal: rng.pick(['Kasvattaa ostoja 20 %', 'Huoltosopimuksen jatko', 'Uusi tuoteryhmä käyttöön', 'Säilyttää asiakkuus']),
        target_revenue: rng.int(20, 400) * 100, planned_visits: rng.int(1, 8), starts_on: `${year}-01-01`, ends_on: `${year}-12-31`,
      });
    }
  }

  /** Opportunities through the stages, and the sales activities around them. */
  private pipeline(person: Person, crmId: string, orders: OrderFacts[]): void {
    const rng = this.rng;
    const salesperson = rng.pick(salespeople);
    const opportunities = person.isProspect ? rng.int(1, 2) : person.isBusiness && rng.chance(0.4) ? 1 : 0;
    for (let i = 0; i < opportunities; i++) {
      const won = !person.isProspect && orders[0];
      const stage = won ? 'order' : rng.weighted([['identification', 3], ['marketing', 3], ['offer_negotiation', 2], ['lost', 2]] as const);
      const opened = won ? this.calendar.addDays(won.orderedOn, -rng.int(10, 60)) : this.calendar.dayIn(rng, rng.int(0, this.calendar.slots.length - 1));
      const changed = won ? won.orderedOn : this.calendar.notAfterEnd(this.calendar.addDays(opened, rng.int(0, 60))) ?? opened;
      const id = pad('OP', this.next('opportunity'), 7);
      this.write('crm.opportunities', {
        opportunity_id: id, contact_id: crmId, stage, amount: rng.int(5, 300) * 100, salesperson, opened_on: day(opened),
        stage_changed_on: day(changed), erp_order_id: won ? won.orderId : null,
      });
    }
    if (!person.isBusiness && !person.isProspect) return;
    const start = Math.max(0, person.joinSlot - 2);
    for (let s = start; s < this.calendar.slots.length; s++) {
      const count = rng.poisson(person.relationshipType === 'contract' ? 0.5 : 0.15);
      for (let a = 0; a < count; a++) {
        const type = rng.weighted([['visit', 2], ['call', 4], ['email', 4]] as const);
        this.write('crm.activities', {
          activity_id: pad('AC', this.next('activity'), 8), contact_id: crmId, activity_type: type, salesperson,
          occurred_at: moment(this.calendar.momentOn(rng, this.calendar.dayIn(rng, s))),
          subject: rng.pick(['Tarjouksen läpikäynti', 'Huoltokäynti', 'Uutuustuotteet', 'Sopimuksen jatko', 'Reklamaation selvitys']), opportunity_id: null,
        });
      }
    }
  }

  private helpdesk(person: Person, orders: OrderFacts[]): void {
    const rng = this.rng;
    const id = pad('H', this.next('requester'), 7);
    const since = this.calendar.date(Math.max(0, person.joinSlot), person.joinDay);
    const onlyFirstName = rng.chance(0.1);
    this.write('helpdesk.requesters', {
      requester_id: id, first_name: person.firstName, last_name: onlyFirstName ? null : person.lastName, organization: person.companyName,
      email: rng.chance(0.8) ? (person.newEmail ?? person.email) : person.email, phone: rng.chance(0.5) ? phoneNotation(rng, person.newPhone ?? person.phone) : null,
      created_at: moment(this.calendar.momentOn(rng, since)), updated_at: moment(this.calendar.momentOn(rng, since)),
    });
    this.truth.record('helpdesk.requesters', id, person);
    const cases = 1 + rng.poisson(1);
    for (let c = 0; c < cases; c++) {
      const type = rng.weighted([['inquiry', 4], ['warranty', 2], ['billing', 2], ['complaint', 2]] as const);
      const order = orders.length > 0 && (type === 'warranty' || type === 'complaint') ? rng.pick(orders) : null;
      const openedDay = order ? this.calendar.notAfterEnd(this.calendar.addDays(order.orderedOn, rng.int(2, 60))) : this.calendar.dayIn(rng, rng.int(Math.max(0, person.joinSlot), this.calendar.slots.length - 1));
      if (!openedDay) continue;
      const opened = this.calendar.momentOn(rng, openedDay);
      // Complaints should be answered within 24 hours; a third are not.
      const responseHours = type === 'complaint' ? (rng.chance(0.33) ? rng.int(25, 96) : rng.int(1, 23)) : rng.int(1, 72);
      const responded = this.calendar.notAfterEnd(this.calendar.addHours(opened, responseHours));
      const closed = responded && rng.chance(0.9) ? this.calendar.notAfterEnd(this.calendar.addHours(responded, rng.int(1, 240))) : null;
      this.write('helpdesk.cases', {
        case_id: pad('CS', this.next('case'), 8), requester_id: id, case_type: type,
        channel: rng.weighted([['email', 5], ['phone', 3], ['chat', 2], ['webform', 2], ['social', 1]] as const),
        subject: rng.pick(caseSubjects[type]), erp_order_id: order?.orderId ?? null, handled_by: rng.pick(helpdeskAgents),
        opened_at: moment(opened), first_response_at: responded ? moment(responded) : null, closed_at: closed ? moment(closed) : null,
      });
    }
  }

  /** Sends of every campaign after subscribing, with delivery, opens, clicks and unsubscribes. */
  private newsletter(person: Person, subscriberId: string, orders: OrderFacts[]): void {
    const rng = this.rng;
    const subscribedSlot = Math.max(0, person.joinSlot - 1);
    const openRate = person.relationshipType === 'preference' ? 0.5 : person.relationshipType === 'transaction' ? 0.25 : 0.35;
    const openedOffers = new Set<string>();
    let unsubscribed = false;
    for (const campaign of this.campaigns) {
      if (unsubscribed || campaign.slot < subscribedSlot) continue;
      if (campaign.remindsOf && openedOffers.has(campaign.remindsOf)) continue;
      if (campaign.type === 'winback' && orders.some((o) => campaign.sentAt.getTime() - o.orderedOn.getTime() < 180 * 86_400_000 && o.orderedOn < campaign.sentAt)) continue;
      const sendId = pad('SE', this.next('send'), 10);
      this.write('newsletter.sends', { send_id: sendId, campaign_id: campaign.id, subscriber_id: subscriberId, sent_at: moment(campaign.sentAt) });
      const event = (type: string, at: Date, linkId: string | null = null) =>
        this.write('newsletter.events', { event_id: pad('EV', this.next('event'), 11), send_id: sendId, event_type: type, link_id: linkId, occurred_at: moment(at) });
      if (rng.chance(0.03)) {
        event('bounced', this.calendar.addHours(campaign.sentAt, 0));
        continue;
      }
      event('delivered', campaign.sentAt);
      if (!rng.chance(openRate)) continue;
      const opened = this.calendar.addHours(campaign.sentAt, rng.int(0, 72));
      event('opened', opened);
      if (campaign.type === 'offer') openedOffers.add(campaign.id);
      if (rng.chance(0.3)) {
        const clicks = rng.int(1, campaign.linkCount);
        for (let k = 1; k <= clicks; k++) event('clicked', this.calendar.addHours(opened, 0), `L${rng.int(1, campaign.linkCount)}`);
      }
      if (campaign.type === 'survey' && rng.chance(0.4)) {
        this.write('newsletter.survey_answers', {
          answer_id: pad('SA', this.next('answer'), 8), campaign_id: campaign.id, subscriber_id: subscriberId, question: surveyQuestion,
          answer: rng.pick(surveyAnswers), answered_at: moment(this.calendar.addHours(opened, 1)),
        });
      }
      if (rng.chance(0.005)) {
        event('unsubscribed', this.calendar.addHours(opened, 1));
        unsubscribed = true;
      }
    }
  }

  private mentions(handle: string, person: Person | null): void {
    const rng = this.rng;
    this.truth.handle(handle, person);
    const count = rng.int(1, 6);
    for (let m = 0; m < count; m++) {
      const sentiment = rng.weighted([['positive', 4], ['neutral', 3], ['negative', 3]] as const);
      const campaign = rng.chance(0.15) ? rng.pick(this.campaigns) : null;
      const slot = campaign ? campaign.slot : rng.int(0, this.calendar.slots.length - 1);
      this.write('social.mentions', {
        mention_id: pad('M', this.next('mention'), 8), channel: rng.pick(socialChannels), handle,
        author_name: person && rng.chance(0.5) ? `${person.firstName} ${person.lastName[0]}.` : null, text: rng.pick(mentionTexts[sentiment]),
        sentiment, shares: rng.poisson(2), comments: rng.poisson(3), posted_at: moment(this.calendar.momentOn(rng, this.calendar.dayIn(rng, slot))),
        in_reply_to_campaign_id: campaign?.id ?? null,
      });
    }
  }

  /** Handles of people who are nobody's customer record: these wait for review. */
  writeAnonymousMentions(): void {
    const count = Math.max(3, Math.round(this.personCount / 50));
    for (let i = 0; i < count; i++) this.mentions(`@${this.rng.pick(handleWords)}${this.rng.pick(handleWords)}${this.rng.int(1, 9999)}`, null);
  }

  /** Customers shared with partners, and referrals from earlier customers. */
  private network(person: Person, erpId: string, joined: Date): void {
    const rng = this.rng;
    if (this.partners.length > 0 && rng.chance(0.05)) {
      this.write('network.partner_customers', { partner_id: rng.pick(this.partners), erp_customer_id: erpId, shared_since: day(joined) });
    }
    if (this.recentErpIds.length > 10 && rng.chance(0.03)) {
      const referrer = rng.pick(this.recentErpIds.slice(0, -1));
      this.write('network.referrals', {
        referral_id: pad('RF', this.next('referral'), 7), referrer_customer_id: referrer, referred_customer_id: erpId,
        referred_email: person.email, referred_on: day(this.calendar.addDays(joined, -rng.int(1, 30))), partner_id: null,
      });
    }
  }
}
