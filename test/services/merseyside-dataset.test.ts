import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { POLICE_UK_CRIME_TYPES } from '../../src/domain/crime-severity.js';
import { readStreetCrime, type StreetCrimeFile } from '../../src/services/import/police-uk-street-crime.js';
import { buildWardProfiles, type WardProfiles } from '../../src/services/import/ward-profiles.js';

/**
 * The whole Merseyside 2019 dataset, read once for this file, checked against the figures its
 * SOURCES.md publishes and against awk run on the files themselves.
 */
const DATASET = join(import.meta.dirname, '../../datasets/merseyside-2019');
const MERSEYSIDE = ['E08000011', 'E08000012', 'E08000013', 'E08000014', 'E08000015'];
const MONTHS = ['04', '05', '06', '10', '11', '12'];

let sources: string;
let built: WardProfiles;
let files: StreetCrimeFile[];
beforeAll(async () => {
  sources = await readFile(join(DATASET, 'SOURCES.md'), 'utf8');
  built = await buildWardProfiles({
    datasetDir: DATASET,
    partnershipId: 'merseyside',
    localAuthorityCodes: MERSEYSIDE,
    now: new Date('2026-03-02T09:00:00Z'),
  });
  files = await Promise.all(
    MONTHS.map((m) => readStreetCrime(join(DATASET, `crime/2019-${m}-merseyside-street.csv.gz`))),
  );
});

/** Rows of the markdown table that follows `heading` in SOURCES.md, as cells. */
function tableAfter(heading: string): string[][] {
  const lines = sources.slice(sources.indexOf(heading)).split('\n');
  const start = lines.findIndex((l) => l.startsWith('|'));
  const rows: string[][] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim().replace(/\*\*/g, '').replace(/`/g, '')),
    );
  }
  return rows;
}

describe('the Merseyside 2019 files', () => {
  it('are byte for byte the files SOURCES.md lists, once uncompressed', async () => {
    const listed = tableAfter('### sha256');
    expect(listed).toHaveLength(10);
    for (const [file, sha] of listed) {
      const bytes = await readFile(join(DATASET, file!));
      const raw = file!.endsWith('.gz') ? gunzipSync(bytes) : bytes;
      expect(createHash('sha256').update(raw).digest('hex'), file).toBe(sha);
    }
  });

  it('hold the crime rows per month and type that SOURCES.md tabulates', () => {
    const table = tableAfter('Crime rows per month:');
    expect(table.map((r) => r[0])).toEqual([...POLICE_UK_CRIME_TYPES, 'total']);
    for (const [type, ...perMonth] of table) {
      const counted = files.map((f) =>
        f.counts.filter((c) => type === 'total' || c.crimeType === type).reduce((s, c) => s + c.count, 0),
      );
      expect(counted, type).toEqual(perMonth.map(Number));
    }
    expect(files.reduce((s, f) => s + f.rows, 0)).toBe(82_667);
    expect(files.every((f, i) => f.counts.every((c) => c.month === `2019-${MONTHS[i]}`))).toBe(true);
  });
});

describe('Merseyside ward profiles', () => {
  it('cover the 105 wards and 910 LSOAs of the five authorities, 1,400,098 people', () => {
    expect(built.districts).toHaveLength(105);
    expect(built.districts.flatMap((d) => d.onsCodes.lsoas)).toHaveLength(910);
    expect(built.districts.reduce((s, d) => s + d.population, 0)).toBe(1_400_098);
  });

  it('count every row but the 29 that fall over the border', () => {
    expect(built.crime).toEqual({
      files: 6,
      rowsRead: 82_667,
      rowsCounted: 82_638,
      rowsOutsidePartnership: 29,
      rowsWithoutLsoa: 0,
      rowsOutsidePeriods: 0,
    });
  });

  it('keep ward names as ONS spells them, told apart by authority', () => {
    const named = (name: string) => built.districts.filter((d) => d.name === name).map((d) => d.localAuthorityName);
    expect(named('Church').sort()).toEqual(['Liverpool', 'Sefton']);
    expect(named("St Michael's")).toEqual(['Liverpool']);
    expect(named('St Michaels')).toEqual(['Knowsley']);
  });

  it('agree with awk for Church (Sefton): population, crime counts and severity', () => {
    const district = built.districts.find((d) => d.id === 'E05000936')!;
    const profile = built.profiles.find((p) => p.districtId === 'E05000936')!;
    // L=datasets/merseyside-2019/lookup/Lower_…_Wales.csv
    // lsoas=$(grep ',E05000936,' "$L" | cut -d, -f2 | paste -sd'|')
    // grep -E "^($lsoas)," datasets/merseyside-2019/imd/File_6_*.csv | awk -F, '{s+=$5} END {print s}'  → 12003
    expect(district.population).toBe(12_003);
    // for m in 10 11 12; do gunzip -c datasets/merseyside-2019/crime/2019-$m-merseyside-street.csv.gz; done |
    //   awk -F, -v re="^($lsoas)\$" '$8 ~ re {n[$10]++} END {for (t in n) print t": "n[t]}' | sort
    expect(Object.fromEntries(profile.threat.crime[0]!.counts.map((c) => [c.crimeType, c.count]))).toEqual({
      'Anti-social behaviour': 64,
      'Bicycle theft': 4,
      Burglary: 22,
      'Criminal damage and arson': 41,
      Drugs: 33,
      'Other crime': 5,
      'Other theft': 22,
      'Possession of weapons': 3,
      'Public order': 16,
      Robbery: 2,
      Shoplifting: 21,
      'Theft from the person': 2,
      'Vehicle crime': 19,
      'Violence and sexual offences': 128,
    });
    // The same for 04 05 06: Violence and sexual offences 152, Anti-social behaviour 102.
    const previous = profile.threat.crime[1]!;
    expect(previous.period).toEqual({ from: '2019-04', to: '2019-06' });
    expect(previous.counts.find((c) => c.crimeType === 'Violence and sexual offences')?.count).toBe(152);
    expect(previous.counts.find((c) => c.crimeType === 'Anti-social behaviour')?.count).toBe(102);
    // The counts above × the median weights in SOURCES.md (full precision, in Python) × 1,000 ÷ 12003 = 11,794.42…
    expect(profile.threat.severity?.score).toBe(11.79442);
  });

  it('rank all 105 wards by severity, 1 for the highest', () => {
    const scored = built.profiles.map((p) => p.threat.severity!);
    expect(scored.every((s) => s.outOf === 105)).toBe(true);
    for (const s of scored) expect(s.rank).toBe(1 + scored.filter((o) => o.score > s.score).length);
    for (const s of scored) {
      expect(s.rankAtLastReview).toBe(1 + scored.filter((o) => o.scoreAtLastReview! > s.scoreAtLastReview!).length);
    }
    const top = built.profiles.find((p) => p.threat.severity?.rank === 1)!;
    expect(built.districts.find((d) => d.id === top.districtId)?.name).toBe('Central');
  });
});
