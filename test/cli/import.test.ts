import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/cli/admin.js';
import type { CliIo } from '../../src/cli/cli-process.js';
import { runImport } from '../../src/cli/import.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const DATASET = join(import.meta.dirname, '../fixtures/data/mini');
const OCTOBER = join(DATASET, 'crime/2019-10-merseyside-street.csv');
const LOOKUP = join(
  DATASET,
  'lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv',
);
const NOW = new Date('2026-03-02T09:00:00Z');

let dataDir: string;
beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'soc-import-cli-'));
  await runAdmin(['partnership', 'add', '--id', 'mersey', '--name', 'Merseyside', '--force', 'MP'], io().io, () => NOW);
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

function io() {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { DATA_DIR: dataDir }, out: (l) => out.push(l), err: (l) => err.push(l) };
  return { io, out, err };
}

async function importCli(args: string[], tty?: { write(s: string): void }) {
  const { io: cliIo, out, err } = io();
  const code = await runImport(args, cliIo, () => NOW, tty);
  // Timings vary; the rest of each line is what the person sees.
  return { code, out: out.map((l) => l.replace(/\d+(\.\d)? m?s\b/g, 'T s')), err };
}

const districtCount = async () => {
  const store = openSqliteStore({ file: join(dataDir, 'soc-profiles.db') });
  try {
    return await store.districts.count('mersey');
  } finally {
    await store.close();
  }
};

const ALL = ['--partnership', 'mersey', '--authorities', 'E08000012,E08000014', '--authorities', 'E08000015'];

describe('npm run import', () => {
  it('says what it recognised, reads each file and sums up', async () => {
    const result = await importCli([...ALL, '--dataset', DATASET]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      'recognised 6 files:',
      `  ${DATASET}/crime/2019-04-merseyside-street.csv: police.uk street-level crime`,
      `  ${DATASET}/crime/2019-10-merseyside-street.csv: police.uk street-level crime`,
      `  ${DATASET}/css_weights/policeuk-ons-code-join.csv: ONS crime severity weights joined to police.uk categories (M-O-P-D)`,
      `  ${DATASET}/imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv: IoD 2019 File 1 (Index of Multiple Deprivation)`,
      `  ${DATASET}/imd/File_6_-_IoD2019_Population_Denominators.csv: IoD 2019 File 6 (population denominators)`,
      `  ${DATASET}/lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv: ONS LSOA (2011) to Ward (2019) to LAD (2019) lookup`,
      'writing 6 changed records',
      'written in T s',
      'imported partnership mersey in T s',
      '  read: ONS LSOA (2011) to Ward (2019) to LAD (2019) lookup; population mid-2015 (English Indices of Deprivation 2019 (File 6, population)); IMD 2019 on 2011 LSOAs',
      '  crime rows: 185 read in 2 files; 181 counted; 4 outside the partnership; 0 without an LSOA; 0 invalid',
      '  periods: 2019-04, 2019-10',
      '  districts: 3 new, 0 changed, 0 unchanged',
      '  profiles: 3 new, 0 changed, 0 unchanged',
      '  severity rank moved in 0 profiles',
    ]);
    // Not a terminal: one plain line per file on stderr, no control characters.
    expect(result.err).toHaveLength(6);
    expect(result.err[3]).toBe(`read 4/6 ${DATASET}/css_weights/policeuk-ons-code-join.csv`);
    expect(result.err[5]).toBe(`read 6/6 ${OCTOBER}: 88 rows`);
    expect(result.err.join('')).not.toMatch(/[\r\u001b]/);
    expect(await districtCount()).toBe(3);
  });

  it('draws a progress bar on a terminal, and clears it', async () => {
    const drawn: string[] = [];
    const result = await importCli([...ALL, '--dataset', DATASET], { write: (s) => drawn.push(s) });
    expect(result.code).toBe(0);
    expect(result.err).toEqual([]);
    expect(drawn.some((s) => /^\r\[#* *\] +\d+% file 6\/6 2019-10-merseyside-street/.test(s))).toBe(true);
    expect(drawn.at(-1)).toBe('\r\u001b[K');
  });

  it('--dry-run checks everything and writes nothing', async () => {
    const result = await importCli([...ALL, '--dataset', DATASET, '--dry-run']);
    expect(result.code).toBe(0);
    expect(result.out).toContain('dry run, nothing written: partnership mersey in T s');
    expect(result.out).toContain('  districts: 3 new, 0 changed, 0 unchanged');
    expect(await districtCount()).toBe(0);
  });

  it('refuses invalid rows with their file, line and column, writing nothing; --skip-invalid writes the rest', async () => {
    const bad = join(dataDir, 'bad.csv');
    writeFileSync(
      bad,
      [
        'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context',
        ',2019-10,Merseyside Police,Merseyside Police,-2.9,53.4,On or near X,E01006956,Sefton 001A,Anti-social behaviour,,',
        ',2019-10,Merseyside Police,Merseyside Police,-2.9,53.4,On or near X,E01006956,Sefton 001A,Loitering,,',
      ].join('\n'),
    );
    const reference = [
      `${DATASET}/lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv`,
      `${DATASET}/imd/File_6_-_IoD2019_Population_Denominators.csv`,
    ];
    const refused = await importCli([...ALL, ...reference, bad]);
    expect(refused.code).toBe(2);
    expect(refused.err.slice(-5)).toEqual([
      '1 invalid row:',
      '  bad.csv, line 3, column Crime type: "Loitering" is not a police.uk crime type',
      'by kind:',
      '  1 × police.uk street crime: unknown Crime type',
      'nothing written: 1 invalid row. Correct them, or run again with --skip-invalid to write the valid rows.',
    ]);
    expect(await districtCount()).toBe(0);

    const skipped = await importCli([...ALL, ...reference, bad, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('  skipped 1 invalid row (listed on stderr)');
    expect(skipped.out).toContain(
      '  crime rows: 2 read in 1 file; 1 counted; 0 outside the partnership; 0 without an LSOA; 1 invalid',
    );
    expect(await districtCount()).toBe(3);
  });

  it('answers bad input with one line and exit code 2', async () => {
    const unknown = join(dataDir, 'notes.csv');
    writeFileSync(unknown, 'date,note\n2026-01-01,hello\n');
    const cases: [string[], RegExp | string][] = [
      [['--partnership', 'gm', OCTOBER], 'error: partnership gm does not exist; known: mersey'],
      [['--partnership', 'mersey'], 'error: import: give the files to import (or --dataset <dir>)'],
      [[OCTOBER], 'error: import: --partnership is required'],
      [
        ['--partnership', 'mersey', unknown],
        /^error: dataset: notes\.csv: not a format the import knows \(its header: date, note\); the import accepts: police\.uk street-level crime \(CSV\); .* project JSON/,
      ],
      [['--partnership', 'mersey', join(dataDir, 'nowhere.csv')], 'error: dataset: nowhere.csv: file not found'],
      [
        ['--partnership', 'mersey', OCTOBER],
        'error: partnership mersey has no districts to count crime in: give the LSOA-to-ward lookup with --authorities',
      ],
      [
        ['--partnership', 'mersey', '--authorities', 'Sefton', OCTOBER],
        'error: Sefton is not a local authority code; valid: local authority (LAD) codes such as E08000012 (E06, E07, E08, E09 or W06 and six digits)',
      ],
      [
        ['--partnership', 'mersey', '--force', OCTOBER],
        'error: import: unknown option --force; valid: --partnership, --weights, --authorities, --dataset, --dry-run, --skip-invalid, --refresh, --population-year, --as, --help',
      ],
    ];
    for (const [args, line] of cases) {
      const result = await importCli(args);
      expect(result.code, args.join(' ')).toBe(2);
      // Files read before the problem was found are listed first; the answer is the last line.
      expect(
        result.err.slice(0, -1).every((l) => l.startsWith('read ')),
        args.join(' '),
      ).toBe(true);
      expect(result.err.at(-1), args.join(' ')).toEqual(typeof line === 'string' ? line : expect.stringMatching(line));
    }
    expect(await districtCount()).toBe(0);
  });

  it('counts and reports crimes in LSOAs no lookup places: exit 2, or written with --skip-invalid', async () => {
    const current = join(import.meta.dirname, '../fixtures/data/current');
    const files = [
      join(current, 'LSOA21_WD23_LAD23_EW_LU.csv'),
      join(current, 'Mid-2022 LSOA 2021.csv'),
      join(current, '2022-10-merseyside-street.csv'),
    ];
    const args = ['--partnership', 'mersey', '--authorities', 'E08000015', ...files];
    const refused = await importCli(args);
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(
      "5 crimes in 3 LSOAs of the partnership's authorities not in the lookup (E01007299, E01007285, E01007286); " +
        "give the ONS LSOA 2011→2021 lookup (LSOA11CD, LSOA21CD, CHGIND, …) or a ward lookup on the crime files' LSOA vintage",
    );
    expect(refused.err.at(-1)).toMatch(/^nothing written: run again with --skip-invalid/);
    expect(await districtCount()).toBe(0);

    const skipped = await importCli([...args, '--skip-invalid']);
    expect(skipped.code).toBe(0);
    expect(skipped.out).toContain('  left out (--skip-invalid): 5 crimes not placed in a ward');
    expect(skipped.out).toContain(
      '  read: ONS LSOA (2021) to Ward (2023) to LAD (2023) lookup; population mid-2022 (ONS mid-year population estimates by LSOA (2021))',
    );
    expect(await districtCount()).toBe(2);
  });
});
