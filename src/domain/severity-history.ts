import { addMonths } from './dates.js';
import type { CrimePeriod, Period, Severity } from './profile.js';
import { CSI_REVIEW_MONTHS } from './review.js';

/**
 * The crime history a profile keeps, one entry per period, so that the rank and its change since
 * the last six-monthly review can be shown and a trend read (guidance section 4).
 *
 * Why inside the profile document and not a store of its own: the history is small and bounded
 * (at most MAX_CRIME_PERIODS periods of 14 counts and a score, under 3 KB), it is read with the
 * profile the cards already read (no second query on the message path), and it changes with the
 * profile in one audited write in both adapters, so the Store port needs nothing new.
 */

/** Three years of quarters: enough for six 6-monthly reviews and a trend. */
export const MAX_CRIME_PERIODS = 12;

/** "2019-Q4" for "2019-11": the import groups police.uk's monthly rows by calendar quarter. */
export function quarterOf(month: string): string {
  const [y, m] = month.split('-') as [string, string];
  return `${y}-Q${Math.ceil(Number(m) / 3)}`;
}

export function monthsOf(p: Period): string[] {
  const out: string[] = [];
  let [y, m] = p.from.split('-').map(Number) as [number, number];
  for (;;) {
    const ym = `${y}-${String(m).padStart(2, '0')}`;
    out.push(ym);
    if (ym >= p.to) return out;
    m += 1;
    if (m > 12) [y, m] = [y + 1, 1];
  }
}

/**
 * The periods a set of months falls in: one per calendar quarter, from its first month seen to
 * its last. A month missing inside a quarter is returned in `gaps`: the count would look like a
 * fall in crime when it is a missing download.
 */
export function periodsOfMonths(months: Iterable<string>): { periods: Period[]; gaps: string[] } {
  const byQuarter = new Map<string, string[]>();
  for (const m of months) {
    const q = quarterOf(m);
    byQuarter.set(q, [...(byQuarter.get(q) ?? []), m]);
  }
  const periods: Period[] = [];
  const gaps: string[] = [];
  for (const ms of byQuarter.values()) {
    ms.sort();
    const period = { from: ms[0]!, to: ms[ms.length - 1]! };
    const seen = new Set(ms);
    gaps.push(...monthsOf(period).filter((m) => !seen.has(m)));
    periods.push(period);
  }
  periods.sort((a, b) => (a.from < b.from ? -1 : 1));
  return { periods, gaps: gaps.sort() };
}

function overlaps(a: Period, b: Period): boolean {
  return a.from <= b.to && b.from <= a.to;
}

/**
 * The stored history with the fresh periods in: a fresh period replaces every stored one it
 * overlaps (so importing the same months again changes nothing), latest first, the oldest dropped
 * beyond MAX_CRIME_PERIODS.
 */
export function mergeCrimeHistory(stored: readonly CrimePeriod[], fresh: readonly CrimePeriod[]): CrimePeriod[] {
  const kept = stored.filter((s) => !fresh.some((f) => overlaps(f.period, s.period)));
  return [...kept, ...fresh]
    .sort((a, b) => (a.period.from < b.period.from ? 1 : a.period.from > b.period.from ? -1 : 0))
    .slice(0, MAX_CRIME_PERIODS);
}

/**
 * The period a change is measured against: the latest scored one that ended at least six months
 * (CSI_REVIEW_MONTHS) before the latest period ended, as West Yorkshire reviews every six months.
 */
export function reviewBaseline(history: readonly CrimePeriod[]): CrimePeriod | undefined {
  const latest = history[0];
  if (!latest) return undefined;
  const cutoff = addMonths(`${latest.period.to}-01`, -CSI_REVIEW_MONTHS).slice(0, 7);
  return history.find((h) => h.severity !== undefined && h.period.to <= cutoff);
}

/**
 * The profile's current severity from its history: the latest period's score and rank, against
 * the review baseline. Undefined when the latest period has no score.
 */
export function severityFromHistory(history: readonly CrimePeriod[], method: string): Severity | undefined {
  const latest = history[0];
  if (!latest?.severity) return undefined;
  const found = reviewBaseline(history)?.severity;
  // A rank by crime count and a rank by severity per resident are different measures.
  const base = found && (found.rankedBy ?? 'severity') === (latest.severity.rankedBy ?? 'severity') ? found : undefined;
  return {
    score: latest.severity.score,
    period: { ...latest.period },
    rank: latest.severity.rank,
    outOf: latest.severity.outOf,
    ...(base && { rankAtLastReview: base.rank, scoreAtLastReview: base.score }),
    ...(latest.severity.crimeRate !== undefined && { crimeRate: latest.severity.crimeRate }),
    ...(latest.severity.rankedBy === 'crimes' && { rankedBy: 'crimes' as const }),
    method,
  };
}
