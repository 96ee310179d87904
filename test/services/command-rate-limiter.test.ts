import { describe, expect, it } from 'vitest';
import { CommandRateLimiter } from '../../src/services/command-rate-limiter.js';

describe('per-user command rate limiting (token bucket)', () => {
  it('allows a burst, then refuses with how long to wait, and refills at the rate', () => {
    let now = 0;
    const limiter = new CommandRateLimiter({ perMinute: 30, burst: 3 }, () => new Date(now));
    expect([1, 2, 3].map(() => limiter.take('sam').allowed)).toEqual([true, true, true]);
    expect(limiter.take('sam')).toEqual({ allowed: false, retryAfterSeconds: 2 });
    // 30 a minute is one every 2 seconds.
    now += 1_999;
    expect(limiter.take('sam').allowed).toBe(false);
    now += 1;
    expect(limiter.take('sam').allowed).toBe(true);
    expect(limiter.take('sam').allowed).toBe(false);
    // A long pause refills to the burst, never beyond it.
    now += 60 * 60_000;
    expect([1, 2, 3, 4].map(() => limiter.take('sam').allowed)).toEqual([true, true, true, false]);
  });

  it('keeps each sender to their own bucket', () => {
    const limiter = new CommandRateLimiter({ perMinute: 1, burst: 1 }, () => new Date(0));
    expect(limiter.take('sam').allowed).toBe(true);
    expect(limiter.take('sam').allowed).toBe(false);
    expect(limiter.take('alex').allowed).toBe(true);
  });

  it('forgets refilled senders when it holds very many, and still limits the busy ones', () => {
    let now = 0;
    const limiter = new CommandRateLimiter({ perMinute: 60, burst: 1 }, () => new Date(now));
    for (let i = 0; i < 10_000; i++) limiter.take(`idle-${i}`);
    now = 1_000;
    expect(limiter.take('busy').allowed).toBe(true);
    now = 1_500;
    // The idle senders have refilled (one a second); busy has not. A new sender sweeps.
    expect(limiter.take('newcomer').allowed).toBe(true);
    expect((limiter as unknown as { commands: { buckets: Map<string, unknown> } }).commands.buckets.size).toBe(2);
    expect(limiter.take('busy')).toEqual({ allowed: false, retryAfterSeconds: 1 });
  });
});
