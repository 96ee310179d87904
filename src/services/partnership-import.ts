import { stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { FourPAction } from '../domain/action.js';
import { COUNT_RANK_METHOD, severityMethod, type CategoryWeights } from '../domain/crime-severity.js';
import { deprivationIndicators, rollUpDeprivation } from '../domain/deprivation.js';
import { placeLsoa, type Placement } from '../domain/lsoa-placement.js';
import { District } from '../domain/district.js';
import { ValidationError } from '../domain/errors.js';
import { formatDecimal } from '../domain/format.js';
import { IntelligenceGap } from '../domain/gap.js';
import { OWN_KINDS, slugOf, type IndicatorRow, type OwnRow } from '../domain/import-rows.js';
import { keptLink, mergeImported, newProfile } from '../domain/imported-profile.js';
import { Member } from '../domain/member.js';
import { Agency } from '../domain/partnership.js';
import {
  Profile,
  type DataSource,
  type Indicator,
  type OcgRef,
  type Period,
  type Recommendation,
} from '../domain/profile.js';
import { reviewAfterRefresh } from '../domain/review.js';
import { changeOf, sameRecord } from '../domain/same-record.js';
import type { Store } from '../store/store.js';
import type { Clock } from './clock.js';
import { DEFAULT_WEIGHTS_FILE } from './import/category-weights-file.js';
import { DatasetFileError } from './import/dataset-file-error.js';
import { detectFormat, type FileFormat } from './import/file-format.js';
import {
  englishImdLayout,
  readDeprivationIndex,
  wimdLayout,
  type DeprivationIndex,
} from './import/deprivation-index.js';
import type { LsoaImd } from './import/iod2019-imd.js';
import { readPopulationFile6, type LsoaPopulation } from './import/iod2019-population.js';
import { readLsoaChanges, type LsoaChanges } from './import/ons-lsoa-change-lookup.js';
import { midYearOfFileName, readMidYearPopulation } from './import/ons-mid-year-population.js';
import { readWardLookup, vintageName, type LookupVintage } from './import/ons-lsoa-ward-lookup.js';
import {
  readIndicatorsCsv,
  readOwnCsv,
  readProjectJson,
  type Located,
  type OwnKind,
  type ProjectJson,
} from './import/own-records.js';
import { RowErrors } from './import/row-errors.js';
import { CrimeTally, tallyStreetCrime } from './import/street-crime-tally.js';
import { crimeByPeriod } from './import/crime-by-period.js';
import {
  indexSource,
  indicatorSources,
  lookupSource,
  midYearPopulationSource,
  sourcesOf,
} from './import/import-sources.js';
import { POPULATION_AS_OF, PUBLISHED_SOURCES, wardsOf, type Ward } from './import/ward-profiles.js';
import { readWeightsFile } from './import/weights-file.js';
import { noChanges, ownWrites, type Changes } from './import/own-record-writes.js';

/**
 * `npm run import -- <files…>`: takes a partnership's data files in whatever mix it has, each
 * recognised by its header, and brings them into the store in one go.
 *
 * - police.uk street crime (one or many months) is counted per district and calendar quarter and
 *   scored (crime-severity.ts) with the weights file (`--weights`, or the default); every period
 *   is ranked among the districts imported and kept in the profile's history
 *   (severity-history.ts), so the rank and its change since the last six-monthly review show on
 *   the cards;
 * - the ONS LSOA-to-ward lookup decides the districts and which district each crime falls in;
 *   without it, the LSOAs of the districts already stored do;
 * - IoD 2019 File 1 and File 6: deprivation rolled up by population, and the population the
 *   scores are per 1,000 of; without File 6, the stored district's population;
 * - the indicators CSV, and the project's own agencies, members, OCG references, gaps and actions.
 *
 * Nothing lost: every row is checked and a bad one is reported by file, line and column. By
 * default nothing is written unless every row is valid; with `skipInvalid` the valid rows are.
 * All checks run before the first write; districts, profiles, gaps and actions are then written
 * in one `bulkLoad` (one transaction in SQLite, audited as an import). Only what differs from
 * the store is written, so importing the same files again changes nothing.
 */

export interface PartnershipImportInput {
  partnershipId: string;
  files: readonly string[];
  /** Severity weights (category-weights or the ONS join layout); default DEFAULT_WEIGHTS_FILE. */
  weightsFile?: string;
  /** LAD codes: with a lookup file, import the wards of these authorities. */
  localAuthorityCodes?: readonly string[];
  dryRun: boolean;
  skipInvalid: boolean;
  /**
   * This import is the profiles' 12-month refresh: it moves "last refreshed" and the refresh due
   * date. Without it an import moves only "data as of" (more data is not a refresh).
   */
  refresh?: boolean;
  /** The mid-year of an ONS population estimates file whose name does not say it ("2022"). */
  populationYear?: string;
}

export type PartnershipImportProgress =
  | { step: 'recognised'; files: readonly RecognisedFile[] }
  | { step: 'reading'; file: string; index: number; total: number; bytes: number }
  | { step: 'bytes'; file: string; read: number; bytes: number }
  /** `rows` is absent for a file read whole (the weights). */
  | { step: 'read'; file: string; rows?: number; invalid: number }
  | { step: 'writing'; records: number }
  | { step: 'written'; ms: number };

export interface RecognisedFile {
  file: string;
  format: FileFormat;
  name: string;
}

export interface PartnershipImportResult {
  partnershipId: string;
  files: readonly RecognisedFile[];
  errors: RowErrors;
  /** Invalid rows were found and `skipInvalid` was not given, or `referenceInvalid`: nothing was written. */
  refused: boolean;
  /**
   * A row of the lookup or the IoD files was invalid. These files are taken whole, even with
   * `skipInvalid`: a skipped lookup row would move an LSOA's crimes out of its ward, a skipped
   * population row would change the residents a score is per 1,000 of.
   */
  referenceInvalid: boolean;
  written: boolean;
  crime: {
    files: number;
    rowsRead: number;
    rowsInvalid: number;
    rowsCounted: number;
    rowsOutsidePartnership: number;
    rowsWithoutLsoa: number;
    /** Crimes on an LSOA of the other vintage, placed through the ONS LSOA change lookup. */
    rowsMoved: number;
    /**
     * Crimes in the partnership's area whose LSOA is in no lookup, or whose counterparts lie in
     * several wards: never dropped in silence. The import is refused unless `skipInvalid`.
     */
    notPlaced: { crimes: number; lsoas: number; splitCrimes: number; splitLsoas: number; examples: string[] };
    periods: Period[];
    rankedBy: 'severity' | 'crimes';
  };
  /** The vintage of the ward lookup read, and of the other reference files, as the output names them. */
  references: string[];
  /** Whether the 12-month refresh was recorded (`refresh`). */
  refreshed: boolean;
  districts: Changes;
  profiles: Changes;
  /** Profiles whose severity rank differs from the stored one. */
  rankMoved: number;
  records: Record<OwnKind | 'indicators', Changes>;
  ms: number;
}

const LAD_CODE = /^(E0[6-9]|W06)\d{6}$/;
const SINGLE: readonly FileFormat[] = [
  'ons-lsoa-ward-lookup',
  'ons-lsoa-change-lookup',
  'english-imd',
  'wimd',
  'iod2019-population',
  'ons-mid-year-population',
];
const YEAR = /^\d{4}$/;

/** The file that gives residents, named for the messages that ask for it. */
const POPULATION_FILES = "ONS's mid-year LSOA population estimates (or IoD 2019 File 6, population denominators)";

interface PopulationRead {
  file: string;
  /** "mid-2022": what the rates are per head of. */
  label: string;
  lsoaYear: string;
  byLsoa: Map<string, LsoaPopulation>;
  source: DataSource;
}

interface IndexRead {
  file: string;
  index: DeprivationIndex;
  byLsoa: Map<string, LsoaImd>;
}

export class PartnershipImport {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    /** Who the audit trail names: an admin's AAD object id, or "system:import". */
    private readonly actor: string,
  ) {}

  async run(
    input: PartnershipImportInput,
    progress: (p: PartnershipImportProgress) => void = () => undefined,
  ): Promise<PartnershipImportResult> {
    const started = performance.now();
    const now = this.clock();
    const at = now.toISOString();
    const pid = input.partnershipId;
    await this.checkPartnership(pid);
    const authorities = checkAuthorities(input.localAuthorityCodes ?? []);

    const paths = [...new Set(input.files.map((f) => resolve(f)))];
    if (paths.length === 0) throw new ValidationError('give at least one file to import', ['files']);
    const files: RecognisedFile[] = [];
    for (const file of paths) files.push({ file, ...(await detectFormat(file)) });
    progress({ step: 'recognised', files });
    const of = (format: FileFormat) => files.filter((f) => f.format === format).map((f) => f.file);
    for (const format of SINGLE) {
      if (of(format).length > 1) throw new ValidationError(`give one ${format} file, not ${of(format).length}`);
    }
    const weightFiles = [...of('category-weights'), ...of('ons-severity-weights-join')];
    if (weightFiles.length + (input.weightsFile ? 1 : 0) > 1) {
      throw new ValidationError('give one weights file (--weights or among the files)', ['weights']);
    }

    const errors = new RowErrors();
    const total = files.length;
    let index = 0;
    const reading = async <T>(file: string, read: (onBytes: (n: number) => void) => Promise<T>): Promise<T> => {
      index += 1;
      const bytes = (await stat(file)).size;
      progress({ step: 'reading', file, index, total, bytes });
      let readBytes = 0;
      const result = await read((n) => {
        readBytes += n;
        progress({ step: 'bytes', file, read: readBytes, bytes });
      });
      return result;
    };
    const done = (file: string, rows: number | undefined, invalid: number) =>
      progress({ step: 'read', file, invalid, ...(rows !== undefined && { rows }) });

    // Reference files first: they say where each crime falls and how many live there.
    const stored = await this.storedDistricts(pid);
    const lookupFile = of('ons-lsoa-ward-lookup')[0];
    let wards: Ward[] = [];
    let vintage: LookupVintage | undefined;
    /** Every LSOA the lookup lists, in any authority (or, without one, the stored districts'). */
    let lookupLsoas = new Set<string>();
    if (lookupFile) {
      const before = errors.count;
      const lookup = await reading(lookupFile, () => readWardLookup(lookupFile, errors));
      vintage = lookup.vintage;
      lookupLsoas = new Set(lookup.rows.map((r) => r.lsoa));
      done(lookupFile, lookup.rows.length + errors.count - before, errors.count - before);
      let codes = authorities;
      if (codes.length === 0) {
        codes = [...new Set(lookup.rows.filter((r) => stored.has(r.wardCode)).map((r) => r.localAuthorityCode))];
        if (codes.length === 0) {
          throw new ValidationError(
            `partnership ${pid} has no districts in the lookup yet: give --authorities (LAD codes such as E08000012)`,
            ['authorities'],
          );
        }
        wards = wardsOf(lookupFile, lookup.rows, codes).filter((w) => stored.has(w.code));
      } else {
        wards = wardsOf(lookupFile, lookup.rows, codes);
      }
    } else {
      if (authorities.length > 0) {
        throw new ValidationError('--authorities picks wards from the LSOA-to-ward lookup: give the lookup file too');
      }
      wards = [...stored.values()]
        .filter((d) => d.onsCodes?.lsoas?.length)
        .map((d) => ({
          code: d.id,
          name: d.name,
          localAuthorityCode: d.onsCodes?.localAuthority ?? '',
          localAuthorityName: d.localAuthorityName ?? '',
          lsoas: [...(d.onsCodes?.lsoas ?? [])],
        }));
      lookupLsoas = new Set(wards.flatMap((w) => w.lsoas));
    }
    const wardOfLsoa = new Map<string, string>();
    for (const w of wards) for (const l of w.lsoas) wardOfLsoa.set(l, w.code);

    const changeFile = of('ons-lsoa-change-lookup')[0];
    let changes: LsoaChanges | undefined;
    if (changeFile) {
      const before = errors.count;
      changes = await reading(changeFile, () => readLsoaChanges(changeFile, errors));
      done(changeFile, changes.pairs + errors.count - before, errors.count - before);
    }

    let population: PopulationRead | undefined;
    const file6 = of('iod2019-population')[0];
    const midYearFile = of('ons-mid-year-population')[0];
    if (file6 && midYearFile) throw new ValidationError('give one population file, not two');
    if (file6) {
      const before = errors.count;
      const rows = await reading(file6, () => readPopulationFile6(file6, errors));
      done(file6, rows.length + errors.count - before, errors.count - before);
      population = {
        file: file6,
        label: POPULATION_AS_OF,
        lsoaYear: '2011',
        byLsoa: new Map(rows.map((r) => [r.lsoa, r])),
        source: { ...PUBLISHED_SOURCES.population },
      };
    } else if (midYearFile) {
      const year = input.populationYear?.trim() || midYearOfFileName(midYearFile);
      if (year === undefined || !YEAR.test(year)) {
        throw new ValidationError(
          `${basename(midYearFile)}: say which mid-year the estimates are for: name the file after its sheet ` +
            '("Mid-2022 LSOA 2021.csv") or give --population-year 2022',
          ['population-year'],
        );
      }
      const before = errors.count;
      const read = await reading(midYearFile, () => readMidYearPopulation(midYearFile, errors));
      done(midYearFile, read.rows.length + errors.count - before, errors.count - before);
      population = {
        file: midYearFile,
        label: `mid-${year}`,
        lsoaYear: read.lsoaYear,
        byLsoa: new Map(read.rows.map((r) => [r.lsoa, r])),
        source: midYearPopulationSource(year, read.lsoaYear),
      };
    }

    const indices: IndexRead[] = [];
    for (const [format, layoutOf] of [
      ['english-imd', englishImdLayout],
      ['wimd', wimdLayout],
    ] as const) {
      const file = of(format)[0];
      if (!file) continue;
      const before = errors.count;
      const read = await reading(file, () => readDeprivationIndex(file, layoutOf, errors));
      done(file, read.rows.length + errors.count - before, errors.count - before);
      indices.push({ file, index: read.index, byLsoa: new Map(read.rows.map((r) => [r.lsoa, r])) });
    }

    if (errors.count > 0) {
      return {
        ...emptyResult(pid, files, errors),
        refused: true,
        referenceInvalid: true,
        ms: Math.round(performance.now() - started),
      };
    }

    // A file on 2021 LSOAs cannot be summed over wards made of 2011 LSOAs, nor the other way.
    if (vintage) {
      const onOther = [
        ...(population ? [{ file: population.file, lsoaYear: population.lsoaYear }] : []),
        ...indices.map((i) => ({ file: i.file, lsoaYear: i.index.lsoaYear })),
      ].filter((f) => f.lsoaYear !== vintage!.lsoa);
      for (const f of onOther) {
        throw new ValidationError(
          `${basename(f.file)} is on ${f.lsoaYear} LSOAs but the ward lookup (${vintageName(vintage)}) is on ` +
            `${vintage.lsoa} LSOAs: give files of one LSOA vintage (an ONS LSOA (${f.lsoaYear}) to Ward lookup, ` +
            `or the ${vintage.lsoa === '2011' ? 'IoD 2019 files' : 'files on 2021 LSOAs'})`,
        );
      }
    }

    const populationOf = new Map<string, number>();
    for (const w of wards) {
      if (population) {
        let sum = 0;
        for (const l of w.lsoas) {
          const row = population.byLsoa.get(l);
          if (!row) {
            throw new DatasetFileError(
              population.file,
              `no population for LSOA ${l} (ward ${w.code}); this file is on ${population.lsoaYear} LSOAs`,
            );
          }
          sum += row.total;
        }
        populationOf.set(w.code, sum);
      } else if ((stored.get(w.code)?.population ?? 0) > 0) {
        populationOf.set(w.code, stored.get(w.code)!.population);
      }
    }
    // Without residents for every ward, rates and severity per resident would rank some wards
    // and not others: rank them all by their number of crimes instead, and say so on the card.
    if (wards.some((w) => !populationOf.has(w.code))) populationOf.clear();
    const populationLabel = population
      ? population.label
      : (wards.map((w) => stored.get(w.code)?.populationSource).find((s) => s !== undefined) ?? 'population as stored');

    const weightsFile = input.weightsFile ?? weightFiles[0] ?? DEFAULT_WEIGHTS_FILE;
    let weights: CategoryWeights;
    if (weightFiles.includes(weightsFile)) {
      weights = await reading(weightsFile, () => readWeightsFile(weightsFile));
      done(weightsFile, undefined, 0);
    } else {
      weights = await readWeightsFile(weightsFile);
    }

    if (of('police-uk-street-crime').length > 0 && wards.length === 0) {
      throw new ValidationError(
        `partnership ${pid} has no districts to count crime in: give the LSOA-to-ward lookup with --authorities`,
        ['files'],
      );
    }

    // Crime, streamed: each row is checked, counted and dropped.
    const tally = new CrimeTally();
    for (const file of of('police-uk-street-crime')) {
      const r = await reading(file, (onBytes) => tallyStreetCrime(file, tally, errors, { onBytes }));
      done(file, r.rows, r.invalid);
    }
    const placementContext = {
      wardOf: wardOfLsoa,
      inLookup: (l: string) => lookupLsoas.has(l),
      counterparts: changes?.counterparts,
      authorityNames: [...new Set(wards.map((w) => w.localAuthorityName).filter((n) => n !== ''))],
    };
    const placement = new Map<string, Placement>();
    for (const [lsoa, name] of tally.lsoaNames) placement.set(lsoa, placeLsoa(lsoa, name, placementContext));
    const crime = crimeByPeriod(tally, wards, placement, populationOf, weights);
    const unplaced = [...crime.unplaced.entries()].sort((a, b) => b[1].crimes - a[1].crimes || (a[0] < b[0] ? -1 : 1));
    const notPlaced = {
      crimes: unplaced.reduce((n, [, u]) => n + (u.split ? 0 : u.crimes), 0),
      lsoas: unplaced.filter(([, u]) => !u.split).length,
      splitCrimes: unplaced.reduce((n, [, u]) => n + (u.split ? u.crimes : 0), 0),
      splitLsoas: unplaced.filter(([, u]) => u.split).length,
      examples: unplaced.slice(0, 5).map(([l]) => l),
    };
    // The partnership's own records and other sources' indicators.
    const own: ProjectJson = { agencies: [], members: [], ocgs: [], gaps: [], actions: [], recommendations: [] };
    for (const kind of OWN_KINDS) {
      for (const file of of(kind)) {
        const before = errors.count;
        const rows = await reading(file, (onBytes) => readOwnCsv(file, kind, errors, { onBytes }));
        (own[kind] as Located<unknown>[]).push(...rows);
        done(file, rows.length + errors.count - before, errors.count - before);
      }
    }
    for (const file of of('project-json')) {
      const before = errors.count;
      const doc = await reading(file, () => readProjectJson(file, errors));
      let n = 0;
      for (const kind of OWN_KINDS) {
        (own[kind] as Located<unknown>[]).push(...doc[kind]);
        n += doc[kind].length;
      }
      done(file, n + errors.count - before, errors.count - before);
    }
    const indicatorRows = [];
    for (const file of of('indicators')) {
      const before = errors.count;
      const rows = await reading(file, (onBytes) => readIndicatorsCsv(file, errors, { onBytes }));
      indicatorRows.push(...rows);
      done(file, rows.length + errors.count - before, errors.count - before);
    }

    // References between records: a gap's district, an action's agency, … must exist.
    const districtIds = new Set([...stored.keys(), ...wards.map((w) => w.code)]);
    const agencyIds = new Set([
      ...(await this.store.agencies.list(pid)).map((a) => a.id),
      ...own.agencies.map((a) => a.row.id),
    ]);
    const known = <T>(rows: Located<T>[], kind: string, checks: [keyof T & string, Set<string>, string][]) =>
      rows.filter((r) => {
        for (const [field, set, what] of checks) {
          const value = r.row[field] as unknown as string | undefined;
          if (value !== undefined && !set.has(value)) {
            errors.add({
              file: r.file,
              line: r.line,
              column: field,
              reason: `${what} ${value} is not in partnership ${pid}`,
              kind: `${kind}: unknown ${what}`,
              record: r.file.toLowerCase().endsWith('.json'),
            });
            return false;
          }
        }
        return true;
      });
    const agencies = dedupe(own.agencies, (r) => r.row.id, 'agencies', errors);
    const members = dedupe(
      known(own.members, 'members', [['agencyId', agencyIds, 'agency']]),
      (r) => r.row.aadObjectId,
      'members',
      errors,
    );
    const ocgs = dedupe(
      known(own.ocgs, 'ocgs', [['districtId', districtIds, 'district']]),
      (r) => `${r.row.districtId} ${r.row.ref}`,
      'ocgs',
      errors,
    );
    const recommendations = dedupe(
      known(own.recommendations, 'recommendations', [
        ['districtId', districtIds, 'district'],
        ['agencyId', agencyIds, 'agency'],
      ]),
      (r) => `${r.row.districtId} ${r.row.number}`,
      'recommendations',
      errors,
    );
    const gaps = dedupe(
      known(own.gaps, 'gaps', [
        ['districtId', districtIds, 'district'],
        ['ownerAgencyId', agencyIds, 'agency'],
      ]),
      (r) => r.row.ref,
      'gaps',
      errors,
    );
    const actions = dedupe(
      known(own.actions, 'actions', [
        ['districtId', districtIds, 'district'],
        ['leadAgencyId', agencyIds, 'agency'],
      ]),
      (r) => r.row.ref,
      'actions',
      errors,
    );
    const indicators = dedupe(
      known(indicatorRows, 'indicators', [['district', districtIds, 'district']]),
      (r) => `${r.row.district}\u0000${slugOf(r.row.indicator)}`,
      'indicators',
      errors,
    );
    const result: PartnershipImportResult = {
      ...emptyResult(pid, files, errors),
      refused: (errors.count > 0 || notPlaced.crimes + notPlaced.splitCrimes > 0) && !input.skipInvalid,
      crime: {
        files: tally.files,
        rowsRead: tally.rowsRead,
        rowsInvalid: tally.rowsInvalid,
        rowsCounted: crime.rowsCounted,
        rowsOutsidePartnership: crime.rowsOutside,
        rowsWithoutLsoa: tally.rowsWithoutLsoa,
        rowsMoved: crime.rowsMoved,
        notPlaced,
        periods: crime.periods,
        rankedBy: crime.rankedBy,
      },
      references: [
        ...(vintage ? [vintageName(vintage)] : []),
        ...(changes ? [`ONS LSOA (${changes.years[0]}) to LSOA (${changes.years[1]}) lookup`] : []),
        ...(population ? [`population ${population.label} (${population.source.name})`] : []),
        ...indices.map((i) => `${i.index.name} on ${i.index.lsoaYear} LSOAs`),
      ],
      refreshed: input.refresh === true,
    };
    if (result.refused) {
      result.ms = Math.round(performance.now() - started);
      return result;
    }

    // What would change: each record compared with the stored one.
    const districtWrites: District[] = [];
    if (lookupFile) {
      for (const w of wards) {
        const before = stored.get(w.code);
        const district: District = {
          id: w.code,
          partnershipId: pid,
          name: w.name,
          onsCodes: { ward: w.code, localAuthority: w.localAuthorityCode, lsoas: w.lsoas },
          localAuthorityName: w.localAuthorityName,
          population: population ? populationOf.get(w.code)! : (before?.population ?? 0),
          ...(population
            ? { populationSource: population.label }
            : before?.populationSource !== undefined
              ? { populationSource: before.populationSource }
              : {}),
        };
        const change = changeOf(before, district);
        result.districts[change] += 1;
        if (change !== 'unchanged') districtWrites.push(district);
      }
    }

    /** A Welsh ward (W05…) takes the Welsh index, an English one the English: never the other. */
    const deprivationFor = (w: Ward): Indicator[] | undefined => {
      const read = indices.find((i) => i.index.country === countryOf(w));
      if (!read || !population) return undefined;
      const rows = w.lsoas.map((l) => {
        const imd = read.byLsoa.get(l);
        if (!imd) throw new DatasetFileError(read.file, `no ${read.index.name} rank for LSOA ${l} (ward ${w.code})`);
        const p = population.byLsoa.get(l)!;
        return {
          population: p.total,
          children0to15: p.children0to15,
          aged60plus: p.aged60plus,
          imdRank: imd.imdRank,
          imdDecile: imd.imdDecile,
        };
      });
      const d = rollUpDeprivation(rows, read.index);
      return d
        ? deprivationIndicators(
            d,
            {
              imd: { sourceId: read.index.sourceId, asOf: read.index.asOf },
              population: { sourceId: population.source.id, asOf: population.label },
            },
            read.index,
          )
        : [];
    };

    const touched = new Set<string>();
    if (crime.periods.length > 0 || (indices.length > 0 && population)) for (const w of wards) touched.add(w.code);
    for (const r of ocgs) touched.add(r.row.districtId);
    for (const r of recommendations) touched.add(r.row.districtId);
    const recommendationsByDistrict = groupBy(recommendations, (r) => r.row.districtId);
    for (const r of indicators) touched.add(r.row.district);
    const ocgsByDistrict = groupBy(ocgs, (r) => r.row.districtId);
    const indicatorsByDistrict = groupBy(indicators, (r) => r.row.district);
    const wardById = new Map(wards.map((w) => [w.code, w]));
    const sourcesFor = (w: Ward) =>
      sourcesOf(crime.periods, weightsFile, [
        ...(vintage ? [lookupSource(vintage)] : []),
        ...indices.filter((i) => i.index.country === countryOf(w)).map((i) => indexSource(i.index)),
        ...(population ? [population.source] : []),
      ]);
    const method = crime.rankedBy === 'crimes' ? COUNT_RANK_METHOD : severityMethod(populationText(populationLabel));

    const profileWrites: Profile[] = [];
    // The etag of each profile as read here: the write is refused if someone changes it meanwhile.
    const expectedProfiles = new Map<string, string | null>();
    for (const districtId of [...touched].sort()) {
      const stored = await this.store.profiles.get(pid, districtId);
      const { etag: _etag, ...before } = stored ?? { etag: '' };
      const base: Profile = stored ? (before as Profile) : newProfile(pid, districtId, now);
      const ward = wardById.get(districtId);
      const indicatorRows = indicatorsByDistrict.get(districtId) ?? [];
      const indicators = indicatorRows.map(({ row }) => toIndicator(row));
      for (const i of indicators) {
        result.records.indicators[
          changeOf(
            base.vulnerabilities.find((v) => v.key === i.key),
            i,
          )
        ] += 1;
      }
      const ocgRefs = ocgsByDistrict.get(districtId)?.map((r) => toOcg(r.row));
      for (const o of ocgRefs ?? [])
        result.records.ocgs[
          changeOf(
            base.threat.ocgs.find((b) => b.ref === o.ref),
            o,
          )
        ] += 1;
      const recommendationList = recommendationsByDistrict
        .get(districtId)
        ?.map((r) => keptLink(toRecommendation(r.row), base.recommendations))
        .sort((a, b) => a.number! - b.number!);
      for (const r of recommendationList ?? [])
        result.records.recommendations[
          changeOf(
            base.recommendations.find((b, i) => (b.number ?? i + 1) === r.number),
            r,
          )
        ] += 1;
      const merged = mergeImported(
        base,
        {
          ...(recommendationList && { recommendations: recommendationList }),
          ...(ward && crime.periods.length > 0 && { crime: crime.forWard(ward.code) }),
          indicators: [...((ward && deprivationFor(ward)) ?? []), ...indicators],
          sources: [...(ward ? sourcesFor(ward) : []), ...indicatorSources(indicatorRows)],
          ...(ocgRefs && { ocgs: ocgRefs }),
        },
        method,
      );
      if (stored && sameRecord(before, merged) && !input.refresh) {
        result.profiles.unchanged += 1;
        continue;
      }
      // More data is not a refresh: only an explicit --refresh (or a recorded review) moves the
      // 12-month date; an import moves "data as of".
      merged.review = {
        ...(input.refresh ? reviewAfterRefresh(now, base.review) : base.review),
        dataUpdatedAt: at,
      };
      if (stored && stored.threat.severity?.rank !== merged.threat.severity?.rank) result.rankMoved += 1;
      result.profiles[stored ? 'changed' : 'added'] += 1;
      profileWrites.push(merged);
      expectedProfiles.set(districtId, stored?.etag ?? null);
    }

    const writes = await ownWrites(
      this.store,
      pid,
      this.actor,
      at,
      { agencies, members, gaps, actions },
      result.records,
    );
    const { agencies: agencyWrites, members: memberWrites, gaps: gapWrites, actions: actionWrites } = writes;

    // Every record built is checked against the domain's schema before anything is written: a
    // record the rest of the product could not read must never reach the store.
    districtWrites.forEach((d) => District.parse(d));
    profileWrites.forEach((p) => Profile.parse(p));
    agencyWrites.forEach((a) => Agency.parse(a));
    memberWrites.forEach((m) => Member.parse(m.member));
    gapWrites.forEach((g) => IntelligenceGap.parse(g));
    actionWrites.forEach((a) => FourPAction.parse(a));

    if (!input.dryRun) {
      const writeStarted = performance.now();
      const records =
        agencyWrites.length +
        memberWrites.length +
        districtWrites.length +
        profileWrites.length +
        gapWrites.length +
        actionWrites.length;
      progress({ step: 'writing', records });
      const audit = { actor: this.actor, at };
      // One load (one transaction in SQLite; batches in Cosmos DB) with the agencies, which
      // members refer to, so they are written first. Every profile, gap and action is written
      // only if still as read above: an edit made in Teams meanwhile is never overwritten, and
      // the import stops with ImportConflictError naming it. Members are written after (each
      // with IfMatch on the etag read); a failure there leaves only records the next run of the
      // same import finds unchanged.
      if (
        agencyWrites.length + districtWrites.length + profileWrites.length + gapWrites.length + actionWrites.length >
        0
      ) {
        await this.store.bulkLoad(
          pid,
          {
            agencies: agencyWrites,
            districts: districtWrites,
            profiles: profileWrites,
            gaps: gapWrites,
            actions: actionWrites,
            expected: { profiles: expectedProfiles, ...writes.expected },
          },
          { ...audit, action: 'profile.imported' },
        );
      }
      for (const { member, etag } of memberWrites) {
        if (etag === undefined) await this.store.members.create(member, { ...audit, action: 'member.imported' });
        else await this.store.members.replace(member, etag, { ...audit, action: 'member.imported' });
      }
      result.written = true;
      progress({ step: 'written', ms: Math.round(performance.now() - writeStarted) });
    }
    result.ms = Math.round(performance.now() - started);
    return result;
  }

  private async storedDistricts(pid: string): Promise<Map<string, District>> {
    const out = new Map<string, District>();
    for (const { id } of await this.store.districts.listNames(pid)) {
      const d = await this.store.districts.get(pid, id);
      if (d) out.set(id, d);
    }
    return out;
  }

  private async checkPartnership(id: string): Promise<void> {
    if (await this.store.partnerships.get(id)) return;
    const known = (await this.store.partnerships.list()).map((p) => p.id);
    throw new ValidationError(
      `partnership ${id} does not exist; ${known.length ? `known: ${known.join(', ')}` : 'add it first with npm run admin -- partnership add'}`,
      ['partnership'],
    );
  }
}

function emptyResult(
  partnershipId: string,
  files: readonly RecognisedFile[],
  errors: RowErrors,
): PartnershipImportResult {
  const none = noChanges;
  return {
    partnershipId,
    files,
    errors,
    refused: false,
    referenceInvalid: false,
    written: false,
    crime: {
      files: 0,
      rowsRead: 0,
      rowsInvalid: 0,
      rowsCounted: 0,
      rowsOutsidePartnership: 0,
      rowsWithoutLsoa: 0,
      rowsMoved: 0,
      notPlaced: { crimes: 0, lsoas: 0, splitCrimes: 0, splitLsoas: 0, examples: [] },
      periods: [],
      rankedBy: 'severity',
    },
    references: [],
    refreshed: false,
    districts: none(),
    profiles: none(),
    rankMoved: 0,
    records: {
      agencies: none(),
      members: none(),
      ocgs: none(),
      recommendations: none(),
      gaps: none(),
      actions: none(),
      indicators: none(),
    },
    ms: 0,
  };
}

function toIndicator(row: IndicatorRow): Indicator {
  return {
    key: slugOf(row.indicator),
    label: row.indicator,
    value: row.value,
    display: formatDecimal(row.value, Number.isInteger(row.value) ? 0 : 1),
    sourceId: slugOf(row.source),
    asOf: row.date,
    classification: 'OFFICIAL',
  };
}

function toOcg(row: OwnRow['ocgs']): OcgRef {
  const { districtId: _d, ...ocg } = row;
  return ocg;
}

function toRecommendation(row: OwnRow['recommendations']): Recommendation {
  const { districtId: _d, ...recommendation } = row;
  return recommendation;
}

function dedupe<T>(rows: Located<T>[], key: (r: Located<T>) => string, kind: string, errors: RowErrors): Located<T>[] {
  const seen = new Map<string, Located<T>>();
  const out: Located<T>[] = [];
  for (const r of rows) {
    const k = key(r);
    const first = seen.get(k);
    if (first !== undefined) {
      const where = `${first.file.toLowerCase().endsWith('.json') ? 'record' : 'line'} ${first.line}`;
      errors.add({
        file: r.file,
        line: r.line,
        column: '(row)',
        reason: `the same record as ${where}${first.file === r.file ? '' : ` of ${basename(first.file)}`}: which one is meant?`,
        kind: `${kind}: given twice`,
        record: r.file.toLowerCase().endsWith('.json'),
      });
      continue;
    }
    seen.set(k, r);
    out.push(r);
  }
  return out;
}

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

/** Welsh wards' codes start W05, English E05. */
function countryOf(w: Ward): 'England' | 'Wales' {
  return w.code.startsWith('W') ? 'Wales' : 'England';
}

/** "mid-2022" → "ONS mid-2022 population estimate", as the method sentence names it. */
function populationText(label: string): string {
  return /^mid-\d{4}$/.test(label) ? `ONS ${label} population estimate` : label;
}

function checkAuthorities(codes: readonly string[]): string[] {
  const typed = codes.map((c) => c.trim()).filter((c) => c !== '');
  const bad = typed.filter((c) => !LAD_CODE.test(c.toUpperCase()));
  const unique = [...new Set(typed.map((c) => c.toUpperCase()))];
  if (bad.length > 0) {
    throw new ValidationError(
      `${bad.join(', ')} ${bad.length === 1 ? 'is not a local authority code' : 'are not local authority codes'}; ` +
        'valid: local authority (LAD) codes such as E08000012 (E06, E07, E08, E09 or W06 and six digits)',
      ['authorities'],
    );
  }
  return unique;
}
