import type { DataSource, Period } from '../../domain/profile.js';
import { slugOf } from '../../domain/import-rows.js';
import { DEFAULT_WEIGHTS_FILE } from './category-weights-file.js';
import type { DeprivationIndex } from './deprivation-index.js';
import type { LookupVintage } from './ons-lsoa-ward-lookup.js';
import type { Located } from './own-records.js';
import { OGL, PUBLISHED_SOURCES } from './ward-profiles.js';

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

/** The ward lookup of the vintage read; the 2019 one keeps the id and words it always had. */
export function lookupSource(v: LookupVintage): DataSource {
  if (v.lsoa === '2011' && v.ward === '2019') return { ...PUBLISHED_SOURCES.lookup };
  return {
    id: `ons-lsoa${v.lsoa.slice(2)}-ward${v.ward.slice(2)}`,
    name: `LSOA (${v.lsoa}) to Ward (${v.ward}) to LAD (${v.localAuthority}) lookup in England and Wales`,
    publisher: 'Office for National Statistics',
    licence: OGL,
    url: 'https://geoportal.statistics.gov.uk/',
    asOf: `wards of ${v.ward}`,
  };
}

/** ONS mid-year estimates by LSOA ("mid-2022"). */
export function midYearPopulationSource(midYear: string, lsoaYear: string): DataSource {
  return {
    id: 'ons-mid-year-population',
    name: `ONS mid-year population estimates by LSOA (${lsoaYear})`,
    publisher: 'Office for National Statistics',
    licence: OGL,
    url: 'https://www.ons.gov.uk/peoplepopulationandcommunity/populationandmigration/populationestimates/datasets/lowersuperoutputareamidyearpopulationestimates',
    asOf: `mid-${midYear}`,
  };
}

export function indexSource(index: DeprivationIndex): DataSource {
  return {
    id: index.sourceId,
    name: index.sourceName,
    publisher: index.publisher,
    licence: OGL,
    url: index.url,
    asOf: index.asOf,
  };
}

/** The published files' sources, for the profiles they shaped: crime and weights, then `references`. */
export function sourcesOf(
  periods: readonly Period[],
  weightsFile: string,
  references: readonly DataSource[],
): DataSource[] {
  const out: DataSource[] = [];
  if (periods.length > 0) {
    const asOf = periods
      .map((p) => (p.from === p.to ? p.from : `${p.from}/${p.to}`))
      .join(', ')
      .slice(0, 40);
    out.push(PUBLISHED_SOURCES.crime(asOf));
    out.push(
      PUBLISHED_SOURCES.weights(
        weightsFile === DEFAULT_WEIGHTS_FILE
          ? 'Crime Severity Score weights (ONS), the median per police.uk category'
          : `Severity weights from ${weightsFile.split('/').pop()}`.slice(0, 200),
      ),
    );
  }
  return [...out, ...references.map((s) => ({ ...s }))];
}
