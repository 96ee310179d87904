import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex } from '../support/people.js';

/**
 * Two bot instances on one Cosmos DB database (the Cosmos server on loopback), each with its own
 * store client and its own kept cards, as two App Service instances are: a change made through
 * one is on the other's very next card (test/bot/card-cache.e2e.test.ts does the same with two
 * processes on one SQLite file).
 */
let cosmos: https.Server;
const bots: BotUnderTest[] = [];

async function instance(databaseId: string, demo: boolean): Promise<BotUnderTest> {
  const store = await openCosmosStore({
    endpoint: `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`,
    key: 'the-local-server-ignores-it',
    databaseId,
    agent: new https.Agent({ rejectUnauthorized: false }),
    endpointDiscovery: false,
  });
  const bot = await BotUnderTest.start({ store, demo });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  cosmos = createHttpsServer();
  cosmos.listen(0, '127.0.0.1');
  await once(cosmos, 'listening');
}, 120_000);

afterAll(async () => {
  for (const bot of bots) await bot.close();
  cosmos?.closeAllConnections();
  await new Promise<void>((resolve) => cosmos?.close(() => resolve()));
});

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
