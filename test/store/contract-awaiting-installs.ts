import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { AwaitingInstall } from '../../src/domain/awaiting-install.js';
import type { Store } from '../../src/store/store.js';

/**
 * Task cards waiting for their owner's app install: kept per person and task, audited on every
 * write, and taken by exactly one of several instances racing on the same install.
 */
const COORDINATOR = 'c0000000-0000-4000-8000-000000000001';

function waiting(pid: string, aad: string, ref: string, requestedAt: string): AwaitingInstall {
  return {
    partnershipId: pid,
    tenantId: '11111111-2222-3333-4444-555555555555',
    aadObjectId: aad,
    ref,
    assignedBy: COORDINATOR,
    requestedAt,
    expiresAt: '2026-03-03T08:00:00.000Z',
  };
}

const at = (minute: number) => `2026-03-02T08:${String(minute).padStart(2, '0')}:00.000Z`;

export function awaitingInstallContract(store: () => Store): void {
  describe('task cards awaiting an app install', () => {
    it("lists a person's waiting cards oldest first, by their own partnership and person only", async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const pat = randomUUID();
      const other = randomUUID();
      const audit = { actor: COORDINATOR, action: 'install.requested', at: at(0) };
      await store().awaitingInstalls.put(waiting(pid, pat, 'PREV-3', at(2)), audit);
      await store().awaitingInstalls.put(waiting(pid, pat.toUpperCase(), 'G-12', at(1)), audit);
      await store().awaitingInstalls.put(waiting(pid, other, 'G-13', at(1)), audit);
      await store().awaitingInstalls.put(waiting(`${pid}x`, pat, 'G-14', at(1)), audit);

      const listed = await store().awaitingInstalls.listForPerson(pid, pat.toUpperCase());
      expect(listed.map((w) => [w.ref, w.aadObjectId, w.requestedAt])).toStrictEqual([
        ['G-12', pat, at(1)],
        ['PREV-3', pat, at(2)],
      ]);
      expect(listed.every((w) => typeof w.etag === 'string' && w.etag !== '')).toBe(true);
    });

    it('replaces the record when the same task waits again, and audits both writes with before and after', async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const pat = randomUUID();
      const first = waiting(pid, pat, 'G-12', at(1));
      const again = { ...first, requestedAt: at(5) };
      await store().awaitingInstalls.put(first, { actor: COORDINATOR, action: 'install.requested', at: at(1) });
      await store().awaitingInstalls.put(again, { actor: COORDINATOR, action: 'install.requested', at: at(5) });

      const listed = await store().awaitingInstalls.listForPerson(pid, pat);
      expect(listed.map((w) => w.requestedAt)).toStrictEqual([at(5)]);
      const events = await store().audit.listForEntity(pid, 'app-install', pat);
      expect(events.map((e) => [e.action, e.actor, e.at, e.before, e.after])).toStrictEqual([
        ['install.requested', COORDINATOR, at(1), null, first],
        ['install.requested', COORDINATOR, at(5), first, again],
      ]);
    });

    it('lets exactly one of two racing takers have it, audits that take only, and then it is gone', async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const pat = randomUUID();
      const record = waiting(pid, pat, 'G-12', at(1));
      await store().awaitingInstalls.put(record, { actor: COORDINATOR, action: 'install.requested', at: at(1) });
      const [read] = await store().awaitingInstalls.listForPerson(pid, pat);
      const took = { actor: 'system:app-install', action: 'install.delivered', at: at(2) };

      const results = await Promise.all([
        store().awaitingInstalls.take(read!, took),
        store().awaitingInstalls.take(read!, took),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect(await store().awaitingInstalls.listForPerson(pid, pat)).toStrictEqual([]);
      expect(await store().awaitingInstalls.take(read!, took)).toBe(false);
      const events = await store().audit.listForEntity(pid, 'app-install', pat);
      expect(events.map((e) => [e.action, e.before, e.after])).toStrictEqual([
        ['install.requested', null, record],
        ['install.delivered', record, null],
      ]);
    });

    it('refuses a take with a stale etag (the record was written again since it was read)', async () => {
      const pid = `p-${randomUUID().slice(0, 13)}`;
      const pat = randomUUID();
      const audit = { actor: COORDINATOR, action: 'install.requested', at: at(1) };
      await store().awaitingInstalls.put(waiting(pid, pat, 'G-12', at(1)), audit);
      const [stale] = await store().awaitingInstalls.listForPerson(pid, pat);
      await store().awaitingInstalls.put(waiting(pid, pat, 'G-12', at(3)), audit);

      expect(
        await store().awaitingInstalls.take(stale!, {
          actor: 'system:app-install',
          action: 'install.delivered',
          at: at(4),
        }),
      ).toBe(false);
      expect((await store().awaitingInstalls.listForPerson(pid, pat)).map((w) => w.requestedAt)).toStrictEqual([at(3)]);
    });
  });
}
