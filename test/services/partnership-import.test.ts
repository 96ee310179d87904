import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { POLICE_UK_CRIME_TYPES } from '../../src/domain/crime-severity.js';
import type { Profile } from '../../src/domain/profile.js';
import { composeRanking } from '../../src/domain/ranking.js';
import { markReviewed } from '../../src/domain/review.js';
import { ImportConflictError } from '../../src/domain/errors.js';
import { DatasetFileError } from '../../src/services/import/dataset-file-error.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { PartnershipImport, type PartnershipImportInput } from '../../src/services/partnership-import.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

/**
 * The import on the fixture cut of the real Merseyside 2019 files (test/fixtures/data/README.md):
 * three wards of three authorities, April and October 2019, against a real SQLite store.
 */
const MINI = join(import.meta.dirname, '../fixtures/data/mini');
const EXAMPLES = join(import.meta.dirname, '../../datasets/examples');
const LOOKUP = join(MINI, 'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv');
const IMD = join(MINI, 'imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv');
const POPULATION = join(MINI, 'imd/File_6_-_IoD2019_Population_Denominators.csv');
const APRIL = join(MINI, 'crime/2019-04-merseyside-street.csv');
const OCTOBER = join(MINI, 'crime/2019-10-merseyside-street.csv');
const REFERENCE = [LOOKUP, IMD, POPULATION];
const AUTHORITIES = ['E08000012', 'E08000014', 'E08000015'];
/** Church (Liverpool), Church (Sefton), Greasby, Frankby and Irby (Wirral). */
const [LIVERPOOL_CHURCH, SEFTON_CHURCH, GREASBY] = ['E05000891', 'E05000936', 'E05000961'];
const HEADER =
  'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';

let now = new Date('2026-03-02T09:00:00Z');
let dir: string;
let store: Store;

beforeEach(async () => {
  now = new Date('2026-03-02T09:00:00Z');
  dir = mkdtempSync(join(tmpdir(), 'soc-partnership-import-'));
  store = openSqliteStore({ file: join(dir, 'store.db') });
  await new MemberAdmin(store, () => now, 'system:cli').addPartnership({
    id: 'mersey',
    name: 'Merseyside',
    force: 'MP',
  });
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

const run = (files: string[], options: Partial<PartnershipImportInput> = {}) =>
  new PartnershipImport(store, () => now, 'system:import').run({
    partnershipId: 'mersey',
    files,
    localAuthorityCodes: AUTHORITIES,
    dryRun: false,
    skipInvalid: false,
    ...options,
  });

const profile = async (id: string): Promise<Profile & { etag: string }> => (await store.profiles.get('mersey', id))!;
const everything = async () => {
  const ids = (await store.districts.listNames('mersey')).map((d) => d.id);
  return {
    districts: await Promise.all(ids.map((id) => store.districts.get('mersey', id))),
    profiles: await Promise.all(ids.map((id) => store.profiles.get('mersey', id))),
    gaps: await Promise.all(ids.map((id) => store.gaps.listByDistrict('mersey', id))),
    actions: await Promise.all(ids.map((id) => store.actions.listByDistrict('mersey', id))),
    agencies: await store.agencies.list('mersey'),
    members: await store.members.listByPartnership('mersey'),
    audit: await store.audit.listSince('mersey', '2000-01-01T00:00:00.000Z', 100_000),
  };
};

/** A copy of a published crime file with some lines replaced: `edits` maps line number → new line. */
function edited(source: string, name: string, edits: Record<number, string>): string {
  const lines = readFileSync(source, 'utf8').split('\r\n');
  for (const [n, text] of Object.entries(edits)) lines[Number(n) - 1] = text;
  const file = join(dir, name);
  writeFileSync(file, lines.join('\r\n'));
  return file;
}

/** A police.uk file written row by row in the published layout. */
function streetFile(name: string, rows: [month: string, lsoa: string, crimeType: string][]): string {
  const file = join(dir, name);
  const body = rows.map(
    ([month, lsoa, type], i) =>
      `id${i},${month},Merseyside Police,Merseyside Police,-2.9,53.4,On or near Somewhere,${lsoa},Somewhere 001A,${type},Under investigation,`,
  );
  writeFileSync(file, [HEADER, ...body].join('\r\n') + '\r\n');
  return file;
}

describe('crime severity from the real files, checked by hand', () => {
  it('scores and ranks each ward per 1,000 residents, as worked out by hand from the fixture', async () => {
    await run([...REFERENCE, APRIL, OCTOBER]);
    // Greasby, Frankby and Irby, October 2019: its rows in the cut, by type (awk on the file):
    //   Anti-social behaviour 3, Burglary 1, Criminal damage and arson 1, Other theft 1, Robbery 1,
    //   Vehicle crime 2, Violence and sexual offences 2.
    // Weights from datasets/weights/police-uk-category-weights.csv; residents: E01007284 + E01007285
    // in IoD File 6 = 3,151.
    const greasbyHarm =
      3 * 0 + 1 * 465.3814732 + 1 * 5.39670789 + 1 * 50.358098125 + 1 * 799.6288702 + 2 * 43.18535713 + 2 * 972.2206289;
    // ONS's scale: Σ(count × weight) ÷ residents (no longer × 1,000).
    expect(Math.round((greasbyHarm / 3151) * 100_000) / 100_000).toBe(1.06366);
    // The other two wards the same way (the Python in test/services/ward-profiles.test.ts):
    // Church (Liverpool) 1.06608 of 3,248 residents; Church (Sefton) 6.89815 of 3,082.
    // Crime rate: Greasby's 8 crimes (ASB not counted) × 1,000 ÷ 3,151 = 2.54 → 2.5 per 1,000.
    const october = (p: Profile) => p.threat.crime[0]!;
    const liverpool = await profile(LIVERPOOL_CHURCH);
    const sefton = await profile(SEFTON_CHURCH);
    const greasby = await profile(GREASBY);
    expect([liverpool, sefton, greasby].map((p) => october(p).severity)).toEqual([
      { score: 1.06608, rank: 2, outOf: 3, crimeRate: 5.8 },
      { score: 6.89815, rank: 1, outOf: 3, crimeRate: 14.9 },
      { score: 1.06366, rank: 3, outOf: 3, crimeRate: 2.5 },
    ]);
    expect(
      Object.fromEntries(
        october(greasby)
          .counts.filter((c) => c.count > 0)
          .map((c) => [c.crimeType, c.count]),
      ),
    ).toEqual({
      'Anti-social behaviour': 3,
      Burglary: 1,
      'Criminal damage and arson': 1,
      'Other theft': 1,
      Robbery: 1,
      'Vehicle crime': 2,
      'Violence and sexual offences': 2,
    });
    // April, the period six months before: 4.50087, 6.73634 and 0.34931, the same order.
    expect([liverpool, sefton, greasby].map((p) => p.threat.crime[1]!.severity)).toEqual([
      { score: 4.50087, rank: 2, outOf: 3, crimeRate: expect.any(Number) },
      { score: 6.73634, rank: 1, outOf: 3, crimeRate: expect.any(Number) },
      { score: 0.34931, rank: 3, outOf: 3, crimeRate: expect.any(Number) },
    ]);
    expect(greasby.threat.severity).toMatchObject({
      score: 1.06366,
      rank: 3,
      outOf: 3,
      period: { from: '2019-10', to: '2019-10' },
      rankAtLastReview: 3,
      scoreAtLastReview: 0.34931,
      crimeRate: 2.5,
    });
    expect((await store.districts.get('mersey', GREASBY))?.population).toBe(3151);
  });

  it('scores with a weights file the partnership supplies instead', async () => {
    const weights = join(dir, 'flat-weights.csv');
    writeFileSync(
      weights,
      [
        'crime_type,weight,source',
        'Anti-social behaviour,0,not notifiable',
        ...POLICE_UK_CRIME_TYPES.filter((t) => t !== 'Anti-social behaviour').map(
          (t) => `${t},1,every crime counts once`,
        ),
      ].join('\n'),
    );
    await run([...REFERENCE, OCTOBER], { weightsFile: weights });
    // Greasby: 8 crimes that are not anti-social behaviour ÷ 3,151 = 0.0025388…
    expect((await profile(GREASBY)).threat.severity?.score).toBe(0.00254);
  });
});

describe('the whole Merseyside 2019 dataset', () => {
  it('agrees exactly with scores and ranks computed outside this code', async () => {
    const root = join(import.meta.dirname, '../../datasets/merseyside-2019');
    const files = [
      'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv',
      'imd/File_6_-_IoD2019_Population_Denominators.csv',
      ...['04', '05', '06', '10', '11', '12'].map((m) => `crime/2019-${m}-merseyside-street.csv.gz`),
    ].map((f) => join(root, f));
    const result = await run(files, {
      localAuthorityCodes: ['E08000011', 'E08000012', 'E08000013', 'E08000014', 'E08000015'],
    });
    expect(result.crime).toMatchObject({ rowsRead: 82_667, rowsCounted: 82_638, rowsOutsidePartnership: 29 });
    // In datasets/merseyside-2019, with Python's csv, gzip and statistics modules: the median ONS
    // weight per police.uk category from the join (anti-social behaviour 0), each ward's LSOAs from
    // the lookup (the five LAD19 codes), residents from File 6, then per quarter
    // round(Σ weight of each row in the ward's LSOAs × 1000 ÷ residents, 2) ÷ 1000 (ONS's scale) and
    // rank = 1 + the number of wards scoring more.
    const expected: Record<string, [latest: [number, number], previous: [number, number]]> = {
      E05000936: [
        [11.79442, 29],
        [13.44699, 22],
      ], // Church (Sefton)
      E05000886: [
        [6.94107, 71],
        [5.88509, 73],
      ], // Allerton and Hunts Cross (Liverpool)
      E05000899: [
        [18.09294, 10],
        [16.4994, 11],
      ], // Kensington and Fairfield (Liverpool)
      E05000889: [
        [38.17625, 1],
        [expect.any(Number) as unknown as number, expect.any(Number) as unknown as number],
      ], // Central (Liverpool): the highest in Oct–Dec
    };
    for (const [id, [[score, rank], [before, rankBefore]]] of Object.entries(expected)) {
      const p = await profile(id);
      expect(p.threat.severity, id).toMatchObject({
        score,
        rank,
        outOf: 105,
        period: { from: '2019-10', to: '2019-12' },
      });
      expect(p.threat.crime[1]!.severity, id).toMatchObject({ score: before, rank: rankBefore });
      expect(p.threat.severity?.rankAtLastReview, id).toBe(p.threat.crime[1]!.severity!.rank);
    }
  });
});

describe('history across imports', () => {
  it('keeps each period and shows the rank change since the review six months before', async () => {
    await run([...REFERENCE, APRIL]);
    expect((await profile(GREASBY)).threat.severity).toMatchObject({ rank: 3, period: { from: '2019-04' } });
    expect((await profile(GREASBY)).threat.severity?.rankAtLastReview).toBeUndefined();

    // October arrives on its own: the stored districts' LSOAs and populations place and scale it.
    now = new Date('2026-04-02T09:00:00Z');
    const october = streetFile('2019-10-merseyside-street.csv', [
      ...Array.from({ length: 10 }, () => ['2019-10', 'E01007284', 'Robbery'] as [string, string, string]),
      ['2019-10', 'E01006956', 'Violence and sexual offences'],
    ]);
    const result = await run([october], { localAuthorityCodes: [] });
    expect(result.rankMoved).toBe(3);

    const greasby = await profile(GREASBY);
    expect(greasby.threat.crime.map((c) => c.period)).toEqual([
      { from: '2019-10', to: '2019-10' },
      { from: '2019-04', to: '2019-04' },
    ]);
    // 10 robberies × 799.6288702 ÷ 3,151 residents = 2.53770: now the highest harm.
    expect(greasby.threat.severity).toMatchObject({ score: 2.5377, rank: 1, rankAtLastReview: 3 });

    const rows = await store.profiles.severityRanking('mersey', 10);
    const view = composeRanking({
      demo: false,
      outOf: 3,
      periodText: 'Oct 2019',
      rows: rows.map((r) => ({ ...r, label: r.districtId })),
    });
    expect(view.rows.map((r) => [r.districtId, r.rank, r.change])).toEqual([
      [GREASBY, '1st', '▲ 2 (was 3rd)'],
      [SEFTON_CHURCH, '2nd', '▼ 1 (was 1st)'],
      [LIVERPOOL_CHURCH, '3rd', '▼ 1 (was 2nd)'],
    ]);
  });

  it('measures the change from a review a coordinator recorded, when there is one', async () => {
    await run([...REFERENCE, APRIL]);
    const { etag, ...stored } = await profile(GREASBY);
    const reviewed = markReviewed(stored, 'cccccccc-1111-2222-3333-444444444444', new Date('2026-03-10T10:00:00Z'));
    await store.profiles.replace(reviewed, etag, {
      actor: 'x',
      action: 'profile.reviewed',
      at: '2026-03-10T10:00:00Z',
    });
    await run([...REFERENCE, OCTOBER]);
    const after = await profile(GREASBY);
    expect(after.review.lastReviewedAt).toBe('2026-03-10T10:00:00.000Z');
    expect(after.threat.severity).toMatchObject({ rank: 3, rankAtLastReview: 3, scoreAtLastReview: 0.34931 });
  });
});

describe('bad input, nothing lost', () => {
  const BAD = {
    4: 'x,Oct-2019,Merseyside Police,Merseyside Police,-2.9,53.4,On or near X,E01006956,Sefton 001A,Burglary,,',
    9: 'x,2019-10,Merseyside Police,Merseyside Police,-2.9,53.4,On or near X,E01006956,Sefton 001A,Fraud,,',
    12: 'x,2019-10,Merseyside Police,Merseyside Police,-2.9,53.4,On or near X,E0100695,Sefton 001A,Burglary,,',
  };

  it('reports each invalid row by file, line, column and reason, and writes nothing', async () => {
    const bad = edited(OCTOBER, 'october-bad.csv', BAD);
    const result = await run([...REFERENCE, APRIL, bad]);
    expect(result.refused).toBe(true);
    expect(result.written).toBe(false);
    expect(result.errors.count).toBe(3);
    expect(result.errors.summary()).toEqual([
      '3 invalid rows:',
      '  october-bad.csv, line 4, column Month: "Oct-2019" is not a month as YYYY-MM',
      '  october-bad.csv, line 9, column Crime type: "Fraud" is not a police.uk crime type',
      '  october-bad.csv, line 12, column LSOA code: "E0100695" is not an LSOA code (E01… or W01… and six digits)',
      'by kind:',
      '  1 × police.uk street crime: LSOA code not a code',
      '  1 × police.uk street crime: Month not YYYY-MM',
      '  1 × police.uk street crime: unknown Crime type',
    ]);
    const state = await everything();
    expect(state.districts).toEqual([]);
    expect(state.audit).toEqual([]);
  });

  it('takes the lookup and IoD files whole: an invalid row refuses the import even with --skip-invalid', async () => {
    const lines = readFileSync(POPULATION, 'utf8').split('\n');
    const cells = lines[2]!.split(',');
    cells[4] = 'many';
    lines[2] = cells.join(',');
    const population = join(dir, 'population.csv');
    writeFileSync(population, lines.join('\n'));
    const result = await run([LOOKUP, IMD, population, APRIL], { skipInvalid: true });
    expect(result).toMatchObject({ refused: true, referenceInvalid: true, written: false });
    expect(result.errors.summary().slice(0, 2)).toEqual([
      '1 invalid row:',
      '  population.csv, line 3, column Total population: mid 2015 (excluding prisoners): Total population "many" is not a count of people',
    ]);
    expect(await store.districts.count('mersey')).toBe(0);
  });

  it('lists the first 20 and counts the rest by kind', async () => {
    const rows = Array.from(
      { length: 25 },
      (_, i) => ['2019-13', 'E01006956', i % 5 ? 'Burglary' : 'Drugs'] as [string, string, string],
    );
    const result = await run([...REFERENCE, streetFile('many-bad.csv', rows)]);
    const summary = result.errors.summary();
    expect(summary[0]).toBe('25 invalid rows (the first 20 below):');
    expect(summary.filter((l) => l.includes('many-bad.csv, line'))).toHaveLength(20);
    expect(summary.slice(-2)).toEqual(['by kind:', '  25 × police.uk street crime: Month not YYYY-MM']);
  });

  it('--skip-invalid writes the valid rows and counts the ones skipped', async () => {
    const bad = edited(OCTOBER, 'october-bad.csv', BAD);
    const result = await run([...REFERENCE, APRIL, bad], { skipInvalid: true });
    expect(result.written).toBe(true);
    expect(result.crime.rowsInvalid).toBe(3);
    // Lines 4, 9 and 12 of the cut are Church (Liverpool) rows: it lost three; the others none.
    const lines = readFileSync(OCTOBER, 'utf8').split('\r\n');
    const rowsOf = (re: RegExp) => lines.filter((l) => re.test(l)).length;
    expect([4, 9, 12].every((n) => /,E0100(6680|6689),/.test(lines[n - 1]!))).toBe(true);
    const counted = async (id: string) =>
      (await profile(id)).threat.crime[0]!.counts.reduce((sum, c) => sum + c.count, 0);
    expect(await counted(LIVERPOOL_CHURCH)).toBe(rowsOf(/,E0100(6680|6689),/) - 3);
    expect(await counted(SEFTON_CHURCH)).toBe(rowsOf(/,E0100(6956|6957),/));
    expect(await store.districts.count('mersey')).toBe(3);
  });

  it('leaves the same state when the same files are imported twice', async () => {
    const files = [
      ...REFERENCE,
      APRIL,
      OCTOBER,
      ...[
        'agencies.csv',
        'members.csv',
        'ocgs.csv',
        'gaps.csv',
        'actions.csv',
        'indicators.csv',
        'partnership.json',
      ].map((f) => join(EXAMPLES, f)),
    ];
    await run(files);
    const first = await everything();
    now = new Date('2026-05-01T09:00:00Z');
    const again = await run(files);
    expect(again.profiles).toEqual({ added: 0, changed: 0, unchanged: 3 });
    expect(again.records.gaps).toEqual({ added: 0, changed: 0, unchanged: 3 });
    expect(await everything()).toEqual(first);
  });

  it('never overwrites an edit made in Teams while it ran: it stops, naming the record, and writes nothing', async () => {
    const examples = ['agencies.csv', 'gaps.csv', 'actions.csv'].map((f) => join(EXAMPLES, f));
    await run([...REFERENCE, ...examples]);
    const g1 = (await store.gaps.get('mersey', 'G-1'))!;
    const gaps = join(dir, 'gaps.csv');
    writeFileSync(gaps, readFileSync(join(EXAMPLES, 'gaps.csv'), 'utf8').replaceAll('launder cash', 'store cash'));
    let edit: Promise<unknown> | undefined;
    const importing = new PartnershipImport(store, () => now, 'system:import').run(
      {
        partnershipId: 'mersey',
        files: [...REFERENCE, join(EXAMPLES, 'agencies.csv'), gaps],
        localAuthorityCodes: AUTHORITIES,
        dryRun: false,
        skipInvalid: false,
      },
      (p) => {
        // Planned, not yet written: a partner moves G-1's due date in Teams now.
        if (p.step === 'writing') {
          edit = store.gaps.replace({ ...g1, due: '2026-09-30' }, g1.etag, {
            actor: 'aad-partner',
            action: 'gap.updated',
            at: now.toISOString(),
          });
        }
      },
    );
    await expect(importing).rejects.toThrow(/gap G-1.*Nothing was written/);
    await expect(importing).rejects.toBeInstanceOf(ImportConflictError);
    await edit;
    expect(await store.gaps.get('mersey', 'G-1')).toMatchObject({
      due: '2026-09-30',
      question: 'Which licensed premises are used to launder cash?',
    });
  });

  it('refuses a file in a format it does not know, naming the formats it accepts', async () => {
    const people = join(dir, 'nominals.csv');
    writeFileSync(people, 'name,date of birth,address\nA Person,1990-01-01,1 Some Street\n');
    const refused = run([...REFERENCE, people]);
    await expect(refused).rejects.toBeInstanceOf(DatasetFileError);
    await expect(run([...REFERENCE, people])).rejects.toThrow(
      /nominals\.csv: not a format the import knows \(its header: name, date of birth, address\); the import accepts: police\.uk street-level crime \(CSV\);.*indicators \(indicator, district, value, source, date\) \(CSV\);.*project JSON/,
    );
    expect(await store.districts.count('mersey')).toBe(0);
  });

  it("refuses own-format columns and fields that are not in the schema, such as a person's name", async () => {
    const gaps = join(dir, 'gaps.csv');
    writeFileSync(gaps, 'ref,districtId,question,status,suspectName\nG-1,E05000936,Who?,open,Somebody\n');
    const json = join(dir, 'p.json');
    writeFileSync(
      json,
      JSON.stringify({ ocgs: [{ districtId: GREASBY, ref: 'OCG-1', morileScore: 10, leader: 'X' }] }),
    );
    const result = await run([...REFERENCE, gaps, json]);
    expect(result.refused).toBe(true);
    expect(result.errors.first.map((e) => [e.line, e.column, e.reason])).toEqual([
      [
        1,
        'suspectName',
        'unknown column for gaps; the columns are: ref, districtId, question, status, ownerAgencyId, due, classification, resolution',
      ],
      [1, 'leader', 'not a field of this record'],
    ]);
    expect(await store.districts.count('mersey')).toBe(0);
  });

  it('checks own-format values and references: status, score, district and agency', async () => {
    const gaps = join(dir, 'gaps.csv');
    writeFileSync(
      gaps,
      [
        'ref,districtId,question,status,ownerAgencyId',
        'G-1,E05000936,Which premises?,pending,',
        'G-2,E05999999,Which premises?,open,',
        'G-3,E05000936,Which premises?,assigned,nobody',
        'G-4,E05000936,Which premises?,open,',
      ].join('\n'),
    );
    const result = await run([...REFERENCE, gaps], { skipInvalid: true });
    expect(result.errors.first.map((e) => `${e.line} ${e.column}: ${e.reason}`)).toEqual([
      "2 status: Invalid enum value. Expected 'open' | 'assigned' | 'in_progress' | 'blocked' | 'filled' | 'closed', received 'pending'",
      '3 districtId: district E05999999 is not in partnership mersey',
      '4 ownerAgencyId: agency nobody is not in partnership mersey',
    ]);
    expect((await store.gaps.listByDistrict('mersey', SEFTON_CHURCH)).map((g) => g.ref)).toEqual(['G-4']);
  });
});

describe('the project files and indicators', () => {
  it('loads the example agencies, members, OCGs, gaps, actions and indicators', async () => {
    const files = [
      'agencies.csv',
      'members.csv',
      'ocgs.csv',
      'gaps.csv',
      'actions.csv',
      'indicators.csv',
      'partnership.json',
    ];
    const result = await run([...REFERENCE, ...files.map((f) => join(EXAMPLES, f))]);
    expect(result.errors.count).toBe(0);
    expect((await store.agencies.list('mersey')).map((a) => a.id).sort()).toEqual([
      'liverpool-council',
      'merseyside-fire',
      'merseyside-police',
      'sefton-council',
    ]);
    // Ordered by display name.
    expect((await store.members.listByPartnership('mersey')).map((m) => [m.roles, m.clearance])).toEqual([
      [['partner'], 'OFFICIAL'],
      [['coordinator', 'officer'], 'OFFICIAL-SENSITIVE'],
    ]);
    const sefton = await profile(SEFTON_CHURCH);
    expect(sefton.threat.ocgs).toEqual([{ ref: 'OCG-14', morileScore: 640, band: 'High', classification: 'OFFICIAL' }]);
    expect(sefton.vulnerabilities.find((v) => v.key === 'households-in-fuel-poverty')).toMatchObject({
      label: 'Households in fuel poverty (%)',
      value: 14.2,
      sourceId: 'beis-sub-regional-fuel-poverty',
      asOf: '2019',
    });
    expect(sefton.dataSources.map((s) => s.id)).toContain('beis-sub-regional-fuel-poverty');
    expect(await store.gaps.get('mersey', 'G-3')).toMatchObject({
      districtId: GREASBY,
      ownerAgencyId: 'merseyside-fire',
    });
    expect(await store.actions.get('mersey', 'PREV-1')).toMatchObject({ strand: 'prevent', status: 'in_progress' });
  });
});

describe('streaming', () => {
  it('reads a gzipped file the same as the plain one', async () => {
    const gz = join(dir, 'gz');
    mkdirSync(gz);
    copyFileSync(join(MINI, '../2019-10-street-cut.csv.gz'), join(gz, 'october.csv.gz'));
    await run([...REFERENCE, join(gz, 'october.csv.gz')]);
    const fromGz = (await profile(GREASBY)).threat.severity;
    expect(fromGz).toMatchObject({ score: 1.06366, rank: 3 });
  });
});
