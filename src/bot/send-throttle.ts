/**
 * Keeps proactive sends under Teams' rate limits, which apply per bot per conversation (7 in a
 * second, 60 in 30 seconds) and per bot across all conversations. A send waits until every window
 * it falls in has room; limits below Teams' own leave headroom for the bot's replies in turns.
 */
export interface Window {
  count: number;
  ms: number;
}

export interface ThrottleLimits {
  perConversation: readonly Window[];
  perBot: readonly Window[];
}

export const TEAMS_SAFE_LIMITS: ThrottleLimits = {
  perConversation: [
    { count: 3, ms: 1_000 },
    { count: 30, ms: 30_000 },
  ],
  perBot: [{ count: 20, ms: 1_000 }],
};

/**
 * One instance's share of the limits when `instances` run at once. Teams counts per bot, not per
 * instance: three instances each sending at the full rate would send three times it. Each
 * window's count is divided (at least one a window), so the shares add up to at most the whole.
 */
export function sendLimitsPerInstance(instances: number, limits: ThrottleLimits = TEAMS_SAFE_LIMITS): ThrottleLimits {
  const n = Math.max(1, Math.floor(instances));
  const share = (windows: readonly Window[]) =>
    windows.map((w) => ({ count: Math.max(1, Math.floor(w.count / n)), ms: w.ms }));
  return { perConversation: share(limits.perConversation), perBot: share(limits.perBot) };
}

export class SendThrottle {
  private readonly bot: number[] = [];
  private readonly conversations = new Map<string, number[]>();
  private queue: Promise<void> = Promise.resolve();

  constructor(
    private readonly limits: ThrottleLimits = TEAMS_SAFE_LIMITS,
    private readonly now: () => number = Date.now,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {}

  /** Resolves when a send to `conversationId` may go, and counts it. Callers are served in order. */
  wait(conversationId: string): Promise<void> {
    const turn = this.queue.then(() => this.take(conversationId));
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  private async take(conversationId: string): Promise<void> {
    const mine = this.conversations.get(conversationId) ?? [];
    for (;;) {
      const delay = Math.max(
        delayFor(this.bot, this.limits.perBot, this.now()),
        delayFor(mine, this.limits.perConversation, this.now()),
      );
      if (delay <= 0) break;
      await this.sleep(delay);
    }
    const t = this.now();
    this.bot.push(t);
    mine.push(t);
    this.conversations.set(conversationId, mine);
    const longest = (windows: readonly Window[]) => Math.max(0, ...windows.map((w) => w.ms));
    prune(this.bot, t - longest(this.limits.perBot));
    prune(mine, t - longest(this.limits.perConversation));
    if (this.conversations.size > 10_000) {
      for (const [key, times] of this.conversations)
        if (times.every((x) => x <= t - 60_000)) this.conversations.delete(key);
    }
  }
}

/** How long until a send fits every window, given the (ascending) times of earlier sends. */
function delayFor(times: readonly number[], windows: readonly Window[], now: number): number {
  let delay = 0;
  for (const w of windows) {
    const inWindow = times.filter((t) => t > now - w.ms);
    if (inWindow.length >= w.count) {
      // The oldest send that must leave the window before there is room.
      const oldest = inWindow[inWindow.length - w.count]!;
      delay = Math.max(delay, oldest + w.ms - now);
    }
  }
  return delay;
}

function prune(times: number[], before: number): void {
  while (times.length && times[0]! <= before) times.shift();
}
