import { IMD_LSOA_COUNT } from '../../domain/deprivation.js';
import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { RowErrors } from './row-errors.js';

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

/**
 * In file order. Without `errors`, the first invalid row stops the read; with it, every invalid
 * row is reported there and left out.
 */
export async function readImdFile1(file: string, errors?: RowErrors): Promise<LsoaImd[]> {
  const out: LsoaImd[] = [];
  for await (const { line, values } of readCsvRecords(file, IMD_FILE_1_LAYOUT)) {
    const bad = (column: string, reason: string, kind: string) => {
      if (!errors) throw new DatasetFileError(file, reason, line);
      errors.add({ file, line, column, reason, kind: `IoD File 1: ${kind}` });
    };
    const rankColumn = 'Index of Multiple Deprivation (IMD) Rank';
    const decileColumn = 'Index of Multiple Deprivation (IMD) Decile';
    const imdRank = wholeNumber(values[rankColumn]);
    const imdDecile = wholeNumber(values[decileColumn]);
    if (imdRank === undefined) {
      bad(rankColumn, `IMD Rank "${values[rankColumn]}" is not a whole number`, 'rank not a number');
    } else if (imdRank < 1 || imdRank > IMD_LSOA_COUNT) {
      bad(rankColumn, `IMD Rank ${imdRank} is outside 1–${IMD_LSOA_COUNT}`, 'rank out of range');
    } else if (imdDecile === undefined) {
      bad(decileColumn, `IMD Decile "${values[decileColumn]}" is not a whole number`, 'decile not a number');
    } else if (imdDecile < 1 || imdDecile > 10) {
      bad(decileColumn, `IMD Decile ${imdDecile} is outside 1–10`, 'decile out of range');
    } else {
      out.push({ lsoa: values['LSOA code (2011)'].trim(), imdRank, imdDecile });
    }
  }
  return out;
}

function wholeNumber(raw: string): number | undefined {
  const n = Number(raw.trim());
  return raw.trim() === '' || !Number.isInteger(n) ? undefined : n;
}
