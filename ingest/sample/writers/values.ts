// How the generator hands values to the writers: dates and timestamps as ISO text
// ("2026-03-05", "2026-03-05 14:07:00"), money and numbers as numbers, flags as
// booleans, missing as null. Each writer turns them into its format's conventions.
export type SampleValue = string | number | boolean | null;
export type SampleRecord = Record<string, SampleValue>;

const pad = (n: number) => String(n).padStart(2, '0');

/** ISO date or timestamp text in a strptime pattern (only the %d %m %Y %H %M %S the catalogue uses). */
export function formatWithPattern(iso: string, pattern: string): string {
  const [date = '', time = '00:00:00'] = iso.split(' ');
  const [year, month, day] = date.split('-');
  const [hour, minute, second] = time.split(':');
  return pattern
    .replaceAll('%Y', year!)
    .replaceAll('%m', month!)
    .replaceAll('%d', day!)
    .replaceAll('%H', hour ?? '00')
    .replaceAll('%M', minute ?? '00')
    .replaceAll('%S', second ?? '00');
}

/** A JS Date (UTC) for an ISO date or timestamp text; Excel cells want real dates. */
export function toDate(iso: string): Date {
  return new Date(`${iso.replace(' ', 'T')}${iso.length === 10 ? 'T00:00:00' : ''}Z`);
}

export function isoDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

export function isoTimestamp(date: Date): string {
  return `${isoDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}
