import type { Clock } from './clock.js';

/**
 * Per-user command rate limiting: a token bucket per sender that holds at most `burst` commands
 * and refills at `perMinute`. It lives in this process's memory, so each instance of the bot
 * limits on its own (N instances allow up to N times the rate); that is enough to keep one
 * runaway client or script from hammering the store, which is its purpose.
 */
export interface RateLimit {
  perMinute: number;
  burst: number;
}

export type Take = { allowed: true } | { allowed: false; retryAfterSeconds: number };

interface Bucket {
  tokens: number;
  at: number;
}

/** Beyond this many senders, buckets that have refilled are dropped (they hold no state worth keeping). */
const SWEEP_ABOVE = 10_000;

export class CommandRateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;

  constructor(
    private readonly limit: RateLimit,
    private readonly clock: Clock,
  ) {
    this.perMs = limit.perMinute / 60_000;
  }

  take(sender: string): Take {
    const now = this.clock().getTime();
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
