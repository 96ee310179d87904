import { describe, expect, it } from 'vitest';
import { SendThrottle, sendLimitsPerInstance, TEAMS_SAFE_LIMITS } from '../../src/bot/send-throttle.js';

/** A clock that moves only when the throttle sleeps: no test waits for real time. */
function fakeTime() {
  let t = 1_000_000;
  const slept: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      slept.push(ms);
      t += ms;
    },
    slept,
    at: () => t,
  };
}

describe('send throttle', () => {
  it('lets a conversation have 3 sends in a second, then waits for the window to move', async () => {
    const time = fakeTime();
    const throttle = new SendThrottle(
      { perConversation: [{ count: 3, ms: 1000 }], perBot: [{ count: 100, ms: 1000 }] },
      time.now,
      time.sleep,
    );
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      await throttle.wait('c1');
      times.push(time.at() - 1_000_000);
    }
    expect(times).toEqual([0, 0, 0, 1000, 1000, 1000, 2000]);
    // Another conversation is not held back by c1's window.
    const before = time.at();
    await throttle.wait('c2');
    expect(time.at()).toBe(before);
  });

  it('holds every conversation to the bot-wide limit, serving waiters in order', async () => {
    const time = fakeTime();
    const throttle = new SendThrottle(
      { perConversation: [{ count: 10, ms: 1000 }], perBot: [{ count: 2, ms: 1000 }] },
      time.now,
      time.sleep,
    );
    const order: string[] = [];
    await Promise.all(
      ['a', 'b', 'c', 'd', 'e'].map((c) => throttle.wait(c).then(() => order.push(`${c}@${time.at() - 1_000_000}`))),
    );
    expect(order).toEqual(['a@0', 'b@0', 'c@1000', 'd@1000', 'e@2000']);
  });
});

describe('send throttle shared by several instances (BOT_INSTANCES)', () => {
  it('three instances with their shares never send more, together, than one bot may', async () => {
    const limits = sendLimitsPerInstance(3);
    expect(limits.perBot).toEqual([{ count: 6, ms: 1_000 }]);
    expect(limits.perConversation).toEqual([
      { count: 1, ms: 1_000 },
      { count: 10, ms: 30_000 },
    ]);
    // One fake clock for the three instances: a sleep moves it for all of them.
    const sent: { at: number; conversation: string }[] = [];
    let t = 0;
    const clock = () => 1_000_000 + t;
    const shared = [0, 1, 2].map(
      () =>
        new SendThrottle(limits, clock, async (ms) => {
          t += ms;
        }),
    );
    // Each instance has 40 sends to make, over 10 conversations all three write to.
    await Promise.all(
      shared.map(async (throttle, i) => {
        for (let n = 0; n < 40; n++) {
          const conversation = `c${(n + i) % 10}`;
          await throttle.wait(conversation);
          sent.push({ at: clock(), conversation });
        }
      }),
    );
    expect(sent).toHaveLength(120);
    for (const { at } of sent) {
      const inSecond = sent.filter((s) => s.at > at - 1_000 && s.at <= at);
      expect(inSecond.length).toBeLessThanOrEqual(TEAMS_SAFE_LIMITS.perBot[0]!.count);
      for (const c of new Set(inSecond.map((s) => s.conversation))) {
        expect(inSecond.filter((s) => s.conversation === c).length).toBeLessThanOrEqual(
          TEAMS_SAFE_LIMITS.perConversation[0]!.count,
        );
      }
    }
  });

  it('one instance keeps the whole budget', () => {
    expect(sendLimitsPerInstance(1)).toEqual(TEAMS_SAFE_LIMITS);
  });
});
