import {
  ANTI_SOCIAL_BEHAVIOUR,
  POLICE_UK_CRIME_TYPES,
  policeUkCrimeType,
  type CategoryWeights,
  type PoliceUkCrimeType,
} from '../../domain/crime-severity.js';
import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';

/**
 * The severity weight of each police.uk crime type, one row each: the data file a partnership
 * replaces (`npm run import -- --weights my-weights.csv …`) to weigh crime its own way.
 * datasets/weights/police-uk-category-weights.csv is the default: the medians that
 * `categoryWeights` takes from the ONS Crime Severity Score weights (see crime-severity.ts for the
 * mapping and why the median), written out with their source.
 */
export const CATEGORY_WEIGHTS_LAYOUT = {
  name: 'severity weights by police.uk crime type (crime_type, weight, source)',
  columns: ['crime_type', 'weight', 'source'],
} as const satisfies CsvLayout<string>;

export const DEFAULT_WEIGHTS_FILE = new URL('../../../datasets/weights/police-uk-category-weights.csv', import.meta.url)
  .pathname;

/** Every police.uk type once, with a weight ≥ 0; anti-social behaviour may only weigh 0. */
export async function readCategoryWeights(file: string): Promise<CategoryWeights> {
  const out = new Map<PoliceUkCrimeType, number>();
  for await (const { line, values } of readCsvRecords(file, CATEGORY_WEIGHTS_LAYOUT)) {
    const type = policeUkCrimeType(values.crime_type);
    if (type === undefined) {
      throw new DatasetFileError(file, `column crime_type: "${values.crime_type}" is not a police.uk crime type`, line);
    }
    if (out.has(type)) throw new DatasetFileError(file, `column crime_type: "${type}" is given twice`, line);
    const raw = values.weight.trim();
    const weight = Number(raw);
    if (raw === '' || !Number.isFinite(weight) || weight < 0) {
      throw new DatasetFileError(file, `column weight: "${raw}" is not a weight (a number ≥ 0)`, line);
    }
    if (type === ANTI_SOCIAL_BEHAVIOUR && weight !== 0) {
      throw new DatasetFileError(
        file,
        'column weight: anti-social behaviour is not a notifiable crime and weighs 0',
        line,
      );
    }
    if (values.source.trim() === '')
      throw new DatasetFileError(file, 'column source: say where the weight comes from', line);
    out.set(type, weight);
  }
  const missing = POLICE_UK_CRIME_TYPES.filter((t) => !out.has(t));
  if (missing.length > 0) {
    // A type without a weight would silently score nothing.
    throw new DatasetFileError(file, `no weight for ${missing.map((t) => `"${t}"`).join(', ')}`);
  }
  return Object.fromEntries(
    POLICE_UK_CRIME_TYPES.map((t) => [t, { weight: out.get(t)!, offences: 0, min: out.get(t)!, max: out.get(t)! }]),
  ) as unknown as CategoryWeights;
}
