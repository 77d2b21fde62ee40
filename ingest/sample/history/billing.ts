// The billing system: an invoice per delivered order (net = its lines' net of discount,
// VAT 25.5 %), monthly or yearly invoices of contracts, credit notes (returns,
// price corrections, complaint compensations, orders cancelled after invoicing) and
// payments: most on time, some late, some in two parts, some still open.
import { day } from '../calendar.ts';
import { cents, vatRate, type HistoryContext, type OrderFacts } from './context.ts';

export class Billing {
  constructor(private readonly ctx: HistoryContext) {}

  private invoice(customerId: string, issuedOn: Date, net: number, ref: { orderId?: string; contractId?: string }): string {
    const id = this.ctx.nextId('I', 9);
    this.ctx.emit('billing.invoices', {
      invoice_id: id, customer_id: customerId, order_id: ref.orderId ?? null, contract_id: ref.contractId ?? null, invoice_date: day(issuedOn),
      due_date: day(this.ctx.calendar.addDays(issuedOn, 14)), net_amount: net, vat_amount: cents(net * vatRate), currency: 'EUR',
    });
    return id;
  }

  private credit(invoiceId: string, customerId: string, issuedOn: Date, net: number, reason: string, orderLineId: string | null = null): void {
    this.ctx.emit('billing.credit_notes', {
      credit_note_id: this.ctx.nextId('CN', 8), invoice_id: invoiceId, customer_id: customerId, order_line_id: orderLineId,
      issued_on: day(issuedOn), net_amount: net, reason,
    });
  }

  /** Invoices a delivered order a day or two after it, unless that is after the history. */
  invoiceOrder(customerId: string, order: OrderFacts): void {
    const { rng, calendar } = this.ctx;
    const issuedOn = calendar.notAfterEnd(calendar.addDays(order.orderedOn, rng.int(0, 2)));
    if (!issuedOn) return;
    const id = this.invoice(customerId, issuedOn, order.net, { orderId: order.orderId });
    order.invoice = { id, issuedOn };
    this.payment(id, issuedOn, cents(order.net * (1 + vatRate)));
    // Now and then the price was wrong and part of it is credited.
    if (rng.chance(0.005)) {
      const on = calendar.notAfterEnd(calendar.addDays(issuedOn, rng.int(5, 30)));
      if (on) this.credit(id, customerId, on, cents((order.net * rng.int(5, 10)) / 100), 'price_correction');
    }
  }

  /** An order cancelled after it was invoiced: the invoice is credited in full. */
  invoiceCancelledOrder(customerId: string, order: OrderFacts, cancelledOn: Date): void {
    const id = this.invoice(customerId, order.orderedOn, order.net, { orderId: order.orderId });
    this.credit(id, customerId, cancelledOn, order.net, 'cancellation');
  }

  creditReturn(customerId: string, order: OrderFacts, line: OrderFacts['lines'][number], quantity: number, returnedOn: Date): void {
    if (!order.invoice) return;
    const on = this.ctx.calendar.clampDay(this.ctx.calendar.addDays(returnedOn, this.ctx.rng.int(0, 5)));
    this.credit(order.invoice.id, customerId, on, cents((line.net * quantity) / line.quantity), 'return', line.lineId);
  }

  /** A goodwill credit after a complaint about the order. */
  creditComplaint(customerId: string, order: OrderFacts, on: Date): void {
    if (!order.invoice) return;
    this.credit(order.invoice.id, customerId, on, cents((order.net * this.ctx.rng.int(10, 30)) / 100), 'complaint');
  }

  invoiceContract(customerId: string, contractId: string, issuedOn: Date, net: number): void {
    const id = this.invoice(customerId, issuedOn, net, { contractId });
    this.payment(id, issuedOn, cents(net * (1 + vatRate)));
  }

  private pay(invoiceId: string, paidOn: Date, amount: number): void {
    this.ctx.emit('billing.payments', { payment_id: this.ctx.nextId('PM', 9), invoice_id: invoiceId, paid_on: day(paidOn), amount });
  }

  private payment(invoiceId: string, issuedOn: Date, gross: number): void {
    const { rng, calendar } = this.ctx;
    const roll = rng.next();
    if (roll < 0.03) return; // never paid (yet)
    const late = roll < 0.13;
    const paidOn = calendar.notAfterEnd(calendar.addDays(issuedOn, late ? rng.int(20, 75) : rng.int(3, 14)));
    if (!paidOn) return;
    if (roll < 0.16 && !late) {
      // Paid in two parts; the second may still be open.
      const first = cents(gross / 2);
      this.pay(invoiceId, paidOn, first);
      const secondOn = calendar.notAfterEnd(calendar.addDays(paidOn, rng.int(20, 60)));
      if (secondOn) this.pay(invoiceId, secondOn, cents(gross - first));
      return;
    }
    this.pay(invoiceId, paidOn, gross);
  }
}
