import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runAdmin } from '../../src/cli/admin.js';
import type { CliIo } from '../../src/cli/cli-process.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';

const ADMIN = 'aaaaaaaa-1111-2222-3333-444444444444';
const NOW = new Date('2026-03-02T09:00:00Z');

let dataDir: string;
beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'soc-admin-cli-'));
});
afterEach(() => rmSync(dataDir, { recursive: true, force: true }));

/** Runs one command as `npm run admin -- …` would, against the SQLite file under dataDir. */
async function admin(...args: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { env: { DATA_DIR: dataDir }, out: (l) => out.push(l), err: (l) => err.push(l) };
  const code = await runAdmin(args, io, () => NOW);
  return { code, out, err };
}

async function stored<T>(read: (store: ReturnType<typeof openSqliteStore>) => Promise<T>): Promise<T> {
  const store = openSqliteStore({ file: join(dataDir, 'soc-profiles.db') });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}

describe('npm run admin', () => {
  it('gets a deployment its first admin, step by step', async () => {
    expect(await admin('partnership', 'list')).toMatchObject({
      code: 0,
      out: ['no partnerships yet; add one with partnership add'],
    });
    expect(
      await admin(
        'partnership',
        'add',
        '--id',
        'wy',
        '--name',
        'West Yorkshire SOC Board',
        '--force',
        'West Yorkshire Police',
      ),
    ).toMatchObject({ code: 0, out: ['partnership wy added (any tenant); next: agency add --partnership wy'] });
    expect(
      (await admin('agency', 'add', '--partnership', 'wy', '--id', 'wyp', '--name', 'WYP', '--sector', 'police')).code,
    ).toBe(0);
    const added = await admin(
      'member',
      'add',
      '--partnership',
      'wy',
      '--aad',
      ADMIN,
      '--name',
      'Sam Patel',
      '--agency',
      'wyp',
      '--role',
      'admin,coordinator',
    );
    expect(added).toMatchObject({
      code: 0,
      out: [`member ${ADMIN} added to partnership wy: agency wyp, roles admin, coordinator, cleared to OFFICIAL`],
    });

    const list = await admin('member', 'list', '--partnership', 'wy');
    expect(list.out).toEqual([
      'aad object id                         agency  roles              clearance  active  name',
      `${ADMIN}  wyp     admin,coordinator  OFFICIAL   yes     Sam Patel`,
    ]);
    const events = await stored((s) => s.audit.listForEntity('wy', 'member', ADMIN));
    expect(events).toMatchObject([{ action: 'member.created', actor: 'system:cli', at: NOW.toISOString() }]);
  });

  it('records the admin named with --as as who made a change', async () => {
    await admin('partnership', 'add', '--id', 'wy', '--name', 'W', '--force', 'F');
    await admin('agency', 'add', '--partnership', 'wy', '--id', 'wyp', '--name', 'WYP', '--sector', 'police');
    await admin(
      'member',
      'add',
      '--partnership',
      'wy',
      '--aad',
      ADMIN,
      '--name',
      'Sam',
      '--agency',
      'wyp',
      '--role',
      'officer',
    );
    const changed = await admin(
      'member',
      'set-roles',
      '--aad',
      ADMIN,
      '--role',
      'admin',
      '--role',
      'board',
      '--as',
      ADMIN.toUpperCase(),
    );
    expect(changed).toMatchObject({
      code: 0,
      out: [`member ${ADMIN} changed: agency wyp, roles admin, board, cleared to OFFICIAL`],
    });
    expect((await admin('member', 'set-clearance', '--aad', ADMIN, '--clearance', 'OFFICIAL-SENSITIVE')).code).toBe(0);
    expect((await admin('member', 'deactivate', '--aad', ADMIN)).out).toEqual([
      `member ${ADMIN} changed: agency wyp, roles admin, board, cleared to OFFICIAL-SENSITIVE, inactive`,
    ]);
    const events = await stored((s) => s.audit.listForEntity('wy', 'member', ADMIN));
    expect(events.map((e) => [e.action, e.actor])).toEqual([
      ['member.created', 'system:cli'],
      ['member.roles', ADMIN],
      ['member.clearance', 'system:cli'],
      ['member.deactivated', 'system:cli'],
    ]);
  });

  it('answers bad input with one line and exit code 2, writing nothing', async () => {
    await admin('partnership', 'add', '--id', 'wy', '--name', 'W', '--force', 'F');
    const cases: [string[], string][] = [
      [
        ['member', 'add', '--partnership', 'wy', '--aad', ADMIN, '--name', 'Sam', '--agency', 'wyp', '--role', 'admin'],
        'error: agency wyp is not in partnership wy; add one first with agency add',
      ],
      [
        ['member', 'add', '--partnership', 'wy', '--aad', ADMIN, '--name', 'Sam', '--agency', 'wyp'],
        'error: member add: --role is required (admin, coordinator, partner, officer, board)',
      ],
      [
        ['member', 'add', '--partnership', 'wy', '--aad', ADMIN, '--agency', 'wyp', '--role', 'admin'],
        'error: member add: --name is required',
      ],
      [
        ['member', 'promote'],
        'error: member promote: not a command; member takes add, set-roles, set-clearance, deactivate, activate, list',
      ],
      [['members'], 'error: members: not a command; try partnership, agency, member or help'],
      [
        ['agency', 'list', '--partnership', 'wy', '--colour', 'red'],
        'error: agency list: unknown option --colour; valid: --partnership, --as',
      ],
      [['agency', 'list', '--partnership', 'nope'], 'error: partnership nope does not exist; known: wy'],
      [
        ['partnership', 'list', '--as', 'sam'],
        'error: --as must be your Azure AD object id (a GUID), recorded as who made the change',
      ],
      [['member', 'deactivate', '--aad', ADMIN], `error: member ${ADMIN} was not found`],
    ];
    for (const [args, line] of cases) {
      expect(await admin(...args), args.join(' ')).toEqual({ code: 2, out: [], err: [line] });
    }
    expect(await stored((s) => s.members.listByPartnership('wy'))).toEqual([]);
  });

  it('says which variable is wrong when the environment is', async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runAdmin(['partnership', 'list'], {
      env: { STORE: 'postgres' },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
    });
    expect({ code, out, err }).toEqual({
      code: 2,
      out: [],
      err: ["error: configuration: STORE: must be sqlite (the default) or cosmos (got 'postgres')"],
    });
  });

  it('reports a store it cannot open as a store failure, exit code 1', async () => {
    // A directory where the database file should be: SQLite cannot open it.
    const blocked = join(dataDir, 'blocked');
    mkdirSync(join(blocked, 'soc-profiles.db'), { recursive: true });
    const err: string[] = [];
    const code = await runAdmin(['partnership', 'list'], {
      env: { DATA_DIR: blocked },
      out: () => undefined,
      err: (l) => err.push(l),
    });
    expect(code).toBe(1);
    expect(err[0]).toMatch(/^error: the store is unavailable/);
  });

  it('runs as a process with the exit codes it documents', async () => {
    const run = promisify(execFile);
    const cli = join(import.meta.dirname, '../../src/cli/admin.ts');
    const env = { ...process.env, DATA_DIR: dataDir };
    const ok = await run(process.execPath, ['--import', 'tsx', cli, 'partnership', 'list'], { env });
    expect(ok.stdout).toBe('no partnerships yet; add one with partnership add\n');
    const bad = await run(process.execPath, ['--import', 'tsx', cli, 'agency', 'list'], { env }).then(
      () => undefined,
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad).toMatchObject({ code: 2, stderr: 'error: agency list: --partnership is required\n' });
  });
});
