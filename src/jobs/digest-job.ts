import { randomUUID } from 'node:crypto';
import type { BoardChannel } from '../domain/conversation.js';
import type { DigestView } from '../domain/digest.js';
import type { DigestDelivery } from '../domain/digest-delivery.js';
import { latestSlot, previousSlot, scheduleOf } from '../domain/digest-schedule.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { Partnership } from '../domain/partnership.js';
import type { Logger } from '../log.js';
import type { Clock } from '../services/clock.js';
import type { DigestComposer } from '../services/digest-composer.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Store, Stored } from '../store/store.js';

export const DIGEST_LEASE = 'digest';
/** Longer than a run takes between renewals (one channel's compose and send, retries included). */
export const LEASE_TTL_MS = 2 * 60_000;
/** A failed delivery is tried again on a later run, but not more often than this. */
export const RETRY_FAILED_AFTER_MS = 5 * 60_000;

export type Card = Record<string, unknown>;

export interface DigestJobDeps {
  store: Store;
  composer: DigestComposer;
  clock: Clock;
  log: Logger;
  render(view: DigestView): Card;
  fits(view: DigestView): boolean;
  /** Sends the card proactively; throws (with a reason) when the connector finally refuses. */
  send(ref: ConversationRef, card: Card): Promise<void>;
  /** This instance's id, for the lease. */
  owner?: string;
  /**
   * Test seam: runs after the pending record is written and before the send, so a test can stop
   * the run there as a crash would.
   */
  afterPending?(delivery: DigestDelivery): Promise<void>;
}

export type Outcome = 'sent' | 'failed' | 'already-sent' | 'not-due' | 'waiting' | 'taken' | 'lease-lost';

export interface RunReport {
  /** Partnerships whose lease another instance held. */
  skipped: number;
  outcomes: { partnershipId: string; conversationId: string; week?: string; outcome: Outcome }[];
}

/**
 * The weekly digest run: for each partnership whose lease this instance holds, each board
 * channel whose slot has come gets its digest, exactly once. The delivery record decides: it is
 * written `pending` (with the composed card) before the send and `sent` after, so a second run,
 * another instance, or a restart after a crash finds it and never composes or sends a second one.
 */
export class DigestJob {
  readonly owner: string;

  constructor(private readonly deps: DigestJobDeps) {
    this.owner = deps.owner ?? `instance-${randomUUID()}`;
  }

  async runOnce(): Promise<RunReport> {
    const report: RunReport = { skipped: 0, outcomes: [] };
    for (const partnership of await this.deps.store.partnerships.list()) {
      const channels = await this.deps.store.boardChannels.list(partnership.id);
      if (channels.length === 0) continue;
      let lease = await this.deps.store.jobLeases.acquire(
        partnership.id,
        DIGEST_LEASE,
        this.owner,
        this.deps.clock(),
        LEASE_TTL_MS,
      );
      if (!lease) {
        report.skipped += 1;
        continue;
      }
      try {
        for (const channel of channels) {
          if (!lease) {
            report.outcomes.push({
              partnershipId: partnership.id,
              conversationId: channel.conversationId,
              outcome: 'lease-lost',
            });
            continue;
          }
          const result = await this.deliver(partnership, channel);
          report.outcomes.push({ partnershipId: partnership.id, conversationId: channel.conversationId, ...result });
          lease = await this.deps.store.jobLeases.renew(lease, this.deps.clock(), LEASE_TTL_MS);
        }
      } finally {
        if (lease) await this.deps.store.jobLeases.release(lease);
      }
    }
    return report;
  }

  private async deliver(p: Partnership, channel: BoardChannel): Promise<{ week?: string; outcome: Outcome }> {
    const { store, clock } = this.deps;
    const now = clock();
    const schedule = scheduleOf(channel);
    const slot = latestSlot(schedule, now);
    const week = slot.week;
    if (slot.dueAt.getTime() < Date.parse(channel.scheduleFrom ?? channel.addedAt)) return { week, outcome: 'not-due' };

    let record = await store.digestDeliveries.get(p.id, channel.conversationId, week);
    if (record?.state === 'sent') return { week, outcome: 'already-sent' };
    if (record?.state === 'failed' && now.getTime() - Date.parse(record.updatedAt) < RETRY_FAILED_AFTER_MS) {
      return { week, outcome: 'waiting' };
    }
    if (!record) {
      const view = await this.deps.composer.compose(
        p,
        channel,
        { from: previousSlot(schedule, slot).dueAt, to: slot.dueAt },
        now,
        this.deps.fits,
      );
      try {
        record = await store.digestDeliveries.create({
          partnershipId: p.id,
          conversationId: channel.conversationId,
          week,
          dueAt: slot.dueAt.toISOString(),
          state: 'pending',
          attempts: 0,
          card: this.deps.render(view),
          updatedAt: now.toISOString(),
        });
      } catch (err) {
        if (err instanceof ConcurrencyError) return { week, outcome: 'taken' };
        throw err;
      }
      await this.deps.afterPending?.(record);
    }
    return { week, outcome: await this.send(channel, record) };
  }

  private async send(channel: BoardChannel, record: Stored<DigestDelivery>): Promise<'sent' | 'failed'> {
    const { store, clock, log } = this.deps;
    const ids = { partnershipId: record.partnershipId, conversationId: record.conversationId, week: record.week };
    const { etag, card, ...rest } = record;
    const attempts = record.attempts + 1;
    const ref = await store.conversations.get(channel.tenantId, channel.conversationId);
    let failure: string | undefined;
    if (!ref) failure = 'no conversation reference for the channel (add the bot to the team again)';
    else if (!card) failure = 'nothing composed';
    else {
      try {
        await this.deps.send(ref, card);
      } catch (err) {
        failure = (err as { reason?: string }).reason ?? (err instanceof Error ? err.name : 'unknown error');
      }
    }
    const at = clock().toISOString();
    if (failure === undefined) {
      await store.digestDeliveries.replace({ ...rest, state: 'sent', attempts, sentAt: at, updatedAt: at }, etag);
      log.info({ ...ids, attempts }, 'digest sent');
      return 'sent';
    }
    // The card is kept: the next run sends what was composed for this week.
    await store.digestDeliveries.replace(
      {
        ...rest,
        ...(card ? { card } : {}),
        state: 'failed',
        attempts,
        lastError: failure.slice(0, 200),
        updatedAt: at,
      },
      etag,
    );
    log.warn({ ...ids, attempts, reason: failure }, 'digest delivery failed');
    return 'failed';
  }
}
