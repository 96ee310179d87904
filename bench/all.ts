import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: the start-up bench, the import bench (sized by BENCH_IMPORT_ROWS), then the
 * summary and digest benches, each in its own process, the summary and digest with the same
 * arguments (an npm script chained with && would hand them to the last command only), then the
 * Cosmos adapter's cost per command (`bench:cosmos`, its own defaults).
 */
const args = process.argv.slice(2);
let failed = 0;
for (const [file, withArgs] of [
  ['startup.bench.ts', false],
  ['import.bench.ts', false],
  ['summary.bench.ts', true],
  ['digest.bench.ts', true],
  ['cosmos-cost.bench.ts', false],
] as const) {
  const result = spawnSync(
    process.execPath,
    [
      '--disable-warning=DEP0111',
      '--import',
      'tsx',
      fileURLToPath(new URL(file, import.meta.url)),
      ...(withArgs ? args : []),
    ],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed = result.status ?? 1;
  if (failed === 2) break; // bad options: the second would say the same
}
process.exit(failed);
