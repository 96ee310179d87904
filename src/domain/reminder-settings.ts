import { z } from 'zod';

/**
 * A partnership's reminder settings (`reminder settings`, coordinators). Owners are reminded
 * `leadDays` before an open gap or action is due and again on the day it becomes overdue;
 * coordinators get a daily escalation of items overdue by `escalationDays` or more
 * (guidance 3.8: holding agencies to account).
 */
export const ReminderSettings = z.strictObject({
  leadDays: z.number().int().min(1).max(28),
  escalationDays: z.number().int().min(1).max(90),
});
export type ReminderSettings = z.infer<typeof ReminderSettings>;

export const DEFAULT_REMINDER_SETTINGS: ReminderSettings = { leadDays: 7, escalationDays: 14 };

/** The settings in force for a partnership: its own, or the defaults. */
export function reminderSettingsOf(partnership: { reminders?: ReminderSettings | undefined }): ReminderSettings {
  return partnership.reminders ?? DEFAULT_REMINDER_SETTINGS;
}
