import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { markReviewed } from '../../src/domain/review.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { PartnershipImport, type PartnershipImportInput } from '../../src/services/partnership-import.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * Today's published files (test/fixtures/data/current/README.md): police.uk on 2021 LSOAs, the ONS
 * 2021-LSOA to 2023-ward lookup, ONS mid-2022 population, IoD 2025; and an older month on 2011
 * LSOAs brought onto 2021 LSOAs by the ONS LSOA 2011→2021 lookup. Every figure is worked out by
 * hand below from the fixture rows and datasets/weights/police-uk-category-weights.csv.
 */
const CURRENT = join(import.meta.dirname, '../fixtures/data/current');
const LOOKUP_2023 = join(CURRENT, 'LSOA21_WD23_LAD23_EW_LU.csv');
const CHANGES = join(CURRENT, 'LSOA11_LSOA21_LAD22_EW_LU.csv');
const POPULATION_2022 = join(CURRENT, 'Mid-2022 LSOA 2021.csv');
const IMD_2025 = join(CURRENT, 'File_1_IoD2025_Index_of_Multiple_Deprivation.csv');
const OCT_2022 = join(CURRENT, '2022-10-merseyside-street.csv');
const APR_2023 = join(CURRENT, '2023-04-merseyside-street.csv');
const [GREASBY, UPTON] = ['E05015001', 'E05015002'];

// ONS weights per police.uk category (the default weights file).
const W = {
  violence: 972.2206289,
  burglary: 465.3814732,
  robbery: 799.6288702,
  shoplifting: 11.85553905,
  publicOrder: 42.63605858,
  drugs: 8.5721311725,
  vehicle: 43.18535713,
};
const round5 = (x: number) => Math.round(x * 100_000) / 100_000;

let now: Date;
let dir: string;
let store: Store;

const run = (files: string[], options: Partial<PartnershipImportInput> = {}) =>
  new PartnershipImport(store, () => now, 'system:import').run({
    partnershipId: 'wirral',
    files,
    localAuthorityCodes: ['E08000015'],
    dryRun: false,
    skipInvalid: false,
    ...options,
  });
const profile = async (id: string) => (await store.profiles.get('wirral', id))!;

describe('today’s files: 2021 LSOAs, 2023 wards, mid-2022 population, IoD 2025', () => {
  beforeEach(async () => {
    now = new Date('2026-03-02T09:00:00Z');
    dir = mkdtempSync(join(tmpdir(), 'soc-current-import-'));
    store = openSqliteStore({ file: join(dir, 'store.db') });
    await new MemberAdmin(store, () => now, 'system:cli').addPartnership({ id: 'wirral', name: 'Wirral', force: 'MP' });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('reads each file’s vintage from its header and places the 2011-LSOA month through the change lookup', async () => {
    const result = await run([LOOKUP_2023, CHANGES, POPULATION_2022, IMD_2025, OCT_2022, APR_2023]);
    expect(result.refused).toBe(false);
    expect(result.files.map((f) => f.name).sort()).toEqual(
      [
        'IoD 2025 File 1 (Index of Multiple Deprivation)',
        'ONS LSOA (2011) to LSOA (2021) lookup',
        'ONS LSOA (2021) to Ward (2023) to LAD (2023) lookup',
        'ONS mid-year population estimates by LSOA (2021)',
        'police.uk street-level crime',
        'police.uk street-level crime',
      ].sort(),
    );
    expect(result.references).toEqual([
      'ONS LSOA (2021) to Ward (2023) to LAD (2023) lookup',
      'ONS LSOA (2011) to LSOA (2021) lookup',
      'population mid-2022 (ONS mid-year population estimates by LSOA (2021))',
      'IMD 2025 on 2021 LSOAs',
    ]);
    // 12 rows in October, 13 in April; 1 in Cheshire West and Chester (outside); 5 in October's
    // changed 2011 LSOAs (E01007285 1 and E01007286 1 merged into E01035001; E01007299's 3 split
    // into E01035002 and E01035003, both in Upton) placed through the change lookup.
    expect(result.crime).toMatchObject({
      rowsRead: 25,
      rowsCounted: 24,
      rowsOutsidePartnership: 1,
      rowsMoved: 5,
      notPlaced: { crimes: 0, lsoas: 0, splitCrimes: 0, splitLsoas: 0 },
      rankedBy: 'severity',
    });

    // Residents, mid-2022: Greasby 1,500 + 1,600 + 1,000; Upton 1,400 + 1,200 + 1,300 + 1,100.
    expect(await store.districts.get('wirral', GREASBY)).toMatchObject({
      name: 'Greasby, Frankby and Irby',
      population: 4100,
      populationSource: 'mid-2022',
    });
    expect((await store.districts.get('wirral', UPTON))?.population).toBe(5000);

    const greasby = await profile(GREASBY);
    const upton = await profile(UPTON);
    // April 2023: Greasby 2 violence, 1 burglary, 1 robbery; Upton 4 shoplifting, 2 public order (+3 ASB).
    const aprGreasby = round5((2 * W.violence + W.burglary + W.robbery) / 4100); // 0.78279
    const aprUpton = round5((4 * W.shoplifting + 2 * W.publicOrder) / 5000); // 0.02654
    expect([aprGreasby, aprUpton]).toEqual([0.78279, 0.02654]);
    expect(greasby.threat.crime[0]!.severity).toEqual({ score: 0.78279, rank: 1, outOf: 2, crimeRate: 1.0 }); // 4 × 1,000 ÷ 4,100
    expect(upton.threat.crime[0]!.severity).toEqual({ score: 0.02654, rank: 2, outOf: 2, crimeRate: 1.2 }); // 6 × 1,000 ÷ 5,000
    // October 2022, on 2011 LSOAs: Greasby 2 burglary (E01007284), 1 robbery, 1 drugs (merged
    // into E01035001); Upton 3 vehicle crime (E01007299, split within Upton) + 4 ASB.
    const octGreasby = round5((2 * W.burglary + W.robbery + W.drugs) / 4100); // 0.42414
    const octUpton = round5((3 * W.vehicle) / 5000); // 0.02591
    expect([octGreasby, octUpton]).toEqual([0.42414, 0.02591]);
    expect(greasby.threat.crime[1]!.severity).toEqual({ score: 0.42414, rank: 1, outOf: 2, crimeRate: 1.0 });
    expect(upton.threat.crime[1]!.severity).toEqual({ score: 0.02591, rank: 2, outOf: 2, crimeRate: 0.6 });
    expect(greasby.threat.severity).toMatchObject({ score: 0.78279, rank: 1, rankAtLastReview: 1, crimeRate: 1.0 });
    expect(greasby.threat.severity?.method).toMatch(/ONS mid-2022 population estimate/);

    // IoD 2025: Greasby (1,500 × 20,000 + 1,600 × 3,000 + 1,000 × 30,000) ÷ 4,100 = 15,804.9;
    // decile ceil(15,804.9 × 10 ÷ 33,755) = 5; 1,600 of 4,100 (39.0%) in the most deprived decile;
    // 0–15: 820 ÷ 4,100 = 20.0%; 60+: 950 ÷ 4,100 = 23.2%.
    const v = new Map(greasby.vulnerabilities.map((i) => [i.key, i]));
    expect(v.get('imd-average-rank')).toMatchObject({
      label: 'IMD 2025 average rank, population-weighted (1 = most deprived)',
      value: 15805,
      display: '15,805 of 33,755',
      sourceId: 'iod2025-imd',
      asOf: '2025',
    });
    expect(v.get('imd-average-rank-decile')?.display).toBe('decile 5 of 10');
    expect(v.get('imd-most-deprived-10pct-share')).toMatchObject({
      label: "Residents in England's 10% most deprived neighbourhoods (LSOAs)",
      display: '39%',
    });
    expect(v.get('children-0-15-share')).toMatchObject({
      display: '20%',
      sourceId: 'ons-mid-year-population',
      asOf: 'mid-2022',
    });
    expect(v.get('aged-60-plus-share')?.display).toBe('23.2%');
    expect(greasby.dataSources.map((s) => `${s.id} ${s.asOf}`)).toEqual([
      'policeuk-street-crime 2022-10, 2023-04',
      'ons-crime-severity-weights late 2020 edition',
      'ons-lsoa21-ward23 wards of 2023',
      'iod2025-imd 2025',
      'ons-mid-year-population mid-2022',
    ]);
  });

  it('counts and reports crimes in LSOAs no lookup places, and writes nothing unless --skip-invalid', async () => {
    // October 2022 is on 2011 LSOAs; without the change lookup, three of its LSOAs (Wirral
    // E01007285, E01007286, E01007299: 5 crimes) are in no lookup of 2021 LSOAs.
    const refused = await run([LOOKUP_2023, POPULATION_2022, OCT_2022, APR_2023]);
    expect(refused.refused).toBe(true);
    expect(refused.written).toBe(false);
    expect(refused.crime.notPlaced).toEqual({
      crimes: 5,
      lsoas: 3,
      splitCrimes: 0,
      splitLsoas: 0,
      examples: ['E01007299', 'E01007285', 'E01007286'],
    });
    expect(await store.districts.count('wirral')).toBe(0);

    const skipped = await run([LOOKUP_2023, POPULATION_2022, OCT_2022, APR_2023], { skipInvalid: true });
    expect(skipped.written).toBe(true);
    expect(skipped.crime).toMatchObject({ rowsCounted: 19, rowsOutsidePartnership: 1, notPlaced: { crimes: 5 } });
    // October in Greasby: only E01007284's 2 burglaries were placed.
    expect((await profile(GREASBY)).threat.crime[1]!.counts.find((c) => c.crimeType === 'Burglary')?.count).toBe(2);
  });

  it('reports a 2011 LSOA split across two wards rather than guess which to count it in', async () => {
    const split = join(dir, '2022-10-split-street.csv');
    writeFileSync(
      split,
      'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context\r\n' +
        'x,2022-10,Merseyside Police,Merseyside Police,-3.1,53.4,On or near X,E01007301,Wirral 034E,Shoplifting,Under investigation,\r\n',
    );
    const result = await run([LOOKUP_2023, CHANGES, POPULATION_2022, split]);
    expect(result.refused).toBe(true);
    expect(result.crime.notPlaced).toMatchObject({ crimes: 0, splitCrimes: 1, splitLsoas: 1, examples: ['E01007301'] });
  });

  it('without a population file: counts and ranks by number of crimes, no rate or severity per resident', async () => {
    const result = await run([LOOKUP_2023, CHANGES, OCT_2022, APR_2023]);
    expect(result.refused).toBe(false);
    expect(result.crime.rankedBy).toBe('crimes');
    // April 2023: Upton 6 crimes (ASB not counted), Greasby 4.
    expect((await profile(UPTON)).threat.severity).toMatchObject({ score: 6, rank: 1, outOf: 2, rankedBy: 'crimes' });
    expect((await profile(GREASBY)).threat.severity).toMatchObject({ score: 4, rank: 2, rankedBy: 'crimes' });
    expect((await profile(GREASBY)).threat.severity?.crimeRate).toBeUndefined();
    expect((await store.districts.get('wirral', GREASBY))?.populationSource).toBeUndefined();
  });

  it('refuses files of another LSOA vintage than the ward lookup, naming both', async () => {
    const lookup2019 = join(
      import.meta.dirname,
      '../fixtures/data/mini/lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv',
    );
    await expect(run([lookup2019, IMD_2025], { localAuthorityCodes: ['E08000015'] })).rejects.toThrow(
      /File_1_IoD2025_Index_of_Multiple_Deprivation\.csv is on 2021 LSOAs but the ward lookup \(ONS LSOA \(2011\) to Ward \(2019\) to LAD \(2019\) lookup\) is on 2011 LSOAs/,
    );
  });

  it('gives a Welsh ward (W05…) the Welsh index, never the English one, even when both are given', async () => {
    // The WIMD 2025 layout is assumed (test/fixtures/data/current/README.md): LSOA code, WIMD 2025.
    const lookup = join(dir, 'LSOA21_WD24_LAD24_EW_LU.csv');
    writeFileSync(
      lookup,
      'LSOA21CD,LSOA21NM,WD24CD,WD24NM,LAD24CD,LAD24NM\n' +
        'W01000001,Wrexham 001A,W05000001,Acton,W06000006,Wrexham\n' +
        'W01000002,Wrexham 001B,W05000001,Acton,W06000006,Wrexham\n',
    );
    const population = join(dir, 'mid-2022-wales.csv');
    writeFileSync(
      population,
      'LAD 2021 Code,LAD 2021 Name,LSOA 2021 Code,LSOA 2021 Name,Total,0,30,70\n' +
        'W06000006,Wrexham,W01000001,Wrexham 001A,1000,200,600,200\n' +
        'W06000006,Wrexham,W01000002,Wrexham 001B,3000,600,1800,600\n',
    );
    const wimd = join(dir, 'wimd-2025.csv');
    writeFileSync(
      wimd,
      'LSOA code,LSOA name (Eng),WIMD 2025\nW01000001,Wrexham 001A,100\nW01000002,Wrexham 001B,500\n',
    );
    const result = await run([lookup, population, wimd, IMD_2025], { localAuthorityCodes: ['W06000006'] });
    expect(result.files.find((f) => f.file === wimd)?.name).toBe(
      'Welsh Index of Multiple Deprivation 2025 (ranks by LSOA)',
    );
    const acton = await profile('W05000001');
    const v = new Map(acton.vulnerabilities.map((i) => [i.key, i]));
    // (1,000 × 100 + 3,000 × 500) ÷ 4,000 = 400 of 1,917; decile ceil(400 × 10 ÷ 1,917) = 3;
    // W01000001's rank 100 is decile ceil(1,000 ÷ 1,917) = 1: 1,000 of 4,000 residents = 25%.
    expect(v.get('imd-average-rank')).toMatchObject({
      label: 'WIMD 2025 average rank, population-weighted (1 = most deprived)',
      display: '400 of 1,917',
      sourceId: 'wimd2025',
    });
    expect(v.get('imd-average-rank-decile')?.display).toBe('decile 3 of 10');
    expect(v.get('imd-most-deprived-10pct-share')).toMatchObject({
      label: "Residents in Wales's 10% most deprived neighbourhoods (LSOAs)",
      display: '25%',
    });
    expect(acton.dataSources.map((s) => s.id)).not.toContain('iod2025-imd');
  });

  it('takes the mid-year from --population-year when the file name does not say it', async () => {
    const renamed = join(dir, 'sapelsoasyoatablefinal.csv');
    copyFileSync(POPULATION_2022, renamed);
    await expect(run([LOOKUP_2023, renamed])).rejects.toThrow(/--population-year 2022/);
    await run([LOOKUP_2023, renamed], { populationYear: '2022' });
    expect((await store.districts.get('wirral', GREASBY))?.populationSource).toBe('mid-2022');
  });
});

/** The 12-month refresh date, on both stores: an import of more data is not a refresh. */
for (const backend of ['SQLite', 'Cosmos DB'] as const) {
  describe(`the 12-month refresh on ${backend}`, () => {
    let server: https.Server | undefined;
    beforeAll(async () => {
      if (backend === 'Cosmos DB') {
        server = createHttpsServer();
        server.listen(0, '127.0.0.1');
        await once(server, 'listening');
      }
    });
    afterAll(async () => {
      server?.closeAllConnections();
      await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
    });
    beforeEach(async () => {
      now = new Date('2026-03-02T09:00:00Z');
      dir = mkdtempSync(join(tmpdir(), 'soc-refresh-'));
      if (server) {
        const endpoint = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
        const agent = new https.Agent({ rejectUnauthorized: false });
        store = await openCosmosStore({ endpoint, key: 'ignored', databaseId: `refresh-${randomUUID()}`, agent });
      } else {
        store = openSqliteStore({ file: join(dir, 'store.db') });
      }
      await new MemberAdmin(store, () => now, 'system:cli').addPartnership({
        id: 'wirral',
        name: 'Wirral',
        force: 'MP',
      });
    });
    afterEach(async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    });

    it('moves only "data as of" on a data import; --refresh and Mark reviewed move the refresh date', async () => {
      await run([LOOKUP_2023, CHANGES, POPULATION_2022, OCT_2022]);
      const first = (await profile(GREASBY)).review;
      expect(first).toMatchObject({
        lastRefreshedAt: '2026-03-02T09:00:00.000Z',
        nextRefreshDue: '2027-03-02',
        dataUpdatedAt: '2026-03-02T09:00:00.000Z',
      });

      // A month of police.uk data later: the data moves, the 12-month refresh does not.
      now = new Date('2026-09-15T09:00:00Z');
      await run([APR_2023], { localAuthorityCodes: [] });
      const afterData = (await profile(GREASBY)).review;
      expect(afterData).toMatchObject({
        lastRefreshedAt: '2026-03-02T09:00:00.000Z',
        nextRefreshDue: '2027-03-02',
        dataUpdatedAt: '2026-09-15T09:00:00.000Z',
      });

      // An explicit --refresh: the coordinator says this import is the refresh.
      now = new Date('2026-10-01T09:00:00Z');
      const refreshed = await run([APR_2023], { localAuthorityCodes: [], refresh: true });
      expect(refreshed.refreshed).toBe(true);
      expect((await profile(GREASBY)).review).toMatchObject({
        lastRefreshedAt: '2026-10-01T09:00:00.000Z',
        nextRefreshDue: '2027-10-01',
      });

      // A recorded review moves it too.
      const p = await profile(GREASBY);
      const { etag, ...plain } = p;
      const reviewed = markReviewed(plain, '11111111-2222-3333-4444-555555555555', new Date('2027-01-05T10:00:00Z'));
      expect(reviewed.review).toMatchObject({
        lastRefreshedAt: '2027-01-05T10:00:00.000Z',
        nextRefreshDue: '2028-01-05',
      });
      await store.profiles.replace(reviewed, etag, {
        actor: '11111111-2222-3333-4444-555555555555',
        at: '2027-01-05T10:00:00.000Z',
        action: 'profile.reviewed',
      });
      expect((await profile(GREASBY)).review.nextRefreshDue).toBe('2028-01-05');
    });
  });
}
