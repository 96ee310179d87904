import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/domain/errors.js';
import { Membership } from '../../src/services/membership.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';

const ADMIN = 'aaaaaaaa-1111-2222-3333-444444444444';
const OFFICER = 'BBBBBBBB-1111-2222-3333-444444444444';
const TENANT = '72f988bf-86f1-41af-91ab-2d7cd011db47';
let now = new Date('2026-03-02T09:00:00Z');
const clock = () => now;

let dir: string;
let store: Store;
let admin: MemberAdmin;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'soc-admin-'));
  store = openSqliteStore({ file: join(dir, 'store.db') });
  admin = new MemberAdmin(store, clock, ADMIN);
  now = new Date('2026-03-02T09:00:00Z');
});
afterEach(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

async function wySetUp(): Promise<void> {
  await admin.addPartnership({ id: 'wy', name: 'West Yorkshire SOC Board', force: 'West Yorkshire Police' });
  await admin.addAgency({ partnershipId: 'wy', id: 'wyp', name: 'West Yorkshire Police', sector: 'police' });
  await admin.addAgency({ partnershipId: 'wy', id: 'bradford', name: 'Bradford Council', sector: 'local-authority' });
}

const refusal = async (p: Promise<unknown>): Promise<string> => {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ValidationError);
  return (err as Error).message;
};

describe('a first admin, from nothing', () => {
  it('adds a partnership, an agency and an admin who the bot then lets in', async () => {
    await admin.addPartnership({
      id: 'wy',
      name: 'West Yorkshire SOC Board',
      force: 'WYP',
      tenantIds: [TENANT.toUpperCase()],
    });
    await admin.addAgency({ partnershipId: 'wy', id: 'wyp', name: 'West Yorkshire Police', sector: 'police' });
    const added = await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: ADMIN,
      displayName: 'Sam Patel',
      agencyId: 'wyp',
      roles: ['admin'],
    });
    expect(added).toMatchObject({ roles: ['admin'], clearance: 'OFFICIAL', active: true });

    // What the bot does on the admin's first message: tenant compared in lower case.
    const requester = await new Membership(store).resolve(ADMIN, TENANT);
    expect(requester.partnership.id).toBe('wy');
    await expect(new Membership(store).resolve(ADMIN, '00000000-0000-0000-0000-000000000001')).rejects.toThrow(
      /not a member/,
    );
  });

  it('audits the member as created by the admin named', async () => {
    await wySetUp();
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: OFFICER,
      displayName: 'Jo',
      agencyId: 'wyp',
      roles: ['officer'],
    });
    const events = await store.audit.listForEntity('wy', 'member', OFFICER.toLowerCase());
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'member.created', actor: ADMIN, before: null, at: now.toISOString() });
  });
});

describe('refusals say what is wrong and what would be valid, and write nothing', () => {
  it('an agency of another partnership, or none', async () => {
    await wySetUp();
    const message = await refusal(
      admin.addMember({
        partnershipId: 'wy',
        aadObjectId: OFFICER,
        displayName: 'Jo',
        agencyId: 'leeds',
        roles: ['officer'],
      }),
    );
    expect(message).toBe('agency leeds is not in partnership wy; valid: bradford, wyp');
    expect(await store.members.get(OFFICER)).toBeUndefined();
  });

  it('a partnership that does not exist names the ones that do', async () => {
    await wySetUp();
    expect(await refusal(admin.listMembers('wyx'))).toBe('partnership wyx does not exist; known: wy');
    expect(await refusal(admin.addAgency({ partnershipId: 'nope', id: 'a', name: 'A', sector: 'police' }))).toMatch(
      /^partnership nope does not exist/,
    );
  });

  it('a role, clearance or sector that is not one', async () => {
    await wySetUp();
    expect(
      await refusal(
        admin.addMember({
          partnershipId: 'wy',
          aadObjectId: OFFICER,
          displayName: 'Jo',
          agencyId: 'wyp',
          roles: ['officer', 'chief'],
        }),
      ),
    ).toBe('chief is not a role; valid: admin, coordinator, partner, officer, board');
    expect(
      await refusal(
        admin.addMember({
          partnershipId: 'wy',
          aadObjectId: OFFICER,
          displayName: 'Jo',
          agencyId: 'wyp',
          roles: ['officer'],
          clearance: 'SECRET',
        }),
      ),
    ).toBe('member is not valid: clearance: must be one of OFFICIAL, OFFICIAL-SENSITIVE');
    expect(await refusal(admin.addAgency({ partnershipId: 'wy', id: 'x', name: 'X', sector: 'council' }))).toMatch(
      /sector: must be one of police, local-authority, /,
    );
  });

  it('an object id that is not a GUID, a bad slug, a tenant that is not a GUID', async () => {
    await wySetUp();
    expect(
      await refusal(
        admin.addMember({
          partnershipId: 'wy',
          aadObjectId: 'sam@example.org',
          displayName: 'Jo',
          agencyId: 'wyp',
          roles: ['officer'],
        }),
      ),
    ).toBe('member is not valid: aadObjectId: must be an Azure AD object id (a GUID)');
    expect(await refusal(admin.addPartnership({ id: 'west yorks', name: 'W', force: 'F' }))).toBe(
      'partnership is not valid: id: must be letters, digits, - or _',
    );
    expect(await refusal(admin.addPartnership({ id: 'wy2', name: 'W', force: 'F', tenantIds: ['contoso'] }))).toBe(
      'partnership is not valid: tenantIds.0: must be a GUID',
    );
  });

  it('a member who already belongs to a partnership', async () => {
    await wySetUp();
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: OFFICER,
      displayName: 'Jo',
      agencyId: 'wyp',
      roles: ['officer'],
    });
    expect(
      await refusal(
        admin.addMember({
          partnershipId: 'wy',
          aadObjectId: OFFICER,
          displayName: 'Jo',
          agencyId: 'wyp',
          roles: ['board'],
        }),
      ),
    ).toMatch(/already exists in partnership wy; use member set-roles/);
    expect(await refusal(admin.addPartnership({ id: 'wy', name: 'Again', force: 'F' }))).toBe(
      'partnership wy already exists; choose another --id',
    );
  });

  it('a change to a member of another partnership, when the admin names theirs', async () => {
    await wySetUp();
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: OFFICER,
      displayName: 'Jo',
      agencyId: 'wyp',
      roles: ['officer'],
    });
    expect(await refusal(admin.deactivate(OFFICER, 'gm'))).toBe(
      `member ${OFFICER.toLowerCase()} belongs to partnership wy, not gm`,
    );
    expect((await store.members.get(OFFICER))!.active).toBe(true);
  });
});

describe('member changes', () => {
  beforeEach(async () => {
    await wySetUp();
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: OFFICER,
      displayName: 'Jo',
      agencyId: 'wyp',
      roles: ['officer'],
    });
  });

  it('set roles, clearance and deactivate, each audited with before and after', async () => {
    now = new Date('2026-03-03T10:00:00Z');
    expect((await admin.setRoles(OFFICER, ['partner', 'officer', 'partner'])).member.roles).toEqual([
      'partner',
      'officer',
    ]);
    expect((await admin.setClearance(OFFICER, 'OFFICIAL-SENSITIVE')).member.clearance).toBe('OFFICIAL-SENSITIVE');
    await admin.deactivate(OFFICER);

    const member = (await store.members.get(OFFICER))!;
    expect(member).toMatchObject({ active: false, clearance: 'OFFICIAL-SENSITIVE', updatedAt: now.toISOString() });
    await expect(new Membership(store).resolve(OFFICER, undefined)).rejects.toThrow(/not a member/);

    const events = await store.audit.listForEntity('wy', 'member', OFFICER.toLowerCase());
    expect(events.map((e) => e.action)).toEqual([
      'member.created',
      'member.roles',
      'member.clearance',
      'member.deactivated',
    ]);
    expect(events[1]).toMatchObject({ before: { roles: ['officer'] }, after: { roles: ['partner', 'officer'] } });
    expect(events.every((e) => e.actor === ADMIN)).toBe(true);
  });

  it('a change to what is already there writes and audits nothing', async () => {
    const result = await admin.setRoles(OFFICER, ['officer']);
    expect(result.changed).toBe(false);
    await admin.activate(OFFICER);
    expect(await store.audit.listForEntity('wy', 'member', OFFICER.toLowerCase())).toHaveLength(1);
  });

  it('two admins changing one member at once: both changes stand, neither overwrites the other', async () => {
    const other = new MemberAdmin(store, clock, 'system:cli');
    await Promise.all([admin.setRoles(OFFICER, ['coordinator']), other.setClearance(OFFICER, 'OFFICIAL-SENSITIVE')]);
    expect(await store.members.get(OFFICER)).toMatchObject({ roles: ['coordinator'], clearance: 'OFFICIAL-SENSITIVE' });
    const events = await store.audit.listForEntity('wy', 'member', OFFICER.toLowerCase());
    expect(events.map((e) => e.action).sort()).toEqual(['member.clearance', 'member.created', 'member.roles']);
    // The later change was applied to what the earlier one wrote, not to the stale read.
    expect(events[2]!.before).toEqual(events[1]!.after);
  });

  it('lists members by name, agencies by name', async () => {
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: ADMIN,
      displayName: 'Ali',
      agencyId: 'bradford',
      roles: ['admin'],
    });
    expect((await admin.listMembers('wy')).map((m) => m.displayName)).toEqual(['Ali', 'Jo']);
    expect((await admin.listAgencies('wy')).map((a) => a.id)).toEqual(['bradford', 'wyp']);
  });
});
