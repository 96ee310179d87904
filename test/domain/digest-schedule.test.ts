import { describe, expect, it } from 'vitest';
import {
  describeSchedule,
  formatLondon,
  latestSlot,
  londonInstant,
  nextSlot,
  parseSchedule,
} from '../../src/domain/digest-schedule.js';

const MONDAY_8 = { weekday: 1, hour: 8, minute: 0 };

describe('digest schedule in Europe/London', () => {
  it('is 08:00 GMT in winter and 08:00 BST (07:00 UTC) in summer', () => {
    expect(londonInstant('2026-01-05', 8, 0).toISOString()).toBe('2026-01-05T08:00:00.000Z');
    expect(londonInstant('2026-07-06', 8, 0).toISOString()).toBe('2026-07-06T07:00:00.000Z');
  });

  it('in the March week the clocks go forward (Sun 29 Mar 2026), Monday 08:00 moves an hour earlier in UTC', () => {
    // The Monday before the change is GMT, the Monday after is BST.
    expect(nextSlot(MONDAY_8, new Date('2026-03-23T08:00:00Z')).dueAt.toISOString()).toBe('2026-03-30T07:00:00.000Z');
    // Just before 08:00 BST on 30 March the latest slot is still the 23rd; at 07:00 UTC it is the 30th.
    expect(latestSlot(MONDAY_8, new Date('2026-03-30T06:59:59Z')).week).toBe('2026-03-23');
    expect(latestSlot(MONDAY_8, new Date('2026-03-30T07:00:00Z'))).toEqual({
      week: '2026-03-30',
      dueAt: new Date('2026-03-30T07:00:00Z'),
    });
  });

  it('in the October week the clocks go back (Sun 25 Oct 2026), Monday 08:00 moves an hour later in UTC', () => {
    expect(nextSlot(MONDAY_8, new Date('2026-10-19T07:00:00Z')).dueAt.toISOString()).toBe('2026-10-26T08:00:00.000Z');
    expect(latestSlot(MONDAY_8, new Date('2026-10-26T07:59:59Z')).week).toBe('2026-10-19');
    expect(latestSlot(MONDAY_8, new Date('2026-10-26T08:00:00Z')).week).toBe('2026-10-26');
  });

  it('a slot on the night of a change: the missing hour means the time after the jump, the doubled hour its first time', () => {
    // Sunday 29 March 2026 01:30 does not exist in London: 02:30 BST, which is 01:30 UTC.
    expect(londonInstant('2026-03-29', 1, 30).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    // Sunday 25 October 2026 01:30 happens twice: the first, BST (00:30 UTC).
    expect(londonInstant('2026-10-25', 1, 30).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    const sunday = { weekday: 7, hour: 1, minute: 30 };
    expect(latestSlot(sunday, new Date('2026-10-25T00:30:00Z')).week).toBe('2026-10-25');
    expect(latestSlot(sunday, new Date('2026-10-25T00:29:00Z')).week).toBe('2026-10-18');
  });

  it('finds the slot across a year end and on the slot day itself', () => {
    const friday = { weekday: 5, hour: 16, minute: 30 };
    expect(latestSlot(friday, new Date('2027-01-01T16:29:00Z')).week).toBe('2026-12-25');
    expect(latestSlot(friday, new Date('2027-01-01T16:30:00Z')).week).toBe('2027-01-01');
    expect(nextSlot(friday, new Date('2027-01-01T16:30:00Z')).week).toBe('2027-01-08');
  });

  it('reads the ways people write a weekday and a time, and refuses the rest', () => {
    expect(parseSchedule('Monday 08:00')).toEqual(MONDAY_8);
    expect(parseSchedule('mon 8am')).toEqual(MONDAY_8);
    expect(parseSchedule('Friday at 4.30pm')).toEqual({ weekday: 5, hour: 16, minute: 30 });
    expect(parseSchedule('sunday 0:05')).toEqual({ weekday: 7, hour: 0, minute: 5 });
    for (const bad of ['Moonday 08:00', 'Monday 25:00', 'Monday 08:61', 'Monday', '08:00', 'mo 8', 'Monday 13pm']) {
      expect(parseSchedule(bad), bad).toBeUndefined();
    }
    expect(describeSchedule({ weekday: 3, hour: 7, minute: 5 })).toBe('Wednesday 07:05');
    expect(formatLondon(new Date('2026-07-06T07:00:00Z'))).toBe('Mon 6 Jul 2026, 08:00');
  });
});
