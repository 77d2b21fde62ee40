// The CRM's sales pipeline (identification -> marketing -> offer and negotiation ->
// order, or lost) and the sales activities around it: visits, calls and e-mails by the
// named sales team, linked to the opportunity they were about, and the care visits the
// account plans promised (some kept, some not).
import { day, moment } from '../calendar.ts';
import { activitySubjects, salespeople } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { HistoryContext, OrderFacts } from './context.ts';
import type { PlanFacts } from './contracts.ts';

type Stage = 'identification' | 'marketing' | 'offer_negotiation' | 'order' | 'lost';

export interface ContactInPipeline {
  person: Person;
  contactId: string;
  owner: string;
  orders: OrderFacts[];
  plans: PlanFacts[];
  /** A prospect who reacted to offers: on the lead list. */
  isLead: boolean;
}

export class SalesPipeline {
  constructor(private readonly ctx: HistoryContext) {}

  forContact(contact: ContactInPipeline): void {
    const { rng, calendar } = this.ctx;
    const { person } = contact;
    const firstSlot = Math.max(0, person.joinSlot);
    if (person.isProspect) {
      const stages: [Stage, number][] = contact.isLead
        ? [['offer_negotiation', 4], ['marketing', 2], ['lost', 2], ['identification', 1]]
        : [['identification', 3], ['marketing', 3], ['offer_negotiation', 1], ['lost', 2]];
      const count = rng.chance(0.3) ? 2 : 1;
      for (let i = 0; i < count; i++) {
        const openedOn = calendar.dayIn(rng, rng.int(firstSlot, calendar.months - 1));
        this.opportunity(contact, rng.weighted(stages), openedOn, null, 'prospect');
      }
      return;
    }
    const won = contact.orders.length > 0 && rng.chance(person.isBusiness ? 0.5 : 0.1);
    if (won) {
      // The order the sales team closed: a sales-channel order if there is one.
      const order = contact.orders.find((o) => o.channel === 'sales') ?? contact.orders[0]!;
      this.opportunity(contact, 'order', calendar.addDays(order.orderedOn, -rng.int(10, 60)), order, 'opportunity');
    }
    if (person.isBusiness && rng.chance(0.2)) this.opportunity(contact, 'lost', calendar.dayIn(rng, rng.int(firstSlot, calendar.months - 1)), null, 'opportunity');
    if (person.isBusiness && rng.chance(0.15)) {
      const recent = Math.max(firstSlot, calendar.months - 4);
      this.opportunity(contact, rng.pick(['marketing', 'offer_negotiation'] as const), calendar.dayIn(rng, recent), null, 'opportunity');
    }
    this.careActivities(contact);
  }

  private salesperson(owner: string): string {
    // Several people serve the same customer now and then; the owner most of the time.
    return this.ctx.rng.chance(0.85) ? owner : this.ctx.rng.pick(salespeople);
  }

  private opportunity(contact: ContactInPipeline, stage: Stage, openedOn: Date, order: OrderFacts | null, subjects: 'prospect' | 'opportunity'): void {
    const { rng, calendar } = this.ctx;
    const { person } = contact;
    const changedOn = order ? order.orderedOn : calendar.clampDay(calendar.addDays(openedOn, stage === 'identification' ? 0 : rng.int(3, 60)));
    const opportunityId = this.ctx.nextId('OP', 7);
    const salesperson = this.salesperson(contact.owner);
    this.ctx.emit('crm.opportunities', {
      opportunity_id: opportunityId, contact_id: contact.contactId, stage,
      amount: order ? order.net : (person.isBusiness ? rng.int(5, 80) : rng.int(2, 30)) * 100, salesperson,
      opened_on: day(openedOn), stage_changed_on: day(changedOn), erp_order_id: order?.orderId ?? null,
    });
    // The calls, e-mails and visits that moved it along, between opening and the last stage change.
    const span = Math.max(0, Math.round((changedOn.getTime() - openedOn.getTime()) / 86_400_000));
    const touches = rng.int(1, 4);
    for (let t = 0; t < touches; t++) {
      const on = calendar.addDays(openedOn, rng.int(0, span));
      if (calendar.isAfterEnd(on)) continue;
      this.activity(contact.contactId, salesperson, on, person.isBusiness ? rng.weighted([['visit', 3], ['call', 4], ['email', 3]] as const) : rng.weighted([['call', 5], ['email', 5], ['visit', 1]] as const), rng.pick(activitySubjects[subjects]), opportunityId);
    }
  }

  private activity(contactId: string, salesperson: string, on: Date, type: 'visit' | 'call' | 'email', subject: string, opportunityId: string | null): void {
    this.ctx.emit('crm.activities', {
      activity_id: this.ctx.nextId('AC', 8), contact_id: contactId, activity_type: type, salesperson,
      occurred_at: moment(this.ctx.calendar.momentOn(this.ctx.rng, on)), subject, opportunity_id: opportunityId,
    });
  }

  /** Customer care: the visits of the account plan (kept 40-120 %), and calls and e-mails besides. */
  private careActivities(contact: ContactInPipeline): void {
    const { rng, calendar } = this.ctx;
    const { person } = contact;
    if (!person.isBusiness && contact.plans.length === 0) return;
    const firstSlot = Math.max(0, person.joinSlot);
    const planned = new Map(contact.plans.map((p) => [p.year, p]));
    for (let slot = firstSlot; slot < calendar.months; slot++) {
      const plan = planned.get(calendar.slots[slot]!.year);
      const visits = plan ? rng.poisson((plan.plannedVisits / 12) * (0.4 + 0.8 * rng.next())) : rng.poisson(0.03);
      const contacts = rng.poisson(plan ? 0.5 : person.relationshipType === 'transaction' ? 0.05 : 0.15);
      for (let v = 0; v < visits; v++) this.activity(contact.contactId, plan?.owner ?? this.salesperson(contact.owner), calendar.dayIn(rng, slot), 'visit', rng.pick(activitySubjects.care), null);
      for (let c = 0; c < contacts; c++) {
        this.activity(contact.contactId, this.salesperson(contact.owner), calendar.dayIn(rng, slot), rng.chance(0.5) ? 'call' : 'email', rng.pick(activitySubjects.care), null);
      }
    }
  }
}
