// Helpdesk cases: inquiries, warranty cases, billing matters and complaints, each
// handled by a named agent, with opening, first response and closing times.
// Complaints should be answered within 24 hours; a third are not, and the newest cases
// are still open. Some complaints end in a goodwill credit note.
import { moment } from '../calendar.ts';
import { caseSubjects, helpdeskAgents } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { Billing } from './billing.ts';
import type { HistoryContext, OrderFacts } from './context.ts';
import type { CustomerRecords } from './customer-records.ts';

type CaseType = keyof typeof caseSubjects;

export interface HelpdeskOutcome {
  complained: boolean;
}

export class Helpdesk {
  constructor(
    private readonly ctx: HistoryContext,
    private readonly records: CustomerRecords,
    private readonly billing: Billing,
  ) {}

  forCustomer(person: Person, erpId: string, orders: OrderFacts[]): HelpdeskOutcome {
    const { rng, calendar } = this.ctx;
    const requesterId = this.ctx.nextId('H', 7);
    const caseTypes: [CaseType, number][] = person.relationshipType === 'contract'
      ? [['inquiry', 3], ['warranty', 2], ['billing', 3], ['complaint', 1]]
      : [['inquiry', 4], ['warranty', 2], ['billing', 2], ['complaint', 2]];
    const cases: { type: CaseType; order: OrderFacts | null; opened: Date }[] = [];
    const count = 1 + rng.poisson(0.8);
    for (let c = 0; c < count; c++) {
      const type = rng.weighted(caseTypes);
      const order = orders.length > 0 && type !== 'inquiry' && rng.chance(type === 'billing' ? 0.5 : 0.9) ? rng.pick(orders) : null;
      const openedDay = order
        ? calendar.notAfterEnd(calendar.addDays(order.orderedOn, rng.int(2, 60)))
        : calendar.dayIn(rng, rng.int(Math.max(0, person.joinSlot), calendar.months - 1));
      if (openedDay) cases.push({ type, order, opened: calendar.momentOn(rng, openedDay) });
    }
    if (cases.length === 0) return { complained: false };
    cases.sort((a, b) => a.opened.getTime() - b.opened.getTime());
    // The requester appears with the first case and was last updated by the latest.
    this.records.helpdeskRequester(person, requesterId, cases[0]!.opened, cases[cases.length - 1]!.opened);
    for (const c of cases) this.writeCase(requesterId, erpId, c.type, c.order, c.opened);
    return { complained: cases.some((c) => c.type === 'complaint') };
  }

  private writeCase(requesterId: string, erpId: string, type: CaseType, order: OrderFacts | null, opened: Date): void {
    const { rng, calendar } = this.ctx;
    const roll = rng.next();
    const responseHours = type === 'complaint'
      ? roll < 0.33 ? rng.int(25, 96) : rng.int(1, 23)
      : roll < 0.6 ? rng.int(1, 8) : roll < 0.9 ? rng.int(9, 24) : rng.int(25, 72);
    const responded = calendar.notAfterEnd(calendar.addMinutes(opened, responseHours * 60 - rng.int(0, 59)));
    const closed = responded && rng.chance(0.92) ? calendar.notAfterEnd(calendar.addHours(responded, rng.int(1, 240))) : null;
    this.ctx.emit('helpdesk.cases', {
      case_id: this.ctx.nextId('CS', 8), requester_id: requesterId, case_type: type,
      channel: rng.weighted([['email', 5], ['phone', 3], ['chat', 2], ['webform', 2], ['social', 1]] as const),
      subject: rng.pick(caseSubjects[type]), erp_order_id: order?.orderId ?? null, handled_by: rng.pick(helpdeskAgents),
      opened_at: moment(opened), first_response_at: responded ? moment(responded) : null, closed_at: closed ? moment(closed) : null,
    });
    if (type === 'complaint' && order && closed && rng.chance(0.3)) this.billing.creditComplaint(erpId, order, closed);
  }
}
