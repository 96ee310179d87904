import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AuditContext } from '../../src/domain/audit.js';
import { ImportConflictError } from '../../src/domain/errors.js';
import { GapDraft, IntelligenceGap } from '../../src/domain/gap.js';
import { Agency } from '../../src/domain/partnership.js';
import type { Store } from '../../src/store/store.js';

/**
 * Store contract: an import's writes (bulkLoad with agencies and the etags the import read), on
 * both adapters. Called from runStoreContract with the suite's store.
 */
const T0 = '2026-03-02T09:00:00.000Z';
const ACTOR = '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13';
const IMPORT: AuditContext = { actor: 'system:import', action: 'import.run', at: T0 };
const freshPid = () => `p-${randomUUID().slice(0, 13)}`;

function gap(partnershipId: string, ref: string, question = `Question of ${ref}`): IntelligenceGap {
  return IntelligenceGap.parse({
    ...GapDraft.parse({
      partnershipId,
      districtId: 'E05001347',
      question,
      status: 'open',
      createdBy: ACTOR,
      createdAt: T0,
      updatedAt: T0,
    }),
    ref,
  });
}

const withoutEtag = <T extends { etag?: string }>({ etag: _etag, ...rest }: T) => rest;

export function importWriteCases(store: () => Store): void {
  describe('bulk load: import writes', () => {
    it('stores the agencies a load carries', async () => {
      const s = store();
      const pid = freshPid();
      const agencies = [
        Agency.parse({ id: 'wyp', partnershipId: pid, name: 'West Yorkshire Police', sector: 'police' }),
        Agency.parse({ id: 'bmdc', partnershipId: pid, name: 'Bradford Council', sector: 'local-authority' }),
      ];
      await s.bulkLoad(pid, { agencies, districts: [], profiles: [], gaps: [], actions: [] }, IMPORT);
      expect(await s.agencies.list(pid)).toStrictEqual([agencies[1], agencies[0]]);
    });

    it('writes records still as the import read them: the etag it read, or absent', async () => {
      const s = store();
      const pid = freshPid();
      await s.bulkLoad(pid, { districts: [], profiles: [], gaps: [gap(pid, 'G-1')], actions: [] }, IMPORT);
      const read = await s.gaps.get(pid, 'G-1');
      const next = [gap(pid, 'G-1', 'Refreshed question'), gap(pid, 'G-2')];
      const expected = {
        gaps: new Map<string, string | null>([
          ['G-1', read!.etag],
          ['G-2', null],
        ]),
      };
      await s.bulkLoad(pid, { districts: [], profiles: [], gaps: next, actions: [], expected }, IMPORT);
      expect((await s.gaps.listByDistrict(pid, 'E05001347')).map(withoutEtag)).toStrictEqual(next);
    });

    it('refuses, naming them, records changed since the import read them, and writes nothing', async () => {
      const s = store();
      const pid = freshPid();
      await s.bulkLoad(
        pid,
        { districts: [], profiles: [], gaps: [gap(pid, 'G-1'), gap(pid, 'G-2')], actions: [] },
        IMPORT,
      );
      const g1 = (await s.gaps.get(pid, 'G-1'))!;
      const g2 = (await s.gaps.get(pid, 'G-2'))!;
      // A partner fills G-1 in Teams, and someone creates G-3, while the import is planning.
      const edited = await s.gaps.replace({ ...g1, status: 'filled' }, g1.etag, {
        actor: ACTOR,
        action: 'gap.filled',
        at: T0,
      });
      await s.bulkLoad(
        pid,
        { districts: [], profiles: [], gaps: [gap(pid, 'G-3', 'Someone else’s')], actions: [] },
        IMPORT,
      );
      const before = (await s.audit.listSince(pid, '2000-01-01T00:00:00.000Z', 1000)).length;

      const load = [gap(pid, 'G-1', 'Imported'), gap(pid, 'G-2', 'Imported'), gap(pid, 'G-3', 'Imported')];
      const expected = {
        gaps: new Map<string, string | null>([
          ['G-1', g1.etag],
          ['G-2', g2.etag],
          ['G-3', null],
        ]),
      };
      const failure = await s
        .bulkLoad(pid, { districts: [], profiles: [], gaps: load, actions: [], expected }, IMPORT)
        .then(
          () => undefined,
          (err: unknown) => err,
        );
      expect(failure).toBeInstanceOf(ImportConflictError);
      expect((failure as ImportConflictError).records).toEqual(['gap G-1', 'gap G-3']);
      expect((failure as ImportConflictError).othersWritten).toBe(false);
      expect((failure as Error).message).toContain('gap G-1, gap G-3');

      expect(await s.gaps.get(pid, 'G-1')).toStrictEqual(edited);
      expect((await s.gaps.get(pid, 'G-2'))?.question).toBe('Question of G-2');
      expect((await s.gaps.get(pid, 'G-3'))?.question).toBe('Someone else’s');
      expect(await s.audit.listSince(pid, '2000-01-01T00:00:00.000Z', 1000)).toHaveLength(before);
    });
  });
}
