// The UI language: English or Finnish, chosen with the switch in the header and kept in
// localStorage. `t()` and the `fmt` helpers read the current language, so templates
// that use them re-render when it changes.
import { en, type MessageKey, type Messages } from './en.ts';
import { fi } from './fi.ts';
import * as format from './format.ts';

export type { MessageKey } from './en.ts';

export type Language = 'en' | 'fi';

export interface LanguageOption {
  code: Language;
  /** Short label for the switch. */
  label: string;
  /** The language's own name, for assistive technology. */
  name: string;
  /** Locale for Intl formatting: euros in both, with the language's conventions. */
  locale: string;
}

export const languages: readonly LanguageOption[] = [
  { code: 'en', label: 'EN', name: 'English', locale: 'en-IE' },
  { code: 'fi', label: 'FI', name: 'Suomi', locale: 'fi-FI' },
];

const messages: Record<Language, Messages> = { en, fi };
const storageKey = 'asiakkuus.language';

function isLanguage(value: unknown): value is Language {
  return value === 'en' || value === 'fi';
}

function initialLanguage(): Language {
  try {
    const stored = localStorage.getItem(storageKey);
    if (isLanguage(stored)) return stored;
  } catch {
    // Storage can be unavailable (privacy settings); fall back to the browser language.
  }
  return navigator.language.toLowerCase().startsWith('fi') ? 'fi' : 'en';
}

const state = $state<{ language: Language }>({ language: initialLanguage() });

function applyToDocument(language: Language): void {
  document.documentElement.lang = language;
}
applyToDocument(state.language);

export const i18n = {
  get language(): Language {
    return state.language;
  },
  get locale(): string {
    return localeOf(state.language);
  },
  setLanguage(language: Language): void {
    state.language = language;
    applyToDocument(language);
    try {
      localStorage.setItem(storageKey, language);
    } catch {
      // Not persisted; the choice still holds for this page.
    }
  },
};

function localeOf(language: Language): string {
  return languages.find((option) => option.code === language)?.locale ?? 'en-IE';
}

/** The message for `key` in the current language, with `{name}` placeholders filled from `params`. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const template = messages[state.language][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => (name in params ? String(params[name]) : placeholder));
}

/** Formatting in the current language's locale. */
export const fmt = {
  number: (value: number | null | undefined, fractionDigits?: number) => format.formatNumber(i18n.locale, value, fractionDigits),
  currency: (value: number | null | undefined, currency?: string, fractionDigits?: number) =>
    format.formatCurrency(i18n.locale, value, currency, fractionDigits),
  compactCurrency: (value: number | null | undefined, currency?: string) => format.formatCompactCurrency(i18n.locale, value, currency),
  percent: (percent: number | null | undefined, fractionDigits?: number) => format.formatPercent(i18n.locale, percent, fractionDigits),
  month: (month: string, style?: 'short' | 'long') => format.formatMonth(i18n.locale, month, style),
  date: (day: string) => format.formatDate(i18n.locale, day),
  dateTime: (value: Date | string) => format.formatDateTime(i18n.locale, value),
};

/** A user role's name in the current language, or the role itself when it has no translation. */
export function roleLabel(role: string): string {
  const key = `role.${role}`;
  return key in en ? t(key as MessageKey) : role;
}

/** "business" / "consumer" in the current language, or the value itself when it has no translation. */
export function customerTypeLabel(value: string): string {
  const key = `customerType.${value}`;
  return key in en ? t(key as MessageKey) : value;
}
