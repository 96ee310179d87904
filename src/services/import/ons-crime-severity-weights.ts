import type { OffenceWeight } from '../../domain/crime-severity.js';
import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';

/**
 * ONS Crime Severity Score weights by Home Office offence code, joined to the police.uk category
 * each offence falls in: `policeuk-ons-code-join.csv` from the M-O-P-D project (University of
 * Leeds, MIT), the only public join of the two.
 */
export const SEVERITY_WEIGHTS_LAYOUT = {
  name: 'ONS crime severity weights joined to police.uk categories (M-O-P-D)',
  columns: [
    'ONS_COUNTS_category',
    'ONS_COUNTS_description',
    'ONS_SEVERITY_code',
    'ONS_COUNTS_code',
    'ONS_SEVERITY_category',
    'ONS_SEVERITY_offence',
    'ONS_SEVERITY_weight',
    'POLICE_UK_CAT_MAP_code',
    'POLICE_UK_CAT_MAP_sub_class',
    'POLICE_UK_CAT_MAP_offence',
    'POLICE_UK_CAT_MAP_category',
  ],
} as const satisfies CsvLayout<string>;

/**
 * In file order, one per row. The join repeats an offence where one severity code meets several
 * count codes (homicide appears five times); the roll-up in the domain takes each offence once.
 */
export async function readSeverityWeights(file: string): Promise<OffenceWeight[]> {
  const out: OffenceWeight[] = [];
  for await (const { line, values } of readCsvRecords(file, SEVERITY_WEIGHTS_LAYOUT)) {
    const raw = values.ONS_SEVERITY_weight.trim();
    const weight = Number(raw);
    if (raw === '' || !Number.isFinite(weight) || weight < 0) {
      throw new DatasetFileError(file, `ONS_SEVERITY_weight "${raw}" is not a weight`, line);
    }
    const offenceCode = values.ONS_SEVERITY_code.trim();
    const category = values.POLICE_UK_CAT_MAP_category.trim();
    if (offenceCode === '') throw new DatasetFileError(file, 'ONS_SEVERITY_code is empty', line);
    if (category === '') throw new DatasetFileError(file, 'POLICE_UK_CAT_MAP_category is empty', line);
    out.push({ offenceCode, offence: values.ONS_SEVERITY_offence.trim(), weight, policeUkCategory: category });
  }
  return out;
}
