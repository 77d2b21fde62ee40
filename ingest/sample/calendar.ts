// The sample company's history as calendar months ending at a fixed day, and random
// moments inside them. Fixed dates, so output never depends on today.
import type { SeededRandom } from './random.ts';
import { isoDate, isoTimestamp } from './writers/values.ts';

export interface MonthSlot {
  year: number;
  /** 0-based */
  month: number;
  days: number;
}

export function monthsBack(asOf: string, count: number): MonthSlot[] {
  const end = new Date(`${asOf}T00:00:00Z`);
  const slots: MonthSlot[] = [];
  for (let back = count - 1; back >= 0; back--) {
    const first = new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - back, 1));
    const days = new Date(Date.UTC(first.getUTCFullYear(), first.getUTCMonth() + 1, 0)).getUTCDate();
    slots.push({ year: first.getUTCFullYear(), month: first.getUTCMonth(), days });
  }
  return slots;
}

export class Calendar {
  readonly slots: MonthSlot[];
  readonly asOf: Date;

  constructor(asOf: string, months: number) {
    this.slots = monthsBack(asOf, months);
    this.asOf = new Date(`${asOf}T23:59:59Z`);
  }

  /** Day `day` of month slot `slot` (slots may lie before the history: negative). */
  date(slot: number, day: number): Date {
    const first = this.slots[0]!;
    return new Date(Date.UTC(first.year, first.month + slot, day));
  }

  dayIn(rng: SeededRandom, slot: number, fromDay = 1): Date {
    const s = this.slots[slot]!;
    return this.date(slot, rng.int(Math.min(fromDay, s.days), s.days));
  }

  /** A working-hours moment on the given day. */
  momentOn(rng: SeededRandom, day: Date): Date {
    return new Date(day.getTime() + (rng.int(8, 17) * 60 + rng.int(0, 59)) * 60_000);
  }

  addDays(date: Date, days: number): Date {
    return new Date(date.getTime() + days * 86_400_000);
  }

  addHours(date: Date, hours: number): Date {
    return new Date(date.getTime() + hours * 3_600_000);
  }

  /** The date, or the end of the history if it would lie after it. */
  clamp(date: Date): Date {
    return date.getTime() > this.asOf.getTime() ? new Date(this.asOf.getTime() - 6 * 3_600_000) : date;
  }

  /** Null for a date after the end of the history: that event has not happened yet. */
  notAfterEnd(date: Date): Date | null {
    return date.getTime() > this.asOf.getTime() ? null : date;
  }
}

export const day = isoDate;
export const moment = (date: Date) => isoTimestamp(date).slice(0, 16) + ':00';
