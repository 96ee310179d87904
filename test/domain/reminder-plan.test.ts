import { describe, expect, it } from 'vitest';
import {
  escalationOn,
  itemReminderOn,
  reminderNote,
  reviewAlertOn,
  reviewAlertText,
} from '../../src/domain/reminder-plan.js';
import { DEFAULT_REMINDER_SETTINGS } from '../../src/domain/reminder-settings.js';
import { escalationView } from '../../src/domain/reminder-views.js';

const S = DEFAULT_REMINDER_SETTINGS;

describe('reminder plan', () => {
  it('owes a due-soon reminder from seven days before until the day, then an overdue one for a week', () => {
    expect(itemReminderOn('2026-12-08', '2026-11-30', S)).toBeUndefined();
    expect(itemReminderOn('2026-12-08', '2026-12-01', S)).toEqual({ kind: 'due-soon', days: 7 });
    expect(itemReminderOn('2026-12-08', '2026-12-08', S)).toEqual({ kind: 'due-soon', days: 0 });
    expect(itemReminderOn('2026-12-08', '2026-12-09', S)).toEqual({ kind: 'overdue', days: 1 });
    expect(itemReminderOn('2026-12-08', '2026-12-15', S)).toEqual({ kind: 'overdue', days: 7 });
    expect(itemReminderOn('2026-12-08', '2026-12-16', S)).toBeUndefined();
    // The partnership's own lead time.
    expect(itemReminderOn('2026-12-08', '2026-12-01', { leadDays: 3, escalationDays: 14 })).toBeUndefined();
  });

  it('says when, in words a reader takes in at a glance', () => {
    expect(reminderNote({ kind: 'due-soon', days: 7 }, '2026-12-08')).toBe('Reminder: due in 7 days, on 8 Dec 2026.');
    expect(reminderNote({ kind: 'due-soon', days: 1 }, '2026-12-08')).toBe('Reminder: due in 1 day, on 8 Dec 2026.');
    expect(reminderNote({ kind: 'due-soon', days: 0 }, '2026-12-08')).toBe('Reminder: due today (8 Dec 2026).');
    expect(reminderNote({ kind: 'overdue', days: 1 }, '2026-12-08')).toBe(
      'Reminder: overdue today. It was due on 8 Dec 2026.',
    );
    expect(reminderNote({ kind: 'overdue', days: 4 }, '2026-12-08')).toBe(
      'Reminder: overdue by 4 days. It was due on 8 Dec 2026.',
    );
  });

  it('escalates from escalationDays overdue, every day while open', () => {
    expect(escalationOn('2026-12-01', '2026-12-14', S)).toBeUndefined();
    expect(escalationOn('2026-12-01', '2026-12-15', S)).toBe(14);
    expect(escalationOn('2026-12-01', '2027-01-15', S)).toBe(45);
  });

  it('alerts a review seven days before and on the day', () => {
    expect(reviewAlertOn('refresh', '2026-12-08', '2026-12-01', S)).toMatchObject({ stage: 'soon', days: 7 });
    expect(reviewAlertOn('refresh', '2026-12-08', '2026-11-30', S)).toBeUndefined();
    const due = reviewAlertOn('severity', '2026-12-08', '2026-12-08', S)!;
    expect(due).toMatchObject({ stage: 'due', days: 0 });
    expect(reviewAlertText(due)).toBe('6-month crime severity review due today (8 Dec 2026)');
  });

  it('an escalation names OFFICIAL-SENSITIVE items only to the cleared, and says nothing when nothing is late', () => {
    expect(escalationView([], 0, 14, '2026-12-15', false)).toBeUndefined();
    const view = escalationView(
      [{ ref: 'G-3', districtName: 'Everton', owner: 'Adele', daysOverdue: 20, classification: 'OFFICIAL' }],
      2,
      14,
      '2026-12-15',
      false,
    )!;
    expect(view.title).toBe('Escalation: 3 items overdue by 14 days or more');
    expect(view.rows.map((r) => r.ref)).toEqual(['G-3']);
    expect(view.withheld).toContain('2 OFFICIAL-SENSITIVE items are also overdue');
    expect(view.banner.classification).toBe('OFFICIAL');
  });
});
