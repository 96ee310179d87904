import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/**
 * `npm run bench`: the summary bench, then the digest bench, each in its own process with the same
 * arguments (an npm script chained with && would hand them to the last command only).
 */
const args = process.argv.slice(2);
let failed = 0;
for (const file of ['summary.bench.ts', 'digest.bench.ts']) {
  const result = spawnSync(
    process.execPath,
    ['--disable-warning=DEP0111', '--import', 'tsx', fileURLToPath(new URL(file, import.meta.url)), ...args],
    { stdio: 'inherit' },
  );
  if (result.status !== 0) failed = result.status ?? 1;
  if (failed === 2) break; // bad options: the second would say the same
}
process.exit(failed);
