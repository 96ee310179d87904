import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionDraft } from '../../src/domain/action.js';
import type { AuditContext } from '../../src/domain/audit.js';
import { District } from '../../src/domain/district.js';
import { ConcurrencyError } from '../../src/domain/errors.js';
import { GapDraft, IntelligenceGap } from '../../src/domain/gap.js';
import { Profile } from '../../src/domain/profile.js';
import type { Store } from '../../src/store/store.js';

/**
 * The district version stamp (`districts.stamp`) that caches of cards check on every request:
 * any write to a district, its profile, gaps or actions changes it; nothing else does, and a
 * refused write does not. Called from runStoreContract, so it runs on both adapters.
 */

const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';
const audit = (action: string): AuditContext => ({ actor: ACTOR, action, at: T0 });

export function district(partnershipId: string, id: string, name = `Ward ${id}`): District {
  return District.parse({
    id,
    partnershipId,
    name,
    onsCodes: { ward: 'E05001347', localAuthority: 'E08000032', lsoas: ['E01010581'] },
    population: 18_000,
  });
}

function profile(partnershipId: string, districtId: string, ocgScore = 512): Profile {
  return Profile.parse({
    partnershipId,
    districtId,
    threat: {
      ocgs: [{ ref: 'OCG-14', morileScore: ocgScore, band: 'High' }],
      crime: [{ period: { from: '2019-10', to: '2019-12' }, counts: [{ crimeType: 'Drug offences', count: 12 }] }],
    },
    vulnerabilities: [],
    dataSources: [],
    recommendations: [],
    review: { lastRefreshedAt: T0, nextRefreshDue: '2027-03-02', csiReviewDue: '2026-09-02' },
  });
}

export const gapDraft = (partnershipId: string, districtId: string) =>
  GapDraft.parse({
    partnershipId,
    districtId,
    question: 'Which premises are used to store drugs?',
    status: 'open',
    createdBy: ACTOR,
    createdAt: T0,
    updatedAt: T0,
  });

export const actionDraft = (partnershipId: string, districtId: string) =>
  ActionDraft.parse({
    partnershipId,
    districtId,
    strand: 'prevent',
    title: 'Visit schools',
    leadAgencyId: 'bradford-council',
    status: 'planned',
    impactMeasure: 'Referrals to the exploitation hub',
    createdBy: ACTOR,
    createdAt: T0,
    updatedAt: T0,
  });

export function districtStampContract(getStore: () => Store): void {
  describe('district version stamps', () => {
    /** Two districts in a fresh partnership, and the same district id in another partnership. */
    async function seed() {
      const store = getStore();
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const other = `p-${randomUUID().slice(0, 13)}`;
      await store.districts.putMany([district(pid, 'd-a'), district(pid, 'd-b'), district(other, 'd-a')]);
      const stamps = async () =>
        Promise.all([
          store.districts.stamp(pid, 'd-a'),
          store.districts.stamp(pid, 'd-b'),
          store.districts.stamp(other, 'd-a'),
        ]);
      return { store, pid, stamps };
    }

    /** Runs a write and expects exactly d-a's stamp (in pid) to change. */
    async function expectOnlyFirstChanges(stamps: () => Promise<string[]>, write: () => Promise<unknown>) {
      const [a, b, c] = await stamps();
      await write();
      const [a2, b2, c2] = await stamps();
      expect(a2).not.toBe(a);
      expect([b2, c2]).toEqual([b, c]);
      return a2;
    }

    it('is the same on every read while nothing is written, and differs between districts written apart', async () => {
      const { store, pid, stamps } = await seed();
      const first = await stamps();
      expect(await stamps()).toEqual(first);
      expect(typeof first[0]).toBe('string');
      // A district with nothing stored yet still answers, and changes once something is written.
      const before = await store.districts.stamp(pid, 'd-none');
      await store.districts.putMany([district(pid, 'd-none')]);
      expect(await store.districts.stamp(pid, 'd-none')).not.toBe(before);
    });

    it("changes with every write to the district itself, its profile, gaps and actions, and only that district's", async () => {
      const { store, pid, stamps } = await seed();
      await expectOnlyFirstChanges(stamps, () => store.districts.putMany([district(pid, 'd-a', 'Renamed Ward')]));
      let p: Awaited<ReturnType<Store['profiles']['create']>> | undefined;
      await expectOnlyFirstChanges(stamps, async () => {
        p = await store.profiles.create(profile(pid, 'd-a'), audit('profile.created'));
      });
      await expectOnlyFirstChanges(stamps, () =>
        store.profiles.replace(profile(pid, 'd-a', 600), p!.etag, audit('profile.refreshed')),
      );
      let gap: (IntelligenceGap & { etag: string }) | undefined;
      await expectOnlyFirstChanges(stamps, async () => {
        gap = await store.gaps.create(gapDraft(pid, 'd-a'), audit('gap.created'));
      });
      await expectOnlyFirstChanges(stamps, () =>
        store.gaps.replace({ ...gap!, status: 'closed' }, gap!.etag, audit('gap.updated')),
      );
      let action: Awaited<ReturnType<Store['actions']['create']>> | undefined;
      await expectOnlyFirstChanges(stamps, async () => {
        action = await store.actions.create(actionDraft(pid, 'd-a'), audit('action.created'));
      });
      await expectOnlyFirstChanges(stamps, () =>
        store.actions.replace({ ...action!, status: 'in_progress' }, action!.etag, audit('action.updated')),
      );
      await expectOnlyFirstChanges(stamps, () =>
        store.bulkLoad(
          pid,
          { districts: [], profiles: [profile(pid, 'd-a', 700)], gaps: [], actions: [] },
          audit('import'),
        ),
      );
      await expectOnlyFirstChanges(stamps, () =>
        store.bulkLoad(
          pid,
          { districts: [], profiles: [], gaps: [{ ...gapDraft(pid, 'd-a'), ref: 'G-900' }], actions: [] },
          audit('import'),
        ),
      );
    });

    it('does not change when a write is refused (a stale etag)', async () => {
      const { store, pid, stamps } = await seed();
      const p = await store.profiles.create(profile(pid, 'd-a'), audit('profile.created'));
      await store.profiles.replace(profile(pid, 'd-a', 600), p.etag, audit('profile.refreshed'));
      const gap = await store.gaps.create(gapDraft(pid, 'd-a'), audit('gap.created'));
      await store.gaps.replace({ ...gap, status: 'closed' }, gap.etag, audit('gap.updated'));
      const before = await stamps();
      await expect(
        store.profiles.replace(profile(pid, 'd-a', 650), p.etag, audit('profile.refreshed')),
      ).rejects.toThrow(ConcurrencyError);
      await expect(store.gaps.replace({ ...gap, status: 'open' }, gap.etag, audit('gap.updated'))).rejects.toThrow(
        ConcurrencyError,
      );
      expect(await stamps()).toEqual(before);
    });
  });
}
