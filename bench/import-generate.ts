import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { join } from 'node:path';
import { POLICE_UK_CRIME_TYPES } from '../src/domain/crime-severity.js';
import { seededRandom, type SeededRandom } from '../src/domain/seeded-random.js';
import { STREET_CRIME_LAYOUT } from '../src/services/import/police-uk-street-crime.js';
import { POPULATION_FILE_6_LAYOUT } from '../src/services/import/iod2019-population.js';

/**
 * Files for the import benchmark, in the published layouts: an ONS LSOA-to-ward lookup and an
 * IoD File 6 for `wards` made-up wards of five LSOAs each in four authorities, and police.uk
 * street-level files for six months (two quarters) holding `rows` rows between them, as
 * police.uk writes them (CRLF, a 64-hex Crime ID, anti-social behaviour without one). Seeded.
 */
export interface GeneratedFiles {
  lookup: string;
  population: string;
  crime: string[];
  authorities: string[];
  bytes: number;
}

const MONTHS = ['2019-04', '2019-05', '2019-06', '2019-10', '2019-11', '2019-12'];
const OUTCOMES = [
  'Under investigation',
  'Unable to prosecute suspect',
  'Investigation complete; no suspect identified',
  '',
];

export async function generateImportFiles(
  dir: string,
  rows: number,
  wards = 400,
  seed = 'import-bench',
): Promise<GeneratedFiles> {
  const rng = seededRandom(seed);
  const authorities = ['E08000011', 'E08000012', 'E08000013', 'E08000014'];
  const lsoas: string[] = [];
  let bytes = 0;

  const lookup = join(dir, 'lookup.csv');
  const population = join(dir, 'population.csv');
  const lookupLines = ['FID,LSOA11CD,LSOA11NM,WD19CD,WD19NM,LAD19CD,LAD19NM'];
  const populationLines = [POPULATION_FILE_6_LAYOUT.columns.join(',')];
  for (let w = 0; w < wards; w++) {
    const ward = `E05${String(100000 + w).padStart(6, '0')}`;
    const la = authorities[w % authorities.length]!;
    for (let l = 0; l < 5; l++) {
      const lsoa = `E01${String(100000 + w * 5 + l).padStart(6, '0')}`;
      lsoas.push(lsoa);
      lookupLines.push(`${lsoas.length},${lsoa},Bench ${w} ${l},${ward},Bench ward ${w},${la},Bench authority ${la}`);
      const children = rng.int(200, 400);
      const working = rng.int(800, 1200);
      const older = rng.int(200, 500);
      populationLines.push(
        `${lsoa},Bench ${w} ${l},${la},Bench authority ${la},${children + working + older},${children},${working},${older},${working}`,
      );
    }
  }
  for (const [file, lines] of [
    [lookup, lookupLines],
    [population, populationLines],
  ] as const) {
    const text = lines.join('\n') + '\n';
    bytes += Buffer.byteLength(text);
    await writeText(file, text);
  }

  const crime: string[] = [];
  for (const [m, month] of MONTHS.entries()) {
    const file = join(dir, `${month}-bench-street.csv`);
    crime.push(file);
    const out = createWriteStream(file);
    const write = async (s: string) => {
      bytes += Buffer.byteLength(s);
      if (!out.write(s)) await once(out, 'drain');
    };
    await write(STREET_CRIME_LAYOUT.columns.join(',') + '\r\n');
    const n = Math.floor(rows / MONTHS.length) + (m < rows % MONTHS.length ? 1 : 0);
    let chunk = '';
    for (let i = 0; i < n; i++) {
      const type = POLICE_UK_CRIME_TYPES[rng.int(0, POLICE_UK_CRIME_TYPES.length - 1)]!;
      const lsoa = lsoas[rng.int(0, lsoas.length - 1)]!;
      const id = type === 'Anti-social behaviour' ? '' : hex64(rng);
      const lon = (-3 + rng.int(0, 99999) / 100000).toFixed(6);
      const lat = (53 + rng.int(0, 99999) / 100000).toFixed(6);
      chunk +=
        `${id},${month},Bench Police,Bench Police,${lon},${lat},On or near Bench Street,${lsoa},Bench ${lsoa},${type},` +
        `${id ? OUTCOMES[rng.int(0, OUTCOMES.length - 1)] : ''},\r\n`;
      if (chunk.length > 1 << 16) {
        await write(chunk);
        chunk = '';
      }
    }
    await write(chunk);
    out.end();
    await once(out, 'finish');
  }
  return { lookup, population, crime, authorities, bytes };
}

function hex64(rng: SeededRandom): string {
  let s = '';
  for (let i = 0; i < 8; i++) s += rng.int(0, 0xffffffff).toString(16).padStart(8, '0');
  return s;
}

async function writeText(file: string, text: string): Promise<void> {
  const out = createWriteStream(file);
  out.end(text);
  await once(out, 'finish');
}
