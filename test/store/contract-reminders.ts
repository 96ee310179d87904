import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ConcurrencyError, NotFoundError } from '../../src/domain/errors.js';
import { newReminder } from '../../src/domain/reminder-delivery.js';
import type { Store } from '../../src/store/store.js';

const OWNER = 'aaaaaaaa-bbbb-cccc-dddd-000000000001';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Reminder claims: at most one instance sends a key, judged by the store's clock. */
export function reminderDeliveryContract(store: () => Store, make: () => Promise<Store>): void {
  describe('reminder deliveries', () => {
    const fresh = () => `p-${randomUUID().slice(0, 13)}`;
    const at = new Date('2026-11-30T09:00:00.000Z');

    it('of two instances (each with its own connection) claiming one new key at once, exactly one gets it', async () => {
      const pid = fresh();
      const other = await make();
      try {
        const r = newReminder(pid, 'due-soon', 'G-12', '2026-12-07', at);
        const results = await Promise.all([
          store().reminderDeliveries.claim(r, 'instance-a', 60_000),
          other.reminderDeliveries.claim(r, 'instance-b', 60_000),
        ]);
        const won = results.filter((x) => x !== undefined);
        expect(won).toHaveLength(1);
        expect(won[0]).toMatchObject({ key: 'due-soon:G-12:2026-12-07', state: 'sending', subject: 'G-12' });
        expect(Math.abs(Date.parse(won[0]!.claimedAt!) - Date.now())).toBeLessThan(5_000);
        await expect(store().reminderDeliveries.get(pid, r.key)).resolves.toMatchObject({
          state: 'sending',
          claimedBy: won[0]!.claimedBy,
        });
      } finally {
        await other.close();
      }
    });

    it('a sent key is never claimed again; another due date, kind or recipient is another key', async () => {
      const pid = fresh();
      const r = newReminder(pid, 'overdue', 'PREV-3', '2026-12-01', at);
      const claimed = await store().reminderDeliveries.claim(r, 'instance-a', 60_000);
      const { etag, claimedBy: _b, claimedAt: _a, ...rest } = claimed!;
      const sent = await store().reminderDeliveries.replace(
        { ...rest, state: 'sent', attempts: 1, sentAt: at.toISOString() },
        etag,
      );
      expect(sent.etag).not.toBe(etag);
      await expect(store().reminderDeliveries.claim(r, 'instance-b', 0)).resolves.toBeUndefined();
      await expect(store().reminderDeliveries.get(pid, r.key)).resolves.toMatchObject({ state: 'sent', attempts: 1 });
      // The stale etag of the claim cannot overwrite the outcome.
      await expect(store().reminderDeliveries.replace({ ...rest, state: 'failed' }, etag)).rejects.toBeInstanceOf(
        ConcurrencyError,
      );
      await expect(
        store().reminderDeliveries.replace(newReminder(pid, 'overdue', 'PREV-3', '2026-12-02', at), '1'),
      ).rejects.toBeInstanceOf(NotFoundError);
      for (const other of [
        newReminder(pid, 'overdue', 'PREV-3', '2026-12-08', at),
        newReminder(pid, 'due-soon', 'PREV-3', '2026-12-01', at),
        newReminder(pid, 'escalation', '', '2026-12-01', at, OWNER),
        newReminder(fresh(), 'overdue', 'PREV-3', '2026-12-01', at),
      ]) {
        await expect(store().reminderDeliveries.claim(other, 'instance-b', 60_000)).resolves.toBeDefined();
      }
    });

    it('a failed one is claimed again; a live claim is refused and a stale one taken over', async () => {
      const pid = fresh();
      const r = newReminder(pid, 'refresh-due', 'E05000886', '2026-12-01', at, OWNER);
      expect(r.key).toBe(`refresh-due:E05000886:2026-12-01:${OWNER}`);
      const first = await store().reminderDeliveries.claim(r, 'instance-a', 60_000);
      await expect(store().reminderDeliveries.claim(r, 'instance-b', 60_000)).resolves.toBeUndefined();
      const { etag, ...rest } = first!;
      await store().reminderDeliveries.replace({ ...rest, state: 'failed', attempts: 1, lastError: 'HTTP 502' }, etag);
      const again = await store().reminderDeliveries.claim(r, 'instance-b', 60_000);
      expect(again).toMatchObject({ state: 'sending', claimedBy: 'instance-b', attempts: 1, lastError: 'HTTP 502' });
      // instance-b dies mid-send: after the stale time (store's clock), instance-c takes it.
      await expect(store().reminderDeliveries.claim(r, 'instance-c', 1_000)).resolves.toBeUndefined();
      await sleep(2_300);
      await expect(store().reminderDeliveries.claim(r, 'instance-c', 1_000)).resolves.toMatchObject({
        claimedBy: 'instance-c',
      });
    }, 20_000);
  });
}
