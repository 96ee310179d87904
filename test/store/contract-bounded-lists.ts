import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { GapDraft, IntelligenceGap } from '../../src/domain/gap.js';
import type { Store } from '../../src/store/store.js';

/**
 * Store contract: `my tasks` and `overdue` lists cut at `limit` in the stated order, ties on a
 * due date by reference and undated records last, on both adapters (the Cosmos adapter reads
 * about `limit` documents for them, not every match). Called from runStoreContract.
 */
const T0 = '2026-03-02T09:00:00.000Z';
const OPEN = ['open', 'assigned'];

function gap(partnershipId: string, ref: string, due?: string): IntelligenceGap {
  return IntelligenceGap.parse({
    ...GapDraft.parse({
      partnershipId,
      districtId: 'E05001347',
      question: `Question of ${ref}`,
      status: 'assigned',
      ownerAgencyId: 'council',
      ...(due === undefined ? {} : { due }),
      createdBy: 'system:import',
      createdAt: T0,
      updatedAt: T0,
    }),
    ref,
  });
}

export function boundedListCases(store: () => Store): void {
  describe('lists cut at their limit', () => {
    it('cuts `my tasks` and `overdue` at the limit in due-date order, ties by reference, undated last', async () => {
      const s = store();
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const gaps = [
        gap(pid, 'G-1'),
        gap(pid, 'G-2', '2027-01-02'),
        gap(pid, 'G-3', '2027-01-02'),
        gap(pid, 'G-4', '2027-02-01'),
        gap(pid, 'G-5'),
        gap(pid, 'G-9', '2027-01-01'),
        gap(pid, 'G-10', '2027-01-02'),
      ];
      const audit = { actor: 'system:import', action: 'import.run', at: T0 };
      await s.bulkLoad(pid, { districts: [], profiles: [], gaps, actions: [] }, audit);
      const who = { aadObjectId: randomUUID(), agencyId: 'council' };
      const mine = async (limit: number) => (await s.gaps.listForAssignee(pid, who, OPEN, limit)).map((g) => g.ref);
      expect(await mine(2)).toEqual(['G-9', 'G-2']);
      expect(await mine(3)).toEqual(['G-9', 'G-2', 'G-3']);
      expect(await mine(6)).toEqual(['G-9', 'G-2', 'G-3', 'G-10', 'G-4', 'G-1']);
      expect(await mine(50)).toEqual(['G-9', 'G-2', 'G-3', 'G-10', 'G-4', 'G-1', 'G-5']);
      const overdue = async (limit: number) =>
        (await s.gaps.listDueBefore(pid, '2027-03-01', OPEN, limit)).map((g) => g.ref);
      expect(await overdue(3)).toEqual(['G-9', 'G-2', 'G-3']);
      expect(await overdue(50)).toEqual(['G-9', 'G-2', 'G-3', 'G-10', 'G-4']);
    });
  });
}
