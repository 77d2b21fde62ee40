// The sample company's history as calendar months ending at a fixed day, and random
// moments inside them. Fixed dates, so output never depends on today.
import type { SeededRandom } from './random.ts';
import { isoDate, isoMinute } from './writers/values.ts';

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

const dayMs = 86_400_000;

export class Calendar {
  readonly slots: MonthSlot[];
  /** The last moment of the history (end of the as-of day). */
  readonly asOf: Date;
  /** Midnight starting the as-of day. */
  readonly lastDay: Date;

  constructor(asOf: string, months: number) {
    this.slots = monthsBack(asOf, months);
    this.lastDay = new Date(`${asOf}T00:00:00Z`);
    this.asOf = new Date(this.lastDay.getTime() + dayMs - 1000);
  }

  get months(): number {
    return this.slots.length;
  }

  /** Day `day` of month slot `slot` (slots may lie before the history: negative, or after it). */
  date(slot: number, day: number): Date {
    const first = this.slots[0]!;
    return new Date(Date.UTC(first.year, first.month + slot, day));
  }

  /** The month slot a date falls in (negative before the history). */
  slotOf(date: Date): number {
    const first = this.slots[0]!;
    return (date.getUTCFullYear() - first.year) * 12 + date.getUTCMonth() - first.month;
  }

  /** A random day of the month slot, from `fromDay` on, never after the as-of day. */
  dayIn(rng: SeededRandom, slot: number, fromDay = 1): Date {
    const days = slot === this.slots.length - 1 ? this.lastDay.getUTCDate() : (this.slots[slot]?.days ?? 28);
    return this.date(slot, rng.int(Math.min(fromDay, days), days));
  }

  /** A working-hours moment (8:00-17:59) on the given day. */
  momentOn(rng: SeededRandom, day: Date): Date {
    return new Date(day.getTime() + (rng.int(8, 17) * 60 + rng.int(0, 59)) * 60_000);
  }

  addDays(date: Date, days: number): Date {
    return new Date(date.getTime() + days * dayMs);
  }

  addHours(date: Date, hours: number): Date {
    return new Date(date.getTime() + hours * 3_600_000);
  }

  addMinutes(date: Date, minutes: number): Date {
    return new Date(date.getTime() + minutes * 60_000);
  }

  /** The day, or the last day of the history if it would lie after it. */
  clampDay(day: Date): Date {
    return day.getTime() > this.lastDay.getTime() ? this.lastDay : day;
  }

  /** Null for a moment after the end of the history: that event has not happened yet. */
  notAfterEnd(date: Date): Date | null {
    return date.getTime() > this.asOf.getTime() ? null : date;
  }

  isAfterEnd(date: Date): boolean {
    return date.getTime() > this.asOf.getTime();
  }
}

/** ISO date text of a day, as records carry it. */
export const day = isoDate;
/** ISO timestamp text of a moment, to the minute. */
export const moment = isoMinute;
