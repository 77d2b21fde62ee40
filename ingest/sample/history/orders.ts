// Orders and their lines in the ERP, shaped by the customer's relationship type:
// preference customers buy often and across groups, contract customers restock
// regularly, transaction customers buy rarely and mostly at a discount. Sales follow
// the seasons; a few orders are cancelled and some delivered lines come back in part.
import { day } from '../calendar.ts';
import { monthSeasonality, productRange, returnReasons, salespeople } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { Billing } from './billing.ts';
import { cents, type HistoryContext, type OrderFacts } from './context.ts';
import type { Products } from './products.ts';

/** Orders per month before seasonality, by customer kind and relationship type. */
const monthlyOrderRate = {
  business: { contract: 0.5, partner: 0.45, preference: 0.8, transaction: 0.1 },
  consumer: { contract: 0.15, partner: 0.2, preference: 0.3, transaction: 0.05 },
} as const;

export interface OrderingCustomer {
  person: Person;
  erpId: string;
  webshopId: string | null;
  accountManager: string;
}

/** Net of a line in euros, as the models compute it: quantity x price x (100 - discount %) / 100, rounded half up to the cent. */
export function lineNet(quantity: number, unitPrice: number, discountPct: number): number {
  return Math.floor((quantity * Math.round(unitPrice * 100) * (100 - discountPct) + 50) / 100) / 100;
}

export class Orders {
  constructor(
    private readonly ctx: HistoryContext,
    private readonly products: Products,
    private readonly billing: Billing,
  ) {}

  forCustomer(customer: OrderingCustomer): OrderFacts[] {
    const { rng, calendar } = this.ctx;
    const { person } = customer;
    const delivered: OrderFacts[] = [];
    const rate = monthlyOrderRate[person.isBusiness ? 'business' : 'consumer'][person.relationshipType] * (0.5 + rng.next());
    const customerDiscount = person.isBusiness ? rng.pick(person.relationshipType === 'contract' || person.relationshipType === 'partner' ? [5, 10, 15] : [0, 0, 5, 10]) : 0;
    const start = Math.max(0, person.joinSlot);
    for (let slot = start; slot < Math.min(calendar.months, start + person.activeMonths); slot++) {
      const count = rng.poisson(rate * monthSeasonality[calendar.slots[slot]!.month]!);
      for (let o = 0; o < count; o++) {
        const order = this.order(customer, calendar.dayIn(rng, slot, slot === person.joinSlot ? person.joinDay : 1), customerDiscount);
        if (order) delivered.push(order);
      }
    }
    // Later parts of the history (win-back, lapsed customers) read them in time order.
    return delivered.sort((a, b) => a.orderedOn.getTime() - b.orderedOn.getTime());
  }

  /** Writes one order; returns it when delivered, null when cancelled. */
  private order(customer: OrderingCustomer, orderedOn: Date, customerDiscount: number): OrderFacts | null {
    const { rng, calendar } = this.ctx;
    const { person } = customer;
    const orderId = this.ctx.nextId('O', 9);
    const channel = person.isBusiness
      ? rng.weighted([['webshop', 2], ['sales', 5], ['store', 1]] as const)
      : rng.weighted([['webshop', customer.webshopId ? 6 : 3], ['sales', 1], ['store', 3]] as const);
    const cancelledOn = rng.chance(0.03) ? calendar.clampDay(calendar.addDays(orderedOn, rng.int(0, 3))) : null;
    this.ctx.emit('erp.orders', {
      order_id: orderId, customer_id: customer.erpId, order_date: day(orderedOn), channel, status: cancelledOn ? 'cancelled' : 'delivered',
      cancelled_at: cancelledOn ? day(cancelledOn) : null, webshop_customer_id: channel === 'webshop' && customer.webshopId && rng.chance(0.8) ? customer.webshopId : null,
      salesperson: channel === 'sales' ? (person.isBusiness ? customer.accountManager : rng.pick(salespeople)) : null,
    });
    const order: OrderFacts = { orderId, orderedOn, channel, lines: [], net: 0, invoice: null };
    const lineCount = rng.weighted([[1, 5], [2, 3], [3, 2], [4, 1]] as const) + (person.relationshipType === 'preference' && rng.chance(0.3) ? 1 : 0);
    for (let number = 1; number <= lineCount; number++) {
      const productIndex = this.products.pick(rng, person);
      const spec = productRange[productIndex]!;
      const quantity = spec.bulk && person.isBusiness ? rng.int(2, 20) : rng.weighted([[1, 8], [2, 2]] as const);
      // Transaction customers come for the offers; others get a campaign discount now and then.
      const discount = customerDiscount || (rng.chance(person.relationshipType === 'transaction' ? 0.45 : 0.08) ? rng.pick([10, 15, 20, 30]) : 0);
      const lineId = this.ctx.nextId('L', 10);
      this.ctx.emit('erp.order_lines', {
        order_line_id: lineId, order_id: orderId, line_number: number, product_id: this.products.ids[productIndex]!, quantity, unit_price: spec.listPrice, discount_pct: discount,
      });
      const net = lineNet(quantity, spec.listPrice, discount);
      order.lines.push({ lineId, productIndex, quantity, net });
      order.net += net;
    }
    order.net = cents(order.net);
    if (cancelledOn) {
      // A fifth of the cancellations come after the invoice was sent.
      if (rng.chance(0.2)) this.billing.invoiceCancelledOrder(customer.erpId, order, cancelledOn);
      return null;
    }
    this.billing.invoiceOrder(customer.erpId, order);
    this.returns(customer.erpId, order);
    return order;
  }

  /** Some delivered lines come back, in part or whole, with a credit note for what came back. */
  private returns(customerId: string, order: OrderFacts): void {
    const { rng, calendar } = this.ctx;
    for (const line of order.lines) {
      if (!rng.chance(0.04)) continue;
      const quantity = rng.int(1, line.quantity);
      const returnedOn = calendar.notAfterEnd(calendar.addDays(order.orderedOn, rng.int(3, 40)));
      if (!returnedOn) continue;
      this.ctx.emit('erp.returns', { return_id: this.ctx.nextId('R', 8), order_line_id: line.lineId, returned_on: day(returnedOn), quantity, reason: rng.pick(returnReasons) });
      this.billing.creditReturn(customerId, order, line, quantity, returnedOn);
    }
  }
}
