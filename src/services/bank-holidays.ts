import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseBankHolidays, type BankHolidays } from '../domain/working-hours.js';
import type { Logger } from '../log.js';

/** England and Wales bank holidays (GOV.UK, Open Government Licence): see the SOURCE.md beside it. */
export const BANK_HOLIDAYS_FILE = fileURLToPath(
  new URL('../../datasets/bank-holidays/england-and-wales.json', import.meta.url),
);

/**
 * Reads the bank-holiday file once at start. A year it does not cover (this one or the next) is
 * logged, because reminders would then go out on that year's bank holidays.
 */
export function loadBankHolidays(now: Date, log: Logger, file = BANK_HOLIDAYS_FILE): BankHolidays {
  const { dates, years } = parseBankHolidays(JSON.parse(readFileSync(file, 'utf8')));
  const year = now.getUTCFullYear();
  const missing = [year, year + 1].filter((y) => !years.has(y));
  if (missing.length)
    log.warn({ file, missing }, 'bank-holiday file does not cover these years: update it from GOV.UK');
  return dates;
}
