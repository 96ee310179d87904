import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DatasetFileError, MissingColumnError } from '../../src/services/import/dataset-file-error.js';
import { readStreetCrime } from '../../src/services/import/police-uk-street-crime.js';

const FIXTURES = join(import.meta.dirname, '../fixtures/data');
const OCTOBER = join(FIXTURES, 'mini/crime/2019-10-merseyside-street.csv');
const HEADER =
  'Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context';

async function tempFile(name: string, content: string | Buffer): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'street-crime-'));
  const file = join(dir, name);
  await writeFile(file, content);
  return file;
}

describe('police.uk street-level crime reader', () => {
  it('counts rows by LSOA, month and crime type', async () => {
    const read = await readStreetCrime(OCTOBER);
    // awk -F, 'NR>1' test/fixtures/data/mini/crime/2019-10-merseyside-street.csv | wc -l  → 88
    expect(read.rows).toBe(88);
    expect(read.skippedNoLsoa).toBe(0);
    const count = (lsoa: string, type: string) =>
      read.counts.find((c) => c.lsoa === lsoa && c.crimeType === type && c.month === '2019-10')?.count;
    // awk -F, '$8=="E01006956"{print $10}' <file> | sort | uniq -c
    expect(count('E01006956', 'Violence and sexual offences')).toBe(11);
    expect(count('E01006956', 'Shoplifting')).toBe(6);
    expect(count('E01006689', 'Other theft')).toBe(5);
    expect(count('E01006689', 'Robbery')).toBeUndefined();
    expect(read.counts.reduce((s, c) => s + c.count, 0)).toBe(88);
  });

  it('counts anti-social behaviour, whose rows have no Crime ID', async () => {
    const read = await readStreetCrime(OCTOBER);
    // awk -F, '$1=="" && $10=="Anti-social behaviour"' <file> | wc -l  → 13
    const asb = read.counts.filter((c) => c.crimeType === 'Anti-social behaviour').reduce((s, c) => s + c.count, 0);
    expect(asb).toBe(13);
  });

  it('keeps rows placed just over the force border: choosing the area is the caller’s job', async () => {
    const read = await readStreetCrime(OCTOBER);
    expect(read.counts.find((c) => c.lsoa === 'E01018537')).toEqual({
      lsoa: 'E01018537',
      month: '2019-10',
      crimeType: 'Drugs',
      count: 2,
    });
  });

  it('reads a gzipped file exactly as the plain one', async () => {
    const gz = await readStreetCrime(join(FIXTURES, '2019-10-street-cut.csv.gz'));
    const plain = await readStreetCrime(OCTOBER);
    expect(gz.counts).toEqual(plain.counts);
    expect(gz.rows).toBe(plain.rows);
  });

  it('reports rows with no LSOA as skipped instead of counting them', async () => {
    // Synthetic: police.uk publishes a row without a location when it cannot place the crime.
    const file = await tempFile(
      'no-lsoa.csv',
      [
        HEADER,
        'abc,2019-10,Merseyside Police,Merseyside Police,,,No location,,,Burglary,Under investigation,',
        ',2019-10,Merseyside Police,Merseyside Police,-2.9,53.4,On or near Park Road,E01006956,Sefton 030B,Anti-social behaviour,,',
      ].join('\r\n'),
    );
    const read = await readStreetCrime(file);
    expect(read).toMatchObject({ rows: 2, skippedNoLsoa: 1 });
    expect(read.counts).toEqual([
      { lsoa: 'E01006956', month: '2019-10', crimeType: 'Anti-social behaviour', count: 1 },
    ]);
  });

  it('names the file and the missing column when given another layout', async () => {
    const file = join(FIXTURES, 'mini/imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv');
    const err = await readStreetCrime(file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).missing).toContain('LSOA code');
    expect((err as Error).message).toMatch(
      /^File_1_-_IMD2019_Index_of_Multiple_Deprivation\.csv, line 1: missing columns .* of the police\.uk street-level crime layout/,
    );
    expect((err as Error).message).toContain('"Crime type"');
  });

  it('names a column police.uk renamed', async () => {
    const file = await tempFile('renamed.csv', HEADER.replace('Crime type', 'Offence type') + '\r\n');
    await expect(readStreetCrime(file)).rejects.toThrow(/renamed\.csv, line 1: .*missing column "Crime type"/);
  });

  it('names the line of a month that is not YYYY-MM', async () => {
    const file = await tempFile(
      'bad-month.csv',
      `${HEADER}\r\nabc,Oct 2019,Merseyside Police,Merseyside Police,,,x,E01006956,Sefton 030B,Drugs,,\r\n`,
    );
    await expect(readStreetCrime(file)).rejects.toThrow(/bad-month\.csv, line 2: Month "Oct 2019"/);
  });

  it('names the line of a row with a column too many', async () => {
    const file = await tempFile('ragged.csv', `${HEADER}\r\na,2019-10,M,M,1,2,x,E01006956,S,Drugs,,,extra\r\n`);
    await expect(readStreetCrime(file)).rejects.toThrow(/ragged\.csv, line 2: not readable as CSV/);
  });

  it('says when a file is missing, empty, or not gzip at all', async () => {
    await expect(readStreetCrime(join(FIXTURES, 'nope.csv'))).rejects.toThrow(/nope\.csv: file not found/);
    await expect(readStreetCrime(await tempFile('empty.csv', ''))).rejects.toThrow(/empty\.csv: empty/);
    const notGzip = await tempFile('fake.csv.gz', Buffer.from(HEADER));
    await expect(readStreetCrime(notGzip)).rejects.toThrow(DatasetFileError);
    const truncated = await tempFile('cut.csv.gz', gzipSync(`${HEADER}\r\n`).subarray(0, 12));
    await expect(readStreetCrime(truncated)).rejects.toThrow(/cut\.csv\.gz/);
  });
});
