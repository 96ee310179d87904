import { createHash, randomUUID } from 'node:crypto';
import type { BoardChannel } from '../domain/conversation.js';
import type { DigestView } from '../domain/digest.js';
import type { DigestDelivery } from '../domain/digest-delivery.js';
import { isoWeekMonday, latestSlot, londonTime, previousSlot, scheduleOf } from '../domain/digest-schedule.js';
import { ConcurrencyError } from '../domain/errors.js';
import type { Partnership } from '../domain/partnership.js';
import type { Logger } from '../log.js';
import type { Clock } from '../services/clock.js';
import type { DigestComposer } from '../services/digest-composer.js';
import type { ConversationRef } from '../domain/conversation.js';
import type { Store, Stored } from '../store/store.js';

export const DIGEST_LEASE = 'digest';
/**
 * How long a lease, or a delivery's claim, stays live without renewal, by the store's clock:
 * longer than a run takes between renewals (one channel's compose and send, retries included).
 */
export const LEASE_TTL_MS = 2 * 60_000;
/** A failed delivery is tried again on a later run, but not more often than this. */
export const RETRY_FAILED_AFTER_MS = 5 * 60_000;
/** Every this many runs, a run looks for requested digests left unsent (the first run included). */
const SWEEP_EVERY = 10;
/** How many of a channel's recent records a run looks through for requested digests to finish. */
const RECENT = 8;

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
  /** This instance's id, for the lease and delivery claims. */
  owner?: string;
  /** LEASE_TTL_MS unless set (tests that kill an instance use seconds). */
  leaseTtlMs?: number;
  /**
   * Test seam: runs after the pending record is written and before the send, so a test can stop
   * the run there as a crash would.
   */
  afterPending?(delivery: DigestDelivery): Promise<void>;
  /** Test seam: runs before each compose, so a test can make one partnership's compose fail. */
  beforeCompose?(partnership: Partnership): Promise<void>;
  /** Test seam: runs after the claim and the lease renewal, just before the card goes out. */
  beforeSend?(delivery: DigestDelivery): Promise<void>;
}

export type Outcome =
  | 'sent'
  | 'failed'
  | 'already-sent'
  | 'not-due'
  | 'waiting'
  | 'taken'
  | 'lease-lost'
  /** Something other than the send failed (the store, say): logged, and the next run tries again. */
  | 'error';

export interface RunReport {
  /** Partnerships whose lease another instance held. */
  skipped: number;
  /** Partnerships whose run failed before reaching their channels (logged; the next run tries again). */
  failed: string[];
  outcomes: { partnershipId: string; conversationId: string; week?: string; outcome: Outcome }[];
}

/** Whatever a failure was, as a log or a record may carry it: the class and code, never message text. */
function errorName(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `${name} ${code}` : name;
}

/**
 * The digest run: for each partnership whose lease this instance holds, each board channel whose
 * slot has come gets its weekly digest, exactly once per ISO week; digests asked for with
 * `digest now` go through the same records. A record is written `pending` (with the composed
 * card) before the send, claimed (`sending`, with this instance as owner) and `sent` after, so a
 * second run, another instance, or a restart after a crash finds it and never sends it twice.
 * A partnership or channel that fails is logged, recorded where it has a record, and passed over:
 * it never stops the others.
 */
export class DigestJob {
  readonly owner: string;
  private readonly ttlMs: number;
  private runs = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly deps: DigestJobDeps) {
    this.owner = deps.owner ?? `instance-${randomUUID()}`;
    this.ttlMs = deps.leaseTtlMs ?? LEASE_TTL_MS;
  }

  async runOnce(): Promise<RunReport> {
    const report: RunReport = { skipped: 0, failed: [], outcomes: [] };
    const all = await this.deps.store.partnerships.list();
    // Each instance starts its walk somewhere else (its id), and one further on each run, so
    // instances do not queue on the same leases and no partnership is always last.
    const run = this.runs++;
    const offset = all.length ? (startOf(this.owner) + run) % all.length : 0;
    const sweep = run % SWEEP_EVERY === 0;
    for (const partnership of [...all.slice(offset), ...all.slice(0, offset)]) {
      try {
        await this.runPartnership(partnership, report, sweep);
      } catch (err) {
        report.failed.push(partnership.id);
        this.deps.log.error(
          { partnershipId: partnership.id, err: errorName(err) },
          'digest run failed for partnership',
        );
      }
    }
    return report;
  }

  /** Resolves when every digest asked for in this process (digest now) has been dealt with. */
  async idle(): Promise<void> {
    while (this.inFlight.size) await Promise.all([...this.inFlight]);
  }

  /**
   * `digest now`: records the request at once (so `digest status` shows it) and composes and sends
   * it in the background, through the same claim as the weekly digest. A crash before it is sent
   * leaves it `pending`, and the next run finishes it.
   */
  async request(partnership: Partnership, channel: BoardChannel, requestedBy: string): Promise<DigestDelivery> {
    const now = this.deps.clock();
    const record = await this.deps.store.digestDeliveries.create({
      partnershipId: partnership.id,
      conversationId: channel.conversationId,
      week: `${isoWeekMonday(londonTime(now).date)}.now.${now.getTime()}`,
      kind: 'requested',
      requestedBy,
      dueAt: now.toISOString(),
      // Up to and including this instant: a change made a moment ago is in.
      period: {
        from: new Date(now.getTime() - 7 * 86_400_000).toISOString(),
        to: new Date(now.getTime() + 1).toISOString(),
      },
      state: 'pending',
      attempts: 0,
      updatedAt: now.toISOString(),
    });
    const work: Promise<void> = this.claimAndSend(partnership, channel, record, async () => true)
      .then(() => undefined)
      .catch((err: unknown) =>
        this.deps.log.error(
          { partnershipId: partnership.id, conversationId: channel.conversationId, err: errorName(err) },
          'requested digest failed',
        ),
      )
      .finally(() => this.inFlight.delete(work));
    this.inFlight.add(work);
    return record;
  }

  private async runPartnership(partnership: Partnership, report: RunReport, sweep: boolean): Promise<void> {
    const { store } = this.deps;
    const channels = await store.boardChannels.list(partnership.id);
    if (channels.length === 0) return;
    let lease = await store.jobLeases.acquire(partnership.id, DIGEST_LEASE, this.owner, this.ttlMs);
    if (!lease) {
      report.skipped += 1;
      return;
    }
    // Renewed before each send: an instance that lost its lease (paused past the ttl) does not send.
    const keep = async () => {
      lease = lease && (await store.jobLeases.renew(lease));
      return lease !== undefined;
    };
    try {
      for (const channel of channels) {
        const ids = { partnershipId: partnership.id, conversationId: channel.conversationId };
        if (!lease) {
          report.outcomes.push({ ...ids, outcome: 'lease-lost' });
          continue;
        }
        try {
          report.outcomes.push({ ...ids, ...(await this.deliver(partnership, channel, keep)) });
          // Digests asked for are sent in the background at once; only one that a crash or a
          // failure left unsent needs a run, so the (query) look costs one run in ten.
          if (sweep) {
            for (const outcome of await this.finishRequested(partnership, channel, keep)) {
              report.outcomes.push({ ...ids, ...outcome });
            }
          }
        } catch (err) {
          report.outcomes.push({ ...ids, outcome: 'error' });
          this.deps.log.error({ ...ids, err: errorName(err) }, 'digest delivery error');
        }
      }
    } finally {
      if (lease) await store.jobLeases.release(lease);
    }
  }

  private async deliver(
    p: Partnership,
    channel: BoardChannel,
    keep: () => Promise<boolean>,
  ): Promise<{ week?: string; outcome: Outcome }> {
    const { store, clock } = this.deps;
    const now = clock();
    const schedule = scheduleOf(channel);
    const slot = latestSlot(schedule, now);
    // One weekly digest per ISO week: moving the day mid-week finds this week's record.
    const week = isoWeekMonday(slot.week);
    if (slot.dueAt.getTime() < Date.parse(channel.scheduleFrom ?? channel.addedAt)) return { week, outcome: 'not-due' };

    let record = await store.digestDeliveries.get(p.id, channel.conversationId, week);
    if (!record && slot.week !== week) {
      // Records written before weeks were keyed by their Monday carry the slot's own date.
      const legacy = await store.digestDeliveries.get(p.id, channel.conversationId, slot.week);
      if (legacy?.state === 'sent') return { week, outcome: 'already-sent' };
    }
    if (record?.state === 'sent') return { week, outcome: 'already-sent' };
    if (record?.state === 'failed' && now.getTime() - Date.parse(record.updatedAt) < RETRY_FAILED_AFTER_MS) {
      return { week, outcome: 'waiting' };
    }
    if (!record) {
      const base = {
        partnershipId: p.id,
        conversationId: channel.conversationId,
        week,
        dueAt: slot.dueAt.toISOString(),
        period: { from: previousSlot(schedule, slot).dueAt.toISOString(), to: slot.dueAt.toISOString() },
        updatedAt: now.toISOString(),
      };
      let card: Card;
      try {
        card = await this.compose(p, channel, base);
      } catch (err) {
        // Recorded, so `digest status` says so; the next run (after the retry wait) composes again.
        try {
          await store.digestDeliveries.create({
            ...base,
            state: 'failed',
            attempts: 1,
            lastError: composeFailure(err),
          });
        } catch (e) {
          if (e instanceof ConcurrencyError) return { week, outcome: 'taken' };
          throw e;
        }
        this.deps.log.warn(
          { partnershipId: p.id, conversationId: channel.conversationId, week, err: errorName(err) },
          'digest compose failed',
        );
        return { week, outcome: 'failed' };
      }
      try {
        record = await store.digestDeliveries.create({ ...base, state: 'pending', attempts: 0, card });
      } catch (err) {
        if (err instanceof ConcurrencyError) return { week, outcome: 'taken' };
        throw err;
      }
      await this.deps.afterPending?.(record);
    }
    return { week, outcome: await this.claimAndSend(p, channel, record, keep) };
  }

  /** Requested digests (digest now) of this channel that a crash or a failure left unsent. */
  private async finishRequested(
    p: Partnership,
    channel: BoardChannel,
    keep: () => Promise<boolean>,
  ): Promise<{ week: string; outcome: Outcome }[]> {
    const { store, clock } = this.deps;
    const now = clock().getTime();
    const open = (await store.digestDeliveries.listForChannel(p.id, channel.conversationId, RECENT)).filter(
      (d) =>
        d.kind === 'requested' &&
        d.state !== 'sent' &&
        !(d.state === 'failed' && now - Date.parse(d.updatedAt) < RETRY_FAILED_AFTER_MS),
    );
    const outcomes: { week: string; outcome: Outcome }[] = [];
    for (const d of open) {
      const record = await store.digestDeliveries.get(p.id, d.conversationId, d.week);
      if (!record) continue;
      outcomes.push({ week: d.week, outcome: await this.claimAndSend(p, channel, record, keep) });
    }
    return outcomes;
  }

  private async compose(
    p: Partnership,
    channel: BoardChannel,
    d: Pick<DigestDelivery, 'period' | 'dueAt'>,
  ): Promise<Card> {
    await this.deps.beforeCompose?.(p);
    const to = new Date(d.period?.to ?? d.dueAt);
    const from = new Date(d.period?.from ?? to.getTime() - 7 * 86_400_000);
    const view = await this.deps.composer.compose(p, channel, { from, to }, this.deps.clock(), this.deps.fits);
    return this.deps.render(view);
  }

  /**
   * Claims the record (`sending`, this instance, the store's time; only a stale claim is taken
   * over), composes it if nothing was composed yet, renews the lease, and sends.
   */
  private async claimAndSend(
    p: Partnership,
    channel: BoardChannel,
    record: Stored<DigestDelivery>,
    keep: () => Promise<boolean>,
  ): Promise<'sent' | 'failed' | 'taken' | 'lease-lost'> {
    const { store, clock, log } = this.deps;
    const claimed = await store.digestDeliveries.claim(record, this.owner, this.ttlMs);
    if (!claimed) return 'taken';
    const ids = { partnershipId: claimed.partnershipId, conversationId: claimed.conversationId, week: claimed.week };
    const { etag, card: composed, ...rest } = claimed;
    const attempts = claimed.attempts + 1;
    let card = composed;
    let failure: string | undefined;
    if (!card) {
      try {
        card = await this.compose(p, channel, claimed);
      } catch (err) {
        failure = composeFailure(err);
        log.warn({ ...ids, err: errorName(err) }, 'digest compose failed');
      }
    }
    if (failure === undefined) {
      // The claim stays if the lease is gone: it goes stale and the lease's new holder sends it.
      if (!(await keep())) return 'lease-lost';
      const ref = await store.conversations.get(channel.tenantId, channel.conversationId);
      if (!ref) failure = 'no conversation reference for the channel (add the bot to the team again)';
      else {
        try {
          await this.deps.beforeSend?.(claimed);
          await this.deps.send(ref, card!);
        } catch (err) {
          failure = (err as { reason?: string }).reason ?? errorName(err);
        }
      }
    }
    const at = clock().toISOString();
    const { claimedBy: _by, claimedAt: _at, ...unclaimed } = rest;
    try {
      if (failure === undefined) {
        await store.digestDeliveries.replace(
          { ...unclaimed, state: 'sent', attempts, sentAt: at, updatedAt: at },
          etag,
        );
        log.info({ ...ids, attempts }, 'digest sent');
        return 'sent';
      }
      // The card is kept: the next run sends what was composed.
      await store.digestDeliveries.replace(
        {
          ...unclaimed,
          ...(card ? { card } : {}),
          state: 'failed',
          attempts,
          lastError: failure.slice(0, 200),
          updatedAt: at,
        },
        etag,
      );
    } catch (err) {
      // Our claim went stale and another instance took it over: its outcome stands.
      if (err instanceof ConcurrencyError) {
        log.warn({ ...ids }, 'digest claim taken over during the send');
        return 'taken';
      }
      throw err;
    }
    log.warn({ ...ids, attempts, reason: failure }, 'digest delivery failed');
    return 'failed';
  }
}

function composeFailure(err: unknown): string {
  return `could not be composed: ${errorName(err)}`;
}

/** Where in the list of partnerships this instance starts: its id, hashed. */
function startOf(owner: string): number {
  return createHash('sha256').update(owner).digest().readUInt32BE(0);
}
