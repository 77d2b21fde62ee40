// The strptime patterns of the catalogue (date_format, timestamp_format) applied the
// other way, for Excel date cells: a real date in a sheet whose text dates follow
// '%d.%m.%Y' is written as that text, so both pass the same rule.
//
// A big sheet formats hundreds of thousands of dates, so the calendar fields of a UTC
// time are worked out by arithmetic (no Date object, no getUTC* calls) and two-digit
// fields come from a table.

interface DateFields {
  year: number;
  month: number;
  day: number;
  hours: number;
  minutes: number;
  seconds: number;
}

const twoDigits = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const pad = (value: number, width = 2) => (width === 2 && value >= 0 && value < 100 ? twoDigits[value]! : String(value).padStart(width, '0'));

const directives: Record<string, (f: DateFields) => string> = {
  Y: (f) => pad(f.year, 4),
  y: (f) => pad(f.year % 100),
  m: (f) => pad(f.month),
  d: (f) => pad(f.day),
  '-m': (f) => String(f.month),
  '-d': (f) => String(f.day),
  H: (f) => pad(f.hours),
  M: (f) => pad(f.minutes),
  S: (f) => pad(f.seconds),
  '%': () => '%',
};

type Piece = string | ((f: DateFields) => string);

/** Patterns split once into literal text and directives. */
const compiled = new Map<string, Piece[]>();

function pieces(pattern: string): Piece[] {
  let found = compiled.get(pattern);
  if (!found) {
    found = pattern.split(/(%-?[A-Za-z%])/).filter(Boolean).map((part) => (part.startsWith('%') ? (directives[part.slice(1)] ?? part) : part));
    compiled.set(pattern, found);
  }
  return found;
}

function formatFields(fields: DateFields, pattern: string): string {
  let text = '';
  for (const piece of pieces(pattern)) text += typeof piece === 'string' ? piece : piece(fields);
  return text;
}

/** Formats a UTC date by a strptime pattern; an unsupported directive is left as written. */
export function formatDate(date: Date, pattern: string): string {
  const fields = {
    year: date.getUTCFullYear(),
    month: date.getUTCMonth() + 1,
    day: date.getUTCDate(),
    hours: date.getUTCHours(),
    minutes: date.getUTCMinutes(),
    seconds: date.getUTCSeconds(),
  };
  return formatFields(fields, pattern);
}

const millisecondsPerDay = 86_400_000;
/** Reused: the fields are read by the pattern's pieces and never kept. */
const scratch: DateFields = { year: 0, month: 0, day: 0, hours: 0, minutes: 0, seconds: 0 };

/**
 * The calendar fields of a whole-second UTC time of years 0-9999 (what an Excel serial
 * can be) in `fields`; false for other times, which go through a Date.
 */
function utcFields(millis: number, fields: DateFields): boolean {
  // 0000-03-01 and 10000-01-01: the civil-from-days arithmetic below holds in between.
  if (!(millis >= -62_162_035_200_000 && millis < 253_402_300_800_000) || millis % 1000 !== 0) return false;
  const days = Math.floor(millis / millisecondsPerDay);
  const secondOfDay = (millis - days * millisecondsPerDay) / 1000;
  // Days since 1970-01-01 to a proleptic Gregorian date (H. Hinnant, "chrono-Compatible
  // Low-Level Date Algorithms"), for days from 0000-03-01 on.
  const z = days + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const shiftedMonth = Math.floor((5 * dayOfYear + 2) / 153);
  const month = shiftedMonth < 10 ? shiftedMonth + 3 : shiftedMonth - 9;
  fields.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  fields.month = month;
  fields.day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  fields.hours = Math.floor(secondOfDay / 3600);
  fields.minutes = Math.floor((secondOfDay % 3600) / 60);
  fields.seconds = secondOfDay % 60;
  return true;
}

/** formatDate(new Date(millis), pattern), without the Date for the times utcFields takes. */
export function formatUtcMillis(millis: number, pattern: string): string {
  return utcFields(millis, scratch) ? formatFields(scratch, pattern) : formatDate(new Date(millis), pattern);
}

/** Directives as codes below zero in a compiled pattern (DatePatternBytes). */
const directiveCodes: Record<string, number> = { Y: -1, y: -2, m: -3, d: -4, '-m': -5, '-d': -6, H: -7, M: -8, S: -9 };

/** A pattern as the bytes of its literal text (UTF-8) and directive codes, for writing dates as bytes. */
export type DatePatternBytes = Int32Array;

/**
 * The pattern compiled for writeUtcMillis; null when its text would need quoting in a
 * CSV field (a quote, comma or line break in its literal text) or when it has no field
 * of digits (its text could be blank): such patterns go through formatUtcMillis.
 */
export function datePatternBytes(pattern: string): DatePatternBytes | null {
  const codes: number[] = [];
  let digits = false;
  for (const part of pattern.split(/(%-?[A-Za-z%])/).filter(Boolean)) {
    const code = part.startsWith('%') ? directiveCodes[part.slice(1)] : undefined;
    if (code !== undefined) {
      codes.push(code);
      digits = true;
    } else {
      codes.push(...Buffer.from(part === '%%' ? '%' : part, 'utf8'));
    }
  }
  if (!digits || codes.some((code) => code === 34 || code === 44 || code === 10 || code === 13)) return null;
  return Int32Array.from(codes);
}

function writeTwo(buffer: Uint8Array, at: number, value: number): number {
  buffer[at] = 48 + Math.floor(value / 10);
  buffer[at + 1] = 48 + (value % 10);
  return at + 2;
}

function writeShort(buffer: Uint8Array, at: number, value: number): number {
  if (value >= 10) return writeTwo(buffer, at, value);
  buffer[at] = 48 + value;
  return at + 1;
}

/**
 * Writes formatUtcMillis(millis, pattern) as bytes at buffer[at] (room for 4 bytes per
 * code); returns where it ends, or -1 for a time utcFields does not take.
 */
export function writeUtcMillis(millis: number, pattern: DatePatternBytes, buffer: Uint8Array, at: number): number {
  if (!utcFields(millis, scratch)) return -1;
  const { year, month, day, hours, minutes, seconds } = scratch;
  let to = at;
  for (let i = 0; i < pattern.length; i++) {
    const code = pattern[i]!;
    if (code >= 0) buffer[to++] = code;
    else if (code === -1) to = writeTwo(buffer, writeTwo(buffer, to, Math.floor(year / 100)), year % 100);
    else if (code === -2) to = writeTwo(buffer, to, year % 100);
    else if (code === -3) to = writeTwo(buffer, to, month);
    else if (code === -4) to = writeTwo(buffer, to, day);
    else if (code === -5) to = writeShort(buffer, to, month);
    else if (code === -6) to = writeShort(buffer, to, day);
    else if (code === -7) to = writeTwo(buffer, to, hours);
    else if (code === -8) to = writeTwo(buffer, to, minutes);
    else to = writeTwo(buffer, to, seconds);
  }
  return to;
}
