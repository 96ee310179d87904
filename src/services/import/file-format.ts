import { createReadStream } from 'node:fs';
import { createGunzip } from 'node:zlib';
import { parse } from 'csv-parse/sync';
import { DatasetFileError } from './dataset-file-error.js';
import { ENGLISH_IMD_NAME, WIMD_NAME, englishImdLayout, wimdLayout } from './deprivation-index.js';
import { LSOA_CHANGE_LOOKUP_NAME, changeLookupLayout } from './ons-lsoa-change-lookup.js';
import { MID_YEAR_POPULATION_NAME, midYearLayout } from './ons-mid-year-population.js';
import { POPULATION_FILE_6_LAYOUT } from './iod2019-population.js';
import { SEVERITY_WEIGHTS_LAYOUT } from './ons-crime-severity-weights.js';
import { LSOA_WARD_LOOKUP_NAME, lookupLayout } from './ons-lsoa-ward-lookup.js';
import { OWN_LAYOUTS, type OwnKind } from './own-records.js';
import { INDICATORS_LAYOUT } from './indicators.js';
import { CATEGORY_WEIGHTS_LAYOUT } from './category-weights-file.js';
import { STREET_CRIME_LAYOUT } from './police-uk-street-crime.js';

/**
 * Which kind of file an import was given, recognised from its header (CSV) or its top-level keys
 * (JSON), never from its name: a partnership's downloads are named every which way.
 */
export type FileFormat =
  | 'police-uk-street-crime'
  | 'ons-lsoa-ward-lookup'
  | 'ons-lsoa-change-lookup'
  | 'english-imd'
  | 'wimd'
  | 'iod2019-population'
  | 'ons-mid-year-population'
  | 'ons-severity-weights-join'
  | 'category-weights'
  | 'indicators'
  | OwnKind
  | 'project-json';

interface Recognised {
  format: FileFormat;
  /** The format in general, for the list of what the import accepts. */
  name: string;
  /** Columns that, all present, identify the format. */
  columns?: readonly string[];
  /**
   * For formats whose column names carry a year (LSOA21CD, WD23CD): the name of the vintage the
   * header is, or undefined if it is not this format.
   */
  match?: (cells: readonly string[]) => string | undefined;
}

/** Most specific first: the own formats share `ref`, so the one with more columns wins. */
const CSV_FORMATS: readonly Recognised[] = [
  { format: 'police-uk-street-crime', ...STREET_CRIME_LAYOUT },
  { format: 'ons-lsoa-ward-lookup', name: LSOA_WARD_LOOKUP_NAME, match: (cells) => lookupLayout(cells)?.name },
  {
    format: 'ons-lsoa-change-lookup',
    name: LSOA_CHANGE_LOOKUP_NAME,
    match: (cells) => changeLookupLayout(cells)?.name,
  },
  {
    format: 'english-imd',
    name: ENGLISH_IMD_NAME,
    match: (cells) => {
      const index = englishImdLayout(cells)?.index;
      return index && `IoD ${index.name.slice(4)} File 1 (Index of Multiple Deprivation)`;
    },
  },
  { format: 'wimd', name: WIMD_NAME, match: (cells) => wimdLayout(cells)?.index.sourceName },
  { format: 'iod2019-population', ...POPULATION_FILE_6_LAYOUT },
  { format: 'ons-mid-year-population', name: MID_YEAR_POPULATION_NAME, match: (cells) => midYearLayout(cells)?.name },
  { format: 'ons-severity-weights-join', ...SEVERITY_WEIGHTS_LAYOUT },
  { format: 'category-weights', ...CATEGORY_WEIGHTS_LAYOUT },
  { format: 'indicators', ...INDICATORS_LAYOUT },
  ...(['actions', 'gaps', 'ocgs', 'recommendations', 'members', 'agencies'] as const).map((k) => ({
    format: k,
    name: OWN_LAYOUTS[k].name,
    columns: OWN_LAYOUTS[k].required,
  })),
];

/** What the import accepts, for the answer to a file it does not recognise. */
export const ACCEPTED_FORMATS = [
  ...CSV_FORMATS.map((f) => `${f.name} (CSV)`),
  'the project JSON ({"agencies": [...], "members": [...], "ocgs": [...], "gaps": [...], "actions": [...], "recommendations": [...]})',
];

export class UnknownFormatError extends DatasetFileError {
  constructor(file: string, what: string) {
    super(file, `${what}; the import accepts: ${ACCEPTED_FORMATS.join('; ')}`);
  }
}

export async function detectFormat(file: string): Promise<{ format: FileFormat; name: string }> {
  if (/\.json$/i.test(file)) return { format: 'project-json', name: 'project JSON' };
  const header = await firstLine(file);
  let cells: string[];
  try {
    cells = ((parse(header, { bom: true, relax_column_count: true }) as string[][])[0] ?? []).map((c) => c.trim());
  } catch {
    throw new UnknownFormatError(file, 'its first line is not a CSV header');
  }
  for (const f of CSV_FORMATS) {
    if (f.match) {
      const name = f.match(cells);
      if (name !== undefined) return { format: f.format, name };
    } else if (f.columns?.every((c) => cells.includes(c))) {
      return { format: f.format, name: f.name };
    }
  }
  const shown = cells.slice(0, 8).join(', ') + (cells.length > 8 ? ', …' : '');
  throw new UnknownFormatError(file, `not a format the import knows (its header: ${shown || 'empty'})`);
}

/** The first line of a plain or gzipped file, read without reading the rest. */
async function firstLine(file: string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    const raw = createReadStream(file);
    const stream = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
    let text = '';
    const done = (value: string) => {
      raw.destroy();
      resolvePromise(value);
    };
    stream.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const nl = text.search(/\r?\n/);
      if (nl >= 0) done(text.slice(0, nl));
      else if (text.length > 65_536) done(text);
    });
    stream.on('end', () => done(text));
    stream.on('error', (err: NodeJS.ErrnoException) =>
      reject(new DatasetFileError(file, err.code === 'ENOENT' ? 'file not found' : `not readable (${err.message})`)),
    );
  });
}
