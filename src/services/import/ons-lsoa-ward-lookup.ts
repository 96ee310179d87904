import { readCsvRecords, type CsvLayout } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { RowErrors } from './row-errors.js';

/**
 * ONS Open Geography "Lower Layer Super Output Area (2011) to Ward (2019) Lookup in England and
 * Wales", as exported from the portal (UTF-8 BOM, an `FID` row id first). Each 2011 LSOA is
 * assigned to the one December 2019 ward it best fits.
 */
export const LSOA_WARD_LOOKUP_LAYOUT = {
  name: 'ONS LSOA (2011) to Ward (2019) lookup',
  columns: ['FID', 'LSOA11CD', 'LSOA11NM', 'WD19CD', 'WD19NM', 'LAD19CD', 'LAD19NM'],
} as const satisfies CsvLayout<string>;

export interface LsoaWard {
  lsoa: string;
  lsoaName: string;
  wardCode: string;
  /** Exactly as ONS spells it: "St Michael's" (Liverpool) and "St Michaels" (Knowsley) differ. */
  wardName: string;
  localAuthorityCode: string;
  localAuthorityName: string;
}

const GSS = /^[EWSN]\d{8}$/;

/**
 * In file order. Without `errors`, the first invalid row stops the read; with it, every invalid
 * row is reported there and left out.
 */
export async function readLsoaWardLookup(file: string, errors?: RowErrors): Promise<LsoaWard[]> {
  const out: LsoaWard[] = [];
  const seen = new Set<string>();
  rows: for await (const { line, values } of readCsvRecords(file, LSOA_WARD_LOOKUP_LAYOUT)) {
    const bad = (column: string, reason: string, kind: string) => {
      if (!errors) throw new DatasetFileError(file, `${column} ${reason}`, line);
      errors.add({ file, line, column, reason, kind: `ONS lookup: ${kind}` });
    };
    const row: LsoaWard = {
      lsoa: values.LSOA11CD.trim(),
      lsoaName: values.LSOA11NM.trim(),
      wardCode: values.WD19CD.trim(),
      wardName: values.WD19NM.trim(),
      localAuthorityCode: values.LAD19CD.trim(),
      localAuthorityName: values.LAD19NM.trim(),
    };
    for (const [column, code] of [
      ['LSOA11CD', row.lsoa],
      ['WD19CD', row.wardCode],
      ['LAD19CD', row.localAuthorityCode],
    ] as const) {
      if (!GSS.test(code)) {
        bad(column, `"${code}" is not a GSS code`, `${column} not a GSS code`);
        continue rows;
      }
    }
    // A best-fit lookup puts each LSOA in one ward; a repeat would count its people twice.
    if (seen.has(row.lsoa)) {
      if (!errors) throw new DatasetFileError(file, `LSOA ${row.lsoa} appears more than once`, line);
      bad('LSOA11CD', `${row.lsoa} appears more than once`, 'LSOA given twice');
      continue;
    }
    seen.add(row.lsoa);
    out.push(row);
  }
  return out;
}
