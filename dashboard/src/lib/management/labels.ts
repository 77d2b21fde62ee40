// Display names of the management classes in the current language; an unknown value
// shows as itself.
import { en } from '../i18n/en.ts';
import { t, type MessageKey } from '../i18n/index.svelte.ts';

function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : value;
}

export const quadrantLabel = (value: string) => label('quadrant', value);
export const natureLabel = (value: string) => label('nature', value);
export const natureRuleLabel = (value: string) => label('natureRule', value);
export const careClassLabel = (value: string) => label('careClass', value);
export const careRuleLabel = (value: string) => label('careRule', value);
export const indicatorLabel = (value: string) => label('indicator', value);
export const levelLabel = (level: number) => label('maturity.level', String(level));

export const quadrantOrder = ['most_valuable', 'exploit_potential', 'retain', 'improve_or_let_go', 'not_valued'];
export const natureOrder = ['partner', 'contract', 'preference', 'transaction', 'unknown'];
export const careClassOrder = ['A', 'B', 'C', 'D'];
