import { daysBetween, formatDay } from './dates.js';
import type { ReminderSettings } from './reminder-settings.js';

/**
 * What reminders are owed on a London date. Plans are by date, not by instant, so a reminder that
 * falls due in quiet hours, at a weekend or on a bank holiday goes at the next working-hours run:
 * the windows below stay open for a while after the day itself.
 */

/** How many days after its day a missed reminder (a long weekend, an outage) is still sent. */
export const CATCH_UP_DAYS = 7;

export type ItemReminderKind = 'due-soon' | 'overdue';

export interface ItemReminder {
  kind: ItemReminderKind;
  /** due-soon: days until it is due (0 = today); overdue: days since it was due (1 = from today). */
  days: number;
}

/**
 * The reminder an open gap or action due on `due` is owed on `today`: `due-soon` from `leadDays`
 * before it is due until the day itself, `overdue` from the day after it was due (the day it
 * becomes overdue) for CATCH_UP_DAYS. Each is sent at most once (the delivery record's key).
 */
export function itemReminderOn(due: string, today: string, settings: ReminderSettings): ItemReminder | undefined {
  const days = daysBetween(today, due);
  if (days >= 0 && days <= settings.leadDays) return { kind: 'due-soon', days };
  if (days < 0 && -days <= CATCH_UP_DAYS) return { kind: 'overdue', days: -days };
  return undefined;
}

/** How many days overdue an item is on `today` when it is to be escalated, else undefined. */
export function escalationOn(due: string, today: string, settings: ReminderSettings): number | undefined {
  const overdue = daysBetween(due, today);
  return overdue >= settings.escalationDays ? overdue : undefined;
}

/** The line at the top of a reminder's task card. */
export function reminderNote(r: ItemReminder, due: string): string {
  if (r.kind === 'due-soon') {
    if (r.days === 0) return `Reminder: due today (${formatDay(due)}).`;
    return `Reminder: due in ${r.days} ${r.days === 1 ? 'day' : 'days'}, on ${formatDay(due)}.`;
  }
  if (r.days === 1) return `Reminder: overdue today. It was due on ${formatDay(due)}.`;
  return `Reminder: overdue by ${r.days} days. It was due on ${formatDay(due)}.`;
}

export type ReviewKind = 'refresh' | 'severity';
export type ReviewStage = 'soon' | 'due';

export interface ReviewAlert {
  review: ReviewKind;
  stage: ReviewStage;
  due: string;
  /** Days until it is due (0 = today, negative = days past). */
  days: number;
}

/**
 * A district's 12-month refresh or 6-month severity review: an alert `leadDays` before (`soon`)
 * and on the day (`due`), each kept open for catching up like the item reminders.
 */
export function reviewAlertOn(
  review: ReviewKind,
  due: string,
  today: string,
  settings: ReminderSettings,
): ReviewAlert | undefined {
  const days = daysBetween(today, due);
  if (days > 0 && days <= settings.leadDays) return { review, stage: 'soon', due, days };
  if (days <= 0 && -days <= CATCH_UP_DAYS) return { review, stage: 'due', due, days };
  return undefined;
}

const REVIEW_LABEL: Record<ReviewKind, string> = {
  refresh: '12-month refresh',
  severity: '6-month crime severity review',
};

/** "12-month refresh due in 7 days (5 Dec 2026)". */
export function reviewAlertText(a: ReviewAlert): string {
  const what = REVIEW_LABEL[a.review];
  if (a.days > 0) return `${what} due in ${a.days} ${a.days === 1 ? 'day' : 'days'}, on ${formatDay(a.due)}`;
  if (a.days === 0) return `${what} due today (${formatDay(a.due)})`;
  return `${what} was due on ${formatDay(a.due)}`;
}
