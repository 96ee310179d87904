import { categoryWeights, type CategoryWeights } from '../../domain/crime-severity.js';
import { CATEGORY_WEIGHTS_LAYOUT, readCategoryWeights } from './category-weights-file.js';
import { DatasetFileError } from './dataset-file-error.js';
import { detectFormat } from './file-format.js';
import { readSeverityWeights } from './ons-crime-severity-weights.js';

/** Weights from either layout: the simple one above, or the ONS–police.uk join (medians taken). */
export async function readWeightsFile(file: string): Promise<CategoryWeights> {
  const { format } = await detectFormat(file);
  if (format === 'category-weights') return readCategoryWeights(file);
  if (format === 'ons-severity-weights-join') return categoryWeights(await readSeverityWeights(file));
  throw new DatasetFileError(
    file,
    `not a weights file; give ${CATEGORY_WEIGHTS_LAYOUT.name} or the ONS–police.uk join (policeuk-ons-code-join.csv)`,
  );
}
