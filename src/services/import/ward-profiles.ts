import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import {
  POLICE_UK_CRIME_TYPES,
  SEVERITY_METHOD,
  categoryWeights,
  crimeRate,
  policeUkCrimeType,
  rankBySeverity,
  severityScore,
  type CategoryWeights,
  type PoliceUkCrimeType,
} from '../../domain/crime-severity.js';
import { deprivationIndicators, rollUpDeprivation } from '../../domain/deprivation.js';
import type { District } from '../../domain/district.js';
import type { CrimePeriod, DataSource, Period, Profile, Severity } from '../../domain/profile.js';
import { reviewAfterRefresh } from '../../domain/review.js';
import { monthsOf } from '../../domain/severity-history.js';
import { resolveDataFile } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import { readImdFile1, type LsoaImd } from './iod2019-imd.js';
import { readPopulationFile6, type LsoaPopulation } from './iod2019-population.js';
import { readSeverityWeights } from './ons-crime-severity-weights.js';
import { readLsoaWardLookup, type LsoaWard } from './ons-lsoa-ward-lookup.js';
import { readStreetCrime } from './police-uk-street-crime.js';

/** Where each published file sits in a dataset directory (plain or `.gz`). */
export const DATASET_FILES = {
  lookup: 'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv',
  imd: 'imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv',
  population: 'imd/File_6_-_IoD2019_Population_Denominators.csv',
  weights: 'css_weights/policeuk-ons-code-join.csv',
  crimeDir: 'crime',
} as const;

/** The two periods six months apart that the severity review compares (guidance section 4). */
export interface ReviewPeriods {
  latest: Period;
  previous: Period;
}

export const DEFAULT_PERIODS: ReviewPeriods = {
  latest: { from: '2019-10', to: '2019-12' },
  previous: { from: '2019-04', to: '2019-06' },
};

export interface WardProfilesInput {
  datasetDir: string;
  partnershipId: string;
  /** LAD19 codes; every ward of these authorities gets a district and a profile. */
  localAuthorityCodes: readonly string[];
  now: Date;
  periods?: ReviewPeriods;
}

export interface CrimeImportSummary {
  files: number;
  rowsRead: number;
  /** Rows in the partnership's LSOAs and in one of the periods: the ones in the profiles. */
  rowsCounted: number;
  /** Rows placed in an LSOA of another authority (force areas and ward boundaries differ). */
  rowsOutsidePartnership: number;
  rowsWithoutLsoa: number;
  rowsOutsidePeriods: number;
}

export interface WardProfiles {
  /** Ordered by ward code. */
  districts: District[];
  /** In the same order as `districts`. */
  profiles: Profile[];
  crime: CrimeImportSummary;
  weights: CategoryWeights;
}

export const SOURCE = {
  crime: 'policeuk-street-crime',
  lookup: 'ons-lsoa-ward-2019',
  imd: 'iod2019-imd',
  population: 'iod2019-population',
  weights: 'ons-crime-severity-weights',
} as const;

export const IMD_AS_OF = '2019 (mostly 2015/16 data)';
export const POPULATION_AS_OF = 'mid-2015';
export const OGL = 'Open Government Licence v3.0';

/** The published files a profile can rest on, as its data sources name them. */
export const PUBLISHED_SOURCES = {
  crime: (asOf: string): DataSource => ({
    id: SOURCE.crime,
    name: 'police.uk street-level crime',
    publisher: 'police.uk (Home Office)',
    licence: OGL,
    url: 'https://data.police.uk/data/archive/',
    asOf,
  }),
  lookup: {
    id: SOURCE.lookup,
    name: 'LSOA (2011) to Ward (2019) lookup in England and Wales',
    publisher: 'Office for National Statistics',
    licence: OGL,
    url: 'https://geoportal.statistics.gov.uk/',
    asOf: 'December 2019',
  },
  imd: {
    id: SOURCE.imd,
    name: 'English Indices of Deprivation 2019 (File 1, IMD)',
    publisher: 'Ministry of Housing, Communities and Local Government',
    licence: OGL,
    url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
    asOf: IMD_AS_OF,
  },
  population: {
    id: SOURCE.population,
    name: 'English Indices of Deprivation 2019 (File 6, population)',
    publisher: 'Ministry of Housing, Communities and Local Government (ONS estimates)',
    licence: OGL,
    url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
    asOf: POPULATION_AS_OF,
  },
  weights: (name: string): DataSource => ({
    id: SOURCE.weights,
    name,
    publisher: 'Office for National Statistics; join: M-O-P-D (University of Leeds)',
    licence: `${OGL}; the join is MIT-licensed`,
    url: 'https://github.com/M-O-P-D/Police-Supply-Demand',
    asOf: 'late 2020 edition',
  }),
} satisfies Record<string, DataSource | ((arg: string) => DataSource)>;

export interface Ward {
  code: string;
  name: string;
  localAuthorityCode: string;
  localAuthorityName: string;
  lsoas: string[];
}

/**
 * Builds a district and a profile for every ward of the given authorities from the published
 * files: population and deprivation from the IoD 2019, crime counts and severity ranks from
 * police.uk and the ONS weights. Nothing here is made up; a file that does not fit stops the build.
 */
export async function buildWardProfiles(input: WardProfilesInput): Promise<WardProfiles> {
  const { datasetDir, partnershipId, now } = input;
  const periods = input.periods ?? DEFAULT_PERIODS;
  const file = (name: string) => resolveDataFile(join(datasetDir, name));

  const lookupFile = await file(DATASET_FILES.lookup);
  const wards = wardsOf(lookupFile, await readLsoaWardLookup(lookupFile), input.localAuthorityCodes);
  const wardOfLsoa = new Map<string, Ward>();
  for (const w of wards) for (const l of w.lsoas) wardOfLsoa.set(l, w);

  const imdFile = await file(DATASET_FILES.imd);
  const imd = byLsoa(await readImdFile1(imdFile));
  const populationFile = await file(DATASET_FILES.population);
  const population = byLsoa(await readPopulationFile6(populationFile));
  for (const lsoa of wardOfLsoa.keys()) {
    if (!imd.has(lsoa)) throw new DatasetFileError(imdFile, `no IMD rank for LSOA ${lsoa}`);
    if (!population.has(lsoa)) throw new DatasetFileError(populationFile, `no population for LSOA ${lsoa}`);
  }

  const weights = categoryWeights(await readSeverityWeights(await file(DATASET_FILES.weights)));
  const { tally, summary } = await countCrime(join(datasetDir, DATASET_FILES.crimeDir), wardOfLsoa, periods);

  const wardPopulation = new Map(
    wards.map((w) => [w.code, w.lsoas.reduce((sum, l) => sum + population.get(l)!.total, 0)] as const),
  );
  const crimeOf = (w: Ward, which: keyof ReviewPeriods): CrimePeriod => ({
    period: { ...periods[which] },
    counts: POLICE_UK_CRIME_TYPES.map((crimeType) => ({
      crimeType,
      count: tally.get(w.code)?.[which].get(crimeType) ?? 0,
    })),
  });
  const ranking = (which: keyof ReviewPeriods) => {
    const scores = wards.flatMap((w) => {
      const score = severityScore(crimeOf(w, which).counts, weights, wardPopulation.get(w.code)!);
      return score === undefined ? [] : [{ districtId: w.code, score }];
    });
    return { outOf: scores.length, byId: new Map(rankBySeverity(scores).map((r) => [r.districtId, r])) };
  };
  const latest = ranking('latest');
  const previous = ranking('previous');

  const dataSources = dataSourcesFor(periods);
  const review = reviewAfterRefresh(now);
  const districts: District[] = [];
  const profiles: Profile[] = [];
  for (const w of wards) {
    const lsoaRows = w.lsoas.map((l) => ({ ...population.get(l)!, ...imd.get(l)! }));
    districts.push({
      id: w.code,
      partnershipId,
      name: w.name,
      onsCodes: { ward: w.code, localAuthority: w.localAuthorityCode, lsoas: w.lsoas },
      localAuthorityName: w.localAuthorityName,
      population: wardPopulation.get(w.code)!,
      populationSource: 'mid-2015',
    });
    const deprivation = rollUpDeprivation(
      lsoaRows.map((r) => ({
        population: r.total,
        children0to15: r.children0to15,
        aged60plus: r.aged60plus,
        imdRank: r.imdRank,
        imdDecile: r.imdDecile,
      })),
    );
    const current = latest.byId.get(w.code);
    const before = previous.byId.get(w.code);
    const severity: Severity | undefined = current && {
      score: current.score,
      period: { ...periods.latest },
      rank: current.rank,
      outOf: latest.outOf,
      ...(before && { rankAtLastReview: before.rank, scoreAtLastReview: before.score }),
      crimeRate: crimeRate(crimeOf(w, 'latest').counts, wardPopulation.get(w.code)!)!,
      method: SEVERITY_METHOD,
    };
    profiles.push({
      partnershipId,
      districtId: w.code,
      classification: 'OFFICIAL',
      threat: {
        ocgs: [],
        crime: [
          {
            ...crimeOf(w, 'latest'),
            ...(current && {
              severity: scored(current, latest.outOf, crimeOf(w, 'latest'), wardPopulation.get(w.code)!),
            }),
          },
          {
            ...crimeOf(w, 'previous'),
            ...(before && {
              severity: scored(before, previous.outOf, crimeOf(w, 'previous'), wardPopulation.get(w.code)!),
            }),
          },
        ],
        ...(severity && { severity }),
      },
      vulnerabilities: deprivation
        ? deprivationIndicators(deprivation, {
            imd: { sourceId: SOURCE.imd, asOf: IMD_AS_OF },
            population: { sourceId: SOURCE.population, asOf: POPULATION_AS_OF },
          })
        : [],
      // Copies, so that changing one profile can never change another.
      dataSources: dataSources.map((s) => ({ ...s })),
      recommendations: [],
      review: { ...review },
    });
  }
  return { districts, profiles, crime: summary, weights };
}

function scored(r: { score: number; rank: number }, outOf: number, crime: CrimePeriod, population: number) {
  return { score: r.score, rank: r.rank, outOf, crimeRate: crimeRate(crime.counts, population)! };
}

export function wardsOf(file: string, lookup: readonly LsoaWard[], localAuthorityCodes: readonly string[]): Ward[] {
  const wanted = new Set(localAuthorityCodes);
  const wards = new Map<string, Ward>();
  for (const row of lookup) {
    if (!wanted.has(row.localAuthorityCode)) continue;
    const ward = wards.get(row.wardCode);
    if (ward === undefined) {
      wards.set(row.wardCode, {
        code: row.wardCode,
        name: row.wardName,
        localAuthorityCode: row.localAuthorityCode,
        localAuthorityName: row.localAuthorityName,
        lsoas: [row.lsoa],
      });
    } else if (ward.localAuthorityCode !== row.localAuthorityCode || ward.name !== row.wardName) {
      throw new DatasetFileError(file, `ward ${row.wardCode} is given two names or two authorities`);
    } else {
      ward.lsoas.push(row.lsoa);
    }
  }
  for (const code of wanted) {
    if (![...wards.values()].some((w) => w.localAuthorityCode === code)) {
      throw new DatasetFileError(file, `no wards for local authority ${code}`);
    }
  }
  return [...wards.values()]
    .map((w) => ({ ...w, lsoas: [...w.lsoas].sort() }))
    .sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
}

function byLsoa<T extends { lsoa: string }>(rows: readonly T[]): Map<string, T> {
  return new Map(rows.map((r) => [r.lsoa, r]));
}

type WardTally = Map<string, Record<keyof ReviewPeriods, Map<PoliceUkCrimeType, number>>>;

async function countCrime(
  dir: string,
  wardOfLsoa: ReadonlyMap<string, Ward>,
  periods: ReviewPeriods,
): Promise<{ tally: WardTally; summary: CrimeImportSummary }> {
  const files = await crimeFiles(dir);
  const periodOfMonth = new Map<string, keyof ReviewPeriods>();
  for (const which of ['latest', 'previous'] as const) {
    for (const m of monthsOf(periods[which])) periodOfMonth.set(m, which);
  }
  const monthsSeen = new Set<string>();
  const tally: WardTally = new Map();
  const summary: CrimeImportSummary = {
    files: files.length,
    rowsRead: 0,
    rowsCounted: 0,
    rowsOutsidePartnership: 0,
    rowsWithoutLsoa: 0,
    rowsOutsidePeriods: 0,
  };
  for (const f of files) {
    const read = await readStreetCrime(f);
    summary.rowsRead += read.rows;
    summary.rowsWithoutLsoa += read.skippedNoLsoa;
    for (const c of read.counts) {
      const type = policeUkCrimeType(c.crimeType);
      if (type === undefined) throw new DatasetFileError(f, `"${c.crimeType}" is not a police.uk crime type`);
      const which = periodOfMonth.get(c.month);
      if (which === undefined) {
        summary.rowsOutsidePeriods += c.count;
        continue;
      }
      monthsSeen.add(c.month);
      const ward = wardOfLsoa.get(c.lsoa);
      if (ward === undefined) {
        summary.rowsOutsidePartnership += c.count;
        continue;
      }
      let entry = tally.get(ward.code);
      if (entry === undefined) {
        entry = { latest: new Map(), previous: new Map() };
        tally.set(ward.code, entry);
      }
      entry[which].set(type, (entry[which].get(type) ?? 0) + c.count);
      summary.rowsCounted += c.count;
    }
  }
  // A month with no rows at all is a missing download, not a month without crime.
  const missing = [...periodOfMonth.keys()].filter((m) => !monthsSeen.has(m));
  if (missing.length > 0) throw new DatasetFileError(dir, `no street-level crime rows for ${missing.join(', ')}`);
  return { tally, summary };
}

async function crimeFiles(dir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    throw new DatasetFileError(dir, 'crime directory not found');
  }
  return names
    .filter((n) => /-street\.csv(\.gz)?$/.test(n))
    .sort()
    .map((n) => join(dir, n));
}

export function dataSourcesFor(periods: ReviewPeriods): DataSource[] {
  const { previous, latest } = periods;
  return [
    PUBLISHED_SOURCES.crime(`${previous.from}/${previous.to}, ${latest.from}/${latest.to}`),
    { ...PUBLISHED_SOURCES.lookup },
    { ...PUBLISHED_SOURCES.imd },
    { ...PUBLISHED_SOURCES.population },
    PUBLISHED_SOURCES.weights('Crime Severity Score weights, joined to police.uk categories by the M-O-P-D project'),
  ];
}
