import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { actionExecute } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { cosmosBots } from '../support/cosmos-bots.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex, megan } from '../support/people.js';

/**
 * A district card's refresh on Cosmos DB (the Cosmos server on loopback), with two bot instances
 * on one database as two App Service instances are: a card sent by one, a gap changed through
 * the other, and the card's refresh, answered by either, is the changed card and says so
 * (test/bot/card-refresh.e2e.test.ts covers the rest on SQLite).
 */
const instance = cosmosBots();

async function refreshed(bot: BotUnderTest, card: Card): Promise<string> {
  const { action } = (card as { refresh?: { action: { verb: string; data: unknown } } }).refresh!;
  const activity = actionExecute(action.verb, action.data, 'Refresh', {
    from: megan,
    where: 'personal',
    serviceUrl: bot.connector.url,
  });
  (activity.value as { trigger: string }).trigger = 'automatic';
  const r = await bot.post(activity);
  expect(r.posted).toEqual([]);
  return cardText(onlyCard(r));
}

describe('district card refresh on Cosmos DB, two instances', () => {
  it('a refresh after a change made through the other instance returns the changed card, saying so', async () => {
    const databaseId = `refresh-${randomUUID()}`;
    const first = await instance(databaseId, true);
    const second = await instance(databaseId, false);
    const gaps = onlyCard(await second.say('gaps Everton', megan));
    expect(await refreshed(second, gaps)).toBe(cardText(gaps)); // unchanged: the kept card, as it was

    const question = `Which car washes front cash laundering, ${randomUUID().slice(0, 8)}?`;
    await first.say(`new gap Everton: ${question} lead Liverpool City Council due 2027-01-31`, alex);

    for (const bot of [second, first]) {
      const text = await refreshed(bot, gaps);
      expect(text).toContain('Updated: this district changed since this card was sent.');
      expect(text).toContain(question);
    }
  }, 120_000);
});
