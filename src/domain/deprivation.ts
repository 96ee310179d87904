import type { Indicator } from './profile.js';

/** English Indices of Deprivation 2019 rank every one of England's 32,844 LSOAs (2011). */
export const IMD_LSOA_COUNT = 32_844;

/**
 * The decile a national rank falls in (1 = most deprived 10%): ceil(rank × 10 ÷ 32,844). This
 * reproduces the published decile of every LSOA in File 1, and so serves for an average rank too.
 */
export function imdDecileOfRank(rank: number, lsoas = IMD_LSOA_COUNT): number {
  if (!(rank >= 1 && rank <= lsoas)) throw new RangeError(`an IMD rank is between 1 and ${lsoas}`);
  return Math.ceil((rank * 10) / lsoas);
}

/** The index a ward's LSOAs are ranked in: England's IMD or Wales's WIMD, and its edition. */
export interface IndexOfDeprivation {
  /** "IMD 2019", "IMD 2025", "WIMD 2019". */
  name: string;
  country: 'England' | 'Wales';
  /** LSOAs ranked: 1 to this. */
  lsoas: number;
}

export const IMD_2019: IndexOfDeprivation = { name: 'IMD 2019', country: 'England', lsoas: IMD_LSOA_COUNT };

/** One LSOA of a ward, with what the IoD 2019 files say of it. */
export interface LsoaDeprivation {
  population: number;
  children0to15: number;
  aged60plus: number;
  imdRank: number;
  imdDecile: number;
}

export interface WardDeprivation {
  lsoas: number;
  population: number;
  /** Σ(population × rank) ÷ Σ population: how MHCLG summarises areas larger than an LSOA. */
  averageRank: number;
  averageRankDecile: number;
  /** Percentage of residents living in LSOAs in England's most deprived decile. */
  mostDeprived10PctShare: number;
  children0to15Share: number;
  aged60plusShare: number;
}

/**
 * Rolls LSOAs up to a ward, weighting by population so that a small LSOA does not count as much
 * as a large one. Undefined when the ward has no residents (nothing to weight by).
 */
export function rollUpDeprivation(
  lsoas: readonly LsoaDeprivation[],
  index: IndexOfDeprivation = IMD_2019,
): WardDeprivation | undefined {
  let population = 0;
  let weightedRank = 0;
  let inMostDeprived = 0;
  let children = 0;
  let older = 0;
  for (const l of lsoas) {
    population += l.population;
    weightedRank += l.population * l.imdRank;
    if (l.imdDecile === 1) inMostDeprived += l.population;
    children += l.children0to15;
    older += l.aged60plus;
  }
  if (population <= 0) return undefined;
  const averageRank = weightedRank / population;
  return {
    lsoas: lsoas.length,
    population,
    averageRank,
    averageRankDecile: imdDecileOfRank(averageRank, index.lsoas),
    mostDeprived10PctShare: (100 * inMostDeprived) / population,
    children0to15Share: (100 * children) / population,
    aged60plusShare: (100 * older) / population,
  };
}

export interface DeprivationSources {
  imd: { sourceId: string; asOf: string };
  population: { sourceId: string; asOf: string };
}

/** The roll-up as profile indicators, each naming the file it came from. */
export function deprivationIndicators(
  d: WardDeprivation,
  sources: DeprivationSources,
  index: IndexOfDeprivation = IMD_2019,
): Indicator[] {
  const imd = { sourceId: sources.imd.sourceId, asOf: sources.imd.asOf, classification: 'OFFICIAL' as const };
  const pop = {
    sourceId: sources.population.sourceId,
    asOf: sources.population.asOf,
    classification: 'OFFICIAL' as const,
  };
  const rank = Math.round(d.averageRank);
  return [
    {
      key: 'imd-average-rank',
      label: `${index.name} average rank, population-weighted (1 = most deprived)`,
      value: rank,
      display: `${thousands(rank)} of ${thousands(index.lsoas)}`,
      ...imd,
    },
    {
      key: 'imd-average-rank-decile',
      label: `${index.name} decile of the average rank (1 = most deprived 10%)`,
      value: d.averageRankDecile,
      display: `decile ${d.averageRankDecile} of 10`,
      ...imd,
    },
    {
      key: 'imd-most-deprived-10pct-share',
      label: `Residents in ${index.country}'s 10% most deprived neighbourhoods (LSOAs)`,
      value: oneDecimal(d.mostDeprived10PctShare),
      display: `${oneDecimal(d.mostDeprived10PctShare)}%`,
      ...imd,
    },
    {
      key: 'children-0-15-share',
      label: 'Residents aged 0–15',
      value: oneDecimal(d.children0to15Share),
      display: `${oneDecimal(d.children0to15Share)}%`,
      ...pop,
    },
    {
      key: 'aged-60-plus-share',
      label: 'Residents aged 60 and over',
      value: oneDecimal(d.aged60plusShare),
      display: `${oneDecimal(d.aged60plusShare)}%`,
      ...pop,
    },
  ];
}

function oneDecimal(x: number): number {
  return Math.round(x * 10) / 10;
}

function thousands(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
