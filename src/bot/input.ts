/**
 * What a person typed, made fit to match commands against: Teams' formatting tags removed,
 * entities decoded, spaces folded. Text that cannot be a command (far too long, pasted card JSON,
 * markup) is named, so the answer can say what would work instead of guessing.
 */
export const MAX_INPUT_CHARS = 1000;

export type InputProblem = 'too-long' | 'json' | 'markup';

export interface CleanInput {
  text: string;
  problem?: InputProblem;
  /** The length as typed, for the "too long" answer. */
  length: number;
}

// Formatting Teams may wrap around typed text; anything else tag-like is markup someone pasted.
const FORMATTING_TAG = /<\/?(p|br|div|span|b|strong|i|em|u|s|strike|font|at)(\s[^<>]*)?\/?>/gi;
const ANY_TAG = /<\/?[a-z!?][^<>]*>/i;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', '#39': "'" };

function decodeEntities(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|nbsp|#39);/g, (_, e: string) => ENTITIES[e] ?? _);
}

function looksLikeJson(s: string): boolean {
  if (!/^[[{]/.test(s)) return false;
  try {
    JSON.parse(s);
    return true;
  } catch {
    return /"type"\s*:\s*"AdaptiveCard"|"\$schema"/.test(s);
  }
}

export function cleanInput(raw: string | undefined): CleanInput {
  const typed = raw ?? '';
  if (typed.length > MAX_INPUT_CHARS) return { text: '', problem: 'too-long', length: typed.length };
  const unformatted = typed.replace(FORMATTING_TAG, ' ');
  if (ANY_TAG.test(unformatted)) return { text: '', problem: 'markup', length: typed.length };
  const text = decodeEntities(unformatted).replace(/\s+/g, ' ').trim();
  if (looksLikeJson(text)) return { text: '', problem: 'json', length: typed.length };
  return { text, length: typed.length };
}
