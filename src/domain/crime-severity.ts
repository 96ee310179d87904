import { ValidationError } from './errors.js';
import type { CrimeCount } from './profile.js';

/**
 * Crime severity as West Yorkshire uses it to rank wards (guidance section 4), computed from
 * police.uk street-level counts and the ONS Crime Severity Score weights.
 */

/** police.uk's crime types, spelt as police.uk publishes them, in its order. */
export const POLICE_UK_CRIME_TYPES = [
  'Anti-social behaviour',
  'Bicycle theft',
  'Burglary',
  'Criminal damage and arson',
  'Drugs',
  'Other crime',
  'Other theft',
  'Possession of weapons',
  'Public order',
  'Robbery',
  'Shoplifting',
  'Theft from the person',
  'Vehicle crime',
  'Violence and sexual offences',
] as const;
export type PoliceUkCrimeType = (typeof POLICE_UK_CRIME_TYPES)[number];

export const ANTI_SOCIAL_BEHAVIOUR: PoliceUkCrimeType = 'Anti-social behaviour';

/** One ONS offence and its severity weight, with the police.uk category it is published under. */
export interface OffenceWeight {
  /** Home Office offence code as ONS lists it ("8N", "1, 4.1/2/10"). */
  offenceCode: string;
  offence: string;
  weight: number;
  /** As the join spells it; matched to police.uk's spelling without regard to case. */
  policeUkCategory: string;
}

export interface CategoryWeight {
  weight: number;
  /** Distinct offences the weight was taken from (0 for anti-social behaviour). */
  offences: number;
  min: number;
  max: number;
}

export type CategoryWeights = Readonly<Record<PoliceUkCrimeType, CategoryWeight>>;

/**
 * The weight of a police.uk category is the MEDIAN of the ONS weights of the distinct offences in
 * it. Why: police.uk publishes a category, not the offence, so one number must stand for a spread
 * of offences (Violence and sexual offences runs from 7.54 to homicide's 7973.39). The mean would
 * let one rare offence carry the category (homicide alone moves it by ~130); the median does not.
 * The ideal, a mean weighted by how often each offence is recorded, needs national offence counts
 * that this dataset does not hold. The median still counts each offence once however rare, so it
 * sits high in categories with many rare serious offences (the sexual offences in Violence). Read
 * the scores against each other (the ward ranking), not as ONS Crime Severity Scores.
 * Anti-social behaviour weighs 0: it is not a notifiable crime and ONS gives it no weight.
 * An offence listed twice in the join (one severity code, several count codes) counts once.
 */
export function categoryWeights(offences: readonly OffenceWeight[]): CategoryWeights {
  const byType = new Map<PoliceUkCrimeType, Map<string, number>>();
  for (const o of offences) {
    const type = policeUkCrimeType(o.policeUkCategory);
    if (type === undefined) {
      throw new ValidationError(`"${o.policeUkCategory}" is not a police.uk crime type`, ['policeUkCategory']);
    }
    if (type === ANTI_SOCIAL_BEHAVIOUR) {
      throw new ValidationError('anti-social behaviour is not a notifiable crime and takes no ONS weight');
    }
    const codes = byType.get(type) ?? new Map<string, number>();
    const seen = codes.get(o.offenceCode);
    if (seen !== undefined && seen !== o.weight) {
      throw new ValidationError(`offence ${o.offenceCode} has two different weights (${seen}, ${o.weight})`);
    }
    codes.set(o.offenceCode, o.weight);
    byType.set(type, codes);
  }
  const out = {} as Record<PoliceUkCrimeType, CategoryWeight>;
  for (const type of POLICE_UK_CRIME_TYPES) {
    if (type === ANTI_SOCIAL_BEHAVIOUR) {
      out[type] = { weight: 0, offences: 0, min: 0, max: 0 };
      continue;
    }
    const weights = [...(byType.get(type)?.values() ?? [])];
    if (weights.length === 0) {
      // Without a weight its crimes would silently score nothing.
      throw new ValidationError(`no ONS offence weights for the police.uk crime type "${type}"`);
    }
    out[type] = {
      weight: median(weights),
      offences: weights.length,
      min: Math.min(...weights),
      max: Math.max(...weights),
    };
  }
  return out;
}

export function policeUkCrimeType(name: string): PoliceUkCrimeType | undefined {
  const key = name.trim().toLowerCase();
  return POLICE_UK_CRIME_TYPES.find((t) => t.toLowerCase() === key);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new RangeError('the median of no values is undefined');
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * How a score was computed, in a sentence, naming the population estimate it is per head of
 * ("ONS mid-2022 estimate"). ONS's Crime Severity Score is Σ(offences × weight) ÷ residents; its
 * published scores are for 12 months, ours for the period shown, so a quarter's score is about a
 * quarter of the year's.
 */
export function severityMethod(populationLabel: string): string {
  return (
    `Crime severity score, estimated from police.uk categories: the sum of crimes × their category weight divided by residents (${populationLabel}), ` +
    "on ONS's Crime Severity Score scale, for the period shown. A category weight is the median ONS Crime Severity Score weight of the offences in that " +
    'police.uk category; anti-social behaviour weighs 0 (not a notifiable crime).'
  );
}

/** The method of scores per head of the IoD 2019 File 6 population (mid-2015), as the demo and older imports used. */
export const SEVERITY_METHOD = severityMethod('ONS mid-2015 population estimate');

/** How a district without a population is ranked: by the number of crimes, ASB not counted. */
export const COUNT_RANK_METHOD =
  'Ranked by the number of crimes in the period (anti-social behaviour not counted): without a population file there is no rate or severity per resident.';

/** The plain crime rate is per 1,000 residents, as police.uk and ONS publish rates. */
export const RATE_PER_RESIDENTS = 1000;

/**
 * Σ(count × category weight) ÷ population: ONS's Crime Severity Score formula, on its own scale
 * (an average of weighted offences per resident). Rounded to 5 decimals (the figure ranks are
 * decided on; it keeps every tie and order the earlier per-1,000 score at 2 decimals had).
 * Undefined for no residents: a rate per head of nobody is not a score, and ranking it would put
 * an empty ward at the top or bottom for no reason.
 */
export function severityScore(
  counts: readonly CrimeCount[],
  weights: CategoryWeights,
  population: number,
): number | undefined {
  if (!(population > 0)) return undefined;
  let harm = 0;
  for (const { crimeType, count } of counts) {
    const type = policeUkCrimeType(crimeType);
    if (type === undefined) throw new ValidationError(`"${crimeType}" is not a police.uk crime type`, ['crimeType']);
    harm += count * weights[type].weight;
  }
  return roundScore(harm / population);
}

/** Crimes (anti-social behaviour not counted: it is not a crime) in the counts. */
export function crimesCounted(counts: readonly CrimeCount[]): number {
  let n = 0;
  for (const { crimeType, count } of counts) if (policeUkCrimeType(crimeType) !== ANTI_SOCIAL_BEHAVIOUR) n += count;
  return n;
}

/** Crimes per 1,000 residents, to 1 decimal; undefined for no residents. */
export function crimeRate(counts: readonly CrimeCount[], population: number): number | undefined {
  if (!(population > 0)) return undefined;
  return Math.round(((crimesCounted(counts) * RATE_PER_RESIDENTS) / population) * 10) / 10;
}

export function roundScore(score: number): number {
  return Math.round(score * 100_000) / 100_000;
}

export interface RankedScore {
  districtId: string;
  score: number;
  /** 1 = highest score. */
  rank: number;
}

/**
 * Standard competition ranking ("1224"): equal scores share a rank and the next rank skips, so a
 * rank always says how many districts scored higher. Ordered by rank, then district id, so ties
 * come out the same way every time.
 */
export function rankBySeverity(scores: readonly { districtId: string; score: number }[]): RankedScore[] {
  const sorted = [...scores].sort(
    (a, b) => b.score - a.score || (a.districtId < b.districtId ? -1 : a.districtId > b.districtId ? 1 : 0),
  );
  const out: RankedScore[] = [];
  sorted.forEach((s, i) => {
    const previous = out[i - 1];
    const rank = previous !== undefined && previous.score === s.score ? previous.rank : i + 1;
    out.push({ districtId: s.districtId, score: s.score, rank });
  });
  return out;
}
