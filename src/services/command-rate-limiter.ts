import type { Clock } from './clock.js';

/**
 * Per-user rate limiting: a token bucket per sender that holds at most `burst` and refills at
 * `perMinute`. Commands (typed, or a button pressed) count under the configured limit; the card
 * refreshes Teams sends by itself (`trigger: automatic`, one per task card on screen) are reads and
 * count under their own, larger budget, so opening a chat full of task cards never costs a
 * person their commands, nor gets a refresh answered "slow down".
 *
 * The buckets live in this process's memory. With several instances the configured limits are
 * for the whole bot and each instance keeps its share (`perInstance`): the load balancer spreads a
 * person's requests over the instances, so the shares add up to the limit without a store
 * round-trip on every turn.
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number };

/** Automatic refreshes: ten times the default command limit (a chat may hold dozens of task cards). */
export const AUTOMATIC_REFRESH_LIMIT: RateLimit = { perMinute: 300, burst: 100 };

/** One instance's share of a limit for the whole bot: at least one at once and one a minute. */
export function perInstance(limit: RateLimit, instances: number): RateLimit {
  const n = Math.max(1, Math.floor(instances));
  return { perMinute: Math.max(1, limit.perMinute / n), burst: Math.max(1, Math.floor(limit.burst / n)) };
}

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many senders, buckets that have refilled are dropped (they hold no state worth keeping). */
const SWEEP_ABOVE = 10_000;

class Buckets {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(private readonly limit: RateLimit) {
    this.perMs = limit.perMinute / 60_000;
  }

  take(sender: string, now: number): Take {
    const bucket = this.buckets.get(sender);
    const tokens = bucket
      ? Math.min(this.limit.burst, bucket.tokens + (now - bucket.at) * this.perMs)
      : this.limit.burst;
    if (tokens < 1) {
      this.buckets.set(sender, { tokens, at: now });
      return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil((1 - tokens) / this.perMs / 1000)) };
    }
    if (!bucket && this.buckets.size >= SWEEP_ABOVE) this.sweep(now);
    this.buckets.set(sender, { tokens: tokens - 1, at: now });
    return { allowed: true };
  }

  private sweep(now: number): void {
    for (const [sender, b] of this.buckets) {
      if (b.tokens + (now - b.at) * this.perMs >= this.limit.burst) this.buckets.delete(sender);
    }
  }
}

export class CommandRateLimiter {
  private readonly commands: Buckets;
  private readonly refreshes: Buckets;

  constructor(
    limit: RateLimit,
    private readonly clock: Clock,
    refreshLimit: RateLimit = AUTOMATIC_REFRESH_LIMIT,
  ) {
    this.commands = new Buckets(limit);
    this.refreshes = new Buckets(refreshLimit);
  }

  /** A command: typed, or a button a person pressed. */
  take(sender: string): Take {
    return this.commands.take(sender, this.clock().getTime());
  }

  /** A card refresh Teams sent by itself (`trigger: automatic`). */
  takeRefresh(sender: string): Take {
    return this.refreshes.take(sender, this.clock().getTime());
  }
}
