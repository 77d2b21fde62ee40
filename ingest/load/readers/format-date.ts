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

type Piece = string | ((date: Date) => string);

/** Patterns split once into literal text and directives: a big sheet formats hundreds of thousands of dates. */
const compiled = new Map<string, Piece[]>();

function pieces(pattern: string): Piece[] {
  let found = compiled.get(pattern);
  if (!found) {
    found = pattern.split(/(%-?[A-Za-z%])/).filter(Boolean).map((part) => (part.startsWith('%') ? (directives[part.slice(1)] ?? part) : part));
    compiled.set(pattern, found);
  }
  return found;
}

/** Formats a UTC date by a strptime pattern; an unsupported directive is left as written. */
export function formatDate(date: Date, pattern: string): string {
  let text = '';
  for (const piece of pieces(pattern)) text += typeof piece === 'string' ? piece : piece(date);
  return text;
}
