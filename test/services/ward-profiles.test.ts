import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { District } from '../../src/domain/district.js';
import { Profile } from '../../src/domain/profile.js';
import { buildWardProfiles, type WardProfiles } from '../../src/services/import/ward-profiles.js';

/**
 * The builder on the fixture cut (test/fixtures/data/README.md): three wards of three
 * authorities, one month per period so the cut stays small. The scores were computed from the
 * fixture files with Python, not with this code (run in test/fixtures/data/mini):
 *
 *   import csv, statistics, collections as C
 *   d = C.defaultdict(dict)
 *   for r in csv.DictReader(open('css_weights/policeuk-ons-code-join.csv', encoding='utf-8-sig')):
 *       d[r['POLICE_UK_CAT_MAP_category'].lower()][r['ONS_SEVERITY_code']] = float(r['ONS_SEVERITY_weight'])
 *   w = {k: statistics.median(v.values()) for k, v in d.items()}; w['anti-social behaviour'] = 0
 *   L = 'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv'
 *   ward = {r['LSOA11CD']: r['WD19CD'] for r in csv.DictReader(open(L, encoding='utf-8-sig'))
 *           if r['LAD19CD'] in ('E08000012', 'E08000014', 'E08000015')}
 *   pop = C.Counter()
 *   for r in csv.DictReader(open('imd/File_6_-_IoD2019_Population_Denominators.csv')):
 *       if r['LSOA code (2011)'] in ward: pop[ward[r['LSOA code (2011)']]] += int(r['Total population: mid 2015 (excluding prisoners)'])
 *   for m in ('04', '10'):
 *       harm = C.Counter()
 *       for r in csv.DictReader(open(f'crime/2019-{m}-merseyside-street.csv')):
 *           if r['LSOA code'] in ward: harm[ward[r['LSOA code']]] += w[r['Crime type'].lower()]
 *       print(m, {k: round(harm[k] * 1000 / pop[k], 2) for k in sorted(pop)})
 */
const DATASET = join(import.meta.dirname, '../fixtures/data/mini');
const NOW = new Date('2026-03-02T09:00:00Z');
const PERIODS = { latest: { from: '2019-10', to: '2019-10' }, previous: { from: '2019-04', to: '2019-04' } };
const input = {
  datasetDir: DATASET,
  partnershipId: 'fixture',
  localAuthorityCodes: ['E08000012', 'E08000014', 'E08000015'],
  now: NOW,
  periods: PERIODS,
};

let built: WardProfiles;
beforeAll(async () => {
  built = await buildWardProfiles(input);
});

const profileOf = (id: string) => built.profiles.find((p) => p.districtId === id)!;
const countOf = (id: string, type: string, which = 0) =>
  profileOf(id).threat.crime[which]!.counts.find((c) => c.crimeType === type)?.count;

describe('ward profiles from the fixture cut', () => {
  it('makes one district per ward, named as ONS spells it, with its authority', () => {
    expect(built.districts.map((d) => [d.id, d.name, d.localAuthorityName])).toEqual([
      ['E05000891', 'Church', 'Liverpool'],
      ['E05000936', 'Church', 'Sefton'],
      ['E05000961', 'Greasby, Frankby and Irby', 'Wirral'],
    ]);
    expect(built.districts[1]!.onsCodes).toEqual({
      ward: 'E05000936',
      localAuthority: 'E08000014',
      lsoas: ['E01006956', 'E01006957'],
    });
    for (const d of built.districts) expect(() => District.parse(d)).not.toThrow();
  });

  it('sums the mid-2015 population of the ward’s LSOAs', () => {
    // 1604 + 1644, 1588 + 1494, 1671 + 1480 (File 6)
    expect(built.districts.map((d) => d.population)).toEqual([3248, 3082, 3151]);
  });

  it('counts crimes by type for the latest period first, then the previous one', () => {
    const church = profileOf('E05000936');
    expect(church.threat.crime.map((c) => c.period)).toEqual([PERIODS.latest, PERIODS.previous]);
    // awk -F, '$8=="E01006956"||$8=="E01006957"{print $10}' mini/crime/2019-10-… | sort | uniq -c
    expect(countOf('E05000936', 'Violence and sexual offences')).toBe(17);
    expect(countOf('E05000936', 'Shoplifting')).toBe(7);
    expect(countOf('E05000936', 'Anti-social behaviour')).toBe(8);
    expect(countOf('E05000936', 'Bicycle theft')).toBe(0);
    expect(countOf('E05000936', 'Anti-social behaviour', 1)).toBe(18);
    const total = (id: string, which: number) =>
      profileOf(id).threat.crime[which]!.counts.reduce((s, c) => s + c.count, 0);
    expect([total('E05000891', 0), total('E05000936', 0), total('E05000961', 0)]).toEqual([21, 54, 11]);
    expect([total('E05000891', 1), total('E05000936', 1), total('E05000961', 1)]).toEqual([26, 62, 7]);
  });

  it('leaves out the rows over the border (Halton in April, Cheshire West and Chester in October)', () => {
    expect(built.crime).toEqual({
      files: 2,
      rowsRead: 185,
      rowsCounted: 181,
      rowsOutsidePartnership: 4,
      rowsWithoutLsoa: 0,
      rowsOutsidePeriods: 0,
    });
  });

  it('scores and ranks every ward, keeping the previous period’s rank and score as the last review', () => {
    const severity = built.profiles.map((p) => p.threat.severity);
    // Σ(count × median weight) per 1,000 residents: the Python above.
    expect(severity.map((s) => s?.score)).toEqual([1.06608, 6.89815, 1.06366]);
    expect(severity.map((s) => s?.rank)).toEqual([2, 1, 3]);
    expect(severity.map((s) => s?.scoreAtLastReview)).toEqual([4.50087, 6.73634, 0.34931]);
    expect(severity.map((s) => s?.rankAtLastReview)).toEqual([2, 1, 3]);
    expect(severity.every((s) => s?.outOf === 3)).toBe(true);
    expect(severity.map((s) => s?.period)).toEqual([PERIODS.latest, PERIODS.latest, PERIODS.latest]);
  });

  it('rolls deprivation up to the ward with its source and date', () => {
    const indicators = new Map(profileOf('E05000936').vulnerabilities.map((v) => [v.key, v]));
    // (1588 × 5101 + 1494 × 1498) ÷ 3082 = 3354.4 → decile 2; 1494 of 3082 live in a decile-1 LSOA
    expect(indicators.get('imd-average-rank')).toMatchObject({ value: 3354, sourceId: 'iod2019-imd' });
    expect(indicators.get('imd-average-rank-decile')?.value).toBe(2);
    expect(indicators.get('imd-most-deprived-10pct-share')?.display).toBe('48.5%');
    const sources = new Map(profileOf('E05000936').dataSources.map((s) => [s.id, s]));
    for (const v of indicators.values()) expect(sources.get(v.sourceId)?.asOf).toBe(v.asOf);
  });

  it('names the publisher, licence and date of every source', () => {
    for (const s of profileOf('E05000961').dataSources) {
      expect(s.publisher).not.toBe('');
      expect(s.licence).toMatch(/Open Government Licence v3\.0/);
      expect(s.asOf).not.toBe('');
    }
  });

  it('dates the first refresh from now', () => {
    expect(profileOf('E05000891').review).toEqual({
      lastRefreshedAt: '2026-03-02T09:00:00.000Z',
      nextRefreshDue: '2027-03-02',
      csiReviewDue: '2026-09-02',
    });
    for (const p of built.profiles) expect(() => Profile.parse(p)).not.toThrow();
  });

  it('gives the same profiles when built again', async () => {
    expect(await buildWardProfiles(input)).toEqual(built);
  });
});

describe('ward profiles: files that do not fit', () => {
  it('says which authority has no wards in the lookup', async () => {
    await expect(buildWardProfiles({ ...input, localAuthorityCodes: ['E08000012', 'E08000099'] })).rejects.toThrow(
      /Lookup_in_England_and_Wales\.csv: no wards for local authority E08000099/,
    );
  });

  it('refuses a period with a month nobody downloaded, rather than reading it as no crime', async () => {
    await expect(
      buildWardProfiles({ ...input, periods: { ...PERIODS, latest: { from: '2019-10', to: '2019-11' } } }),
    ).rejects.toThrow(/crime: no street-level crime rows for 2019-11/);
  });

  it('names the file it could not find', async () => {
    await expect(buildWardProfiles({ ...input, datasetDir: join(DATASET, 'crime') })).rejects.toThrow(
      /Lookup_in_England_and_Wales\.csv: file not found/,
    );
  });
});
