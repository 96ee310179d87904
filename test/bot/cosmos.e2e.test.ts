import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import net, { type AddressInfo, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { adele, alex } from '../support/people.js';

/**
 * The bot on the Cosmos DB adapter, over real HTTPS to @vercel/cosmosdb-server on loopback, with
 * a TCP relay in between that can be cut and restored: the store "goes away" and comes back with
 * its data, as an account does when the network between them fails.
 */
class Relay {
  private server: net.Server | undefined;
  private readonly sockets = new Set<Socket>();
  port = 0;

  constructor(private readonly target: number) {}

  async up(): Promise<void> {
    this.server = net.createServer((client) => {
      const upstream = net.connect(this.target, '127.0.0.1');
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('close', () => this.sockets.delete(s));
        s.on('error', () => s.destroy());
      }
      client.pipe(upstream).pipe(client);
    });
    this.server.listen(this.port, '127.0.0.1');
    await once(this.server, 'listening');
    this.port = (this.server.address() as AddressInfo).port;
  }

  async down(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server?.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    await closed;
  }
}

let cosmos: https.Server;
let relay: Relay;
let bot: BotUnderTest;

beforeAll(async () => {
  cosmos = createHttpsServer();
  cosmos.listen(0, '127.0.0.1');
  await once(cosmos, 'listening');
  relay = new Relay((cosmos.address() as AddressInfo).port);
  await relay.up();
  const store = await openCosmosStore({
    endpoint: `https://127.0.0.1:${relay.port}`,
    key: 'the-local-server-ignores-it',
    databaseId: `bot-${randomUUID()}`,
    agent: new https.Agent({ rejectUnauthorized: false }),
    requestTimeoutMs: 2_000,
    // The local server advertises its own port; stay on the relay's.
    endpointDiscovery: false,
  });
  bot = await BotUnderTest.start({ store });
}, 120_000);

afterAll(async () => {
  await bot?.close();
  await relay?.down().catch(() => undefined);
  cosmos?.closeAllConnections();
  await new Promise<void>((resolve) => cosmos?.close(() => resolve()));
});

function reviewButton(card: Card): { districtId: string } {
  const find = (node: unknown): unknown =>
    Array.isArray(node)
      ? node.map(find).find(Boolean)
      : node && typeof node === 'object'
        ? (node as { verb?: string }).verb === 'profile.review'
          ? node
          : Object.values(node).map(find).find(Boolean)
        : undefined;
  return (find(card) as { data: { districtId: string } }).data;
}

describe('the bot on Cosmos DB', () => {
  it('loads the demo and answers a summary from it', async () => {
    const text = cardText(onlyCard(await bot.say('summary Everton', alex)));
    expect(text).toContain('Everton\nLiverpool');
    expect(text).toContain('Rank ');
    const ready = await fetch(`${bot.running.url}/readyz`);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'cosmos' });
  });

  it('when the store cannot be reached: not ready, "try again", nothing half-done; then back', async () => {
    const card = onlyCard(await bot.say('summary Kirkdale', alex));
    const { districtId } = reviewButton(card);
    const before = await bot.store.profiles.get(DEMO_PARTNERSHIP_ID, districtId);

    await relay.down();
    const notReady = await fetch(`${bot.running.url}/readyz`);
    expect(notReady.status).toBe(503);
    const message = cardText(onlyCard(await bot.say('summary Everton', alex)));
    expect(message).toContain('The store is unavailable just now, so nothing was read or changed. Please try again');
    const pressed = await bot.press(card, 'Mark reviewed', alex);
    expect(JSON.stringify(pressed.body)).toContain('The store is unavailable just now');

    await relay.up();
    expect((await fetch(`${bot.running.url}/readyz`)).status).toBe(200);
    const after = await bot.store.profiles.get(DEMO_PARTNERSHIP_ID, districtId);
    expect(after?.review).toEqual(before?.review);
    expect(after?.etag).toBe(before?.etag);

    // And pressed again once the store is back, it is recorded.
    const retried = await bot.press(card, 'Mark reviewed', alex);
    expect(cardText(onlyCard(retried))).toContain('Review recorded by Alex Wilber.');
    const audit = await bot.store.audit.listForEntity(DEMO_PARTNERSHIP_ID, 'profile', districtId);
    expect(audit.at(-1)).toMatchObject({ action: 'profile.reviewed', actor: alex.aadObjectId });
  });

  it('runs a task through its card on Cosmos: created, delivered, accepted once, stale press refused', async () => {
    await bot.say('help', adele);
    const created = await bot.say(
      'new gap Everton: Which car washes front cash laundering? lead Liverpool City Council due 2027-01-31',
      alex,
    );
    const delivered = created.posted.find((p) => p.conversationId === `a:1personal-${adele.aadObjectId}`);
    expect(delivered).toBeDefined();
    const card = delivered!.activity.attachments![0]!.content as Card;
    const ref = /G-\d+/.exec(cardText(card))![0];

    const accepted = await bot.press(card, 'Accept', adele);
    expect(JSON.stringify(accepted.body)).toContain('Accepted by Adele Vance');
    await bot.press(card, 'Accept', adele); // Teams' retry
    const stale = await bot.press(card, 'Save note', adele, 'personal', { note: 'from the old card' });
    expect(JSON.stringify(stale.body)).toContain('since you opened it');
    const events = await bot.store.audit.listForEntity(DEMO_PARTNERSHIP_ID, 'gap', ref);
    expect(events.map((e) => e.action)).toEqual(['gap.created', 'gap.accepted']);
    expect(cardText(onlyCard(await bot.say('my tasks', adele)))).toContain(ref);
  });
});
