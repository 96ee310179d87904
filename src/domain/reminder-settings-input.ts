import { z } from 'zod';
import type { ReminderSettings } from './reminder-settings.js';

/**
 * What a coordinator gives for `reminder settings`, from the card's form (inputs arrive as
 * strings) or typed on one line (`reminder settings lead 5 escalate 21`), checked with the same
 * rules and answered with what was wrong and what would do, never with the value given.
 */
export type SettingsValues = { leadDays?: string | number | undefined; escalationDays?: string | number | undefined };

function days(what: string, min: number, max: number) {
  const range = `${what} must be a whole number of days from ${min} to ${max}.`;
  return z.preprocess(
    (v) => (typeof v === 'string' ? (v.trim() === '' ? undefined : Number(v.trim())) : v),
    z
      .number({ required_error: `${what} is needed (${min} to ${max} days).`, invalid_type_error: range })
      .int(range)
      .min(min, range)
      .max(max, range),
  );
}

export const LEAD_DAYS = { min: 1, max: 28 } as const;
export const ESCALATION_DAYS = { min: 1, max: 90 } as const;

const SettingsForm = z.object({
  leadDays: days('The lead time', LEAD_DAYS.min, LEAD_DAYS.max),
  escalationDays: days('The escalation threshold', ESCALATION_DAYS.min, ESCALATION_DAYS.max),
});

export type SettingsRead = { ok: true; value: ReminderSettings } | { ok: false; errors: string[] };

export function readReminderSettings(values: SettingsValues): SettingsRead {
  const parsed = SettingsForm.safeParse(values);
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: [...new Set(parsed.error.issues.map((i) => i.message))] };
}

/** One setting on the typed line: `lead 5`, `lead time 5 days`, `escalate 21`, `escalation after 21 days`. */
const PART = /^(lead(?: time)?|escalat(?:e|es|ion)(?: after)?)(?: |=|: ?)([^ ,;]+)(?: days?)?$/i;

export type SettingsLine = { kind: 'show' } | { kind: 'change'; values: SettingsValues } | { kind: 'unclear' };

/**
 * The words after `reminder settings`: nothing (show the card), or one or both settings in any
 * order, separated by spaces, commas or "and". A setting not given keeps its current value.
 */
export function parseSettingsLine(argument: string): SettingsLine {
  const text = argument.trim();
  if (!text) return { kind: 'show' };
  const words = text.split(/[ ,;]+/).filter((w) => w !== '' && w.toLowerCase() !== 'and');
  const values: SettingsValues = {};
  let i = 0;
  while (i < words.length) {
    // Each setting is two to four words: a name (one or two words), its value, and "days".
    let matched: RegExpExecArray | null = null;
    let used = 0;
    for (const n of [4, 3, 2]) {
      if (i + n > words.length) continue;
      matched = PART.exec(words.slice(i, i + n).join(' '));
      if (matched) {
        used = n;
        break;
      }
    }
    if (!matched) return { kind: 'unclear' };
    const key = matched[1]!.toLowerCase().startsWith('lead') ? 'leadDays' : 'escalationDays';
    if (values[key] !== undefined) return { kind: 'unclear' };
    values[key] = matched[2]!;
    i += used;
  }
  return { kind: 'change', values };
}
