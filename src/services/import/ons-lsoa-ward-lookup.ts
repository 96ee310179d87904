import { readCsvTable } from './csv-records.js';
import { DatasetFileError, MissingColumnError } from './dataset-file-error.js';
import type { RowErrors } from './row-errors.js';

/**
 * ONS Open Geography "LSOA to Ward (to LAD) lookup" in England and Wales, of any vintage: the
 * 2011-LSOA to December 2019 ward file (`FID, LSOA11CD, LSOA11NM, WD19CD, WD19NM, LAD19CD,
 * LAD19NM`), the 2021-LSOA files for 2022 to 2025 wards (`LSOA21CD, LSOA21NM, WD23CD, WD23NM,
 * LAD23CD, LAD23NM, ObjectId`) and whatever year comes next. Recognised by the pattern of its
 * column names, not by a list of years: the years are read from the names. Column order, an
 * `FID` or `ObjectId` row id, a BOM and the case of the names do not matter. Each LSOA is
 * assigned to the one ward it best fits.
 */
const PATTERNS = {
  lsoa: /^LSOA(\d\d)CD$/i,
  lsoaName: /^LSOA(\d\d)NM$/i,
  ward: /^WD(\d\d)CD$/i,
  wardName: /^WD(\d\d)NM$/i,
  lad: /^LAD(\d\d)CD$/i,
  ladName: /^LAD(\d\d)NM$/i,
} as const;
type Column = keyof typeof PATTERNS;

export const LSOA_WARD_LOOKUP_NAME =
  'ONS LSOA to Ward lookup, any vintage (LSOAyyCD, LSOAyyNM, WDyyCD, WDyyNM, LADyyCD, LADyyNM)';

/** The vintages a lookup is on, as four-digit years. */
export interface LookupVintage {
  lsoa: string;
  ward: string;
  localAuthority: string;
}

export function vintageName(v: LookupVintage): string {
  return `ONS LSOA (${v.lsoa}) to Ward (${v.ward}) to LAD (${v.localAuthority}) lookup`;
}

/**
 * Which column holds what, and the vintage, if the header is a ward lookup's: each pattern matched
 * by exactly one column, code and name of one year. Undefined otherwise.
 */
export function lookupLayout(
  header: readonly string[],
): { index: Record<Column, number>; vintage: LookupVintage; name: string } | undefined {
  const index = {} as Record<Column, number>;
  const years = {} as Record<Column, string>;
  for (const column of Object.keys(PATTERNS) as Column[]) {
    const hits = header.flatMap((h, i) => {
      const m = PATTERNS[column].exec(h.trim());
      return m ? [{ i, year: m[1]! }] : [];
    });
    if (hits.length !== 1) return undefined;
    index[column] = hits[0]!.i;
    years[column] = hits[0]!.year;
  }
  if (years.lsoa !== years.lsoaName || years.ward !== years.wardName || years.lad !== years.ladName) return undefined;
  const vintage = { lsoa: `20${years.lsoa}`, ward: `20${years.ward}`, localAuthority: `20${years.lad}` };
  return { index, vintage, name: vintageName(vintage) };
}

export interface LsoaWard {
  lsoa: string;
  lsoaName: string;
  wardCode: string;
  /** Exactly as ONS spells it: "St Michael's" (Liverpool) and "St Michaels" (Knowsley) differ. */
  wardName: string;
  localAuthorityCode: string;
  localAuthorityName: string;
}

export interface WardLookup {
  vintage: LookupVintage;
  rows: LsoaWard[];
}

const GSS = /^[EWSN]\d{8}$/;

/**
 * In file order. Without `errors`, the first invalid row stops the read; with it, every invalid
 * row is reported there and left out.
 */
export async function readWardLookup(file: string, errors?: RowErrors): Promise<WardLookup> {
  const rows: LsoaWard[] = [];
  const seen = new Set<string>();
  let layout: ReturnType<typeof lookupLayout>;
  let names: Record<Column, string> | undefined;
  rows: for await (const { line, cells } of readCsvTable(file)) {
    if (layout === undefined) {
      const header = cells.map((c) => c.trim());
      layout = lookupLayout(header);
      if (!layout) {
        const missing = (Object.keys(PATTERNS) as Column[])
          .filter((c) => header.filter((h) => PATTERNS[c].test(h)).length !== 1)
          .map((c) => PATTERNS[c].source.replace('^', '').replace('(\\d\\d)', 'yy').replace('$', ''));
        throw new MissingColumnError(
          file,
          missing.length ? missing : ['LSOAyyCD … LADyyNM of one year each'],
          header,
          LSOA_WARD_LOOKUP_NAME,
        );
      }
      names = Object.fromEntries(
        (Object.keys(PATTERNS) as Column[]).map((c) => [c, header[layout!.index[c]]!]),
      ) as Record<Column, string>;
      continue;
    }
    const { index } = layout;
    const bad = (column: string, reason: string, kind: string) => {
      if (!errors) throw new DatasetFileError(file, `${column} ${reason}`, line);
      errors.add({ file, line, column, reason, kind: `ONS lookup: ${kind}` });
    };
    const cell = (c: Column) => (cells[index[c]] ?? '').trim();
    const row: LsoaWard = {
      lsoa: cell('lsoa'),
      lsoaName: cell('lsoaName'),
      wardCode: cell('ward'),
      wardName: cell('wardName'),
      localAuthorityCode: cell('lad'),
      localAuthorityName: cell('ladName'),
    };
    for (const [column, code] of [
      ['lsoa', row.lsoa],
      ['ward', row.wardCode],
      ['lad', row.localAuthorityCode],
    ] as const) {
      if (!GSS.test(code)) {
        bad(names![column], `"${code}" is not a GSS code`, `${names![column]} not a GSS code`);
        continue rows;
      }
    }
    // A best-fit lookup puts each LSOA in one ward; a repeat would count its people twice.
    if (seen.has(row.lsoa)) {
      if (!errors) throw new DatasetFileError(file, `LSOA ${row.lsoa} appears more than once`, line);
      bad(names!.lsoa, `${row.lsoa} appears more than once`, 'LSOA given twice');
      continue;
    }
    seen.add(row.lsoa);
    rows.push(row);
  }
  if (!layout) throw new DatasetFileError(file, `empty: expected an ${LSOA_WARD_LOOKUP_NAME} header`);
  return { vintage: layout.vintage, rows };
}

/** The rows alone, for callers that do not need the vintage. */
export async function readLsoaWardLookup(file: string, errors?: RowErrors): Promise<LsoaWard[]> {
  return (await readWardLookup(file, errors)).rows;
}
