import { createHttpsServer } from '@vercel/cosmosdb-server';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll } from 'vitest';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { BotUnderTest } from './harness.js';

/**
 * Bot instances on the Cosmos server on loopback, as App Service instances on one account are:
 * each with its own store client and kept cards. Call at the top of a test file: the server
 * starts before its tests and everything stops after them.
 */
export function cosmosBots(): (databaseId: string, demo: boolean) => Promise<BotUnderTest> {
  let cosmos: https.Server | undefined;
  const bots: BotUnderTest[] = [];

  beforeAll(async () => {
    cosmos = createHttpsServer();
    cosmos.listen(0, '127.0.0.1');
    await once(cosmos, 'listening');
  }, 120_000);

  afterAll(async () => {
    for (const bot of bots) await bot.close();
    cosmos?.closeAllConnections();
    await new Promise<void>((resolve) => (cosmos ? cosmos.close(() => resolve()) : resolve()));
  });

  return async (databaseId, demo) => {
    const store = await openCosmosStore({
      endpoint: `https://127.0.0.1:${(cosmos!.address() as AddressInfo).port}`,
      key: 'the-local-server-ignores-it',
      databaseId,
      agent: new https.Agent({ rejectUnauthorized: false }),
      endpointDiscovery: false,
    });
    const bot = await BotUnderTest.start({ store, demo });
    bots.push(bot);
    return bot;
  };
}
