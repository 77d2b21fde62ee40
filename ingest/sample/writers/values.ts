// How the generator hands values to the writers: dates and timestamps as ISO text
// ("2026-03-05", "2026-03-05 14:07:00"), money and numbers as numbers, flags as
// booleans, missing as null. Each writer turns them into its format's conventions.
export type SampleValue = string | number | boolean | null;
export type SampleRecord = Record<string, SampleValue>;

const pad = (n: number) => (n < 10 ? `0${n}` : String(n));

/** Where each strptime field stands in ISO text "YYYY-MM-DD HH:MM:SS". */
const isoSlices: Record<string, [number, number]> = { Y: [0, 4], m: [5, 7], d: [8, 10], H: [11, 13], M: [14, 16], S: [17, 19] };

/**
 * A formatter from ISO date or timestamp text to a strptime pattern (the %d %m %Y %H %M
 * %S the catalogue uses), compiled once per column: the CRM exports millions of dates.
 */
export function patternFormatter(pattern: string): (iso: string) => string {
  const parts = pattern.split(/(%[YmdHMS])/).filter((part) => part !== '');
  return (iso) => {
    let text = '';
    for (const part of parts) {
      const slice = part.length === 2 && part[0] === '%' ? isoSlices[part[1]!] : undefined;
      text += slice ? (iso.slice(slice[0], slice[1]) || '00') : part;
    }
    return text;
  };
}

/** A JS Date (UTC) for an ISO date or timestamp text; Excel cells want real dates. */
export function toDate(iso: string): Date {
  return new Date(`${iso.replace(' ', 'T')}${iso.length === 10 ? 'T00:00:00' : ''}Z`);
}

export function isoDate(date: Date): string {
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/** ISO timestamp to the minute (seconds always 00): source systems record minutes. */
export function isoMinute(date: Date): string {
  return `${isoDate(date)} ${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:00`;
}

/** Number of decimals of a DECIMAL(p,s) type, 0 for other types. */
export function decimalScale(type: string): number {
  return Number(/DECIMAL\(\d+,(\d+)\)/.exec(type)?.[1] ?? 0);
}
