// One real person's (or company's) whole history with the sample company: which
// systems know them and how, what they bought and under which contracts, who in sales
// and support dealt with them, how they reacted to the newsletter, what they posted
// and whom they referred. Each part lives in its own module; this one decides the
// order and who is in which system.
import { day } from '../calendar.ts';
import { salespeople } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { HistoryContext, OrderFacts } from './context.ts';
import type { ContractFacts, Contracts } from './contracts.ts';
import type { CustomerRecords, LifecycleStage } from './customer-records.ts';
import type { Helpdesk } from './helpdesk.ts';
import type { PartnerNetwork } from './network.ts';
import type { Newsletter } from './newsletter.ts';
import type { Orders } from './orders.ts';
import type { SalesPipeline } from './sales.ts';
import type { SocialMentions } from './social.ts';

export interface HistoryParts {
  records: CustomerRecords;
  orders: Orders;
  contracts: Contracts;
  sales: SalesPipeline;
  helpdesk: Helpdesk;
  newsletter: Newsletter;
  social: SocialMentions;
  network: PartnerNetwork;
}

const yearMs = 365 * 86_400_000;

export class PersonHistory {
  constructor(
    private readonly ctx: HistoryContext,
    private readonly parts: HistoryParts,
  ) {}

  record(person: Person, householdOf: Person | undefined): void {
    const { rng, calendar } = this.ctx;
    const joined = calendar.date(person.joinSlot, person.joinDay);
    this.ctx.truth.person(person, householdOf, day(joined));
    const owner = rng.pick(salespeople);
    if (person.isProspect) return this.prospect(person, joined, owner);
    const { records, orders: orderHistory, contracts: contractHistory, network } = this.parts;

    const erpId = records.erpCustomer(person, joined);
    const partnerId = person.relationshipType === 'partner' && person.isBusiness ? network.addCustomerPartner(person, erpId, joined) : null;
    const webshopId = rng.chance(person.isBusiness ? 0.08 : 0.55) ? records.webshopAccount(person, joined) : null;
    const orders = orderHistory.forCustomer({ person, erpId, webshopId, accountManager: owner });
    const contracts = contractHistory.forCustomer(person, erpId, joined);
    const plans = contractHistory.accountPlans(person, erpId, owner, contracts, joined);
    const { complained } = rng.chance(0.25) ? this.parts.helpdesk.forCustomer(person, erpId, orders) : { complained: false };
    if (rng.chance(0.5)) this.parts.newsletter.forSubscriber(person, this.subscribedAt(joined), orders);
    if (person.isBusiness || rng.chance(person.relationshipType === 'preference' ? 0.45 : 0.25)) {
      const stage = this.isFormer(orders, contracts, joined) ? 'former' : 'customer';
      const contactId = records.crmContact(person, joined, erpId, owner, stage);
      this.parts.sales.forContact({ person, contactId, owner, orders, plans, isLead: false });
    }
    this.parts.social.forPerson(person, complained);
    network.forCustomer(person, erpId, joined, partnerId);
  }

  /** Known to the CRM, maybe subscribed, never bought; clicking an offer puts them on the lead list. */
  private prospect(person: Person, joined: Date, owner: string): void {
    const { rng } = this.ctx;
    const { clickedOffer } = rng.chance(0.4) ? this.parts.newsletter.forSubscriber(person, this.subscribedAt(joined), []) : { clickedOffer: false };
    const stage: LifecycleStage = clickedOffer || rng.chance(0.2) ? 'lead' : 'prospect';
    const contactId = this.parts.records.crmContact(person, joined, null, owner, stage);
    this.parts.sales.forContact({ person, contactId, owner, orders: [], plans: [], isLead: stage === 'lead' });
    this.parts.social.forPerson(person, false);
    this.parts.network.forProspect(person, joined);
  }

  private subscribedAt(joined: Date): Date {
    const { rng, calendar } = this.ctx;
    return calendar.momentOn(rng, calendar.clampDay(calendar.addDays(joined, rng.int(-30, 60))));
  }

  /** A former customer: no contract in force and nothing bought in the last year, though known for longer. */
  private isFormer(orders: OrderFacts[], contracts: ContractFacts[], joined: Date): boolean {
    const end = this.ctx.calendar.asOf.getTime();
    if (contracts.some((c) => !c.endsOn || end - c.endsOn.getTime() < yearMs)) return false;
    const last = orders[orders.length - 1]?.orderedOn ?? joined;
    return end - last.getTime() > yearMs;
  }
}
