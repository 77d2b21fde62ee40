// Contracts in the ERP (a contractual expression of will: maintenance, supply, rental
// or framework agreements with an annual value, renewed or left to end) with their
// invoices, and the sales team's account plans (care and activity plans with goals),
// kept mostly for contract customers: portfolio A works from such a plan.
import { day } from '../calendar.ts';
import { accountPlanGoals, consumerServiceContract, contractTypes } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { Billing } from './billing.ts';
import { cents, type HistoryContext } from './context.ts';

export interface ContractFacts {
  contractId: string;
  annualValue: number;
  startsOn: Date;
  endsOn: Date | null;
}

export interface PlanFacts {
  year: number;
  plannedVisits: number;
  owner: string;
}

export class Contracts {
  constructor(
    private readonly ctx: HistoryContext,
    private readonly billing: Billing,
  ) {}

  /** Contracts of a contract customer (and of some partners), renewed one after another. */
  forCustomer(person: Person, erpId: string, joined: Date): ContractFacts[] {
    const { rng, calendar } = this.ctx;
    const wantsContract = person.relationshipType === 'contract' || (person.relationshipType === 'partner' && person.isBusiness && rng.chance(0.5));
    if (!wantsContract) return [];
    const contracts: ContractFacts[] = [];
    const agreements = person.isBusiness && rng.chance(0.25) ? 2 : 1;
    for (let a = 0; a < agreements; a++) {
      const kind = person.isBusiness
        ? person.relationshipType === 'partner' ? contractTypes.find((c) => c.type === 'framework')! : rng.weighted(contractTypes.map((c) => [c, c.weight] as const))
        : null;
      const annualValue = kind ? Math.round(rng.int(kind.annualMin, kind.annualMax) / 100) * 100 : rng.pick(consumerServiceContract.annualValues);
      let startsOn = calendar.date(calendar.slotOf(calendar.addDays(joined, rng.int(0, 90))) + 1, 1);
      while (startsOn.getTime() <= calendar.lastDay.getTime()) {
        const openEnded = kind !== null && rng.chance(0.3);
        const months = kind ? rng.pick([12, 24, 36]) : 12;
        const endsOn = openEnded ? null : calendar.date(calendar.slotOf(startsOn) + months, 0);
        const contractId = this.ctx.nextId('CT', 6);
        this.ctx.emit('erp.contracts', {
          contract_id: contractId, customer_id: erpId, contract_type: kind?.type ?? consumerServiceContract.type, start_date: day(startsOn),
          end_date: endsOn ? day(endsOn) : null, annual_value: annualValue,
        });
        contracts.push({ contractId, annualValue, startsOn, endsOn });
        this.invoice(erpId, contractId, annualValue, startsOn, endsOn, kind ? 'monthly' : 'yearly');
        // A fixed term that has ended is renewed by most, with a new contract from the next day.
        if (!endsOn || endsOn.getTime() >= calendar.lastDay.getTime() || !rng.chance(0.7)) break;
        startsOn = calendar.addDays(endsOn, 1);
      }
    }
    return contracts;
  }

  /** Business contracts are invoiced monthly, a consumer's service yearly, within the history. */
  private invoice(erpId: string, contractId: string, annualValue: number, startsOn: Date, endsOn: Date | null, period: 'monthly' | 'yearly'): void {
    const { calendar } = this.ctx;
    const step = period === 'monthly' ? 1 : 12;
    const net = cents(period === 'monthly' ? annualValue / 12 : annualValue);
    for (let slot = calendar.slotOf(startsOn); slot < calendar.months; slot += step) {
      const issuedOn = calendar.date(slot, 1);
      if (endsOn && issuedOn.getTime() > endsOn.getTime()) break;
      if (slot >= 0 && !calendar.isAfterEnd(issuedOn)) this.billing.invoiceContract(erpId, contractId, issuedOn, net);
    }
  }

  /** Yearly account plans: nearly every contract customer has one, some growth customers too. */
  accountPlans(person: Person, erpId: string, owner: string, contracts: ContractFacts[], joined: Date): PlanFacts[] {
    const { rng, calendar } = this.ctx;
    if (!person.isBusiness) return [];
    const rate = contracts.length > 0 ? 0.9 : { contract: 0.5, partner: 0.5, preference: 0.35, transaction: 0.08 }[person.relationshipType];
    const plans: PlanFacts[] = [];
    for (const year of planYears(calendar.slots)) {
      if (year < joined.getUTCFullYear() || !rng.chance(rate)) continue;
      const contractValue = contracts.filter((c) => c.startsOn.getUTCFullYear() <= year && (!c.endsOn || c.endsOn.getUTCFullYear() >= year)).reduce((sum, c) => sum + c.annualValue, 0);
      const plannedVisits = contracts.length > 0 ? rng.int(4, 10) : rng.int(1, 4);
      const goals = contracts.length > 0 ? accountPlanGoals.contract : accountPlanGoals.growth;
      this.ctx.emit('crm.account_plans', {
        plan_id: this.ctx.nextId('AP', 6), erp_customer_id: erpId, owner, plan_year: year, goal: rng.pick(goals),
        target_revenue: contractValue + rng.int(10, 200) * 100, planned_visits: plannedVisits, starts_on: `${year}-01-01`, ends_on: `${year}-12-31`,
      });
      plans.push({ year, plannedVisits, owner });
    }
    return plans;
  }
}

/** Calendar years the history covers for at least half a year, and the current one. */
function planYears(slots: { year: number }[]): number[] {
  const months = new Map<number, number>();
  for (const slot of slots) months.set(slot.year, (months.get(slot.year) ?? 0) + 1);
  const last = slots[slots.length - 1]!.year;
  return [...months].filter(([year, count]) => count >= 6 || year === last).map(([year]) => year);
}
