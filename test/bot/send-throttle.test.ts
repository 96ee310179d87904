import { describe, expect, it } from 'vitest';
import { SendThrottle } from '../../src/bot/send-throttle.js';

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
