import type { DataSource, Period } from '../../domain/profile.js';
import { slugOf } from '../../domain/import-rows.js';
import { DEFAULT_WEIGHTS_FILE } from './category-weights-file.js';
import type { FileFormat } from './file-format.js';
import type { Located } from './own-records.js';
import { IMD_AS_OF, OGL, POPULATION_AS_OF, SOURCE } from './ward-profiles.js';

/** The data sources an import names on the profiles it shapes: the published files and the indicators' own. */

export function indicatorSources(rows: readonly Located<{ source: string; date: string }>[]): DataSource[] {
  const out = new Map<string, DataSource>();
  for (const { row } of rows) {
    out.set(slugOf(row.source), {
      id: slugOf(row.source),
      name: row.source,
      publisher: row.source,
      licence: 'as supplied to the partnership',
      asOf: row.date,
    });
  }
  return [...out.values()];
}

/** The published files' sources, for the profiles they shaped. */
export function sourcesOf(
  files: readonly { format: FileFormat }[],
  periods: readonly Period[],
  weightsFile: string,
): DataSource[] {
  const has = (f: FileFormat) => files.some((x) => x.format === f);
  const out: DataSource[] = [];
  if (periods.length > 0) {
    out.push({
      id: SOURCE.crime,
      name: 'police.uk street-level crime',
      publisher: 'police.uk (Home Office)',
      licence: OGL,
      url: 'https://data.police.uk/data/archive/',
      asOf: periods
        .map((p) => (p.from === p.to ? p.from : `${p.from}/${p.to}`))
        .join(', ')
        .slice(0, 40),
    });
    out.push({
      id: SOURCE.weights,
      name:
        weightsFile === DEFAULT_WEIGHTS_FILE
          ? 'Crime Severity Score weights (ONS), the median per police.uk category'
          : `Severity weights from ${weightsFile.split('/').pop()}`.slice(0, 200),
      publisher: 'Office for National Statistics; join: M-O-P-D (University of Leeds)',
      licence: `${OGL}; the join is MIT-licensed`,
      url: 'https://github.com/M-O-P-D/Police-Supply-Demand',
      asOf: 'late 2020 edition',
    });
  }
  if (has('ons-lsoa-ward-lookup')) {
    out.push({
      id: SOURCE.lookup,
      name: 'LSOA (2011) to Ward (2019) lookup in England and Wales',
      publisher: 'Office for National Statistics',
      licence: OGL,
      url: 'https://geoportal.statistics.gov.uk/',
      asOf: 'December 2019',
    });
  }
  if (has('iod2019-imd')) {
    out.push({
      id: SOURCE.imd,
      name: 'English Indices of Deprivation 2019 (File 1, IMD)',
      publisher: 'Ministry of Housing, Communities and Local Government',
      licence: OGL,
      url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
      asOf: IMD_AS_OF,
    });
  }
  if (has('iod2019-population')) {
    out.push({
      id: SOURCE.population,
      name: 'English Indices of Deprivation 2019 (File 6, population)',
      publisher: 'Ministry of Housing, Communities and Local Government (ONS estimates)',
      licence: OGL,
      url: 'https://www.gov.uk/government/statistics/english-indices-of-deprivation-2019',
      asOf: POPULATION_AS_OF,
    });
  }
  return out;
}
