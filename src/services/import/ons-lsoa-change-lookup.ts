import { readCsvTable } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { RowErrors } from './row-errors.js';

/**
 * ONS "LSOA (2011) to LSOA (2021) to Local Authority District (2022) Best Fit Lookup for England
 * and Wales" (`LSOA11CD, LSOA11NM, LSOA21CD, LSOA21NM, CHGIND, LAD22CD, LAD22NM, LAD22NMW,
 * ObjectId`): how each 2011 LSOA became 2021 LSOAs. CHGIND is U (unchanged), S (split into
 * several), M (merged with others) or X (redrawn). One row per pair, so a split 2011 LSOA has a
 * row for each 2021 LSOA it became. Recognised by two LSOAyyCD columns of different years and
 * CHGIND, so a later pair of vintages reads the same way.
 */
const LSOA_CODE = /^LSOA(\d\d)CD$/i;

export const LSOA_CHANGE_LOOKUP_NAME = 'ONS LSOA (2011) to LSOA (2021) lookup (LSOA11CD, LSOA21CD, CHGIND, …)';

export function changeLookupLayout(
  header: readonly string[],
): { older: number; newer: number; years: [string, string]; name: string } | undefined {
  const codes = header.flatMap((h, i) => {
    const m = LSOA_CODE.exec(h.trim());
    return m ? [{ i, year: m[1]! }] : [];
  });
  if (codes.length !== 2 || codes[0]!.year === codes[1]!.year) return undefined;
  if (!header.some((h) => h.trim().toUpperCase() === 'CHGIND')) return undefined;
  const [a, b] = codes[0]!.year < codes[1]!.year ? [codes[0]!, codes[1]!] : [codes[1]!, codes[0]!];
  return {
    older: a.i,
    newer: b.i,
    years: [`20${a.year}`, `20${b.year}`],
    name: `ONS LSOA (20${a.year}) to LSOA (20${b.year}) lookup`,
  };
}

/** Each LSOA's counterparts in the other vintage, both ways. */
export interface LsoaChanges {
  years: [older: string, newer: string];
  counterparts: Map<string, string[]>;
  pairs: number;
}

const LSOA = /^[EW]01\d{6}$/;

export async function readLsoaChanges(file: string, errors: RowErrors): Promise<LsoaChanges> {
  let layout: ReturnType<typeof changeLookupLayout>;
  const counterparts = new Map<string, string[]>();
  const add = (from: string, to: string) => {
    const list = counterparts.get(from);
    if (list === undefined) counterparts.set(from, [to]);
    else if (!list.includes(to)) list.push(to);
  };
  let pairs = 0;
  for await (const { line, cells } of readCsvTable(file)) {
    if (layout === undefined) {
      layout = changeLookupLayout(cells);
      if (!layout) throw new DatasetFileError(file, `not an ${LSOA_CHANGE_LOOKUP_NAME} header`, 1);
      continue;
    }
    const older = (cells[layout.older] ?? '').trim();
    const newer = (cells[layout.newer] ?? '').trim();
    if (!LSOA.test(older) || !LSOA.test(newer)) {
      errors.add({
        file,
        line,
        column: LSOA.test(older) ? `LSOA${layout.years[1].slice(2)}CD` : `LSOA${layout.years[0].slice(2)}CD`,
        reason: `"${LSOA.test(older) ? newer : older}" is not an LSOA code`,
        kind: 'ONS LSOA change lookup: not an LSOA code',
      });
      continue;
    }
    add(older, newer);
    add(newer, older);
    pairs += 1;
  }
  if (!layout) throw new DatasetFileError(file, `empty: expected an ${LSOA_CHANGE_LOOKUP_NAME} header`);
  return { years: layout.years, counterparts, pairs };
}
