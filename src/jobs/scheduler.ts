import type { Logger } from '../log.js';

export interface Scheduler {
  /** Stops the timer and waits for a run in progress to finish. */
  stop(): Promise<void>;
}

/**
 * Runs `job` every `intervalMs`, never two runs at once; a run that fails is logged and the next
 * tick tries again. The timer does not keep the process alive.
 */
export function startScheduler(job: () => Promise<unknown>, intervalMs: number, log: Logger): Scheduler {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    running = job()
      .then(() => undefined)
      .catch((err: unknown) =>
        // The class and code only: a message may quote stored text.
        log.error(
          { err: { name: err instanceof Error ? err.name : typeof err, code: (err as { code?: unknown }).code } },
          'scheduled run failed',
        ),
      )
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalMs);
  timer.unref();
  // The first check soon after start, not a whole interval later.
  const first = setTimeout(tick, Math.min(5_000, intervalMs));
  first.unref();
  return {
    async stop() {
      clearInterval(timer);
      clearTimeout(first);
      await running;
    },
  };
}
