import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { cardText } from '../support/cards.js';
import { cosmosBots } from '../support/cosmos-bots.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex } from '../support/people.js';

/**
 * Two bot instances on one Cosmos DB database (the Cosmos server on loopback), each with its own
 * store client and its own kept cards, as two App Service instances are: a change made through
 * one is on the other's very next card (test/bot/card-cache.e2e.test.ts does the same with two
 * processes on one SQLite file).
 */
const instance = cosmosBots();

describe('kept cards on Cosmos DB, two instances', () => {
  it("shows a change made through one instance on the other's next card", async () => {
    const databaseId = `cache-${randomUUID()}`;
    const first = await instance(databaseId, true);
    const second = await instance(databaseId, false);
    const openGaps = async (bot: BotUnderTest) =>
      Number(/(\d+) open · /.exec(cardText(onlyCard(await bot.say('summary Everton', alex))))?.[1]);

    const open = await openGaps(second);
    expect(await openGaps(second)).toBe(open); // kept
    expect(await openGaps(first)).toBe(open);

    await first.say(
      'new gap Everton: Which car washes front cash laundering? lead Liverpool City Council due 2027-01-31',
      alex,
    );
    expect(await openGaps(second)).toBe(open + 1);
    expect(await openGaps(first)).toBe(open + 1);
  }, 120_000);
});
