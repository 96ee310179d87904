import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingColumnError } from '../../src/services/import/dataset-file-error.js';
import { readImdFile1 } from '../../src/services/import/iod2019-imd.js';
import { readPopulationFile6 } from '../../src/services/import/iod2019-population.js';

const IMD = join(import.meta.dirname, '../fixtures/data/mini/imd');
const FILE_1 = join(IMD, 'File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv');
const FILE_6 = join(IMD, 'File_6_-_IoD2019_Population_Denominators.csv');

async function variant(of: string, name: string, edit: (text: string) => string): Promise<string> {
  const file = join(await mkdtemp(join(tmpdir(), 'iod-')), name);
  await writeFile(file, edit(await readFile(of, 'utf8')));
  return file;
}

describe('IoD 2019 File 1 reader', () => {
  it('reads each LSOA’s IMD rank and decile', async () => {
    const rows = await readImdFile1(FILE_1);
    expect(rows).toHaveLength(8);
    expect(rows.find((r) => r.lsoa === 'E01006957')).toEqual({ lsoa: 'E01006957', imdRank: 1498, imdDecile: 1 });
  });

  it('names the missing column when given File 6', async () => {
    const err = await readImdFile1(FILE_6).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as Error).message).toContain('File_6_-_IoD2019_Population_Denominators.csv');
    expect((err as MissingColumnError).missing).toEqual([
      'Index of Multiple Deprivation (IMD) Rank',
      'Index of Multiple Deprivation (IMD) Decile',
    ]);
  });

  it('refuses a rank that is not a rank of 32,844 LSOAs', async () => {
    const file = await variant(FILE_1, 'score-not-rank.csv', (t) => t.replace(',23378,8', ',23.378,8'));
    await expect(readImdFile1(file)).rejects.toThrow(/score-not-rank\.csv, line 2: IMD Rank "23\.378"/);
    const big = await variant(FILE_1, 'too-big.csv', (t) => t.replace(',23378,8', ',32845,10'));
    await expect(readImdFile1(big)).rejects.toThrow(/outside 1–32844/);
  });
});

describe('IoD 2019 File 6 reader', () => {
  it('reads the mid-2015 population of each LSOA by age band', async () => {
    const rows = await readPopulationFile6(FILE_6);
    expect(rows.find((r) => r.lsoa === 'E01006956')).toEqual({
      lsoa: 'E01006956',
      total: 1588,
      children0to15: 275,
      aged16to59: 1057,
      aged60plus: 256,
    });
  });

  it('names the missing column when given File 1', async () => {
    await expect(readPopulationFile6(FILE_1)).rejects.toThrow(
      /File_1_-_IMD2019_Index_of_Multiple_Deprivation\.csv, line 1: .*"Total population: mid 2015 \(excluding prisoners\)"/,
    );
  });

  it('notices when the age bands no longer add up to the total (a shifted column)', async () => {
    const file = await variant(FILE_6, 'shifted.csv', (t) =>
      t.replace('Sefton,1588,275,1057,256', 'Sefton,1588,275,1057,265'),
    );
    await expect(readPopulationFile6(file)).rejects.toThrow(/shifted\.csv, line 4: the age bands of E01006956/);
  });
});
