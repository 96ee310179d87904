import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/cli/admin.js';
import type { CliIo } from '../../src/cli/cli-process.js';
import { runImport } from '../../src/cli/import.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const DATASET = join(import.meta.dirname, '../fixtures/data/mini');
const NOW = new Date('2026-03-02T09:00:00Z');
const FIXTURE_PERIODS = ['--latest', '2019-10', '--previous', '2019-04'];

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

async function importCli(...args: string[]) {
  const { io: cliIo, out, err } = io();
  const code = await runImport(args, cliIo, () => NOW);
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

describe('npm run import', () => {
  it('prints each step and a summary, and loads the wards', async () => {
    const result = await importCli(
      '--partnership',
      'mersey',
      '--dataset',
      DATASET,
      '--authorities',
      'E08000012,E08000014',
      '--authorities',
      'E08000015',
      ...FIXTURE_PERIODS,
    );
    expect(result.err).toEqual([]);
    expect(result.code).toBe(0);
    expect(result.out).toEqual([
      `[1/3] reading ${DATASET}: ward lookup, IoD 2019 files, severity weights and 2 street-crime files, for E08000012, E08000014, E08000015`,
      expect.stringMatching(/^ {6}built 3 ward profiles from \d+ crime rows in T s$/),
      '[2/3] compared with the store: districts 3 new, 0 changed, 0 unchanged; profiles 3 new, 0 with new figures, 0 with the same figures',
      '[3/3] writing 3 districts and 3 profiles',
      '      written in T s',
      'imported 3 wards into partnership mersey in T s',
      expect.stringMatching(
        /^ {2}crime rows: \d+ read in 2 files; \d+ counted; \d+ outside the partnership; \d+ without an LSOA; 0 outside the two periods$/,
      ),
      '  severity rank moved in 0 wards; recorded reviews kept on 0 profiles',
      '  gaps and actions untouched',
    ]);
    expect(await districtCount()).toBe(3);
  });

  it('--dry-run says what would change and writes nothing', async () => {
    const result = await importCli(
      '--partnership',
      'mersey',
      '--dataset',
      DATASET,
      '--authorities',
      'E08000014',
      ...FIXTURE_PERIODS,
      '--dry-run',
    );
    expect(result.code).toBe(0);
    expect(result.out.some((l) => l.startsWith('[3/3]'))).toBe(false);
    expect(result.out).toContain('dry run, nothing written: 1 wards into partnership mersey in T s');
    expect(await districtCount()).toBe(0);
  });

  it('answers bad input with one line and exit code 2', async () => {
    const cases: [string[], string][] = [
      [
        ['--partnership', 'gm', '--dataset', DATASET, '--authorities', 'E08000012'],
        'error: partnership gm does not exist; known: mersey',
      ],
      [
        ['--partnership', 'mersey', '--dataset', DATASET],
        'error: import: --authorities is required (LAD19 codes such as E08000011,E08000012)',
      ],
      [['--partnership', 'mersey', '--authorities', 'E08000012'], 'error: import: --dataset is required'],
      [
        ['--partnership', 'mersey', '--dataset', DATASET, '--authorities', 'E08000012', '--latest', 'Q4 2019'],
        'error: --latest must be months as YYYY-MM/YYYY-MM (or one month YYYY-MM)',
      ],
      [
        ['--partnership', 'mersey', '--dataset', join(dataDir, 'nowhere'), '--authorities', 'E08000012'],
        'error: dataset: Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv: file not found (neither it nor its .gz form exists)',
      ],
      [
        // The fixture has one month per period; the default periods are three months each.
        ['--partnership', 'mersey', '--dataset', DATASET, '--authorities', 'E08000012'],
        'error: dataset: crime: no street-level crime rows for 2019-11, 2019-12, 2019-05, 2019-06',
      ],
      [
        ['--partnership', 'mersey', '--force'],
        'error: import: unknown option --force; valid: --partnership, --dataset, --authorities, --latest, --previous, --dry-run, --as, --help',
      ],
    ];
    for (const [args, line] of cases) {
      const result = await importCli(...args);
      expect({ code: result.code, err: result.err }, args.join(' ')).toEqual({ code: 2, err: [line] });
    }
    expect(await districtCount()).toBe(0);
  });
});
