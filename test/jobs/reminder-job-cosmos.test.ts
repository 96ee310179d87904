import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { tenWeeksOfReminders } from './reminder-scenario.js';

/** The same ten weeks on the Cosmos adapter: real HTTPS to @vercel/cosmosdb-server on loopback, one client per instance. */
let cosmos: https.Server;

beforeAll(async () => {
  cosmos = createHttpsServer();
  cosmos.listen(0, '127.0.0.1');
  await once(cosmos, 'listening');
}, 30_000);

afterAll(async () => {
  await new Promise<void>((resolve) => cosmos?.close(() => resolve()));
});

describe('reminder job on Cosmos DB', () => {
  it('ten weeks, 200 items, two instances each with its own client: each reminder exactly once, in working hours, none after an item closes', async () => {
    const databaseId = `reminders-${randomUUID()}`;
    await tenWeeksOfReminders(
      () =>
        openCosmosStore({
          endpoint: `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`,
          key: 'the-local-server-ignores-it',
          databaseId,
          agent: new https.Agent({ rejectUnauthorized: false }),
          endpointDiscovery: false,
        }),
      // Every third hour (00:07, 03:07, … UTC): the emulator is slower than SQLite; still both sides of 08:00 and 18:00.
      3,
    );
  }, 900_000);
});
