// Number, currency, percent and date formatting with Intl, for a BCP 47 locale tag.
// fi-FI gives "1 234,56 €" (no-break space as thousands separator, comma decimal);
// en-IE gives "€1,234.56". Formatters are cached: creating Intl objects is not free.

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = numberFormats.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    numberFormats.set(key, format);
  }
  return format;
}

function dateFormat(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, options);
    dateFormats.set(key, format);
  }
  return format;
}

/** Shown for a missing value (null, undefined, NaN). */
export const missingValue = '–';

function isNumber(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

export function formatNumber(locale: string, value: number | null | undefined, fractionDigits = 0): string {
  if (!isNumber(value)) return missingValue;
  return numberFormat(locale, { minimumFractionDigits: fractionDigits, maximumFractionDigits: fractionDigits }).format(value);
}

/** A money amount with cents, e.g. "1 234,56 €" (fi-FI) or "€1,234.56" (en-IE). */
export function formatCurrency(locale: string, value: number | null | undefined, currency = 'EUR', fractionDigits = 2): string {
  if (!isNumber(value)) return missingValue;
  return numberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(value);
}

/** A short money amount for chart axes, e.g. "250 t. €" (fi-FI) or "€250K" (en-IE). */
export function formatCompactCurrency(locale: string, value: number | null | undefined, currency = 'EUR'): string {
  if (!isNumber(value)) return missingValue;
  return numberFormat(locale, { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 }).format(value);
}

/** A percentage given in percent units (34.5 means 34.5 %), e.g. "34,5 %" (fi-FI) or "34.5%" (en-IE). */
export function formatPercent(locale: string, percent: number | null | undefined, fractionDigits = 1): string {
  if (!isNumber(percent)) return missingValue;
  return numberFormat(locale, {
    style: 'percent',
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  }).format(percent / 100);
}

/** Parses "YYYY-MM" (or an ISO date/time starting with it) as the first day of that month, UTC. */
export function monthToDate(month: string): Date {
  const match = /^(\d{4})-(\d{2})/.exec(month);
  if (!match) return new Date(Number.NaN);
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** A calendar month, e.g. "Nov 2024" / "marras 2024" (short) or "November 2024" / "marraskuu 2024" (long). */
export function formatMonth(locale: string, month: string, style: 'short' | 'long' = 'short'): string {
  const date = monthToDate(month);
  if (Number.isNaN(date.getTime())) return month;
  return dateFormat(locale, { month: style, year: 'numeric', timeZone: 'UTC' }).format(date);
}

/** A calendar day "YYYY-MM-DD", e.g. "24 Nov 2025" / "24.11.2025". */
export function formatDate(locale: string, day: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  if (!match) return day;
  return dateFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]))));
}

/** A date and time in the reader's time zone, e.g. "24 Nov 2025, 06:48". */
export function formatDateTime(locale: string, value: Date | string): string {
  const date = typeof value === 'string' ? new Date(value) : value;
  if (Number.isNaN(date.getTime())) return String(value);
  return dateFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}
