// The strptime patterns of the catalogue (date_format, timestamp_format) applied the
// other way, for Excel date cells: a real date in a sheet whose text dates follow
// '%d.%m.%Y' is written as that text, so both pass the same rule.
const pad = (value: number, width = 2) => String(value).padStart(width, '0');

const directives: Record<string, (date: Date) => string> = {
  Y: (d) => pad(d.getUTCFullYear(), 4),
  y: (d) => pad(d.getUTCFullYear() % 100),
  m: (d) => pad(d.getUTCMonth() + 1),
  d: (d) => pad(d.getUTCDate()),
  '-m': (d) => String(d.getUTCMonth() + 1),
  '-d': (d) => String(d.getUTCDate()),
  H: (d) => pad(d.getUTCHours()),
  M: (d) => pad(d.getUTCMinutes()),
  S: (d) => pad(d.getUTCSeconds()),
  '%': () => '%',
};

/** Formats a UTC date by a strptime pattern; an unsupported directive is left as written. */
export function formatDate(date: Date, pattern: string): string {
  return pattern.replace(/%(-?[A-Za-z%])/g, (whole, directive: string) => directives[directive]?.(date) ?? whole);
}
