// The ways the same person's data differs between systems in a real company: typos,
// Finnish letters lost by systems that cannot store them, phone numbers written in
// different ways, e-mails in capitals or with stray spaces, company names with or
// without their legal form.
import type { SeededRandom } from './random.ts';

export function foldFinnish(text: string): string {
  return text.replaceAll('ä', 'a').replaceAll('ö', 'o').replaceAll('å', 'a').replaceAll('Ä', 'A').replaceAll('Ö', 'O').replaceAll('Å', 'A').replaceAll('é', 'e');
}

/** One keyboard slip: two letters swapped, one dropped or one doubled (never the first letter). */
export function typo(rng: SeededRandom, text: string): string {
  if (text.length < 4) return text;
  const at = rng.int(1, text.length - 2);
  switch (rng.int(0, 2)) {
    case 0:
      return text.slice(0, at) + text[at + 1] + text[at] + text.slice(at + 2);
    case 1:
      return text.slice(0, at) + text.slice(at + 1);
    default:
      return text.slice(0, at) + text[at] + text.slice(at);
  }
}

/** A Finnish mobile number (national significant number, e.g. "401234567") in one of the usual notations. */
export function phoneNotation(rng: SeededRandom, national: string): string {
  const local = `0${national}`;
  switch (rng.int(0, 4)) {
    case 0:
      return `${local.slice(0, 3)} ${local.slice(3, 6)} ${local.slice(6)}`;
    case 1:
      return `+358 ${national.slice(0, 2)} ${national.slice(2)}`;
    case 2:
      return local;
    case 3:
      return `+358${national}`;
    default:
      return `${local.slice(0, 3)}-${local.slice(3)}`;
  }
}

/** An e-mail as a person types it into a form: now and then in capitals or with stray spaces. */
export function messyEmail(rng: SeededRandom, email: string, rate = 1): string {
  const roll = rng.next();
  if (roll < 0.1 * rate) return email.toUpperCase();
  if (roll < 0.15 * rate) return ` ${email} `;
  if (roll < 0.2 * rate) return email.replace(/^[a-z]|\.[a-z]/g, (letter) => letter.toUpperCase());
  return email;
}

/** Lower-case ASCII for e-mail local parts and domains. */
export function emailPart(text: string): string {
  return foldFinnish(text).toLowerCase().replace(/[^a-z0-9]/g, '');
}

const legalFormAtEnd = / (Oy|Oyj|Ab|Ky|Tmi|Ltd)$/;

/** A company name as another system keeps it: without its legal form, or with it in front ("Oy Kuusimökit"). */
export function companyNameVariant(rng: SeededRandom, name: string, withoutFormRate: number): string {
  const form = legalFormAtEnd.exec(name)?.[1];
  if (!form) return name;
  const roll = rng.next();
  if (roll < withoutFormRate) return name.slice(0, -form.length - 1);
  if (roll < withoutFormRate + 0.05 && (form === 'Oy' || form === 'Ab')) return `${form} ${name.slice(0, -form.length - 1)}`;
  return name;
}
