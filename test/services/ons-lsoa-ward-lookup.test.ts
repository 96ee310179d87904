import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingColumnError } from '../../src/services/import/dataset-file-error.js';
import { readLsoaWardLookup } from '../../src/services/import/ons-lsoa-ward-lookup.js';

const LOOKUP = join(
  import.meta.dirname,
  '../fixtures/data/mini/lookup/Lower_Layer_Super_Output_Area_(2011)_to_Ward_(2019)_Lookup_in_England_and_Wales.csv',
);

describe('ONS LSOA (2011) to ward (2019) lookup reader', () => {
  it('reads the ONS export, BOM and FID column first, in file order', async () => {
    const rows = await readLsoaWardLookup(LOOKUP);
    expect(rows).toHaveLength(8);
    expect(rows[0]).toEqual({
      lsoa: 'E01012393',
      lsoaName: 'Halton 001B',
      wardCode: 'E05001584',
      wardName: 'Farnworth',
      localAuthorityCode: 'E06000006',
      localAuthorityName: 'Halton',
    });
  });

  it('keeps a quoted ward name with a comma in it whole', async () => {
    const rows = await readLsoaWardLookup(LOOKUP);
    expect(rows.filter((r) => r.wardCode === 'E05000961').map((r) => r.wardName)).toEqual([
      'Greasby, Frankby and Irby',
      'Greasby, Frankby and Irby',
    ]);
  });

  it('tells two wards called Church apart by code and authority', async () => {
    const church = (await readLsoaWardLookup(LOOKUP)).filter((r) => r.wardName === 'Church');
    expect(new Set(church.map((r) => `${r.wardCode} ${r.localAuthorityName}`))).toEqual(
      new Set(['E05000891 Liverpool', 'E05000936 Sefton']),
    );
  });

  it('names the file and the missing column for a later vintage (WD20)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookup-'));
    const file = join(dir, 'LSOA11_WD20_LAD20.csv');
    await writeFile(
      file,
      '\uFEFFFID,LSOA11CD,LSOA11NM,WD20CD,WD20NM,LAD20CD,LAD20NM\r\n1,E01006956,Sefton 030B,E05000936,Church,E08000014,Sefton\r\n',
    );
    const err = await readLsoaWardLookup(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).missing).toEqual(['WD19CD', 'WD19NM', 'LAD19CD', 'LAD19NM']);
    expect((err as Error).message).toMatch(
      /^LSOA11_WD20_LAD20\.csv, line 1: missing columns "WD19CD", "WD19NM", "LAD19CD", "LAD19NM" of the ONS LSOA \(2011\) to Ward \(2019\) lookup layout/,
    );
  });

  it('refuses an LSOA given twice, which would count its residents twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookup-'));
    const file = join(dir, 'twice.csv');
    const row = '1,E01006956,Sefton 030B,E05000936,Church,E08000014,Sefton';
    await writeFile(file, `FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM\n${row}\n${row}\n`);
    await expect(readLsoaWardLookup(file)).rejects.toThrow(/twice\.csv, line 3: LSOA E01006956 appears more than once/);
  });
});
