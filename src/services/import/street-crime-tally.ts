import { POLICE_UK_CRIME_TYPES } from '../../domain/crime-severity.js';
import { readCsvTable, type CsvReadOptions } from './csv-records.js';
import { DatasetFileError, MissingColumnError } from './dataset-file-error.js';
import { STREET_CRIME_LAYOUT } from './police-uk-street-crime.js';
import type { RowErrors } from './row-errors.js';

/**
 * Counts of police.uk street-level crime by LSOA, month and crime type, over any number of
 * monthly files, every row checked. Memory is bounded by the LSOAs × months × 14 types seen,
 * never by the number of rows: a row is counted and dropped.
 */
export class CrimeTally {
  /** `${lsoa} ${month} ${type index}` → count. */
  readonly counts = new Map<string, number>();
  readonly months = new Set<string>();
  /** police.uk's name of each LSOA seen ("Liverpool 053B"): it names the authority. */
  readonly lsoaNames = new Map<string, string>();
  files = 0;
  rowsRead = 0;
  rowsInvalid = 0;
  /** police.uk could not place the crime (no location published): valid, but in no district. */
  rowsWithoutLsoa = 0;
  /** Which force's month came from which file: the same month twice would count it twice. */
  private readonly forceMonths = new Map<string, string>();

  add(lsoa: string, month: string, typeIndex: number): void {
    const key = `${lsoa} ${month} ${typeIndex}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.months.add(month);
  }

  /** Each (lsoa, month, crime type, count), in no particular order. */
  *entries(): Generator<{
    lsoa: string;
    month: string;
    crimeType: (typeof POLICE_UK_CRIME_TYPES)[number];
    count: number;
  }> {
    for (const [key, count] of this.counts) {
      const [lsoa, month, type] = key.split(' ') as [string, string, string];
      yield { lsoa, month, crimeType: POLICE_UK_CRIME_TYPES[Number(type)]!, count };
    }
  }

  claimForceMonth(file: string, force: string, month: string): string | undefined {
    const key = `${force}\u0000${month}`;
    const earlier = this.forceMonths.get(key);
    if (earlier !== undefined && earlier !== file) return earlier;
    this.forceMonths.set(key, file);
    return undefined;
  }
}

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;
const LSOA = /^[EW]01\d{6}$/;
const TYPE_INDEX = new Map(POLICE_UK_CRIME_TYPES.map((t, i) => [t.toLowerCase(), i]));

/** Adds one street-level file to the tally; invalid rows go to `errors` and are not counted. */
export async function tallyStreetCrime(
  file: string,
  tally: CrimeTally,
  errors: RowErrors,
  options: CsvReadOptions = {},
): Promise<{ rows: number; invalid: number }> {
  const kind = 'police.uk street crime';
  let idx: { month: number; force: number; lsoa: number; lsoaName: number; type: number; width: number } | undefined;
  let rows = 0;
  let invalid = 0;
  const bad = (line: number, column: string, reason: string, what: string) => {
    invalid += 1;
    errors.add({ file, line, column, reason, kind: `${kind}: ${what}` });
  };
  tally.files += 1;
  for await (const { line, cells } of readCsvTable(file, { ...options, relaxColumnCount: true })) {
    if (idx === undefined) {
      const header = cells.map((c) => c.trim());
      const missing = STREET_CRIME_LAYOUT.columns.filter((c) => !header.includes(c));
      if (missing.length > 0) throw new MissingColumnError(file, missing, header, STREET_CRIME_LAYOUT.name);
      idx = {
        month: header.indexOf('Month'),
        force: header.indexOf('Reported by'),
        lsoa: header.indexOf('LSOA code'),
        lsoaName: header.indexOf('LSOA name'),
        type: header.indexOf('Crime type'),
        width: header.length,
      };
      continue;
    }
    rows += 1;
    if (cells.length !== idx.width) {
      bad(line, '(row)', `${cells.length} cells where the header has ${idx.width}`, 'wrong number of cells');
      continue;
    }
    const month = cells[idx.month]!.trim();
    if (!MONTH.test(month)) {
      bad(line, 'Month', `"${month}" is not a month as YYYY-MM`, 'Month not YYYY-MM');
      continue;
    }
    const typeName = cells[idx.type]!.trim();
    const type = TYPE_INDEX.get(typeName.toLowerCase());
    if (type === undefined) {
      bad(line, 'Crime type', `"${typeName}" is not a police.uk crime type`, 'unknown Crime type');
      continue;
    }
    const lsoa = cells[idx.lsoa]!.trim();
    if (lsoa !== '' && !LSOA.test(lsoa)) {
      bad(line, 'LSOA code', `"${lsoa}" is not an LSOA code (E01… or W01… and six digits)`, 'LSOA code not a code');
      continue;
    }
    const earlier = tally.claimForceMonth(file, cells[idx.force]!.trim(), month);
    if (earlier !== undefined) {
      throw new DatasetFileError(
        file,
        `${month} of ${cells[idx.force]!.trim()} is also in ${earlier}: importing both would count it twice`,
        line,
      );
    }
    if (lsoa === '') {
      tally.rowsWithoutLsoa += 1;
      continue;
    }
    tally.add(lsoa, month, type);
    if (!tally.lsoaNames.has(lsoa)) tally.lsoaNames.set(lsoa, cells[idx.lsoaName]!.trim());
  }
  if (idx === undefined) throw new DatasetFileError(file, `empty: expected a ${STREET_CRIME_LAYOUT.name} header`);
  tally.rowsRead += rows;
  tally.rowsInvalid += invalid;
  return { rows, invalid };
}
