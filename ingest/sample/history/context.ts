// What every part of the company's history needs: the one random stream (so a seed
// gives the same history), the calendar, the writers of the catalogue's entities, the
// ground truth, and id sequences that count from 1 without gaps per kind of record.
import type { Calendar } from '../calendar.ts';
import type { GroundTruth } from '../ground-truth.ts';
import type { SeededRandom } from '../random.ts';
import type { EntityWriter } from '../writers/entity-writer.ts';
import type { SampleRecord } from '../writers/values.ts';

/** Writers by entity name ("erp.orders"). */
export type Writers = Record<string, EntityWriter>;

export const vatRate = 0.255;

export function cents(amount: number): number {
  return Math.round(amount * 100) / 100;
}

export class HistoryContext {
  private readonly sequences = new Map<string, number>();

  constructor(
    readonly rng: SeededRandom,
    readonly calendar: Calendar,
    private readonly writers: Writers,
    readonly truth: GroundTruth,
  ) {}

  /** The next id with this prefix, e.g. nextId('O', 9) -> "O000000042". */
  nextId(prefix: string, width: number): string {
    const n = (this.sequences.get(prefix) ?? 0) + 1;
    this.sequences.set(prefix, n);
    return prefix + String(n).padStart(width, '0');
  }

  /** How many ids with this prefix were handed out. */
  issued(prefix: string): number {
    return this.sequences.get(prefix) ?? 0;
  }

  emit(entity: string, record: SampleRecord): void {
    const writer = this.writers[entity];
    if (!writer) throw new Error(`the catalogue has no entity ${entity}`);
    writer.write(record);
  }
}

/** What later parts of a customer's history need to know about an order. */
export interface OrderFacts {
  orderId: string;
  orderedOn: Date;
  channel: 'webshop' | 'sales' | 'store';
  lines: { lineId: string; productIndex: number; quantity: number; net: number }[];
  net: number;
  /** The invoice of a delivered order, once issued. */
  invoice: { id: string; issuedOn: Date } | null;
}

