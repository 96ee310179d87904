import { z } from 'zod';
import { DeliveryState } from './digest-delivery.js';
import { AadObjectId, IsoDate, IsoDateTime, Slug } from './text.js';

/**
 * What a reminder record is for:
 * - due-soon, overdue: an owner's reminder of a gap or action (subject: its reference);
 * - escalation: a coordinator's daily card of items long overdue (subject empty, one a day each);
 * - refresh-soon, refresh-due, severity-soon, severity-due: a coordinator's review alert
 *   (subject: the district id);
 * - pass: a partnership's day of reminders, claimed by the instance doing it, so the other
 *   instances (and later runs that day) do nothing but one point read.
 */
export const ReminderKind = z.enum([
  'due-soon',
  'overdue',
  'escalation',
  'refresh-soon',
  'refresh-due',
  'severity-soon',
  'severity-due',
  'pass',
]);
export type ReminderKind = z.infer<typeof ReminderKind>;

/** A reference (G-12, PREV-3), a district id (E05000886), or nothing. */
const Subject = z.string().regex(/^[A-Za-z0-9-]{0,64}$/);

/**
 * One reminder, sent at most once: the key is (kind, subject, due date[, recipient]). A changed
 * due date makes a new key, so it can be reminded again; the same one never twice, however many
 * instances run or restart. Items are keyed without the recipient (one per item per kind, even if
 * the owner changes); coordinators' cards, which go to each of them, with it.
 */
export const ReminderDelivery = z.object({
  partnershipId: Slug,
  key: z.string().min(1).max(200),
  kind: ReminderKind,
  subject: Subject,
  /** The due date the reminder is about; for escalations and passes, the London date of the day. */
  dueDate: IsoDate,
  recipient: AadObjectId.optional(),
  state: DeliveryState,
  claimedBy: z.string().min(1).max(200).optional(),
  claimedAt: IsoDateTime.optional(),
  attempts: z.number().int().nonnegative(),
  /** Why the last attempt failed: an HTTP status or error code, never message text. */
  lastError: z.string().max(200).optional(),
  sentAt: IsoDateTime.optional(),
  updatedAt: IsoDateTime,
});
export type ReminderDelivery = z.infer<typeof ReminderDelivery>;

export function reminderKey(kind: ReminderKind, subject: string, dueDate: string, recipient?: string): string {
  return [kind, subject, dueDate, ...(recipient ? [recipient.toLowerCase()] : [])].join(':');
}

/** A fresh record for a key, before its first claim. */
export function newReminder(
  partnershipId: string,
  kind: ReminderKind,
  subject: string,
  dueDate: string,
  now: Date,
  recipient?: string,
): ReminderDelivery {
  return {
    partnershipId,
    key: reminderKey(kind, subject, dueDate, recipient),
    kind,
    subject,
    dueDate,
    ...(recipient ? { recipient: recipient.toLowerCase() } : {}),
    state: 'pending',
    attempts: 0,
    updatedAt: now.toISOString(),
  };
}
