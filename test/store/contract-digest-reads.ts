import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionDraft } from '../../src/domain/action.js';
import { SYSTEM_IMPORT, type AuditContext } from '../../src/domain/audit.js';
import { GapDraft, IntelligenceGap } from '../../src/domain/gap.js';
import { Member } from '../../src/domain/member.js';
import type { Store } from '../../src/store/store.js';

/**
 * Store contract: what the weekly digest reads (audit.listChanges), on both adapters. Called
 * from runStoreContract with the suite's store.
 */
const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';
const at = (minutes: number) => new Date(Date.parse(T0) + minutes * 60_000).toISOString();
const audit = (action: string, when: string, actor = ACTOR): AuditContext => ({ actor, action, at: when });
const freshPid = () => `p-${randomUUID().slice(0, 13)}`;

function gapDraft(partnershipId: string, districtId: string) {
  return GapDraft.parse({
    partnershipId,
    districtId,
    question: 'Which premises are used to store drugs? (a long question the digest never reads)',
    status: 'open',
    ownerAgencyId: 'bradford-council',
    classification: 'OFFICIAL-SENSITIVE',
    createdBy: ACTOR,
    createdAt: T0,
    updatedAt: T0,
  });
}

export function digestReadCases(store: () => Store): void {
  describe('digest reads', () => {
    it('lists the window’s gap and action changes, imports left out, with only the fields that say what changed', async () => {
      const s = store();
      const pid = freshPid();
      const d = 'E05001347';
      await s.gaps.create(gapDraft(pid, d), audit('gap.created', at(0))); // before the window
      const g = await s.gaps.create(gapDraft(pid, d), audit('gap.created', at(10)));
      const filled = await s.gaps.replace({ ...g, status: 'filled' }, g.etag, audit('gap.filled', at(20)));
      const a = await s.actions.create(
        ActionDraft.parse({
          partnershipId: pid,
          districtId: d,
          strand: 'prevent',
          title: 'Visit schools',
          leadAgencyId: 'bradford-council',
          status: 'planned',
          impactMeasure: 'Referrals to the exploitation hub',
          createdBy: ACTOR,
          createdAt: T0,
          updatedAt: T0,
        }),
        audit('action.created', at(30)),
      );
      await s.members.create(
        Member.parse({
          aadObjectId: randomUUID(),
          partnershipId: pid,
          agencyId: 'west-yorkshire-police',
          displayName: 'Priya Shah',
          roles: ['coordinator'],
          createdAt: T0,
          updatedAt: T0,
        }),
        audit('member.created', at(31)),
      );
      const imported = IntelligenceGap.parse({ ...gapDraft(pid, d), ref: 'G-50' });
      await s.bulkLoad(
        pid,
        { districts: [], profiles: [], gaps: [imported], actions: [] },
        audit('x.y', at(32), SYSTEM_IMPORT),
      );
      await s.gaps.replace({ ...filled, status: 'open' }, filled.etag, audit('gap.reopened', at(60))); // at the window's end
      await s.gaps.create(gapDraft(freshPid(), d), audit('gap.created', at(15))); // another partnership

      const changes = await s.audit.listChanges(pid, at(5), at(60), 100);
      expect(changes.map((e) => [e.action, e.entityId, e.at])).toEqual([
        ['gap.created', g.ref, at(10)],
        ['gap.filled', g.ref, at(20)],
        ['action.created', a.ref, at(30)],
      ]);
      const trimmed = {
        ref: g.ref,
        districtId: d,
        ownerAgencyId: 'bradford-council',
        classification: 'OFFICIAL-SENSITIVE',
      };
      expect(changes[0]).toMatchObject({ partnershipId: pid, entityType: 'gap', actor: ACTOR, before: null });
      expect(changes[0]!.after).toStrictEqual({ ...trimmed, status: 'open' });
      expect(changes[1]!.before).toStrictEqual({ ...trimmed, status: 'open' });
      expect(changes[1]!.after).toStrictEqual({ ...trimmed, status: 'filled' });
      expect(changes[2]!.after).toStrictEqual({
        ref: a.ref,
        districtId: d,
        status: 'planned',
        classification: 'OFFICIAL',
      });
      expect(changes.every((e) => typeof e.id === 'string' && e.id.length > 0)).toBe(true);

      expect((await s.audit.listChanges(pid, at(5), at(60), 2)).map((e) => e.action)).toEqual([
        'gap.created',
        'gap.filled',
      ]);
      expect(await s.audit.listChanges(pid, at(61), at(90), 10)).toStrictEqual([]);
    });
  });
}
