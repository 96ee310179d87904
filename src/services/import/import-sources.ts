import type { DataSource, Period } from '../../domain/profile.js';
import { slugOf } from '../../domain/import-rows.js';
import { DEFAULT_WEIGHTS_FILE } from './category-weights-file.js';
import type { FileFormat } from './file-format.js';
import type { Located } from './own-records.js';
import { PUBLISHED_SOURCES } from './ward-profiles.js';

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
  if (has('ons-lsoa-ward-lookup')) out.push({ ...PUBLISHED_SOURCES.lookup });
  if (has('iod2019-imd')) out.push({ ...PUBLISHED_SOURCES.imd });
  if (has('iod2019-population')) out.push({ ...PUBLISHED_SOURCES.population });
  return out;
}
