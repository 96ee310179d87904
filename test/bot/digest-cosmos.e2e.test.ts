import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { CHANNEL_ID } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { BotUnderTest, Connector, onlyCard } from '../support/harness.js';
import { alex } from '../support/people.js';

/**
 * Two bot instances on one Cosmos DB store (real HTTPS to @vercel/cosmosdb-server on loopback),
 * each with its own client, as two App Service instances would have: one weekly digest.
 */
let cosmos: https.Server;
let connector: Connector;
const bots: BotUnderTest[] = [];
let now = new Date('2026-03-25T10:00:00Z');
const clock = () => now;

async function instance(databaseId: string): Promise<BotUnderTest> {
  const store = await openCosmosStore({
    endpoint: `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`,
    key: 'the-local-server-ignores-it',
    databaseId,
    agent: new https.Agent({ rejectUnauthorized: false }),
    endpointDiscovery: false,
  });
  const bot = await BotUnderTest.start({ store, clock, connector });
  bots.push(bot);
  return bot;
}

beforeAll(async () => {
  cosmos = createHttpsServer();
  cosmos.listen(0, '127.0.0.1');
  await once(cosmos, 'listening');
  connector = new Connector();
  await connector.start();
}, 30_000);

afterAll(async () => {
  for (const b of bots) await b.close();
  await connector?.close();
  await new Promise<void>((resolve) => cosmos?.close(() => resolve()));
});

describe('weekly digest on Cosmos DB', () => {
  it('two instances on one store send one digest', async () => {
    const databaseId = `digest-${randomUUID()}`;
    const a = await instance(databaseId);
    const b = await instance(databaseId);
    expect(cardText(onlyCard(await a.say('subscribe Everton', alex, 'channel')))).toContain('board channel');
    now = new Date('2026-03-30T07:00:00Z');
    for (let round = 0; round < 3; round++) {
      const reports = await Promise.all([a.running.digests.runOnce(), b.running.digests.runOnce()]);
      const sent = reports.flatMap((r) => r.outcomes).filter((o) => o.outcome === 'sent');
      expect(sent, `round ${round}`).toHaveLength(round === 0 ? 1 : 0);
    }
    const digests = connector.posted
      .filter((p) => p.conversationId === CHANNEL_ID)
      .flatMap((p) => (p.activity.attachments ?? []).map((x) => x.content as Card))
      .filter((c) => cardText(c).includes('Weekly digest: Everton'));
    expect(digests).toHaveLength(1);
    expect(await a.store.digestDeliveries.get(DEMO_PARTNERSHIP_ID, CHANNEL_ID, '2026-03-30')).toMatchObject({
      state: 'sent',
      attempts: 1,
    });
  }, 120_000);
});
