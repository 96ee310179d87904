import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ms } from './stats.js';

/**
 * `npm run bench:startup` (and part of `npm run bench`): how long the commands people type take
 * to answer, against their floor measured in the same run.
 * - `npm run admin -- partnership list` on the embedded store, against `node -e ''` and against
 *   a bare node process that opens the same store (what no CLI on this store can beat). Target:
 *   within 2x of the latter.
 * - `npm start` from launch to GET /readyz answering 200 on the embedded store. Target: 3 s.
 * Each figure is the median of several runs; the direct `node dist/...` figures show what npm
 * itself adds.
 */

const ROOT = fileURLToPath(new URL('../', import.meta.url));
const RUNS = Number(process.env.BENCH_STARTUP_RUNS ?? 5);
const ADMIN_TARGET_FACTOR = 2;
const START_TARGET_MS = 3_000;
const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';

const dataDir = mkdtempSync(join(tmpdir(), 'soc-bench-startup-'));
const env = { ...process.env, DATA_DIR: dataDir, DEMO_DATA: 'off', LOG_LEVEL: 'warn', HOST: '127.0.0.1' };

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Wall time of a command run to its end, median of RUNS; fails the bench if it fails. */
function timed(label: string, command: string, args: string[]): number {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    const r = spawnSync(command, args, { cwd: ROOT, env, encoding: 'utf8' });
    times.push(performance.now() - t0);
    if (r.status !== 0) throw new Error(`${label} failed (exit ${r.status}): ${r.stderr}`);
  }
  return median(times);
}

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** From launch to /readyz 200, median of RUNS; each server is stopped (its process group) after. */
async function timeToReady(label: string, command: string, args: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const port = await freePort();
    const t0 = performance.now();
    // Its own process group, so that npm's shell and the node it starts are stopped together.
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...env, PORT: String(port) },
      detached: true,
      stdio: 'ignore',
    });
    let exited = false;
    child.once('exit', () => (exited = true));
    try {
      for (;;) {
        if (exited) throw new Error(`${label} exited before it was ready`);
        if (performance.now() - t0 > 60_000) throw new Error(`${label} was not ready within 60 s`);
        const ok = await fetch(`http://127.0.0.1:${port}/readyz`).then(
          (r) => r.status === 200,
          () => false,
        );
        if (ok) break;
        await new Promise((r) => setTimeout(r, 5));
      }
      times.push(performance.now() - t0);
    } finally {
      if (!exited) {
        const gone = new Promise((r) => child.once('exit', r));
        process.kill(-child.pid!, 'SIGTERM');
        await gone;
      }
    }
  }
  return median(times);
}

try {
  console.log(`\nStart-up: commands people type (median of ${RUNS} runs each; embedded store, DEMO_DATA=off)`);
  // What npm start, admin and import do first: compiles only if a source is newer than dist/.
  const build = spawnSync(process.execPath, ['scripts/build-if-stale.js'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('the build failed');
  const check = timed('the build check', process.execPath, ['scripts/build-if-stale.js']);
  const bare = timed("node -e ''", process.execPath, ['-e', '']);
  const storeModule = join(ROOT, 'dist/store/sqlite/sqlite-store.js');
  const openStore = timed('node opening the store', process.execPath, [
    '--input-type=module',
    '-e',
    `const { openSqliteStore } = await import(${JSON.stringify(storeModule)});
     await openSqliteStore({ file: ${JSON.stringify(join(dataDir, 'soc-profiles.db'))} }).close();`,
  ]);
  const adminDirect = timed('node dist/cli/admin.js', process.execPath, [
    '--enable-source-maps',
    'dist/cli/admin.js',
    'partnership',
    'list',
  ]);
  const adminNpm = timed('npm run admin', npm, ['run', '-s', 'admin', '--', 'partnership', 'list']);
  const npmAlone = timed('npm run (a script that does nothing)', npm, ['run', '-s', 'env', '--', 'true']);
  const startDirect = await timeToReady('node dist/main.js', process.execPath, [
    '--enable-source-maps',
    '--disable-warning=DEP0111',
    'dist/main.js',
  ]);
  const startNpm = await timeToReady('npm start', npm, ['start', '-s']);

  const row = (label: string, v: number, floor?: number) =>
    `  ${label.padEnd(52)} ${ms(v).padStart(7)} ms${floor ? `   ${(v / floor).toFixed(2)}x the floor` : ''}`;
  console.log(row("floor: node -e ''", bare));
  console.log(row('floor: node opening the store (node -e plus the store)', openStore));
  console.log(row('npm run (nothing to run: what npm itself costs)', npmAlone));
  console.log(row('build check, nothing to compile', check));
  console.log(row('node dist/cli/admin.js partnership list', adminDirect, openStore));
  console.log(row('npm run admin -- partnership list', adminNpm, openStore));
  console.log(row('node dist/main.js, launch to /readyz 200', startDirect, openStore));
  console.log(row('npm start, launch to /readyz 200', startNpm, openStore));
  const adminMet = adminNpm <= ADMIN_TARGET_FACTOR * openStore;
  console.log(
    `  target: npm run admin within ${ADMIN_TARGET_FACTOR}x of the store-opening floor: ${(adminNpm / openStore).toFixed(2)}x   ${adminMet ? 'MET' : 'NOT MET'}` +
      (adminMet ? '' : ` (without npm: ${(adminDirect / openStore).toFixed(2)}x; npm itself costs ${ms(npmAlone)} ms)`),
  );
  console.log(
    `  target: npm start ready within ${START_TARGET_MS / 1000} s: ${ms(startNpm)} ms   ${startNpm <= START_TARGET_MS ? 'MET' : 'NOT MET'}`,
  );
} finally {
  rmSync(dataDir, { recursive: true, force: true });
}
