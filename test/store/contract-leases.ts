import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DigestDelivery } from '../../src/domain/digest-delivery.js';
import { ConcurrencyError } from '../../src/domain/errors.js';
import type { Store } from '../../src/store/store.js';

/**
 * Job leases and delivery claims, judged by the store's clock (Cosmos DB: `_ts`; SQLite: its own
 * clock in the transaction). No case passes a clock: there is none to pass, so an instance whose
 * clock runs ahead cannot take a live lease. Lapsing is shown in real time with short ttls.
 */
const TTL = 1_000;

function freshPartnershipId(): string {
  return `p-${randomUUID().slice(0, 13)}`;
}

function channelId(): string {
  return `19:${randomUUID().replaceAll('-', '')}@thread.tacv2`;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `attempt` gives a value, for at most `withinMs` of real time. */
async function eventually<T>(attempt: () => Promise<T | undefined>, withinMs: number): Promise<T | undefined> {
  const until = Date.now() + withinMs;
  for (;;) {
    const got = await attempt();
    if (got !== undefined || Date.now() > until) return got;
    await sleep(250);
  }
}

/** A pending weekly digest delivery of one channel, as the digest job first writes it. */
export function delivery(
  pid: string,
  conversationId: string,
  week = '2026-03-02',
  updatedAt = '2026-03-02T08:00:00.000Z',
): DigestDelivery {
  return DigestDelivery.parse({
    partnershipId: pid,
    conversationId,
    week,
    dueAt: `${week}T08:00:00.000Z`,
    state: 'pending',
    attempts: 0,
    card: { type: 'AdaptiveCard', version: '1.5', body: [{ type: 'TextBlock', text: 'Weekly digest' }] },
    updatedAt,
  });
}

export function leaseAndClaimContract(store: () => Store, make: () => Promise<Store>): void {
  describe('job leases (by the store’s clock)', () => {
    it('of two instances acquiring at once (each with its own connection), exactly one holds the lease', async () => {
      const pid = freshPartnershipId();
      const other = await make();
      try {
        const results = await Promise.all([
          store().jobLeases.acquire(pid, 'digest', 'instance-a', 60_000),
          other.jobLeases.acquire(pid, 'digest', 'instance-b', 60_000),
        ]);
        const held = results.filter((r) => r !== undefined);
        expect(held).toHaveLength(1);
        const winner = held[0]!;
        expect(winner).toMatchObject({ partnershipId: pid, name: 'digest', ttlMs: 60_000 });
        // renewedAt is the store's time: within a few seconds of this machine's.
        expect(Math.abs(Date.parse(winner.renewedAt) - Date.now())).toBeLessThan(5_000);
        const loser = winner.owner === 'instance-a' ? 'instance-b' : 'instance-a';
        await expect(store().jobLeases.acquire(pid, 'digest', loser, 60_000)).resolves.toBeUndefined();
        await expect(store().jobLeases.acquire(pid, 'digest', winner.owner, 60_000)).resolves.toMatchObject({
          owner: winner.owner,
        });
        // Another job name or another partnership is another lease.
        await expect(store().jobLeases.acquire(pid, 'reminders', loser, 60_000)).resolves.toBeDefined();
        await expect(store().jobLeases.acquire(freshPartnershipId(), 'digest', loser, 60_000)).resolves.toBeDefined();
      } finally {
        await other.close();
      }
    });

    it('a lease its holder stopped renewing is taken over, and the old holder can no longer renew or release it', async () => {
      const pid = freshPartnershipId();
      const first = await store().jobLeases.acquire(pid, 'digest', 'instance-a', TTL);
      expect(first?.owner).toBe('instance-a');
      // Live: refused, whatever the other instance's own clock says (it has no say).
      await expect(store().jobLeases.acquire(pid, 'digest', 'instance-b', TTL)).resolves.toBeUndefined();
      const taken = await eventually(() => store().jobLeases.acquire(pid, 'digest', 'instance-b', TTL), 10_000);
      expect(taken).toMatchObject({ owner: 'instance-b' });
      expect(Date.parse(taken!.renewedAt)).toBeGreaterThanOrEqual(Date.parse(first!.renewedAt) + TTL);
      await expect(store().jobLeases.renew(first!)).resolves.toBeUndefined();
      await store().jobLeases.release(first!);
      // Still instance-b's: a stale release changed nothing.
      await expect(store().jobLeases.acquire(pid, 'digest', 'instance-a', 60_000)).resolves.toBeUndefined();
    }, 20_000);

    it('renewing keeps a lease live past its ttl, and a released lease is free at once', async () => {
      const pid = freshPartnershipId();
      let lease = await store().jobLeases.acquire(pid, 'digest', 'instance-a', 2_500);
      const started = Date.now();
      while (Date.now() - started < 4_000) {
        await sleep(500);
        const renewed = await store().jobLeases.renew(lease!);
        expect(renewed, 'renewed').toBeDefined();
        expect(renewed!.etag).not.toBe(lease!.etag);
        lease = renewed;
        await expect(store().jobLeases.acquire(pid, 'digest', 'instance-b', 2_500)).resolves.toBeUndefined();
      }
      await store().jobLeases.release(lease!);
      await expect(store().jobLeases.acquire(pid, 'digest', 'instance-b', 2_500)).resolves.toMatchObject({
        owner: 'instance-b',
      });
    }, 20_000);
  });

  describe('digest delivery claims', () => {
    it('of two instances claiming one pending delivery at once, exactly one gets it, with owner and the store’s time', async () => {
      const pid = freshPartnershipId();
      const channel = channelId();
      const other = await make();
      try {
        const pending = await store().digestDeliveries.create(delivery(pid, channel));
        const results = await Promise.all([
          store().digestDeliveries.claim(pending, 'instance-a', 60_000),
          other.digestDeliveries.claim(pending, 'instance-b', 60_000),
        ]);
        const claimed = results.filter((r) => r !== undefined);
        expect(claimed).toHaveLength(1);
        expect(claimed[0]).toMatchObject({ state: 'sending', claimedBy: expect.stringMatching(/^instance-[ab]$/) });
        expect(Math.abs(Date.parse(claimed[0]!.claimedAt!) - Date.now())).toBeLessThan(5_000);
        const stored = await store().digestDeliveries.get(pid, channel, '2026-03-02');
        expect(stored).toStrictEqual(claimed[0]);
        // A live claim is not taken over, even read afresh.
        await expect(store().digestDeliveries.claim(stored!, 'instance-c', 60_000)).resolves.toBeUndefined();
        // The holder finishes with the etag of its claim; the record is then never claimed again.
        const { card: _card, etag, ...rest } = stored!;
        const sent = await store().digestDeliveries.replace({ ...rest, state: 'sent', attempts: 1 }, etag);
        await expect(store().digestDeliveries.claim(sent, 'instance-c', 0)).resolves.toBeUndefined();
        expect((await store().digestDeliveries.get(pid, channel, '2026-03-02'))?.state).toBe('sent');
      } finally {
        await other.close();
      }
    });

    it('a stale claim (its holder died mid-send) is taken over; the dead holder’s late write is refused', async () => {
      const pid = freshPartnershipId();
      const channel = channelId();
      const pending = await store().digestDeliveries.create(delivery(pid, channel));
      const dead = await store().digestDeliveries.claim(pending, 'instance-a', TTL);
      expect(dead?.claimedBy).toBe('instance-a');
      const takeOver = async () => {
        const read = await store().digestDeliveries.get(pid, channel, '2026-03-02');
        return store().digestDeliveries.claim(read!, 'instance-b', TTL);
      };
      await expect(takeOver()).resolves.toBeUndefined();
      const taken = await eventually(takeOver, 10_000);
      expect(taken).toMatchObject({ state: 'sending', claimedBy: 'instance-b' });
      expect(Date.parse(taken!.claimedAt!)).toBeGreaterThanOrEqual(Date.parse(dead!.claimedAt!) + TTL);
      const { etag, ...rest } = dead!;
      await expect(
        store().digestDeliveries.replace({ ...rest, state: 'sent', attempts: 1 }, etag),
      ).rejects.toBeInstanceOf(ConcurrencyError);
      // A claim with a stale etag (read before another write) is refused too.
      await expect(store().digestDeliveries.claim(pending, 'instance-c', 0)).resolves.toBeUndefined();
    }, 20_000);

    it('keeps a requested digest beside the week’s weekly one, newest first', async () => {
      const pid = freshPartnershipId();
      const channel = channelId();
      await store().digestDeliveries.create(delivery(pid, channel, '2026-03-02'));
      const requested = DigestDelivery.parse({
        ...delivery(pid, channel, '2026-03-02'),
        week: '2026-03-02.now.1772445600000',
        dueAt: '2026-03-02T10:00:00.000Z',
        kind: 'requested',
        requestedBy: '5c1f2e7a-9b0d-4e3c-8a61-2f4d6b8c0e13',
        period: { from: '2026-02-23T10:00:00.000Z', to: '2026-03-02T10:00:00.000Z' },
      });
      await store().digestDeliveries.create(requested);
      const listed = await store().digestDeliveries.listForChannel(pid, channel, 5);
      expect(listed.map((d) => d.week)).toEqual(['2026-03-02.now.1772445600000', '2026-03-02']);
      expect(listed[0]).toStrictEqual(requested);
    });
  });
}
