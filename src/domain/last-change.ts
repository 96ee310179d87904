import { z } from 'zod';
import { IsoDateTime } from './text.js';

/**
 * The latest change to a gap or action, kept on the record so every card can say who changed it
 * and when, and so a retried card press is known: `op` is the operation id the card carried.
 * The full trail is in the audit events.
 */
export const LastChange = z.strictObject({
  /** An Azure AD object id. */
  by: z.string().min(1),
  at: IsoDateTime,
  /** What was done: accept, progress, block, done, note, assign, create. */
  what: z.string().regex(/^[a-z-]+$/),
  op: z.string().max(64).optional(),
  /**
   * On a create, how the creator vouched that it holds no personal data (the automatic check
   * cannot see names): "confirmed" ticked it on the form; "typed" wrote a one-line command, where
   * there is nothing to tick, and the line passed the check. Kept so the audit event says which.
   */
  noPersonalData: z.enum(['confirmed', 'typed']).optional(),
});
export type LastChange = z.infer<typeof LastChange>;
