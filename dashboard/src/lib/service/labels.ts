// Labels for the values the service marts use (case types, channels, stages, contact
// kinds, age buckets), in the current language; a value without a translation shows as is.
import { en } from '../i18n/en.ts';
import { fmt, t, type MessageKey } from '../i18n/index.svelte.ts';

function labelOf(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}

/** A source row "folder/file.ndjson:12" shortened to "file.ndjson:12" for a table cell. */
export const sourceLabel = (source: string) => source.split('/').pop() ?? source;

export const stageLabel = (stage: string) => labelOf('service.stage', stage);
export const contactLabel = (kind: string) => labelOf('service.contact', kind);
/** Case types are contact kinds too (complaint, inquiry, warranty, billing). */
export const caseTypeLabel = (caseType: string) => labelOf('service.contact', caseType);

/** "≤ 24 h", "1–3 d", "> 30 d": hours under two days, days from there. */
function duration(hours: number): string {
  return hours < 48 ? `${fmt.number(hours)} h` : `${fmt.number(hours / 24)} d`;
}

export function ageBucketLabel(lowerHours: number, upperHours: number | null): string {
  if (upperHours === null) return t('service.ageing.over', { lower: duration(lowerHours) });
  if (lowerHours === 0) return t('service.ageing.upTo', { upper: duration(upperHours) });
  return t('service.ageing.between', { lower: duration(lowerHours), upper: duration(upperHours) });
}
