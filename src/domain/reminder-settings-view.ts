import { plural } from './format.js';
import type { ReminderSettings } from './reminder-settings.js';
import { banner } from './summary.js';

/** What the `reminder settings` card shows: the settings in force, a form to change them, and what just happened. */
export interface ReminderSettingsView {
  banner: ReturnType<typeof banner>;
  title: string;
  partnership: string;
  summary: string;
  explain: string;
  hasErrors: boolean;
  errors: string[];
  note: string;
  values: { leadDays: number; escalationDays: number };
  data: { etag: string };
}

export interface ReminderSettingsCardInput {
  partnershipName: string;
  demo: boolean;
  settings: ReminderSettings;
  isDefault: boolean;
  etag: string;
  errors?: readonly string[];
  note?: string;
  /** What the form shows when it differs from the settings (a refused entry, shown again). */
  values?: Partial<ReminderSettings>;
}

export function describeReminderSettings(s: ReminderSettings): string {
  return `Owners are reminded ${plural(s.leadDays, 'day')} before an open gap or action is due, and on the day it becomes overdue; coordinators get a daily list of items overdue by ${plural(s.escalationDays, 'day')} or more.`;
}

export function composeReminderSettingsView(input: ReminderSettingsCardInput): ReminderSettingsView {
  const { settings } = input;
  return {
    // Settings carry no case data: OFFICIAL wherever they are shown.
    banner: banner('OFFICIAL', input.demo),
    title: 'Reminder settings',
    partnership: input.partnershipName + (input.isDefault ? ' · the defaults' : ''),
    summary: describeReminderSettings(settings),
    explain:
      'Reminders come in each owner’s 1:1 chat with me, 08:00 to 18:00 UK time on working days. Anyone can stop their own with reminders off; task cards for new assignments still come.',
    hasErrors: (input.errors ?? []).length > 0,
    errors: [...(input.errors ?? [])],
    note: input.note ?? '',
    values: {
      leadDays: input.values?.leadDays ?? settings.leadDays,
      escalationDays: input.values?.escalationDays ?? settings.escalationDays,
    },
    data: { etag: input.etag },
  };
}
