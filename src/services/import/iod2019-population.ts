import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';

/** IoD 2019, File 6 (the `Population Denominators` sheet saved as CSV): ONS mid-2015 estimates. */
export const POPULATION_FILE_6_LAYOUT = {
  name: 'IoD 2019 File 6 (population denominators)',
  columns: [
    'LSOA code (2011)',
    'LSOA name (2011)',
    'Local Authority District code (2019)',
    'Local Authority District name (2019)',
    'Total population: mid 2015 (excluding prisoners)',
    'Dependent Children aged 0-15: mid 2015 (excluding prisoners)',
    'Population aged 16-59: mid 2015 (excluding prisoners)',
    'Older population aged 60 and over: mid 2015 (excluding prisoners)',
    'Working age population 18-59/64: for use with Employment Deprivation Domain (excluding prisoners)',
  ],
} as const satisfies CsvLayout<string>;

/** Mid-2015 residents of an LSOA, prisoners excluded (as the indices count them). */
export interface LsoaPopulation {
  lsoa: string;
  total: number;
  children0to15: number;
  aged16to59: number;
  aged60plus: number;
}

/** In file order. */
export async function readPopulationFile6(file: string): Promise<LsoaPopulation[]> {
  const out: LsoaPopulation[] = [];
  for await (const { line, values } of readCsvRecords(file, POPULATION_FILE_6_LAYOUT)) {
    const count = (label: string, raw: string): number => {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isInteger(n) || n < 0) {
        throw new DatasetFileError(file, `${label} "${raw}" is not a count of people`, line);
      }
      return n;
    };
    const row: LsoaPopulation = {
      lsoa: values['LSOA code (2011)'].trim(),
      total: count('Total population', values['Total population: mid 2015 (excluding prisoners)']),
      children0to15: count('Children 0-15', values['Dependent Children aged 0-15: mid 2015 (excluding prisoners)']),
      aged16to59: count('Population 16-59', values['Population aged 16-59: mid 2015 (excluding prisoners)']),
      aged60plus: count('Population 60+', values['Older population aged 60 and over: mid 2015 (excluding prisoners)']),
    };
    // The three age bands partition the total in the published sheet; if not, columns have shifted.
    if (row.children0to15 + row.aged16to59 + row.aged60plus !== row.total) {
      throw new DatasetFileError(file, `the age bands of ${row.lsoa} do not add up to its total population`, line);
    }
    out.push(row);
  }
  return out;
}
