import { boundedText } from './text.js';

/**
 * The product holds no named individuals (suspects, victims, nominals): OCGs are references with
 * MoRILE scores, and records are strict, so a `name`, `nominal` or `suspect` field cannot be
 * stored. Free text about the work (a gap's question, an action's title or progress note, a
 * recommendation) cannot be checked for names, but it can be checked for the things that would
 * pin text to a person; those are refused with a reason, and nothing is stored.
 */
const IDENTIFIERS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a date of birth', pattern: /\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born\s+(?:on\s+)?\d)/i },
  { what: 'a National Insurance number', pattern: /\b[A-CEGHJ-PR-TW-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D]\b/i },
  { what: 'a PNC id', pattern: /\b\d{2}\/\d{1,7}[A-Z]\b/ },
  // Starts only where a word starts (the lookbehind), so a long run without "@" is read once, not
  // once from every position in it.
  { what: 'an email address', pattern: /(?<![^\s@])[^\s@]+@[^\s@]+\.[a-z]{2,}\b/i },
  { what: 'a phone number', pattern: /(?:\+44\s?7\d{3}|\b07\d{3})\s?\d{3}\s?\d{3}\b/ },
  {
    what: 'a person labelled by name',
    pattern: /\b(?:(?:suspect|nominal|victim|offender|subject|target)s?(?:'s)?\s+name|name(?:d|s)?\s*:)/i,
  },
];

/** What in the text would identify a person, or undefined. Names the kind, never the value. */
export function personalIdentifierIn(text: string): string | undefined {
  return IDENTIFIERS.find((i) => i.pattern.test(text))?.what;
}

export const NO_INDIVIDUALS_MESSAGE =
  'must not identify a person (no names, dates of birth, NI numbers, PNC ids, emails or phone numbers): refer to OCGs by reference, such as OCG-14';

/** boundedText for text about the work, refusing what would identify an individual. */
export function workText(max: number) {
  return boundedText(max).refine((s) => personalIdentifierIn(s) === undefined, NO_INDIVIDUALS_MESSAGE);
}
