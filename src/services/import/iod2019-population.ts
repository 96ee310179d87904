import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { RowErrors } from './row-errors.js';

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

/**
 * In file order. Without `errors`, the first invalid row stops the read; with it, every invalid
 * row is reported there and left out.
 */
export async function readPopulationFile6(file: string, errors?: RowErrors): Promise<LsoaPopulation[]> {
  const out: LsoaPopulation[] = [];
  for await (const { line, values } of readCsvRecords(file, POPULATION_FILE_6_LAYOUT)) {
    const bad = (column: string, reason: string, kind: string) => {
      if (!errors) throw new DatasetFileError(file, reason, line);
      errors.add({ file, line, column, reason, kind: `IoD File 6: ${kind}` });
    };
    const count = (label: string, column: (typeof POPULATION_FILE_6_LAYOUT.columns)[number]): number | undefined => {
      const raw = values[column];
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isInteger(n) || n < 0) {
        bad(column, `${label} "${raw}" is not a count of people`, 'not a count');
        return undefined;
      }
      return n;
    };
    const total = count('Total population', 'Total population: mid 2015 (excluding prisoners)');
    const children0to15 =
      total === undefined
        ? undefined
        : count('Children 0-15', 'Dependent Children aged 0-15: mid 2015 (excluding prisoners)');
    const aged16to59 =
      children0to15 === undefined
        ? undefined
        : count('Population 16-59', 'Population aged 16-59: mid 2015 (excluding prisoners)');
    const aged60plus =
      aged16to59 === undefined
        ? undefined
        : count('Population 60+', 'Older population aged 60 and over: mid 2015 (excluding prisoners)');
    if (total === undefined || children0to15 === undefined || aged16to59 === undefined || aged60plus === undefined)
      continue;
    const row: LsoaPopulation = {
      lsoa: values['LSOA code (2011)'].trim(),
      total,
      children0to15,
      aged16to59,
      aged60plus,
    };
    // The three age bands partition the total in the published sheet; if not, columns have shifted.
    if (row.children0to15 + row.aged16to59 + row.aged60plus !== row.total) {
      bad(
        'Total population: mid 2015 (excluding prisoners)',
        `the age bands of ${row.lsoa} do not add up to its total population`,
        'age bands do not add up',
      );
      continue;
    }
    out.push(row);
  }
  return out;
}
