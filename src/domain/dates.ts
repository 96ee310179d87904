/**
 * Calendar arithmetic on UTC dates. A review "due" date is a calendar day; a thing is overdue
 * from the day after it falls due.
 */

export function toIsoDate(d: Date): string {
  return d.toISOString().slice(0, 10);
}

/** Adds calendar months, clamping to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(isoDateOrDateTime: string, months: number): string {
  const d = new Date(isoDateOrDateTime.length === 10 ? `${isoDateOrDateTime}T00:00:00Z` : isoDateOrDateTime);
  if (Number.isNaN(d.getTime())) throw new RangeError(`not a date: ${isoDateOrDateTime}`);
  const day = d.getUTCDate();
  const target = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  target.setUTCDate(Math.min(day, lastDay));
  return toIsoDate(target);
}

export function daysBetween(fromIsoDate: string, toIsoDateValue: string): number {
  const a = Date.parse(`${fromIsoDate}T00:00:00Z`);
  const b = Date.parse(`${toIsoDateValue}T00:00:00Z`);
  return Math.round((b - a) / 86_400_000);
}

export type DueState = 'ok' | 'due-soon' | 'overdue';

/** Due within `soonDays` is "due soon"; past the due day is "overdue". */
export function dueState(dueIsoDate: string, now: Date, soonDays = 30): DueState {
  const days = daysBetween(toIsoDate(now), dueIsoDate);
  if (days < 0) return 'overdue';
  if (days <= soonDays) return 'due-soon';
  return 'ok';
}

export function isOverdue(dueIsoDate: string | undefined, now: Date): boolean {
  // ISO dates order as strings: due before today means overdue.
  return dueIsoDate !== undefined && dueIsoDate < toIsoDate(now);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "5 Mar 2026": unambiguous for a UK reader, whatever the client's locale. */
export function formatDay(isoDateOrDateTime: string): string {
  const d = new Date(isoDateOrDateTime.length === 10 ? `${isoDateOrDateTime}T00:00:00Z` : isoDateOrDateTime);
  return `${d.getUTCDate()} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

/** "Oct–Dec 2019", "Dec 2019 – Feb 2020", "Oct 2019". */
export function formatPeriod(p: { from: string; to: string }): string {
  const [fy, fm] = p.from.split('-').map(Number) as [number, number];
  const [ty, tm] = p.to.split('-').map(Number) as [number, number];
  const f = MONTHS[fm - 1];
  const t = MONTHS[tm - 1];
  if (p.from === p.to) return `${f} ${fy}`;
  if (fy === ty) return `${f}–${t} ${ty}`;
  return `${f} ${fy} – ${t} ${ty}`;
}
