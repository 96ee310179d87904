import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import type { Store } from '../../src/store/store.js';
import { actionExecute } from '../support/activities.js';
import { actionsOf, cardText, findAction, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { adele, alex, megan, patti } from '../support/people.js';

/**
 * Issue 19, items 1, 2 and 6, end to end over HTTP on both stores: closing a gap and cancelling
 * an action with a reason; reassigning work in progress (the old owner's card turns read-only);
 * `my tasks` and `overdue` paged with Show more, in the store's order.
 */
const PID = DEMO_PARTNERSHIP_ID;
const DAY = 86_400_000;

function buttons(card: Card): string[] {
  return actionsOf(card)
    .filter((a) => a.verb !== 'task.refresh')
    .map((a) => a.title ?? '');
}

function invokeCard(result: TurnResult): Card {
  const value = (result.body as { value?: unknown }).value;
  if (!value || typeof value !== 'object') throw new Error(`no card in the answer: ${JSON.stringify(result.body)}`);
  return value as Card;
}

function refOn(card: Card): string {
  const m = /\b(G|PREP|PURS|PREV|PROT)-\d+\b/.exec(cardText(card));
  if (!m) throw new Error('no reference on the card');
  return m[0];
}

function mine(result: TurnResult, person: { aadObjectId: string }): Card[] {
  return result.posted
    .filter((p) => p.conversationId === `a:1personal-${person.aadObjectId}`)
    .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card));
}

function lifecycle(name: string, open: () => Promise<{ store?: Store; close: () => Promise<void> }>): void {
  describe(`closing, cancelling, reassigning and paging task lists (${name})`, () => {
    let bot: BotUnderTest;
    let closeStore: () => Promise<void> = async () => undefined;
    // The bot's clock: moved on to make work overdue without writing around the bot.
    let now = Date.now();

    beforeAll(async () => {
      const opened = await open();
      closeStore = opened.close;
      bot = await BotUnderTest.start({ ...(opened.store && { store: opened.store }), clock: () => new Date(now) });
      // Adele and Patti have chatted with the bot, so it can send them task cards.
      await bot.say('help', adele);
      await bot.say('help', patti);
    }, 180_000);

    afterAll(async () => {
      await bot?.close();
      await closeStore();
    });

    /** Every item of a list, page by page through Show more, as the person would see it. */
    async function allPages(command: string, as: typeof adele): Promise<{ refs: string[]; pages: number }> {
      let card = onlyCard(await bot.say(command, as));
      const refs: string[] = [];
      for (let pages = 1; ; pages++) {
        refs.push(...[...cardText(card).matchAll(/^(G|PREP|PURS|PREV|PROT)-\d+\b/gm)].map((m) => m[0]));
        if (!buttons(card).includes('Show more')) return { refs, pages };
        if (pages > 200) throw new Error('Show more never ended');
        card = invokeCard(await bot.press(card, 'Show more', as));
      }
    }

    /**
     * What the store holds as open and due before today, in list order, and which of it an
     * OFFICIAL reader may see: one read each (the contract suite proves the store's order; this
     * proves the bot pages through all of it).
     */
    async function overdueInStore(): Promise<{ visible: string[]; all: number }> {
      const today = new Date(now).toISOString().slice(0, 10);
      const late = [
        ...(await bot.store.gaps.listDueBefore(PID, today, ['open', 'assigned', 'in_progress'], 100_000)),
        ...(await bot.store.actions.listDueBefore(PID, today, ['planned', 'in_progress', 'blocked'], 100_000)),
      ];
      const key = (r: { due?: string; ref: string }) => {
        const [, prefix, n] = /^([A-Z]+)-(\d+)$/.exec(r.ref)!;
        return `${r.due} ${prefix!.padEnd(4)} ${n!.padStart(8, '0')}`;
      };
      late.sort((a, b) => (key(a) < key(b) ? -1 : 1));
      return { visible: late.filter((r) => r.classification === 'OFFICIAL').map((r) => r.ref), all: late.length };
    }

    it('closes a gap no longer needed, with its reason, from chat: it leaves my tasks and overdue and stays in history', async () => {
      const due = new Date(now + 5 * DAY).toISOString().slice(0, 10);
      const created = await bot.say(
        `new gap Everton: Which car washes front cash laundering? owner Adele Vance due ${due}`,
        alex,
      );
      const ref = refOn(mine(created, alex)[0]!);
      now += 10 * DAY;
      expect((await allPages('my tasks', adele)).refs).toContain(ref);
      expect((await allPages('overdue', megan)).refs).toContain(ref);

      // A reason is required; someone outside the owning agency may not; nothing is written.
      const before = await bot.store.gaps.get(PID, ref);
      expect(cardText(onlyCard(await bot.say(`close ${ref}`, adele)))).toContain(
        `Say why it is no longer needed, for example: close ${ref}: <why>. Nothing was changed.`,
      );
      expect(cardText(onlyCard(await bot.say(`close ${ref}: not ours`, patti)))).toContain(
        `Only the owner, members of the owning agency and coordinators can change ${ref}; nothing was changed.`,
      );
      expect(await bot.store.gaps.get(PID, ref)).toEqual(before);

      const closed = cardText(onlyCard(await bot.say(`close ${ref}: superseded by G-19`, adele)));
      expect(closed).toContain('Status: Closed');
      expect(closed).toContain('Why closed: superseded by G-19');
      expect(closed).toMatch(/Closed by Adele Vance, \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
      expect(await bot.store.gaps.get(PID, ref)).toMatchObject({ status: 'closed', resolution: 'superseded by G-19' });
      const events = await bot.store.audit.listForEntity(PID, 'gap', ref);
      expect(events.at(-1)).toMatchObject({
        action: 'gap.closed',
        actor: adele.aadObjectId,
        before: { status: 'assigned' },
        after: { status: 'closed', resolution: 'superseded by G-19' },
      });

      expect((await allPages('my tasks', adele)).refs).not.toContain(ref);
      expect((await allPages('overdue', megan)).refs).not.toContain(ref);
      const history = cardText(onlyCard(await bot.say(`history ${ref}`, megan)));
      expect(history).toContain('Closed (no longer needed)');
      expect(history).toContain('"superseded by G-19"');
    }, 120_000);

    it('cancels an action from its task card with a required reason; a coordinator may too, in chat', async () => {
      const created = await bot.say(
        'new action Everton pursue: Disrupt the car wash lead Liverpool City Council',
        alex,
      );
      const ref = refOn(mine(created, alex)[0]!);
      const card = mine(created, adele)[0]!;
      expect(buttons(card)).toContain('Cancel');
      const refused = await bot.press(card, 'Mark cancelled', adele, 'personal', { why: '  ' });
      expect(JSON.stringify(refused.body)).toContain('Nothing was changed: write why it is no longer needed first.');
      expect((await bot.store.actions.get(PID, ref))?.status).toBe('planned');

      const cancelled = invokeCard(
        await bot.press(card, 'Mark cancelled', adele, 'personal', { why: 'operation ended' }),
      );
      expect(cardText(cancelled)).toContain('Status: Cancelled');
      expect(cardText(cancelled)).toContain('Latest: operation ended');
      expect(buttons(cancelled)).not.toContain('Cancel');
      expect((await bot.store.actions.get(PID, ref))?.status).toBe('cancelled');
      expect((await bot.store.audit.listForEntity(PID, 'action', ref)).at(-1)).toMatchObject({
        action: 'action.cancelled',
        actor: adele.aadObjectId,
        before: { status: 'planned' },
        after: { status: 'cancelled', lastUpdate: 'operation ended' },
      });
      expect((await allPages('my tasks', adele)).refs).not.toContain(ref);
      expect(cardText(onlyCard(await bot.say(`history ${ref}`, megan)))).toContain('Cancelled');

      // `cancel PURS-7: …` by a coordinator, on an action in progress.
      const other = refOn(
        mine(await bot.say('new action Everton pursue: Watch the depot lead Liverpool City Council', alex), alex)[0]!,
      );
      await bot.say(`update ${other} in progress`, adele);
      const chat = cardText(onlyCard(await bot.say(`cancel ${other}: operation ended`, alex)));
      expect(chat).toContain('Status: Cancelled');
      expect((await bot.store.actions.get(PID, other))?.status).toBe('cancelled');
    }, 120_000);

    it('reassigns a gap in progress: the new owner gets the card, the old owner’s card refreshes read-only, history shows both', async () => {
      const created = await bot.say(
        'new gap Everton: Which hand car washes pay staff in cash? lead Liverpool City Council',
        alex,
      );
      const ref = refOn(mine(created, alex)[0]!);
      // Adele got it as a member of the owning agency; Teams refreshes her card for her.
      const adeleCard = mine(created, adele)[0]!;
      const refresh = (adeleCard as { refresh?: { userIds?: string[] } }).refresh;
      expect(refresh?.userIds).toContain(`29:1${adele.aadObjectId}`);
      const accepted = invokeCard(await bot.press(adeleCard, 'Accept', adele));
      expect(cardText(accepted)).toContain('Status: In progress');
      expect(buttons(onlyCard(await bot.say(`task ${ref}`, alex)))).toContain('Reassign');

      const reassigned = await bot.say(`assign ${ref} to Patti Fernandez`, alex);
      const answer = cardText(mine(reassigned, alex)[0]!);
      expect(answer).toContain(`${ref} assigned to Patti Fernandez.`);
      expect(answer).toContain('The task card was sent to Patti Fernandez in their chat with me.');
      expect(answer).toContain('Status: Assigned');
      const pattis = mine(reassigned, patti)[0]!;
      expect(cardText(pattis)).toContain(ref);
      expect(buttons(pattis)).toContain('Accept');

      // Teams refreshes Adele's old card: it is no longer hers to change.
      const refreshed = invokeCard(
        await bot.post(
          actionExecute('task.refresh', { ref }, 'Refresh', {
            from: adele,
            where: 'personal',
            serviceUrl: bot.connector.url,
          }),
        ),
      );
      expect(buttons(refreshed)).toEqual([]);
      expect(cardText(refreshed)).toContain('Only the owner, the owning agency and coordinators can change this.');
      expect(cardText(refreshed)).toContain('Patti Fernandez');
      // And a press on it changes nothing.
      const late = await bot.press(accepted, 'Save note', adele, 'personal', { note: 'still on it' });
      expect(JSON.stringify(late.body)).not.toContain('Note added by Adele');
      expect((await bot.store.gaps.get(PID, ref))?.lastUpdate).toBeUndefined();

      const history = cardText(onlyCard(await bot.say(`history ${ref}`, megan)));
      expect(history).toContain('Owner: Liverpool City Council');
      expect(history).toMatch(/Assigned[\s\S]*Owner: NHS[^\n]*Patti Fernandez/);
    }, 120_000);

    it('pages overdue with Show more: every overdue item once, in the store’s order, and refuses a forged page', async () => {
      const expected = await overdueInStore();
      expect(expected.all).toBeGreaterThan(25);
      const { refs, pages } = await allPages('overdue', megan);
      // OFFICIAL-SENSITIVE items keep their places on a page, counted, not shown.
      expect(pages).toBe(Math.ceil(expected.all / 25));
      expect(refs).toEqual(expected.visible);

      const first = onlyCard(await bot.say('overdue', megan));
      const more = findAction(first, 'Show more');
      const forged = await bot.post(
        actionExecute('tasks.more', { ...(more.data as object), from: -3, list: 'everyone' }, 'Show more', {
          from: megan,
          where: 'personal',
          serviceUrl: bot.connector.url,
        }),
      );
      expect(JSON.stringify(forged.body)).toContain('That button sent something I could not use');
    }, 180_000);
  });
}

lifecycle('SQLite', async () => ({ close: async () => undefined }));

lifecycle('Cosmos DB', async () => {
  const cosmos = createHttpsServer();
  cosmos.listen(0, '127.0.0.1');
  await once(cosmos, 'listening');
  const store = await openCosmosStore({
    endpoint: `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`,
    key: 'the-local-server-ignores-it',
    databaseId: `lifecycle-${randomUUID()}`,
    agent: new https.Agent({ rejectUnauthorized: false }),
    requestTimeoutMs: 10_000,
    endpointDiscovery: false,
  });
  return {
    store,
    close: async () => {
      cosmos.closeAllConnections();
      await new Promise<void>((resolve) => cosmos.close(() => resolve()));
    },
  };
});
