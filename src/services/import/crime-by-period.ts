import {
  POLICE_UK_CRIME_TYPES,
  crimeRate,
  crimesCounted,
  rankBySeverity,
  severityScore,
  type CategoryWeights,
} from '../../domain/crime-severity.js';
import { ValidationError } from '../../domain/errors.js';
import type { Placement } from '../../domain/lsoa-placement.js';
import type { CrimePeriod } from '../../domain/profile.js';
import { periodsOfMonths } from '../../domain/severity-history.js';
import type { CrimeTally } from './street-crime-tally.js';
import type { Ward } from './ward-profiles.js';

/**
 * Counts per ward and period, and each period's scores and ranks among the wards. Without a
 * population for any ward (no population file), wards are ranked by their number of crimes.
 */
export function crimeByPeriod(
  tally: CrimeTally,
  wards: readonly Ward[],
  /** Where each LSOA of the tally falls (lsoa-placement.ts). */
  placement: ReadonlyMap<string, Placement>,
  population: ReadonlyMap<string, number>,
  weights: CategoryWeights,
) {
  const { periods, gaps } = periodsOfMonths(tally.months);
  if (gaps.length > 0) {
    throw new ValidationError(
      `no street-level crime rows for ${gaps.join(', ')}: a month missing from a quarter would read as a fall in crime; add its file`,
    );
  }
  const periodOf = new Map<string, number>();
  periods.forEach((p, i) => {
    for (let m = p.from; m <= p.to; m = nextMonth(m)) periodOf.set(m, i);
  });
  // ward → period → counts by type index
  const counts = new Map<string, number[][]>();
  let rowsCounted = 0;
  let rowsOutside = 0;
  let rowsMoved = 0;
  /** LSOA → crimes, for the LSOAs that could not be placed: reported, never dropped in silence. */
  const unplaced = new Map<string, { crimes: number; split: boolean }>();
  for (const { lsoa, month, crimeType, count } of tally.entries()) {
    const place = placement.get(lsoa) ?? { kind: 'unknown' };
    if (place.kind === 'outside') {
      rowsOutside += count;
      continue;
    }
    if (place.kind === 'unknown' || place.kind === 'split') {
      const u = unplaced.get(lsoa) ?? { crimes: 0, split: place.kind === 'split' };
      u.crimes += count;
      unplaced.set(lsoa, u);
      continue;
    }
    const ward = place.ward;
    if (place.kind === 'moved') rowsMoved += count;
    let byPeriod = counts.get(ward);
    if (!byPeriod) {
      byPeriod = periods.map(() => POLICE_UK_CRIME_TYPES.map(() => 0));
      counts.set(ward, byPeriod);
    }
    byPeriod[periodOf.get(month)!]![POLICE_UK_CRIME_TYPES.indexOf(crimeType)]! += count;
    rowsCounted += count;
  }
  const countsOf = (ward: string, i: number) =>
    POLICE_UK_CRIME_TYPES.map((crimeType, t) => ({ crimeType, count: counts.get(ward)?.[i]?.[t] ?? 0 }));
  const byCount = population.size === 0;
  const ranked = periods.map((_, i) => {
    const scores = wards.flatMap((w) => {
      if (byCount) return [{ districtId: w.code, score: crimesCounted(countsOf(w.code, i)) }];
      const pop = population.get(w.code);
      const score = pop === undefined ? undefined : severityScore(countsOf(w.code, i), weights, pop);
      return score === undefined ? [] : [{ districtId: w.code, score }];
    });
    return { outOf: scores.length, byId: new Map(rankBySeverity(scores).map((r) => [r.districtId, r])) };
  });
  const rateOf = (ward: string, i: number) => {
    const pop = population.get(ward);
    return pop === undefined ? undefined : crimeRate(countsOf(ward, i), pop);
  };
  return {
    periods,
    rowsCounted,
    rowsOutside,
    rowsMoved,
    unplaced,
    rankedBy: byCount ? ('crimes' as const) : ('severity' as const),
    /** The ward's periods, latest first, as the profile keeps them. */
    forWard(ward: string): CrimePeriod[] {
      return periods
        .map((period, i) => {
          const r = ranked[i]!.byId.get(ward);
          return {
            period: { ...period },
            counts: countsOf(ward, i),
            ...(r && {
              severity: {
                score: r.score,
                rank: r.rank,
                outOf: ranked[i]!.outOf,
                ...(rateOf(ward, i) !== undefined && { crimeRate: rateOf(ward, i)! }),
                ...(byCount && { rankedBy: 'crimes' as const }),
              },
            }),
          };
        })
        .reverse();
    },
  };
}

function nextMonth(m: string): string {
  const [y, mo] = m.split('-').map(Number) as [number, number];
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
}
