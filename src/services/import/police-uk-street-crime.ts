import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';

/** police.uk street-level crime, `<YYYY-MM>-<force>-street.csv`, as published (12 columns). */
export const STREET_CRIME_LAYOUT = {
  name: 'police.uk street-level crime',
  columns: [
    'Crime ID',
    'Month',
    'Reported by',
    'Falls within',
    'Longitude',
    'Latitude',
    'Location',
    'LSOA code',
    'LSOA name',
    'Crime type',
    'Last outcome category',
    'Context',
  ],
} as const satisfies CsvLayout<string>;

export interface LsoaCrimeCount {
  lsoa: string;
  /** YYYY-MM, from the row's Month column. */
  month: string;
  /** As police.uk spells it ("Violence and sexual offences"). */
  crimeType: string;
  count: number;
}

export interface StreetCrimeFile {
  file: string;
  /** Data rows read, anti-social behaviour included. */
  rows: number;
  /** Rows police.uk could not place in an LSOA (no location was published): not in `counts`. */
  skippedNoLsoa: number;
  /** Ordered by LSOA, month, crime type. */
  counts: LsoaCrimeCount[];
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

/**
 * Counts one street-level file by LSOA, month and crime type. Anti-social behaviour rows carry no
 * Crime ID (it is not a notifiable crime) but are counted like the rest, under their own type.
 */
export async function readStreetCrime(file: string): Promise<StreetCrimeFile> {
  const tally = new Map<string, LsoaCrimeCount>();
  let rows = 0;
  let skippedNoLsoa = 0;
  for await (const { line, values } of readCsvRecords(file, STREET_CRIME_LAYOUT)) {
    rows += 1;
    const month = values['Month'].trim();
    if (!MONTH.test(month)) throw new DatasetFileError(file, `Month "${month}" is not YYYY-MM`, line);
    const crimeType = values['Crime type'].trim();
    if (crimeType === '') throw new DatasetFileError(file, 'Crime type is empty', line);
    const lsoa = values['LSOA code'].trim();
    if (lsoa === '') {
      skippedNoLsoa += 1;
      continue;
    }
    const key = `${lsoa}\u0000${month}\u0000${crimeType}`;
    const entry = tally.get(key);
    if (entry) entry.count += 1;
    else tally.set(key, { lsoa, month, crimeType, count: 1 });
  }
  const counts = [...tally.values()].sort(
    (a, b) => cmp(a.lsoa, b.lsoa) || cmp(a.month, b.month) || cmp(a.crimeType, b.crimeType),
  );
  return { file, rows, skippedNoLsoa, counts };
}

function cmp(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
