import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateImportFiles } from './import-generate.js';

/**
 * `npm run bench` (first part) and `npm run bench:import`: the import of generated police.uk
 * street-level rows (BENCH_IMPORT_ROWS, default 1,000,000) with the lookup and population of 400
 * wards, into a fresh SQLite store, each size in a process of its own. Prints rows per second and
 * peak RSS; the targets are ≤ 30 s and ≤ 300 MB for 1,000,000 rows. A tenth of the rows is run
 * first: the same peak memory for ten times the rows is what "streamed" means. See bench/README.md.
 */
const TARGET_S = 30;
const TARGET_MB = 300;
const rows = Number(process.env.BENCH_IMPORT_ROWS ?? 1_000_000);
if (!Number.isInteger(rows) || rows < 1000 || rows > 50_000_000) {
  console.error('BENCH_IMPORT_ROWS must be a whole number from 1,000 to 50,000,000');
  process.exit(2);
}

interface ChildResult {
  ms: number;
  rowsRead: number;
  rowsCounted: number;
  invalid: number;
  profiles: number;
  maxRssBeforeKb: number;
  maxRssKb: number;
}

const n = (x: number) => Math.round(x).toLocaleString('en-GB');
const mb = (kb: number) => (kb / 1024).toFixed(0);
let failed = false;

console.log(`import bench: police.uk street crime, ${n(rows)} rows (and ${n(rows / 10)} first)`);
for (const size of [Math.floor(rows / 10), rows]) {
  const dir = mkdtempSync(join(tmpdir(), 'soc-import-bench-'));
  try {
    const t0 = performance.now();
    const files = await generateImportFiles(dir, size);
    const genS = (performance.now() - t0) / 1000;
    const out = execFileSync(
      process.execPath,
      [
        '--disable-warning=DEP0111',
        '--import',
        'tsx',
        join(import.meta.dirname, 'import-child.ts'),
        join(dir, 'store.db'),
        files.authorities.join(','),
        files.lookup,
        files.population,
        ...files.crime,
      ],
      { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
    if (r.rowsRead !== size || r.invalid !== 0 || r.rowsCounted !== size) {
      console.error(`  wrong result: ${JSON.stringify(r)}`);
      failed = true;
    }
    const s = r.ms / 1000;
    console.log(
      `  ${n(size).padStart(11)} rows (${(files.bytes / 1e6).toFixed(0)} MB of CSV in ${files.crime.length} files, generated in ${genS.toFixed(1)} s): ` +
        `import ${s.toFixed(1)} s, ${n(size / s)} rows/s, peak RSS ${mb(r.maxRssKb)} MB ` +
        `(${mb(r.maxRssBeforeKb)} MB before the import began), ${n(r.profiles)} ward profiles`,
    );
    if (size === rows && rows === 1_000_000) {
      const met = s <= TARGET_S && r.maxRssKb / 1024 <= TARGET_MB;
      console.log(`  target for 1,000,000 rows: ≤ ${TARGET_S} s and ≤ ${TARGET_MB} MB: ${met ? 'met' : 'MISSED'}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
if (failed) process.exit(1);
