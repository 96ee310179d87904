import { describe, expect, it } from 'vitest';
import { parseSettingsLine, readReminderSettings } from '../../src/domain/reminder-settings-input.js';

describe('reminder settings typed on one line', () => {
  it('reads one or both settings, in either order, with or without "days"', () => {
    expect(parseSettingsLine('')).toEqual({ kind: 'show' });
    expect(parseSettingsLine('lead 5 escalate 21')).toEqual({
      kind: 'change',
      values: { leadDays: '5', escalationDays: '21' },
    });
    expect(parseSettingsLine('escalation after 30 days, lead time 3 days')).toEqual({
      kind: 'change',
      values: { leadDays: '3', escalationDays: '30' },
    });
    expect(parseSettingsLine('Lead: 4 and escalate 10')).toEqual({
      kind: 'change',
      values: { leadDays: '4', escalationDays: '10' },
    });
  });

  it('calls anything else unclear, a setting given twice included', () => {
    expect(parseSettingsLine('sooner please')).toEqual({ kind: 'unclear' });
    expect(parseSettingsLine('lead 5 lead 6')).toEqual({ kind: 'unclear' });
    expect(parseSettingsLine('lead')).toEqual({ kind: 'unclear' });
  });
});

describe('reminder settings checked', () => {
  it('takes whole days in range, as numbers or the strings a card sends', () => {
    expect(readReminderSettings({ leadDays: '28', escalationDays: 1 })).toEqual({
      ok: true,
      value: { leadDays: 28, escalationDays: 1 },
    });
  });

  it('names each problem and the range that would do, never the value given', () => {
    const read = readReminderSettings({ leadDays: 'soon', escalationDays: '91' });
    expect(read).toEqual({
      ok: false,
      errors: [
        'The lead time must be a whole number of days from 1 to 28.',
        'The escalation threshold must be a whole number of days from 1 to 90.',
      ],
    });
    expect(readReminderSettings({ leadDays: '0', escalationDays: ' ' })).toEqual({
      ok: false,
      errors: [
        'The lead time must be a whole number of days from 1 to 28.',
        'The escalation threshold is needed (1 to 90 days).',
      ],
    });
  });
});
