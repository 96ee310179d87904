// Compiles src/ into dist/ only when a source is newer than the last build, so `npm start`,
// `npm run admin` and `npm run import` start at once instead of running tsc every time.
// Plain JavaScript with no dependencies: it must run before anything is compiled.
// - `node scripts/build-if-stale.js [--force]`: npm's prepare (at install) and `npm run build`.
// - `node --import ./scripts/build-if-stale.js dist/main.js`: npm start, admin, import, package.
//   Loaded first in the command's own process (no second node start-up); node loads the entry
//   module only after this has finished, so it never runs a half-built dist/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const dist = join(root, 'dist');
const stamp = join(dist, '.build-stamp');
/** What the compiled output depends on; directories count too, so a deleted source is a change. */
const INPUTS = ['src', 'tsconfig.json', 'tsconfig.build.json'];

function newestChange(path) {
  const st = statSync(path, { throwIfNoEntry: false });
  if (!st) return 0;
  let newest = st.mtimeMs;
  if (st.isDirectory()) {
    for (const entry of readdirSync(path)) newest = Math.max(newest, newestChange(join(path, entry)));
  }
  return newest;
}

function builtAt() {
  return statSync(stamp, { throwIfNoEntry: false })?.mtimeMs ?? -1;
}

function build(force) {
  const sourcesChanged = Math.max(...INPUTS.map((p) => newestChange(join(root, p))));
  if (!force && sourcesChanged <= builtAt() && existsSync(join(dist, 'main.js'))) return;

  let tsc;
  try {
    tsc = createRequire(join(root, 'package.json')).resolve('typescript/bin/tsc');
  } catch {
    // An install without devDependencies (npm ci --omit=dev) cannot compile; a dist built before
    // (shipped with the code) still runs.
    if (existsSync(join(dist, 'main.js'))) {
      process.stderr.write('build-if-stale: typescript is not installed; using the dist/ already built\n');
      return;
    }
    process.stderr.write('build-if-stale: dist/ is missing and typescript is not installed: run npm install\n');
    process.exit(1);
  }

  // The stamp takes the time the build began, so a source saved during the build is seen next time.
  const began = new Date();
  if (!force)
    process.stderr.write('build-if-stale: sources changed since the last build; compiling src/ into dist/ ...\n');
  // A fresh dist/, so a module whose source was deleted cannot linger and still be imported.
  rmSync(dist, { recursive: true, force: true });
  try {
    execFileSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], { cwd: root, stdio: 'inherit' });
  } catch {
    process.stderr.write('build-if-stale: the TypeScript build failed (above); nothing was started\n');
    process.exit(1);
  }
  writeFileSync(stamp, '');
  utimesSync(stamp, began, began);
}

// Standalone, `--force` is ours; preloaded, process.argv is the command's (admin has a --force).
const standalone = process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url);
build(standalone && process.argv.includes('--force'));
