import { STRAND_PREFIX, type Strand } from './strand.js';

/**
 * Short references people type: G-12 for an intelligence gap; PREP-3, PURS-7, PREV-2, PROT-5 for
 * 4P actions. Numbers are per partnership and never reused.
 */
export type RefPrefix = 'G' | (typeof STRAND_PREFIX)[Strand];

const PATTERN = /^(G|PREP|PURS|PREV|PROT)-([1-9]\d{0,8})$/;

export function formatRef(prefix: RefPrefix, n: number): string {
  if (!Number.isSafeInteger(n) || n < 1) throw new RangeError(`reference number must be a positive integer`);
  return `${prefix}-${n}`;
}

/** Reads "g-12", "G 12", "prev-3": references as people type them. */
export function parseRef(input: string): { prefix: RefPrefix; n: number; ref: string } | undefined {
  const m = PATTERN.exec(input.trim().toUpperCase().replace(/\s+/, '-'));
  if (!m) return undefined;
  const prefix = m[1] as RefPrefix;
  const n = Number(m[2]);
  return { prefix, n, ref: formatRef(prefix, n) };
}

export function refPrefixForStrand(strand: Strand): RefPrefix {
  return STRAND_PREFIX[strand];
}

export function refNumber(ref: string): number {
  const parsed = parseRef(ref);
  if (!parsed) throw new RangeError(`not a reference: ${ref}`);
  return parsed.n;
}
