// Display names, order and colours of the management classes in the current language; an
// unknown value shows as itself.
import { en } from '../i18n/en.ts';
import { t, type MessageKey } from '../i18n/index.svelte.ts';
import { noOwner } from '../api/management-queries.ts';

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

// The order a manager reads each class in: best or closest relationship first, the
// unclassified last.
export const quadrantOrder = ['most_valuable', 'exploit_potential', 'retain', 'improve_or_let_go', 'not_valued'];
export const natureOrder = ['partner', 'contract', 'preference', 'transaction', 'unknown'];
export const careClassOrder = ['A', 'B', 'C', 'D'];

export { noOwner };
/** An account owner as shown: the marts' "(none)" (noOwner) as t("management.noOwner"), a name as itself. */
export const ownerLabel = (value: string) => (value === noOwner ? t('management.noOwner') : value);
/** A scope value as part of an exported file's name: "no-owner" for the marts' "(none)", anything else as itself. */
export const scopeFilePart = (value: string | null) => (value === noOwner ? 'no-owner' : `${value}`);

/** The indicators whose numerator and denominator are euros (revenue shares); the others count customers or e-mails. */
export const moneyIndicators: ReadonlySet<string> = new Set(['long_relationship_revenue_share', 'care_plan_revenue_share', 'plan_revenue_attainment', 'partner_referred_revenue_share']);

/** Not classified at the earlier month (not yet in the data), in a transition. */
export const newValue = 'new';
const noClassColour = '#b7c0ca';
const passiveColour = '#8a96a3';

// One colour per class, the same in every chart (the quadrant chart, both sides of the
// transitions), so a class is recognised by its colour wherever it appears.
export const quadrantColours: Record<string, string> = {
  most_valuable: '#124e78',
  exploit_potential: '#2f7d5b',
  retain: '#d1793b',
  improve_or_let_go: '#b8423a',
  not_valued: passiveColour,
  [newValue]: noClassColour,
};
export const natureColours: Record<string, string> = {
  partner: '#6a4c93',
  contract: '#124e78',
  preference: '#2f7d5b',
  transaction: '#d1793b',
  unknown: passiveColour,
  [newValue]: noClassColour,
};
export const careClassColours: Record<string, string> = {
  A: '#124e78',
  B: '#2f7d5b',
  C: '#d1793b',
  D: passiveColour,
  [newValue]: noClassColour,
};
