import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditContext } from '../../src/domain/audit.js';
import { ConcurrencyError, ValidationError } from '../../src/domain/errors.js';
import { Member } from '../../src/domain/member.js';
import type { Store, Stored } from '../../src/store/store.js';

/**
 * Members and their audit events (issue 15, item 3): a member change and its event are written
 * together or not at all, and the partnership's list of members (the roster the message path
 * reads) always shows what `get` shows. On Cosmos DB a lost race fails the batch at its first
 * operation (the roster's etag), which is how these cases force a failed batch there.
 */
const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';

const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const audit = (action: string, when = T0): AuditContext => ({ actor: ACTOR, action, at: when });
const freshPartnershipId = () => `p-${randomUUID().slice(0, 13)}`;

function member(partnershipId: string, displayName: string): Member {
  return Member.parse({
    aadObjectId: randomUUID(),
    partnershipId,
    agencyId: 'west-yorkshire-police',
    displayName,
    roles: ['officer'],
    createdAt: T0,
    updatedAt: T0,
  });
}

function plain(m: Stored<Member>): Member {
  const { etag: _etag, ...rest } = m;
  return rest;
}

export function runMemberContract(store: () => Store): void {
  describe('members and their audit events', () => {
    it('shows a role change and its audit event together: the member, the list and the trail agree after each change', async () => {
      const pid = freshPartnershipId();
      let current = await store().members.create(member(pid, 'Priya Shah'), audit('member.created'));
      const changes: [string, (m: Member) => Member][] = [
        ['member.roles', (m) => ({ ...m, roles: ['officer', 'coordinator'] })],
        ['member.roles', (m) => ({ ...m, roles: ['coordinator'] })],
        ['member.deactivated', (m) => ({ ...m, active: false })],
      ];
      for (const [i, [action, change]] of changes.entries()) {
        const next = { ...change(plain(current)), updatedAt: at(i + 1) };
        current = await store().members.replace(next, current.etag, audit(action, at(i + 1)));

        expect(await store().members.get(next.aadObjectId)).toStrictEqual(current);
        expect(await store().members.listByPartnership(pid)).toStrictEqual([next]);
        const trail = await store().audit.listForEntity(pid, 'member', next.aadObjectId);
        expect(trail).toHaveLength(i + 2);
        expect(trail.at(-1)).toMatchObject({ action, after: next });
      }
    });

    it('of two changes made from the same read, exactly one stands, with its audit event alone', async () => {
      const pid = freshPartnershipId();
      const created = await store().members.create(member(pid, 'Priya Shah'), audit('member.created'));
      const grant = { ...plain(created), roles: ['officer', 'admin'] as Member['roles'], updatedAt: at(1) };
      const deactivate = { ...plain(created), active: false, updatedAt: at(1) };
      const outcomes = await Promise.allSettled([
        store().members.replace(grant, created.etag, audit('member.roles', at(1))),
        store().members.replace(deactivate, created.etag, audit('member.deactivated', at(1))),
      ]);

      const won = outcomes.findIndex((o) => o.status === 'fulfilled');
      expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1);
      const lost = outcomes[1 - won] as PromiseRejectedResult;
      expect(lost.reason).toBeInstanceOf(ConcurrencyError);
      const winner = won === 0 ? grant : deactivate;

      expect(plain((await store().members.get(created.aadObjectId))!)).toStrictEqual(winner);
      expect(await store().members.listByPartnership(pid)).toStrictEqual([winner]);
      const trail = await store().audit.listForEntity(pid, 'member', created.aadObjectId);
      expect(trail.map((e) => e.action)).toEqual(['member.created', won === 0 ? 'member.roles' : 'member.deactivated']);
      expect(trail[1]?.after).toStrictEqual(winner);
    });

    it('lets changes to different members of one partnership at once all stand, each audited, all listed', async () => {
      const pid = freshPartnershipId();
      const names = ['Zoe Adams', 'Amir Khan', 'Bella Ford', 'Chen Li', 'Dara Okafor'];
      const created = await Promise.all(
        names.map((n) => store().members.create(member(pid, n), audit('member.created'))),
      );
      const changed = created.map((m) => ({ ...plain(m), roles: ['partner'] as Member['roles'], updatedAt: at(1) }));
      await Promise.all(
        changed.map((m, i) => store().members.replace(m, created[i]!.etag, audit('member.roles', at(1)))),
      );

      const sorted = [...changed].sort((a, b) => (a.displayName < b.displayName ? -1 : 1));
      expect(await store().members.listByPartnership(pid)).toStrictEqual(sorted);
      for (const m of changed) {
        expect(plain((await store().members.get(m.aadObjectId))!)).toStrictEqual(m);
        const trail = await store().audit.listForEntity(pid, 'member', m.aadObjectId);
        expect(trail.map((e) => e.action)).toEqual(['member.created', 'member.roles']);
      }
    });

    it('refuses to move a member to another partnership, changing nothing and auditing nothing', async () => {
      const pid = freshPartnershipId();
      const other = freshPartnershipId();
      const created = await store().members.create(member(pid, 'Priya Shah'), audit('member.created'));
      await expect(
        store().members.replace({ ...plain(created), partnershipId: other }, created.etag, audit('member.moved')),
      ).rejects.toBeInstanceOf(ValidationError);

      expect(await store().members.get(created.aadObjectId)).toStrictEqual(created);
      expect(await store().members.listByPartnership(other)).toStrictEqual([]);
      expect(await store().audit.listForEntity(other, 'member', created.aadObjectId)).toStrictEqual([]);
      expect(await store().audit.listForEntity(pid, 'member', created.aadObjectId)).toHaveLength(1);
    });
  });
}
