import { IMD_LSOA_COUNT } from '../../domain/deprivation.js';
import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';

/** English Indices of Deprivation 2019, File 1 (the `IMD2019` sheet saved as CSV). */
export const IMD_FILE_1_LAYOUT = {
  name: 'IoD 2019 File 1 (Index of Multiple Deprivation)',
  columns: [
    'LSOA code (2011)',
    'LSOA name (2011)',
    'Local Authority District code (2019)',
    'Local Authority District name (2019)',
    'Index of Multiple Deprivation (IMD) Rank',
    'Index of Multiple Deprivation (IMD) Decile',
  ],
} as const satisfies CsvLayout<string>;

export interface LsoaImd {
  lsoa: string;
  /** 1 = most deprived of England's 32,844 LSOAs. */
  imdRank: number;
  /** 1 = most deprived 10%. */
  imdDecile: number;
}

/** In file order. */
export async function readImdFile1(file: string): Promise<LsoaImd[]> {
  const out: LsoaImd[] = [];
  for await (const { line, values } of readCsvRecords(file, IMD_FILE_1_LAYOUT)) {
    const imdRank = wholeNumber(file, line, 'IMD Rank', values['Index of Multiple Deprivation (IMD) Rank']);
    const imdDecile = wholeNumber(file, line, 'IMD Decile', values['Index of Multiple Deprivation (IMD) Decile']);
    if (imdRank < 1 || imdRank > IMD_LSOA_COUNT) {
      throw new DatasetFileError(file, `IMD Rank ${imdRank} is outside 1–${IMD_LSOA_COUNT}`, line);
    }
    if (imdDecile < 1 || imdDecile > 10)
      throw new DatasetFileError(file, `IMD Decile ${imdDecile} is outside 1–10`, line);
    out.push({ lsoa: values['LSOA code (2011)'].trim(), imdRank, imdDecile });
  }
  return out;
}

function wholeNumber(file: string, line: number, label: string, raw: string): number {
  const n = Number(raw.trim());
  if (raw.trim() === '' || !Number.isInteger(n))
    throw new DatasetFileError(file, `${label} "${raw}" is not a whole number`, line);
  return n;
}
