import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { MissingColumnError } from '../../src/services/import/dataset-file-error.js';
import { readSeverityWeights } from '../../src/services/import/ons-crime-severity-weights.js';

const DATA = join(import.meta.dirname, '../fixtures/data/mini');

describe('ONS crime severity weights (M-O-P-D join) reader', () => {
  it('reads every offence with its weight and police.uk category, repeats included', async () => {
    const rows = await readSeverityWeights(join(DATA, 'css_weights/policeuk-ons-code-join.csv'));
    expect(rows).toHaveLength(134);
    // grep -c ',Homicide,' css_weights/policeuk-ons-code-join.csv  → 5
    expect(rows.filter((r) => r.offence === 'Homicide')).toHaveLength(5);
    expect(rows.find((r) => r.offenceCode === '34B')).toEqual({
      offenceCode: '34B',
      offence: 'Robbery of personal property',
      weight: 799.6288702,
      policeUkCategory: 'Robbery',
    });
  });

  it('names the missing column when given another file', async () => {
    const err = await readSeverityWeights(join(DATA, 'imd/File_1_-_IMD2019_Index_of_Multiple_Deprivation.csv')).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(MissingColumnError);
    expect((err as MissingColumnError).missing).toContain('ONS_SEVERITY_weight');
  });
});
