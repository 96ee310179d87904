import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionDraft } from '../../src/domain/action.js';
import type { AuditContext } from '../../src/domain/audit.js';
import type { Store } from '../../src/store/store.js';
import { actionDraft, district, gapDraft } from './contract-stamps.js';

/**
 * `actions.linksByDistrict`: which of a district's actions were raised from which gap (the gaps
 * list and a gap's task card show it), read without every action whole. Called from
 * runStoreContract, so it runs on both adapters.
 */

const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';
const audit = (action: string): AuditContext => ({ actor: ACTOR, action, at: T0 });

const linkedAction = (
  partnershipId: string,
  districtId: string,
  extra: { fromGapRef?: string; classification?: 'OFFICIAL' | 'OFFICIAL-SENSITIVE'; strand?: 'pursue' } = {},
) => ActionDraft.parse({ ...actionDraft(partnershipId, districtId), ...extra });

export function actionLinkCases(getStore: () => Store): void {
  describe('actions raised from gaps (linksByDistrict)', () => {
    it("lists the district's actions raised from a gap, with their classification, in list order, and no others", async () => {
      const store = getStore();
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const other = `p-${randomUUID().slice(0, 13)}`;
      await store.districts.putMany([district(pid, 'd-a'), district(pid, 'd-b'), district(other, 'd-a')]);
      const g1 = await store.gaps.create(gapDraft(pid, 'd-a'), audit('gap.created'));
      const g2 = await store.gaps.create(gapDraft(pid, 'd-a'), audit('gap.created'));
      const create = (p: string, d: string, extra: Parameters<typeof linkedAction>[2]) =>
        store.actions.create(linkedAction(p, d, extra), audit('action.created'));

      const plain = await create(pid, 'd-a', {});
      const fromG2 = await create(pid, 'd-a', { fromGapRef: g2.ref, strand: 'pursue' });
      const sensitive = await create(pid, 'd-a', { fromGapRef: g1.ref, classification: 'OFFICIAL-SENSITIVE' });
      const fromG1 = await create(pid, 'd-a', { fromGapRef: g1.ref });
      await create(pid, 'd-b', { fromGapRef: g1.ref });
      await create(other, 'd-a', { fromGapRef: 'G-1' });

      const links = await store.actions.linksByDistrict(pid, 'd-a');
      expect(links).toEqual([
        { ref: sensitive.ref, fromGapRef: g1.ref, classification: 'OFFICIAL-SENSITIVE' },
        { ref: fromG1.ref, fromGapRef: g1.ref, classification: 'OFFICIAL' },
        { ref: fromG2.ref, fromGapRef: g2.ref, classification: 'OFFICIAL' },
      ]);
      expect(links.map((l) => l.ref)).not.toContain(plain.ref);
      // The same as reading every action whole, in the same order.
      const whole = (await store.actions.listByDistrict(pid, 'd-a'))
        .filter((a) => a.fromGapRef !== undefined)
        .map((a) => ({ ref: a.ref, fromGapRef: a.fromGapRef, classification: a.classification }));
      expect(links).toEqual(whole);
      expect(await store.actions.linksByDistrict(pid, 'd-none')).toEqual([]);
    });
  });
}
