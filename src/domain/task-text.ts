import type { Classification } from './classification.js';
import { ValidationError } from './errors.js';
import { parseRef } from './refs.js';
import { Strand } from './strand.js';
import type { TaskOp } from './task.js';

/**
 * The one-line forms people type for tasks. Options come after the text, so a question that
 * happens to contain "lead" or "due" keeps it: options are read from the end.
 */
export interface TaskLine {
  district: string;
  strand?: Strand | undefined;
  /** Absent: open the form. */
  text?: string | undefined;
  agency?: string | undefined;
  owner?: string | undefined;
  due?: string | undefined;
  measure?: string | undefined;
  fromGap?: string | undefined;
  classification: Classification;
}

// Each matched against " " + the rest, so an option may also stand first; greedy, so the last
// occurrence of a keyword is the option.
const TRAILING: readonly [RegExp, keyof TaskLine][] = [
  [/^(.*)\s+due\s+(\d{4}-\d{2}-\d{2})$/i, 'due'],
  [/^(.*)\s+from\s+(G-?\s?[1-9]\d*)$/i, 'fromGap'],
  [/^(.*)\s+lead\s+(\S.*)$/i, 'agency'],
  [/^(.*)\s+owner\s+(\S.*)$/i, 'owner'],
  [/^(.*)\s+measure\s+(\S.*)$/i, 'measure'],
];

/** A real calendar day written YYYY-MM-DD (not 2027-02-31). */
export function isCalendarDate(s: string): boolean {
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}

/** `new gap <district>[: <question> [lead <agency>] [owner <name>] [due YYYY-MM-DD]]` */
export function parseNewGap(argument: string): TaskLine {
  return parseLine(argument, false);
}

/** `new action <district> <strand>[: <title> lead <agency> [measure <how>] [from G-n] [due …]]` */
export function parseNewAction(argument: string): TaskLine {
  return parseLine(argument, true);
}

function parseLine(typed: string, withStrand: boolean): TaskLine {
  // Spaces folded first: every pattern below then meets single spaces, and stays linear.
  const argument = typed.replace(/\s+/g, ' ').trim();
  const colon = argument.indexOf(':');
  let head = (colon < 0 ? argument : argument.slice(0, colon)).trim();
  const line: TaskLine = { district: head, classification: 'OFFICIAL' };
  if (withStrand) {
    const m = /^(.*?)\s*\b(prepare|pursue|prevent|protect)$/i.exec(head);
    if (m) {
      head = m[1]!.trim();
      line.strand = Strand.parse(m[2]!.toLowerCase());
    }
    line.district = head;
  }
  if (colon < 0) return line;
  let rest = ` ${argument.slice(colon + 1).trim()}`;
  const sensitive = /^(.*\S)\s+OFFICIAL-SENSITIVE$/i.exec(rest);
  if (sensitive) {
    rest = sensitive[1]!;
    line.classification = 'OFFICIAL-SENSITIVE';
  }
  const dueWord = /\sdue\s+(\S+)$/i.exec(rest);
  if (dueWord && !/^\d{4}-\d{2}-\d{2}$/.test(dueWord[1]!)) {
    throw new ValidationError('Write the due date as a date such as due 2027-01-31.');
  }
  // Read options off the end, the last one first, until none is left; each may appear once.
  for (;;) {
    let last: { key: keyof TaskLine; head: string; value: string } | undefined;
    for (const [pattern, key] of TRAILING) {
      const m = pattern.exec(rest);
      if (m && line[key] === undefined && (!last || m[1]!.length > last.head.length)) {
        last = { key, head: m[1]!, value: m[2]!.trim() };
      }
    }
    if (!last) break;
    rest = last.head;
    (line as unknown as Record<string, string>)[last.key] = last.value;
  }
  // A due date in another form would otherwise end up inside the question, unnoticed.
  if (/\sdue\s+\S+$/i.test(rest)) throw new ValidationError('Write the due date as a date such as due 2027-01-31.');
  if (line.due && !isCalendarDate(line.due)) {
    throw new ValidationError(`${line.due} is not a date; write it as, for example, due 2027-01-31.`);
  }
  if (line.fromGap) line.fromGap = parseRef(line.fromGap)?.ref ?? line.fromGap;
  line.text = rest.trim();
  return line;
}

export interface UpdateLine {
  ref: string;
  op: Exclude<TaskOp, 'assign' | 'close'>;
  text?: string | undefined;
}

const STATUS_WORDS: readonly [RegExp, UpdateLine['op']][] = [
  [/^(?:done|complete|completed|filled)$/i, 'done'],
  [/^blocked$/i, 'block'],
  [/^(?:in[\s-]progress|started)$/i, 'progress'],
  [/^(?:accept|accepted)$/i, 'accept'],
  [/^note$/i, 'note'],
];

const REF = String.raw`((?:G|PREP|PURS|PREV|PROT)[-\s]?[1-9]\d*)`;
const WORD = String.raw`(done|complete|completed|filled|blocked|in[\s-]progress|started|accept|accepted|note)`;
const SEP = String.raw`(?:\s*[:\-–—]\s*|\s+)`;

export const UPDATE_PATTERNS: readonly RegExp[] = [
  new RegExp(String.raw`^(?:update|mark|set)\s+${REF}\s+(?:as\s+)?${WORD}(?:${SEP}(.+))?$`, 'i'),
  new RegExp(String.raw`^${REF}\s+(?:is\s+)?${WORD}(?:${SEP}(.+))?$`, 'i'),
  new RegExp(String.raw`^(accept)\s+${REF}$`, 'i'),
];

/** `update PREV-3 done: …`, `PURS-7 blocked - …`, `mark G-12 filled: …`, `accept G-12`. */
export function parseUpdate(typed: string): UpdateLine | undefined {
  const text = typed.replace(/\s+/g, ' ').trim();
  const accept = UPDATE_PATTERNS[2]!.exec(text);
  const m = accept
    ? ['', accept[2]!, 'accept', undefined]
    : (UPDATE_PATTERNS[0]!.exec(text) ?? UPDATE_PATTERNS[1]!.exec(text));
  if (!m) return undefined;
  const ref = parseRef(m[1]!)?.ref;
  if (!ref) return undefined;
  const op = STATUS_WORDS.find(([p]) => p.test(m[2]!.trim()))?.[1];
  if (!op) return undefined;
  const note = m[3]?.trim();
  if ((op === 'done' || op === 'block' || op === 'note') && !note) {
    const what = op === 'block' ? 'what it is waiting for' : op === 'done' ? 'the outcome' : 'the note';
    const word = op === 'block' ? 'blocked' : op === 'done' ? (ref.startsWith('G-') ? 'filled' : 'done') : 'note';
    throw new ValidationError(`Say ${what}, for example: update ${ref} ${word}: <${what}>.`);
  }
  return { ref, op, ...(note && { text: note }) };
}

export interface CloseLine {
  ref: string;
  reason: string;
}

export const CLOSE_PATTERN = new RegExp(String.raw`^(?:close|cancel)\s+${REF}(?:${SEP}(.*))?$`, 'i');

/**
 * `close G-12: superseded by G-19`, `cancel PURS-7: operation ended`. Either word works for
 * either kind (a gap is closed, an action cancelled); the reason is required, as the board asks why.
 */
export function parseClose(text: string): CloseLine | undefined {
  const m = CLOSE_PATTERN.exec(text.trim());
  if (!m) return undefined;
  const ref = parseRef(m[1]!)?.ref;
  if (!ref) return undefined;
  const reason = m[2]?.trim();
  if (!reason) {
    const word = ref.startsWith('G-') ? 'close' : 'cancel';
    throw new ValidationError(
      `Say why it is no longer needed, for example: ${word} ${ref}: <why>. Nothing was changed.`,
    );
  }
  return { ref, reason };
}
