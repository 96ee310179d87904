import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { BANK_HOLIDAYS_FILE, loadBankHolidays } from '../../src/services/bank-holidays.js';
import { createLogger } from '../../src/log.js';
import { isWorkingDay, isWorkingTime, parseBankHolidays } from '../../src/domain/working-hours.js';

const holidays = loadBankHolidays(new Date('2026-11-30T12:00:00Z'), createLogger('silent'));

describe('working hours (Europe/London, England and Wales bank holidays)', () => {
  it('are 08:00 to 18:00 London time: GMT in winter, BST in summer', () => {
    // Winter (GMT): 08:00 London is 08:00 UTC.
    expect(isWorkingTime(new Date('2026-11-30T07:59:00Z'), holidays)).toBe(false);
    expect(isWorkingTime(new Date('2026-11-30T08:00:00Z'), holidays)).toBe(true);
    expect(isWorkingTime(new Date('2026-11-30T17:59:00Z'), holidays)).toBe(true);
    expect(isWorkingTime(new Date('2026-11-30T18:00:00Z'), holidays)).toBe(false);
    // Summer (BST): 08:00 London is 07:00 UTC, 18:00 is 17:00 UTC.
    expect(isWorkingTime(new Date('2026-07-01T06:59:00Z'), holidays)).toBe(false);
    expect(isWorkingTime(new Date('2026-07-01T07:00:00Z'), holidays)).toBe(true);
    expect(isWorkingTime(new Date('2026-07-01T16:59:00Z'), holidays)).toBe(true);
    expect(isWorkingTime(new Date('2026-07-01T17:00:00Z'), holidays)).toBe(false);
  });

  it('are on weekdays that are not bank holidays', () => {
    expect(isWorkingTime(new Date('2026-11-28T10:00:00Z'), holidays)).toBe(false); // Saturday
    expect(isWorkingTime(new Date('2026-11-29T10:00:00Z'), holidays)).toBe(false); // Sunday
    expect(isWorkingDay('2026-12-25', holidays)).toBe(false); // Christmas Day, a Friday
    expect(isWorkingDay('2026-12-28', holidays)).toBe(false); // Boxing Day's substitute, a Monday
    expect(isWorkingDay('2026-12-29', holidays)).toBe(true);
    expect(isWorkingDay('2027-03-26', holidays)).toBe(false); // Good Friday
    expect(isWorkingDay('2027-03-29', holidays)).toBe(false); // Easter Monday
    expect(isWorkingDay('2026-05-25', holidays)).toBe(false); // Spring bank holiday
  });

  it('read the bank holidays from the GOV.UK-shaped file: England and Wales, 2024 to 2028, eight a year', () => {
    const { dates, years } = parseBankHolidays(JSON.parse(readFileSync(BANK_HOLIDAYS_FILE, 'utf8')));
    expect([...years].sort()).toEqual([2024, 2025, 2026, 2027, 2028]);
    for (const y of years) expect([...dates].filter((d) => d.startsWith(`${y}-`))).toHaveLength(8);
    // Every one on a weekday (substitute days included).
    for (const d of dates) expect([0, 6]).not.toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
    expect(() => parseBankHolidays({ scotland: { events: [] } })).toThrow(/england-and-wales/);
  });
});
