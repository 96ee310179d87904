import { afterEach, describe, expect, it, vi } from 'vitest';
import { startScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/log.js';

afterEach(() => {
  vi.useRealTimers();
});

describe('scheduler', () => {
  it('runs soon after start, then every interval, never two runs at once, and stop waits for a run', async () => {
    vi.useFakeTimers();
    const log = createLogger('silent');
    let runs = 0;
    let inFlight = 0;
    let most = 0;
    let finish: (() => void) | undefined;
    const job = () => {
      runs += 1;
      inFlight += 1;
      most = Math.max(most, inFlight);
      return new Promise<void>((resolve) => {
        finish = () => {
          inFlight -= 1;
          resolve();
        };
      });
    };
    const scheduler = startScheduler(job, 60_000, log);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(runs).toBe(0);
    await vi.advanceTimersByTimeAsync(1);
    expect(runs).toBe(1);
    // The run is still going at the next tick: the tick does not start another.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(1);
    finish!();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs).toBe(2);
    expect(most).toBe(1);

    let stopped = false;
    const stopping = scheduler.stop().then(() => (stopped = true));
    await vi.advanceTimersByTimeAsync(0);
    expect(stopped).toBe(false);
    finish!();
    await stopping;
    await vi.advanceTimersByTimeAsync(600_000);
    expect(runs).toBe(2);
  });

  it('a failed run is logged and the next tick runs again', async () => {
    vi.useFakeTimers();
    const lines: string[] = [];
    const log = createLogger('error', { write: (l: string) => lines.push(l) } as unknown as NodeJS.WritableStream);
    let runs = 0;
    const scheduler = startScheduler(
      async () => {
        runs += 1;
        throw Object.assign(new Error('store down: secret text'), { code: 'STORE_UNAVAILABLE' });
      },
      10_000,
      log,
    );
    await vi.advanceTimersByTimeAsync(25_000);
    expect(runs).toBe(3);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toContain('STORE_UNAVAILABLE');
    expect(lines[0]).not.toContain('secret text');
    await scheduler.stop();
  });
});
