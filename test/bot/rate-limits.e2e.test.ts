import { afterEach, describe, expect, it } from 'vitest';
import { VERB } from '../../src/bot/verbs.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { actionExecute } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { alex } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;

function answer(r: TurnResult): string {
  if (r.cards.length) return r.cards.map(cardText).join('\n---\n');
  return JSON.stringify(r.body ?? '');
}

describe('per-user limits', () => {
  const bots: BotUnderTest[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.close();
  });

  it('40 task cards refreshed by Teams at once are all answered with the card, and typed commands keep their own limit', async () => {
    // The configuration's defaults: 30 commands a minute, 10 at once.
    const bot = await BotUnderTest.start({ env: { COMMANDS_PER_MINUTE: '30', COMMAND_BURST: '10' } });
    bots.push(bot);
    const districts = await bot.store.districts.listNames(PID);
    const refs: string[] = [];
    for (const d of districts) {
      for (const g of await bot.store.gaps.listByDistrict(PID, d.id)) {
        if (g.classification === 'OFFICIAL' && refs.length < 40) refs.push(g.ref);
      }
      if (refs.length >= 40) break;
    }
    expect(refs).toHaveLength(40);
    const where = { from: alex, where: 'personal' as const, serviceUrl: bot.connector.url };
    const results = await Promise.all(
      refs.map((ref) => {
        const refresh = actionExecute(VERB.taskRefresh, { ref }, 'Refresh', where);
        (refresh as { value: { trigger: string } }).value.trigger = 'automatic';
        return bot.post(refresh);
      }),
    );
    for (const [i, r] of results.entries()) {
      expect(r.status, refs[i]).toBe(200);
      expect(answer(r), refs[i]).not.toContain('You have sent a lot of commands');
      expect(answer(r), refs[i]).toContain(refs[i]!);
    }
    // The manual limit is as it was: ten typed commands, then "slow down".
    for (let i = 0; i < 10; i++) expect(cardText(onlyCard(await bot.say('help', alex)))).not.toContain('Slow down');
    expect(cardText(onlyCard(await bot.say('help', alex)))).toContain('Slow down');
  }, 120_000);

  it('with BOT_INSTANCES=3 each instance allows a third of the per-user burst', async () => {
    const bot = await BotUnderTest.start({
      env: { COMMANDS_PER_MINUTE: '30', COMMAND_BURST: '9', BOT_INSTANCES: '3' },
    });
    bots.push(bot);
    for (let i = 0; i < 3; i++) expect(cardText(onlyCard(await bot.say('help', alex)))).not.toContain('Slow down');
    expect(cardText(onlyCard(await bot.say('help', alex)))).toContain('Slow down');
  }, 60_000);
});
