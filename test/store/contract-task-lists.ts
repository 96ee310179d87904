import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ActionDraft, type FourPAction } from '../../src/domain/action.js';
import { GapDraft, type IntelligenceGap } from '../../src/domain/gap.js';
import type { Strand } from '../../src/domain/strand.js';
import type { ListCursor, Store, Stored } from '../../src/store/store.js';

/**
 * `my tasks` and `overdue` read page by page (issue 19): the store sorts (due date, none last;
 * then reference prefix and number) and cuts, and a cursor (the last record of a page) starts the
 * next. Paging through with any page size gives every matching record once, in that order.
 */
const AT = '2026-03-02T09:00:00.000Z';
const audit = { actor: '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13', action: 'x.created', at: AT };
const OPEN_GAP = ['open', 'assigned', 'in_progress'];
const OPEN_ACTION = ['planned', 'in_progress', 'blocked'];

function gap(pid: string, w: { due?: string; owner?: string; agency?: string; closed?: boolean }) {
  return GapDraft.parse({
    partnershipId: pid,
    districtId: 'E05001347',
    question: 'Which premises are used to store drugs?',
    status: w.closed ? 'closed' : 'assigned',
    ownerAgencyId: w.agency ?? 'council',
    ...(w.owner && { ownerAadObjectId: w.owner }),
    ...(w.due && { due: w.due }),
    createdBy: audit.actor,
    createdAt: AT,
    updatedAt: AT,
  });
}

function action(pid: string, strand: Strand, w: { due?: string; owner?: string; cancelled?: boolean }) {
  return ActionDraft.parse({
    partnershipId: pid,
    districtId: 'E05001347',
    strand,
    title: 'Visit schools',
    leadAgencyId: 'council',
    ...(w.owner && { ownerAadObjectId: w.owner }),
    status: w.cancelled ? 'cancelled' : 'planned',
    ...(w.due && { due: w.due }),
    impactMeasure: 'Referrals',
    createdBy: audit.actor,
    createdAt: AT,
    updatedAt: AT,
  });
}

/** Every page of `size` until a short one, each started from the last record of the one before. */
async function allPages<T extends { ref: string; due?: string | undefined }>(
  read: (limit: number, after?: ListCursor) => Promise<Stored<T>[]>,
  size: number,
): Promise<string[]> {
  const refs: string[] = [];
  let after: ListCursor | undefined;
  for (let pages = 0; pages < 50; pages++) {
    const page = await read(size, after);
    refs.push(...page.map((r) => r.ref));
    if (page.length < size) return refs;
    const last = page[page.length - 1]!;
    after = { ref: last.ref, ...(last.due !== undefined && { due: last.due }) };
  }
  throw new Error('paging never ended');
}

export function runTaskListContract(store: () => Store): void {
  describe('task lists, sorted and paged by the store', () => {
    it('pages a person’s gaps in list order, each once, whatever the page size (undated last, G-4 before G-10)', async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const me = randomUUID();
      const made: Stored<IntelligenceGap>[] = [];
      const dues = ['2027-02-01', undefined, '2027-01-01', '2027-02-01', undefined, '2027-01-01'];
      for (let i = 0; i < 10; i++) {
        const due = dues[i % dues.length];
        const w = i % 3 === 0 ? { owner: me } : {};
        made.push(await store().gaps.create(gap(pid, { ...w, ...(due && { due }) }), audit));
      }
      await store().gaps.create(gap(pid, { owner: me, due: '2026-01-01', closed: true }), audit);
      await store().gaps.create(gap(pid, { agency: 'police', due: '2026-01-01' }), audit);
      const key = (g: IntelligenceGap) => `${g.due ?? '~'} ${String(Number(g.ref.slice(2))).padStart(4, '0')}`;
      const expected = [...made].sort((a, b) => (key(a) < key(b) ? -1 : 1)).map((g) => g.ref);
      expect(expected.indexOf('G-4')).toBeLessThan(expected.indexOf('G-10'));
      const who = { aadObjectId: me, agencyId: 'council' };
      // Few page sizes: on the Cosmos test server every query scans the whole container.
      for (const size of [3, 20]) {
        const paged = await allPages<IntelligenceGap>(
          (limit, after) => store().gaps.listForAssignee(pid, who, OPEN_GAP, limit, after),
          size,
        );
        expect(paged, `pages of ${size}`).toEqual(expected);
      }
    });

    it('pages actions due before a day in list order: due date, then strand prefix, then number', async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const plan: [Strand, string | undefined, boolean?][] = [
        ['pursue', '2026-05-01'],
        ['prepare', '2026-05-01'],
        ['protect', '2026-04-01'],
        ['pursue', '2026-04-01'],
        ['prevent', undefined],
        ['prevent', '2026-05-01'],
        ['prepare', '2026-06-30'],
        ['pursue', '2026-03-01', true],
        ['prevent', '2026-07-01'],
      ];
      const refs: string[] = [];
      for (const [strand, due, cancelled] of plan) {
        refs.push((await store().actions.create(action(pid, strand, { ...(due && { due }), cancelled }), audit)).ref);
      }
      // PREP-1 (prepare, 05-01) … : due first, then PREP < PREV < PROT < PURS, then number.
      const expected = ['PROT-1', 'PURS-2', 'PREP-1', 'PREV-2', 'PURS-1', 'PREP-2'];
      expect(refs).toEqual(['PURS-1', 'PREP-1', 'PROT-1', 'PURS-2', 'PREV-1', 'PREV-2', 'PREP-2', 'PURS-3', 'PREV-3']);
      for (const size of [2, 10]) {
        const paged = await allPages<FourPAction>(
          (limit, after) => store().actions.listDueBefore(pid, '2026-07-01', OPEN_ACTION, limit, after),
          size,
        );
        expect(paged, `pages of ${size}`).toEqual(expected);
      }
    });

    it('continues among the undated after an undated record, and among the named after a cursor on a colleague', async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const me = randomUUID();
      const a = await store().actions.create(action(pid, 'prevent', { owner: me }), audit);
      const b = await store().actions.create(action(pid, 'prevent', {}), audit);
      const c = await store().actions.create(action(pid, 'prevent', { owner: me, due: '2027-01-01' }), audit);
      const who = { aadObjectId: me, agencyId: 'council' };
      const all = await store().actions.listForAssignee(pid, who, OPEN_ACTION, 10);
      expect(all.map((r) => r.ref)).toEqual([c.ref, a.ref, b.ref]);
      const rest = await store().actions.listForAssignee(pid, who, OPEN_ACTION, 10, { ref: a.ref });
      expect(rest.map((r) => r.ref)).toEqual([b.ref]);
      const afterDated = await store().actions.listForAssignee(pid, who, OPEN_ACTION, 10, {
        ref: c.ref,
        due: '2027-01-01',
      });
      expect(afterDated.map((r) => r.ref)).toEqual([a.ref, b.ref]);
      expect(afterDated[0]).toStrictEqual(await store().actions.get(pid, a.ref));
    });
  });
}
