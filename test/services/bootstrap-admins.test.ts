import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/log.js';
import { bootstrapAdmins } from '../../src/services/bootstrap-admins.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const SAM = 'aaaaaaaa-1111-2222-3333-444444444444';
const KIM = 'bbbbbbbb-1111-2222-3333-444444444444';
const LEFT = 'cccccccc-1111-2222-3333-444444444444';
const NOBODY = 'dddddddd-1111-2222-3333-444444444444';
const clock = () => new Date('2026-03-02T09:00:00Z');

let dir: string;
let store: Store;
beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'soc-bootstrap-'));
  store = openSqliteStore({ file: join(dir, 'store.db') });
  const cli = new MemberAdmin(store, clock, 'system:cli');
  await cli.addPartnership({ id: 'wy', name: 'West Yorkshire SOC Board', force: 'West Yorkshire Police' });
  await cli.addAgency({ partnershipId: 'wy', id: 'wyp', name: 'West Yorkshire Police', sector: 'police' });
  for (const [aad, roles] of [
    [SAM, ['coordinator']],
    [KIM, ['admin']],
    [LEFT, ['officer']],
  ] as const) {
    await cli.addMember({
      partnershipId: 'wy',
      aadObjectId: aad,
      displayName: aad.slice(0, 4),
      agencyId: 'wyp',
      roles,
    });
  }
  await cli.deactivate(LEFT);
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('ADMIN_AAD_OBJECT_IDS at start-up', () => {
  it('grants admin to listed active members, audited as system:bootstrap; skips the rest, changing nothing', async () => {
    const lines: string[] = [];
    const log = createLogger('info', { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream);
    const result = await bootstrapAdmins(store, clock, [SAM, KIM, LEFT, NOBODY], log);
    expect(result).toEqual({ granted: [SAM], alreadyAdmin: [KIM], skipped: [LEFT, NOBODY] });
    expect((await store.members.get(SAM))!.roles).toEqual(['coordinator', 'admin']);
    expect((await store.members.get(LEFT))!).toMatchObject({ roles: ['officer'], active: false });
    expect(await store.members.get(NOBODY)).toBeUndefined();
    expect((await store.audit.listForEntity('wy', 'member', SAM)).at(-1)).toMatchObject({
      action: 'member.roles',
      actor: 'system:bootstrap',
    });
    expect((await store.audit.listForEntity('wy', 'member', KIM)).map((e) => e.action)).toEqual(['member.created']);
    expect(lines.join('')).toContain(`"aadObjectId":"${NOBODY}"`);

    // Run again (every start-up): nothing more is written.
    const again = await bootstrapAdmins(store, clock, [SAM, KIM], log);
    expect(again).toEqual({ granted: [], alreadyAdmin: [SAM, KIM], skipped: [] });
    expect(await store.audit.listForEntity('wy', 'member', SAM)).toHaveLength(2);
  });
});
