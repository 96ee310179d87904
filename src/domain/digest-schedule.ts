/**
 * When a board channel's weekly digest is due, in Europe/London local time, right across the
 * clock changes: "Monday 08:00" is 08:00 GMT in winter and 08:00 BST (07:00 UTC) in summer.
 * Only Intl is used: the time-zone rules come with Node, so no dependency is needed.
 */
export interface DigestSchedule {
  /** ISO weekday, 1 = Monday. */
  weekday: number;
  hour: number;
  minute: number;
}

export const LONDON = 'Europe/London';

export function scheduleOf(c: { digestWeekday: number; digestHour: number; digestMinute: number }): DigestSchedule {
  return { weekday: c.digestWeekday, hour: c.digestHour, minute: c.digestMinute };
}

const parts = new Intl.DateTimeFormat('en-GB', {
  timeZone: LONDON,
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
});

export interface LocalTime {
  /** YYYY-MM-DD, the London calendar date. */
  date: string;
  hour: number;
  minute: number;
  /** ISO weekday, 1 = Monday. */
  weekday: number;
}

export function londonTime(instant: Date): LocalTime {
  const p = Object.fromEntries(parts.formatToParts(instant).map((x) => [x.type, x.value]));
  const date = `${p.year}-${p.month}-${p.day}`;
  return { date, hour: Number(p.hour), minute: Number(p.minute), weekday: isoWeekday(date) };
}

function isoWeekday(date: string): number {
  const d = new Date(`${date}T00:00:00Z`).getUTCDay();
  return d === 0 ? 7 : d;
}

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/**
 * The instant a London wall-clock time names. In the hour that happens twice (October) the first,
 * BST, is taken, so a digest is not late; in the hour that never happens (March) the clock has
 * already jumped, so 01:30 means 02:30 BST, the same instant as 01:30 GMT.
 */
export function londonInstant(date: string, hour: number, minute: number): Date {
  const wall = Date.parse(`${date}T00:00:00Z`) + (hour * 60 + minute) * 60_000;
  for (const offsetMinutes of [60, 0]) {
    const candidate = new Date(wall - offsetMinutes * 60_000);
    const local = londonTime(candidate);
    if (local.date === date && local.hour === hour && local.minute === minute) return candidate;
  }
  return new Date(wall);
}

/**
 * The London date of the Monday of the ISO week that `date` (a London date) falls in: the key
 * for "one weekly digest per channel per ISO week", which a schedule change mid-week keeps.
 */
export function isoWeekMonday(date: string): string {
  return addDays(date, 1 - isoWeekday(date));
}

export interface Slot {
  /** The London date of the slot: the week's key for "one digest per channel per week". */
  week: string;
  dueAt: Date;
}

/** The most recent slot at or before `now`. */
export function latestSlot(schedule: DigestSchedule, now: Date): Slot {
  const today = londonTime(now);
  let date = addDays(today.date, -((today.weekday - schedule.weekday + 7) % 7));
  let dueAt = londonInstant(date, schedule.hour, schedule.minute);
  if (dueAt.getTime() > now.getTime()) {
    date = addDays(date, -7);
    dueAt = londonInstant(date, schedule.hour, schedule.minute);
  }
  return { week: date, dueAt };
}

/** The first slot after `now`. */
export function nextSlot(schedule: DigestSchedule, now: Date): Slot {
  const date = addDays(latestSlot(schedule, now).week, 7);
  return { week: date, dueAt: londonInstant(date, schedule.hour, schedule.minute) };
}

/** The slot before this one: the start of the week a digest reports on. */
export function previousSlot(schedule: DigestSchedule, slot: Slot): Slot {
  const date = addDays(slot.week, -7);
  return { week: date, dueAt: londonInstant(date, schedule.hour, schedule.minute) };
}

export const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

/** "Monday 08:00". */
export function describeSchedule(s: DigestSchedule): string {
  return `${WEEKDAYS[s.weekday - 1]} ${String(s.hour).padStart(2, '0')}:${String(s.minute).padStart(2, '0')}`;
}

/**
 * Reads "Monday 08:00", "mon 8am", "Friday 16:30", "tue 7.15": a weekday and a time of day.
 * Undefined when it is not one.
 */
export function parseSchedule(typed: string): DigestSchedule | undefined {
  // Trimmed and folded first, so the optional spaces below cannot backtrack over a long run.
  const text = typed.replace(/\s+/g, ' ').trim();
  const m = /^([a-z]+) (?:at )?(\d{1,2})(?:[:.](\d{2}))? ?(am|pm)?$/i.exec(text);
  if (!m) return undefined;
  const word = m[1]!.toLowerCase();
  const index = WEEKDAYS.findIndex((d) => word.length >= 3 && d.toLowerCase().startsWith(word));
  if (index < 0) return undefined;
  let hour = Number(m[2]);
  const minute = m[3] === undefined ? 0 : Number(m[3]);
  const half = m[4]?.toLowerCase();
  if (half) {
    if (hour < 1 || hour > 12) return undefined;
    hour = (hour % 12) + (half === 'pm' ? 12 : 0);
  }
  if (hour > 23 || minute > 59) return undefined;
  return { weekday: index + 1, hour, minute };
}

/** "Mon 30 Mar 2026, 08:00": a London time as a UK reader expects it. */
export function formatLondon(instant: Date): string {
  const t = londonTime(instant);
  const [y, mo, d] = t.date.split('-').map(Number) as [number, number, number];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][mo - 1];
  const day = WEEKDAYS[t.weekday - 1]!.slice(0, 3);
  return `${day} ${d} ${month} ${y}, ${String(t.hour).padStart(2, '0')}:${String(t.minute).padStart(2, '0')}`;
}
