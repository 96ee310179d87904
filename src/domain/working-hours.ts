import { londonTime } from './digest-schedule.js';

/**
 * When the bot may interrupt people with reminders, escalations and review alerts: 08:00 to 18:00
 * UK local time (Europe/London, so BST in summer) on working days, i.e. Monday to Friday except
 * England and Wales bank holidays. Outside those hours nothing is sent; what falls due then goes
 * at the next working-hours slot, because reminders are planned by London date, not by instant.
 */
export const WORKDAY_START_HOUR = 8;
export const WORKDAY_END_HOUR = 18;

/** London dates (YYYY-MM-DD) that are bank holidays. */
export type BankHolidays = ReadonlySet<string>;

export function isWorkingDay(londonDate: string, holidays: BankHolidays): boolean {
  const day = new Date(`${londonDate}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6 && !holidays.has(londonDate);
}

/** Whether `now` is inside working hours on a working day, in London. */
export function isWorkingTime(now: Date, holidays: BankHolidays): boolean {
  const t = londonTime(now);
  return t.hour >= WORKDAY_START_HOUR && t.hour < WORKDAY_END_HOUR && isWorkingDay(t.date, holidays);
}

/** The London date `days` after (or before) `londonDate`. */
export function addLondonDays(londonDate: string, days: number): string {
  const d = new Date(`${londonDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * Reads the `england-and-wales` division of GOV.UK's bank-holidays.json (or a file of that
 * shape): the dates, and the years it covers, so a caller can warn when a year is missing.
 */
export function parseBankHolidays(json: unknown): { dates: Set<string>; years: Set<number> } {
  const events = (json as { 'england-and-wales'?: { events?: unknown } })?.['england-and-wales']?.events;
  if (!Array.isArray(events)) throw new TypeError('not a bank-holidays file: no england-and-wales events');
  const dates = new Set<string>();
  for (const e of events) {
    const date = (e as { date?: unknown })?.date;
    if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date)) {
      throw new TypeError('not a bank-holidays file: an event without a YYYY-MM-DD date');
    }
    dates.add(date);
  }
  return { dates, years: new Set([...dates].map((d) => Number(d.slice(0, 4)))) };
}
