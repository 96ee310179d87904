import { boundedText } from './text.js';

/**
 * The product holds no named individuals (suspects, victims, nominals): OCGs are references with
 * MoRILE scores, and records are strict, so a `name`, `nominal` or `suspect` field cannot be
 * stored. Free text about the work (a gap's question, an action's title or progress note, a
 * recommendation) cannot be checked for names in general (no pattern tells "John Smith" from
 * "Bradford Moor"), but it can be checked for the things that would pin text to a person; those are
 * refused with a reason, and nothing is stored. The create form also asks for a confirmation.
 *
 * Every pattern runs in time linear in the text (a 256 KB paste is checked as fast as a line):
 * no quantified group can match the same characters two ways, and an open-ended run is anchored
 * on a character it cannot contain (the email's `@`, the "(at)"), never scanned from every start.
 */
/** "(at)", "[at]", "{at}", with or without spaces inside; "dot" likewise. */
const AT = String.raw`\s?[(\[{]\s?at\s?[)\]}]\s?`;
const DOT = String.raw`(?:\s?\.\s?|\s?[(\[{]\s?dot\s?[)\]}]\s?)`;
/** A UK number's digits after its first, each optionally after a space, hyphen or bracket. */
const REST_OF_NUMBER = String.raw`(?:[\s\-)]{0,2}\d){8,9}(?!\d)`;
/** Three-letter words the partnership writes in capitals that are not plates. */
const ACRONYM = String.raw`(?:OCG|SOC|NHS|ASB|CSP|NRM|VRP|CID|PCC|PND|PNC|IOM|MAP|CSE|CCE|MSP|MPS|GMP|UKD)\b`;
const IDENTIFIERS: readonly { what: string; pattern: RegExp }[] = [
  { what: 'a date of birth', pattern: /\b(?:d\.?o\.?b\.?|date\s+of\s+birth|born\s+(?:on\s+)?\d)/i },
  {
    what: 'a National Insurance number',
    // QQ 12 34 56 C, QQ-12-34-56-C, QQ123456C.
    pattern: /\b[A-Z]{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?\d{2}[\s-]?[A-D]\b/i,
  },
  { what: 'a PNC id', pattern: /\b\d{2}\/\d{1,7}[A-Z]\b/ },
  // One character before the @ proves what any number would, and keeps the search linear.
  { what: 'an email address', pattern: /[^\s@]@[^\s@]+\.[a-z]{2,}\b/i },
  {
    what: 'an email address',
    pattern: new RegExp(
      String.raw`[\w.+-]${AT}[\w-]+(?:${DOT}[\w-]+)+|\bat\s+[\w-]+\s+dot\s+(?:com|org|net|uk|gov|co)\b`,
      'i',
    ),
  },
  {
    what: 'a phone number',
    // 07700 900123, 07700-900-123, (0151) 123 4567, +44 (0)7700 900123, 0044 20 7946 0018.
    pattern: new RegExp(String.raw`(?<![\d+])(?:(?:\+|00)44[\s-]?(?:\(0\)[\s-]?)?[1-9]|\(?0[1-9])${REST_OF_NUMBER}`),
  },
  {
    what: 'a postcode',
    // L5 6PX, M1 1AE, EC1A 1BB, b33 8th; "KS2 2nd" (an ordinal) is not one.
    pattern: /\b(?:[A-PR-UWYZ][A-HK-Y]?\d[A-Z\d]?)\s?(?!(?:1st|2nd|3rd|[4-9]th)\b)\d[ABD-HJLNP-UW-Z]{2}\b/i,
  },
  {
    what: 'a vehicle registration',
    // Current AB12 CDE; older A123 BCD and ABC 123D. In capitals, as plates are written, so that
    // "FY24 and" is not one; and not where the letters are an acronym the partnership uses
    // ("M62 OCG-14", "SOC 4P").
    pattern: new RegExp(
      String.raw`\b(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?(?!${ACRONYM})[A-Z]{3}|(?!${ACRONYM})[A-Z]{3}\s?\d{1,3}\s?[A-Z])(?![\w-])`,
    ),
  },
  {
    what: 'a person labelled by name',
    pattern: /\b(?:(?:suspect|nominal|victim|offender|subject|target)s?(?:'s)?\s+name|name(?:d|s)?\s*:)/i,
  },
  {
    what: 'a person labelled by name',
    // "Suspect John Smith", "nominal: Smith"; not "suspect County Lines activity" or "nominal OCG-14".
    pattern: /\b(?:[Ss]uspect|SUSPECT|[Nn]ominal|NOMINAL)s?\s?:?\s+(?!(?:County|Lines|Ward|OCG)\b)[A-Z][a-z'’-]+/,
  },
];

/** What in the text would identify a person, or undefined. Names the kind, never the value. */
export function personalIdentifierIn(text: string): string | undefined {
  return IDENTIFIERS.find((i) => i.pattern.test(text))?.what;
}

export const NO_INDIVIDUALS_MESSAGE =
  'must not identify a person (no names, dates of birth, NI numbers, PNC ids, emails, phone numbers, postcodes or vehicle registrations): refer to OCGs by reference, such as OCG-14';

/** boundedText for text about the work, refusing what would identify an individual. */
export function workText(max: number) {
  return boundedText(max).refine((s) => personalIdentifierIn(s) === undefined, NO_INDIVIDUALS_MESSAGE);
}
