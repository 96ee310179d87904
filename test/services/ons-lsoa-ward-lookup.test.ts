import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingColumnError } from '../../src/services/import/dataset-file-error.js';
import { readLsoaWardLookup, readWardLookup } from '../../src/services/import/ons-lsoa-ward-lookup.js';

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

  it('reads any vintage by its header pattern: 2021 LSOAs to 2023 wards, ObjectId last, any order, no BOM', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookup-'));
    const file = join(dir, 'LSOA21_WD23_LAD23.csv');
    await writeFile(
      file,
      'WD23NM,LSOA21CD,LAD23CD,WD23CD,LSOA21NM,LAD23NM,ObjectId\n"Greasby, Frankby and Irby",E01007284,E08000015,E05011491,Wirral 033B,Wirral,1\n',
    );
    const { vintage, rows } = await readWardLookup(file);
    expect(vintage).toEqual({ lsoa: '2021', ward: '2023', localAuthority: '2023' });
    expect(rows).toEqual([
      {
        lsoa: 'E01007284',
        lsoaName: 'Wirral 033B',
        wardCode: 'E05011491',
        wardName: 'Greasby, Frankby and Irby',
        localAuthorityCode: 'E08000015',
        localAuthorityName: 'Wirral',
      },
    ]);
  });

  it('names the file and the column pattern missing', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'lookup-'));
    const file = join(dir, 'no-ward-names.csv');
    await writeFile(
      file,
      'FID,LSOA11CD,LSOA11NM,WD20CD,LAD20CD,LAD20NM\r\n1,E01006956,Sefton 030B,E05000936,E08000014,Sefton\r\n',
    );
    const err = await readLsoaWardLookup(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).missing).toEqual(['WDyyNM']);
    expect((err as Error).message).toMatch(
      /^no-ward-names\.csv, line 1: missing column "WDyyNM" of the ONS LSOA to Ward lookup/,
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
