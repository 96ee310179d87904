import { z } from 'zod';

/**
 * Free text that people type and that we store and show again (gap questions, update notes).
 * Control characters are refused rather than stripped so nothing is silently changed.
 */
export function boundedText(max: number) {
  return (
    z
      .string()
      .trim()
      .min(1, 'must not be empty')
      .max(max, `must be at most ${max} characters`)
      // eslint-disable-next-line no-control-regex
      .refine((s) => !/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(s), 'must not contain control characters')
  );
}

export const IsoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date as YYYY-MM-DD');
export const IsoDateTime = z.string().datetime({ offset: true });
export const YearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'must be a month as YYYY-MM');

/**
 * Azure AD (Entra ID) object ids are GUIDs. Matched loosely (hex and hyphens) because Microsoft's
 * own Agents Playground sends GUID-like ids with a 13-digit last group; compared in lower case.
 */
export const AadObjectId = z
  .string()
  .regex(/^[0-9a-fA-F][0-9a-fA-F-]{30,38}[0-9a-fA-F]$/, 'must be an Azure AD object id (a GUID)')
  .transform((s) => s.toLowerCase());

/** Ids we mint (partnerships, agencies, districts): lower-case slugs or ONS codes. */
export const Slug = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9][A-Za-z0-9_-]*$/, 'must be letters, digits, - or _');
