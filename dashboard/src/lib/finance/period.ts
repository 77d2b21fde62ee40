// Periods of whole calendar months, as the finance page filters them: "YYYY-MM" from and
// to (inclusive), the day range Cube filters on, and the period just before for the
// KPI comparison.
import type { DateRange } from '../api/queries.ts';

export interface MonthPeriod {
  from: string;
  to: string;
}

function parse(month: string): { year: number; month: number } {
  const [year, monthNumber] = month.split('-').map(Number);
  return { year: year!, month: monthNumber! };
}

function format(year: number, month: number): string {
  const date = new Date(Date.UTC(year, month - 1, 1));
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

export function isMonth(value: string | null | undefined): value is string {
  return typeof value === 'string' && /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export function addMonths(month: string, count: number): string {
  const { year, month: m } = parse(month);
  return format(year, m + count);
}

export function monthsBetween(from: string, to: string): number {
  const a = parse(from);
  const b = parse(to);
  return (b.year - a.year) * 12 + (b.month - a.month) + 1;
}

/** The first to the last day of the period. */
export function toDateRange(period: MonthPeriod): DateRange {
  const { year, month } = parse(period.to);
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { from: `${period.from}-01`, to: `${period.to}-${String(lastDay).padStart(2, '0')}` };
}

/** The period of the same number of months just before. */
export function previousPeriod(period: MonthPeriod): MonthPeriod {
  const length = monthsBetween(period.from, period.to);
  return { from: addMonths(period.from, -length), to: addMonths(period.from, -1) };
}

/** The last `count` months up to `last`, not before `first`. */
export function lastMonths(first: string, last: string, count: number): MonthPeriod {
  const from = addMonths(last, -(count - 1));
  return { from: from < first ? first : from, to: last };
}

/** The last `count` months up to the last of `months` (every month with data, "YYYY-MM", in order); null without data. */
export function lastMonthsWithData(months: readonly string[], count: number): MonthPeriod | null {
  return months.length === 0 ? null : lastMonths(months[0]!, months[months.length - 1]!, count);
}

/** The finance page opens on the last twelve months with data. */
export const defaultPeriodMonths = 12;

/** The period the finance page opens on, given every month with data ("YYYY-MM", in order); null without data. */
export function defaultPeriod(months: readonly string[]): MonthPeriod | null {
  return lastMonthsWithData(months, defaultPeriodMonths);
}
