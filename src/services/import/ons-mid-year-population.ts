import { readCsvTable } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { LsoaPopulation } from './iod2019-population.js';
import type { RowErrors } from './row-errors.js';

/**
 * ONS "Lower layer Super Output Area population estimates" (mid-year, single year of age), one
 * sheet exported as CSV: `LAD 2021 Code, LAD 2021 Name, LSOA 2021 Code, LSOA 2021 Name, Total`,
 * then one column per year of age, by sex (`F0 … F90, M0 … M90`) or persons (`0 … 90`), 90
 * standing for 90 and over. Recognised by its column names, the years read from them. The
 * mid-year itself is in the sheet's name, not in its columns: the import takes it from the file
 * name ("mid-2022") or from --population-year.
 */
const LSOA_CODE = /^LSOA (\d{4}) Code$/i;
const LAD_CODE = /^LAD (\d{4}) Code$/i;
const TOTAL = /^(Total|All Ages)$/i;
const AGE = /^(?:[FM])?(\d{1,2})\+?$/i;

export const MID_YEAR_POPULATION_NAME =
  'ONS mid-year LSOA population estimates (LAD yyyy Code, LSOA yyyy Code, Total, then single years of age)';

export function midYearLayout(
  header: readonly string[],
): { lsoa: number; total: number; ages: { i: number; age: number }[]; lsoaYear: string; name: string } | undefined {
  const h = header.map((c) => c.trim());
  const lsoa = h.findIndex((c) => LSOA_CODE.test(c));
  const total = h.findIndex((c) => TOTAL.test(c));
  if (lsoa < 0 || total < 0 || !h.some((c) => LAD_CODE.test(c))) return undefined;
  const ages = h.flatMap((c, i) => {
    const m = AGE.exec(c);
    return m ? [{ i, age: Number(m[1]) }] : [];
  });
  if (ages.length === 0) return undefined;
  const lsoaYear = LSOA_CODE.exec(h[lsoa]!)![1]!;
  return { lsoa, total, ages, lsoaYear, name: `ONS mid-year population estimates by LSOA (${lsoaYear})` };
}

/** "sapelsoasyoa-mid-2022.csv", "Mid-2022 LSOA 2021.csv" → "2022". */
export function midYearOfFileName(file: string): string | undefined {
  return /mid[-_ ]?(\d{4})/i.exec(file.split(/[\\/]/).pop() ?? '')?.[1];
}

export async function readMidYearPopulation(
  file: string,
  errors: RowErrors,
): Promise<{ lsoaYear: string; rows: LsoaPopulation[] }> {
  let layout: ReturnType<typeof midYearLayout>;
  const rows: LsoaPopulation[] = [];
  const kind = 'ONS mid-year population';
  for await (const { line, cells } of readCsvTable(file)) {
    if (layout === undefined) {
      layout = midYearLayout(cells);
      if (!layout) throw new DatasetFileError(file, `not an ${MID_YEAR_POPULATION_NAME} header`, 1);
      continue;
    }
    const count = (i: number) => {
      const raw = (cells[i] ?? '').trim().replace(/,/g, '');
      const n = Number(raw);
      return raw === '' || !Number.isInteger(n) || n < 0 ? undefined : n;
    };
    const total = count(layout.total);
    if (total === undefined) {
      errors.add({
        file,
        line,
        column: 'Total',
        reason: `"${cells[layout.total] ?? ''}" is not a count of people`,
        kind: `${kind}: not a count`,
      });
      continue;
    }
    let sum = 0;
    let children = 0;
    let older = 0;
    let bad = false;
    for (const { i, age } of layout.ages) {
      const n = count(i);
      if (n === undefined) {
        bad = true;
        break;
      }
      sum += n;
      if (age <= 15) children += n;
      if (age >= 60) older += n;
    }
    // The single years partition the total in the published sheet; if not, columns have shifted.
    if (bad || sum !== total) {
      errors.add({
        file,
        line,
        column: 'Total',
        reason: bad
          ? 'an age column is not a count of people'
          : `the ages of ${cells[layout.lsoa]} add up to ${sum}, not its Total ${total}`,
        kind: `${kind}: ages do not add up`,
      });
      continue;
    }
    rows.push({
      lsoa: (cells[layout.lsoa] ?? '').trim(),
      total,
      children0to15: children,
      aged16to59: total - children - older,
      aged60plus: older,
    });
  }
  if (!layout) throw new DatasetFileError(file, `empty: expected an ${MID_YEAR_POPULATION_NAME} header`);
  return { lsoaYear: layout.lsoaYear, rows };
}
