import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NotAMemberError } from '../../src/domain/errors.js';
import { Member } from '../../src/domain/member.js';
import { Partnership } from '../../src/domain/partnership.js';
import { Membership } from '../../src/services/membership.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const AT = '2026-11-25T09:00:00.000Z';
const TENANT = 'aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee';
const OTHER_TENANT = 'ffffffff-bbbb-cccc-dddd-eeeeeeeeeeee';
const ID = '12345678-1234-1234-1234-123456789abc';

let dir: string;
let store: Store;

beforeEach(async () => {
  dir = mkdtempSync(join(tmpdir(), 'soc-membership-'));
  store = openSqliteStore({ file: join(dir, 'm.db') });
  await store.partnerships.put(
    Partnership.parse({
      id: 'wy',
      name: 'West Yorkshire SOC Board',
      force: 'West Yorkshire Police',
      tenantIds: [TENANT],
      createdAt: AT,
    }),
  );
  await store.members.create(
    Member.parse({
      aadObjectId: ID,
      partnershipId: 'wy',
      agencyId: 'wyp',
      displayName: 'A Coordinator',
      roles: ['coordinator'],
      createdAt: AT,
      updatedAt: AT,
    }),
    { actor: 'system:test', action: 'member.created', at: AT },
  );
});

afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('membership', () => {
  it('lets an active member in from a tenant the partnership accepts, whatever the id case', async () => {
    const r = await new Membership(store).resolve(ID.toUpperCase(), TENANT.toUpperCase());
    expect(r.member.displayName).toBe('A Coordinator');
    expect(r.partnership.id).toBe('wy');
  });

  it('refuses someone from another tenant, even with a known object id', async () => {
    await expect(new Membership(store).resolve(ID, OTHER_TENANT)).rejects.toBeInstanceOf(NotAMemberError);
    await expect(new Membership(store).resolve(ID, undefined)).rejects.toBeInstanceOf(NotAMemberError);
  });

  it('refuses an unknown or a deactivated member', async () => {
    await expect(new Membership(store).resolve('00000000-0000-0000-0000-00000000dead', TENANT)).rejects.toBeInstanceOf(
      NotAMemberError,
    );
    await expect(new Membership(store).resolve(undefined, TENANT)).rejects.toBeInstanceOf(NotAMemberError);
    const m = (await store.members.get(ID))!;
    const { etag, ...plain } = m;
    await store.members.replace({ ...plain, active: false }, etag, {
      actor: 'system:test',
      action: 'member.deactivated',
      at: AT,
    });
    await expect(new Membership(store).resolve(ID, TENANT)).rejects.toBeInstanceOf(NotAMemberError);
  });

  it('sees a removal made elsewhere once its short cache has expired', async () => {
    const membership = new Membership(store, 0);
    await membership.resolve(ID, TENANT);
    const m = (await store.members.get(ID))!;
    const { etag, ...plain } = m;
    await store.members.replace({ ...plain, active: false }, etag, {
      actor: 'system:test',
      action: 'member.deactivated',
      at: AT,
    });
    await expect(membership.resolve(ID, TENANT)).rejects.toBeInstanceOf(NotAMemberError);
  });
});
