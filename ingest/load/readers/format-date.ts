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
 * formatDate(new Date(millis), pattern) for whole-second times of years 0-9999 (what an
 * Excel serial can be); other times go through a Date.
 */
export function formatUtcMillis(millis: number, pattern: string): string {
  // 0000-03-01 and 9999-12-31: the civil-from-days arithmetic below holds in between.
  if (!(millis >= -62_162_035_200_000 && millis < 253_402_300_800_000) || millis % 1000 !== 0) return formatDate(new Date(millis), pattern);
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
  scratch.year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  scratch.month = month;
  scratch.day = dayOfYear - Math.floor((153 * shiftedMonth + 2) / 5) + 1;
  scratch.hours = Math.floor(secondOfDay / 3600);
  scratch.minutes = Math.floor((secondOfDay % 3600) / 60);
  scratch.seconds = secondOfDay % 60;
  return formatFields(scratch, pattern);
}
