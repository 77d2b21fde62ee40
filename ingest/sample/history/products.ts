// The product range with its cost history (every product starts with a cost before the
// history; some costs rise mid-history, so margin depends on when a line was sold), and
// which products each kind of customer tends to buy.
import { productRange } from '../finnish-data.ts';
import type { Person } from '../persons.ts';
import type { SeededRandom } from '../random.ts';
import { cents, type HistoryContext } from './context.ts';
import { day } from '../calendar.ts';

type Weighted = (readonly [number, number])[];

export class Products {
  readonly ids = productRange.map((_, i) => `P${String(i + 1).padStart(3, '0')}`);
  private readonly byPopularity: Weighted = productRange.map((p, i) => [i, p.weight] as const);
  /** Contract customers restock consumables: bulk products weigh three times as much. */
  private readonly byRestocking: Weighted = productRange.map((p, i) => [i, p.bulk ? p.weight * 3 : p.weight] as const);
  private readonly groups: Weighted[] = [...new Set(productRange.map((p) => p.group))].map((group) =>
    productRange.flatMap((p, i) => (p.group === group ? [[i, p.weight] as const] : [])),
  );

  constructor(private readonly ctx: HistoryContext) {}

  /** erp.products (unit_cost = the current cost) and erp.product_costs. */
  write(): void {
    const { rng, calendar } = this.ctx;
    const firstCostDay = calendar.date(-12, 1);
    productRange.forEach((spec, index) => {
      let cost = cents(spec.listPrice * spec.costShare);
      this.ctx.emit('erp.product_costs', { product_id: this.ids[index]!, valid_from: day(firstCostDay), unit_cost: cost });
      if (rng.chance(0.4)) {
        const slot = rng.int(4, calendar.months - 4);
        cost = cents(cost * (1 + rng.int(3, 12) / 100));
        this.ctx.emit('erp.product_costs', { product_id: this.ids[index]!, valid_from: day(calendar.date(slot, 1)), unit_cost: cost });
      }
      this.ctx.emit('erp.products', { product_id: this.ids[index]!, product_name: spec.name, product_group: spec.group, list_price: spec.listPrice, unit_cost: cost });
    });
  }

  /** A product for the person's next order line: preference customers spread over every group. */
  pick(rng: SeededRandom, person: Person): number {
    if (person.relationshipType === 'preference') return rng.weighted(rng.pick(this.groups));
    if (person.relationshipType === 'contract' && person.isBusiness) return rng.weighted(this.byRestocking);
    return rng.weighted(this.byPopularity);
  }
}
