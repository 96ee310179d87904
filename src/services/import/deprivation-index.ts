import { readCsvTable } from './csv-records.js';
import { DatasetFileError } from './dataset-file-error.js';
import type { LsoaImd } from './iod2019-imd.js';
import type { RowErrors } from './row-errors.js';

/**
 * The deprivation indices the import reads, each recognised by its header:
 *
 * - English Indices of Deprivation File 1: `LSOA code (2011)` or `LSOA code (2021)` and the
 *   `Index of Multiple Deprivation (IMD) Rank` and `… Decile` columns (IoD 2025 adds "(where 1 is
 *   most deprived)" to their names). The LSOA vintage says the edition: 2011 LSOAs are IoD 2019
 *   (32,844 in England), 2021 LSOAs IoD 2025 (33,755).
 * - Welsh Index of Multiple Deprivation: an `LSOA code` column and a `WIMD 2019` (or `WIMD 2025`)
 *   rank column, as in the Welsh Government's "index and domain ranks by small area" sheet. WIMD
 *   2019 ranks Wales's 1,909 2011 LSOAs; WIMD 2025 its 1,917 2021 LSOAs. Its decile is the
 *   rank's, ceil(rank × 10 ÷ LSOAs), as the Welsh Government groups them.
 */
export interface DeprivationIndex {
  /** "IMD 2019", "IMD 2025", "WIMD 2019". */
  name: string;
  country: 'England' | 'Wales';
  lsoaYear: string;
  /** How many LSOAs the index ranks: rank 1 to this. */
  lsoas: number;
  sourceId: string;
  sourceName: string;
  publisher: string;
  url: string;
  asOf: string;
}

const ENGLISH: Record<string, Omit<DeprivationIndex, 'lsoaYear'>> = {
  '2011': {
    name: 'IMD 2019',
    country: 'England',
    lsoas: 32_844,
    sourceId: 'iod2019-imd',
    sourceName: 'English Indices of Deprivation 2019 (File 1, IMD)',
    publisher: 'Ministry of Housing, Communities and Local Government',
    url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
    asOf: '2019 (mostly 2015/16 data)',
  },
  '2021': {
    name: 'IMD 2025',
    country: 'England',
    lsoas: 33_755,
    sourceId: 'iod2025-imd',
    sourceName: 'English Indices of Deprivation 2025 (File 1, IMD)',
    publisher: 'Ministry of Housing, Communities and Local Government',
    url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2025',
    asOf: '2025',
  },
};

const WELSH: Record<string, Omit<DeprivationIndex, 'lsoaYear'> & { lsoaYear: string }> = {
  '2019': {
    name: 'WIMD 2019',
    country: 'Wales',
    lsoaYear: '2011',
    lsoas: 1_909,
    sourceId: 'wimd2019',
    sourceName: 'Welsh Index of Multiple Deprivation 2019 (ranks by LSOA)',
    publisher: 'Welsh Government',
    url: 'https://www.gov.wales/welsh-index-multiple-deprivation',
    asOf: '2019',
  },
  '2025': {
    name: 'WIMD 2025',
    country: 'Wales',
    lsoaYear: '2021',
    lsoas: 1_917,
    sourceId: 'wimd2025',
    sourceName: 'Welsh Index of Multiple Deprivation 2025 (ranks by LSOA)',
    publisher: 'Welsh Government',
    url: 'https://www.gov.wales/welsh-index-multiple-deprivation',
    asOf: '2025',
  },
};

const ENGLISH_LSOA = /^LSOA code \((\d{4})\)$/i;
const ENGLISH_RANK = /^Index of Multiple Deprivation \(IMD\) Rank\b/i;
const ENGLISH_DECILE = /^Index of Multiple Deprivation \(IMD\) Decile\b/i;
const WELSH_LSOA = /^LSOA code( \((\d{4})\))?$/i;
const WELSH_RANK = /^WIMD (\d{4})( rank)?$/i;

export const ENGLISH_IMD_NAME =
  'English Indices of Deprivation File 1, 2019 or 2025 (LSOA code (yyyy), IMD Rank, IMD Decile)';
export const WIMD_NAME = 'Welsh Index of Multiple Deprivation ranks, 2019 or 2025 (LSOA code, WIMD yyyy)';

interface IndexLayout {
  index: DeprivationIndex;
  header: readonly string[];
  lsoa: number;
  rank: number;
  decile?: number;
}

export function englishImdLayout(header: readonly string[]): IndexLayout | undefined {
  const h = header.map((c) => c.trim());
  const lsoa = h.findIndex((c) => ENGLISH_LSOA.test(c));
  const rank = h.findIndex((c) => ENGLISH_RANK.test(c));
  const decile = h.findIndex((c) => ENGLISH_DECILE.test(c));
  if (lsoa < 0 || rank < 0 || decile < 0) return undefined;
  const year = ENGLISH_LSOA.exec(h[lsoa]!)![1]!;
  const edition = ENGLISH[year];
  return edition && { index: { ...edition, lsoaYear: year }, header: h, lsoa, rank, decile };
}

export function wimdLayout(header: readonly string[]): IndexLayout | undefined {
  const h = header.map((c) => c.trim());
  const lsoa = h.findIndex((c) => WELSH_LSOA.test(c));
  const rank = h.findIndex((c) => WELSH_RANK.test(c));
  if (lsoa < 0 || rank < 0) return undefined;
  const edition = WELSH[WELSH_RANK.exec(h[rank]!)![1]!];
  return edition && { index: edition, header: h, lsoa, rank };
}

export async function readDeprivationIndex(
  file: string,
  layoutOf: (header: readonly string[]) => IndexLayout | undefined,
  errors: RowErrors,
): Promise<{ index: DeprivationIndex; rows: LsoaImd[] }> {
  let layout: IndexLayout | undefined;
  const rows: LsoaImd[] = [];
  for await (const { line, cells } of readCsvTable(file)) {
    if (layout === undefined) {
      layout = layoutOf(cells);
      if (!layout) throw new DatasetFileError(file, 'not a deprivation index header the import knows', 1);
      continue;
    }
    const { index } = layout;
    const bad = (column: number, reason: string, what: string) =>
      errors.add({ file, line, column: layout!.header[column] ?? '(row)', reason, kind: `${index.name}: ${what}` });
    const whole = (i: number) => {
      const raw = (cells[i] ?? '').trim().replace(/,/g, '');
      const n = Number(raw);
      return raw === '' || !Number.isInteger(n) ? undefined : n;
    };
    const rank = whole(layout.rank);
    if (rank === undefined || rank < 1 || rank > index.lsoas) {
      bad(
        layout.rank,
        `rank "${cells[layout.rank] ?? ''}" is not a whole number from 1 to ${index.lsoas}`,
        'rank not 1 to the LSOAs ranked',
      );
      continue;
    }
    const decile = layout.decile === undefined ? Math.ceil((rank * 10) / index.lsoas) : whole(layout.decile);
    if (decile === undefined || decile < 1 || decile > 10) {
      bad(
        layout.decile!,
        `decile "${cells[layout.decile!] ?? ''}" is not a whole number from 1 to 10`,
        'decile not 1 to 10',
      );
      continue;
    }
    rows.push({ lsoa: (cells[layout.lsoa] ?? '').trim(), imdRank: rank, imdDecile: decile });
  }
  if (!layout) throw new DatasetFileError(file, 'empty: expected a deprivation index header');
  return { index: layout.index, rows };
}
