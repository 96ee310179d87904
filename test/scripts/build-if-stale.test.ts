import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../../', import.meta.url));

/** A project of one source file laid out as this one is, with the real script and typescript. */
function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'soc-build-'));
  mkdirSync(join(dir, 'scripts'));
  mkdirSync(join(dir, 'src'));
  copyFileSync(join(REPO, 'scripts/build-if-stale.js'), join(dir, 'scripts/build-if-stale.js'));
  symlinkSync(join(REPO, 'node_modules'), join(dir, 'node_modules'), 'dir');
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: { target: 'ES2022', module: 'NodeNext', strict: true, skipLibCheck: true, types: ['node'] },
    }),
  );
  writeFileSync(
    join(dir, 'tsconfig.build.json'),
    JSON.stringify({
      extends: './tsconfig.json',
      compilerOptions: { rootDir: 'src', outDir: 'dist' },
      include: ['src'],
    }),
  );
  writeFileSync(join(dir, 'src/main.ts'), 'export const answer: number = 1;\n');
  return dir;
}

function check(dir: string, ...args: string[]) {
  const r = spawnSync(process.execPath, [join(dir, 'scripts/build-if-stale.js'), ...args], { encoding: 'utf8' });
  return { status: r.status, stderr: r.stderr };
}

const built = (dir: string) => readFileSync(join(dir, 'dist/main.js'), 'utf8');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

// Each case runs tsc (a few seconds alone, far more on a busy machine).
describe(
  'npm start, admin and import compile only when a source changed (scripts/build-if-stale.js)',
  { timeout: 180_000 },
  () => {
    it('builds a fresh clone, then starts without compiling, then compiles again after a source is saved', () => {
      const dir = project();
      dirs.push(dir);

      expect(check(dir).status).toBe(0);
      expect(built(dir)).toContain('answer = 1');
      const stampAfterFirst = statSync(join(dir, 'dist/.build-stamp')).mtimeMs;

      // Nothing changed: no compile (the stamp stays as it was, no notice).
      const again = check(dir);
      expect(again).toEqual({ status: 0, stderr: '' });
      expect(statSync(join(dir, 'dist/.build-stamp')).mtimeMs).toBe(stampAfterFirst);

      // A source saved after the build: compiled again.
      writeFileSync(join(dir, 'src/main.ts'), 'export const answer: number = 2;\n');
      const later = new Date(stampAfterFirst + 5_000);
      utimesSync(join(dir, 'src/main.ts'), later, later);
      const rebuilt = check(dir);
      expect(rebuilt.status).toBe(0);
      expect(rebuilt.stderr).toMatch(/compiling/);
      expect(built(dir)).toContain('answer = 2');
    });

    it('as a preload (how npm start and admin run it) builds a fresh clone before the entry loads, and reads no option of the command', () => {
      const dir = project();
      dirs.push(dir);
      writeFileSync(join(dir, 'src/main.ts'), "process.stdout.write(`ran ${process.argv.slice(2).join(' ')}`);\n");
      const run = () =>
        spawnSync(
          process.execPath,
          ['--import', './scripts/build-if-stale.js', 'dist/main.js', '--force', 'Merseyside Police'],
          {
            cwd: dir,
            encoding: 'utf8',
          },
        );
      const first = run();
      expect(first.status).toBe(0);
      expect(first.stdout).toBe('ran --force Merseyside Police');
      expect(first.stderr).toMatch(/compiling/);
      // The command's own --force (admin's police force) is not the build's: nothing is compiled.
      const second = run();
      expect(second).toMatchObject({ status: 0, stdout: 'ran --force Merseyside Police', stderr: '' });
    });

    it('stops with exit 1 and starts nothing when the source does not compile', () => {
      const dir = project();
      dirs.push(dir);
      writeFileSync(join(dir, 'src/main.ts'), 'export const answer: number = "one";\n');
      const r = check(dir);
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/build failed/);
    });
  },
);
