import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { message } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex, megan, stranger } from '../support/people.js';

describe('the bot over HTTP, as Teams talks to it', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('answers help in a personal chat with a card listing every command', async () => {
    const result = await bot.say('help', alex);
    expect(result.status).toBe(200);
    const text = cardText(onlyCard(result));
    expect(text).toContain('What I can do');
    for (const usage of ['summary <district>', 'gaps <district>', 'plan <district>', 'rank', 'help']) {
      expect(text).toContain(usage);
    }
    expect(text).toContain('You are coordinator in Merseyside SOC Partnership (DEMO), cleared to OFFICIAL-SENSITIVE.');
    expect(result.posted[0]!.conversationId).toBe(`a:1personal-${alex.aadObjectId}`);
  });

  it('answers help when @mentioned in a channel, in that channel', async () => {
    const result = await bot.say('help', megan, 'channel');
    const text = cardText(onlyCard(result));
    expect(text).toContain('What I can do');
    expect(result.posted[0]!.conversationId).toMatch(/^19:channel-placeholder@thread\.tacv2;messageid=/);
  });

  it('answers help when @mentioned in a group chat', async () => {
    const result = await bot.say('HELP', megan, 'groupChat');
    expect(cardText(onlyCard(result))).toContain('What I can do');
  });

  it('does not take a sentence that merely contains "help" for the help command', async () => {
    const text = cardText(onlyCard(await bot.say('can you help with Everton', alex)));
    expect(text).toContain("Sorry, I didn't understand that");
    expect(text).not.toContain('What I can do');
  });

  it('welcomes people when the bot is installed', async () => {
    const text = cardText(onlyCard(await bot.install(alex)));
    expect(text).toContain('SOC local profiles');
    expect(text).toContain('You are set up in Merseyside SOC Partnership (DEMO)');
  });

  it('says when it does not understand, and suggests the nearest commands', async () => {
    const card = onlyCard(await bot.say('sumary everton', alex));
    const text = cardText(card);
    expect(text).toContain("Sorry, I didn't understand that");
    expect(text).toContain('[summary everton]');
    const pressed = await bot.press(card, 'summary everton', alex);
    expect(cardText(onlyCard(pressed))).toContain('Everton');
  });

  it('suggests a summary when someone types only a district name', async () => {
    const text = cardText(onlyCard(await bot.say('Kirkdale', alex)));
    expect(text).toContain('[summary Kirkdale]');
  });

  it('shows every card its classification, and DEMO for demo data', async () => {
    for (const command of ['help', 'top 5', 'gibberish words']) {
      const text = cardText(onlyCard(await bot.say(command, megan)));
      expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
    }
  });

  it('tells somebody who is not a member how to become one, and shows nothing else', async () => {
    const result = await bot.say('summary Everton', stranger);
    const text = cardText(onlyCard(result));
    expect(text).toContain('Not a member yet');
    expect(text).toContain(stranger.aadObjectId);
    expect(text).not.toContain('Threat');
  });

  it('stores the conversation reference on a turn, for proactive messages later', async () => {
    await bot.say('help', megan);
    const ref = await bot.store.conversations.findPersonal('11111111-2222-3333-4444-555555555555', megan.aadObjectId);
    expect(ref?.conversationId).toBe(`a:1personal-${megan.aadObjectId}`);
    expect(ref?.serviceUrl).toBe(bot.connector.url);
    expect(ref?.reference).toMatchObject({ conversation: { id: `a:1personal-${megan.aadObjectId}` } });
  });

  it('refuses a malformed activity with 400 and does not reply', async () => {
    const before = bot.connector.posted.length;
    const missing = await bot.post({ type: 'message', text: 'help' });
    expect(missing.status).toBe(400);
    expect(JSON.stringify(missing.body)).toContain('conversation');
    const res = await fetch(bot.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(res.status).toBe(400);
    const wrongService = message('help', { from: alex, where: 'personal', serviceUrl: 'file:///etc/passwd' });
    expect((await bot.post(wrongService)).status).toBe(400);
    expect(bot.connector.posted.length).toBe(before);
  });

  it('reports health and readiness', async () => {
    const base = bot.running.url;
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ status: 'ready', store: 'sqlite' });
  });
});

describe('when the store cannot be reached', () => {
  it('fails readiness and answers "unavailable, try again" instead of crashing', async () => {
    const bot = await BotUnderTest.start();
    try {
      await bot.say('help', alex); // warm: the member is cached, so the failure is in the profile read
      await bot.store.close();
      const ready = await fetch(`${bot.running.url}/readyz`);
      expect(ready.status).toBe(503);
      const result = await bot.say('summary Everton', alex);
      expect(result.status).toBe(200);
      const text = cardText(onlyCard(result));
      expect(text).toContain('Store unavailable');
      expect(text).toContain('nothing was read or changed');
    } finally {
      await bot.connector.close();
      await bot.running.server.close();
    }
  });
});

describe('with Bot Framework authentication configured', () => {
  it('refuses a request that carries no token, and does nothing with it', async () => {
    const bot = await BotUnderTest.start({
      env: {
        MicrosoftAppId: '33333333-4444-5555-6666-777777777777',
        MicrosoftAppPassword: 'not-a-real-secret',
        MicrosoftAppTenantId: '11111111-2222-3333-4444-555555555555',
        MicrosoftAppType: 'SingleTenant',
        ALLOWED_TENANT_IDS: '11111111-2222-3333-4444-555555555555',
      },
    });
    try {
      const result = await bot.say('help', alex);
      expect(result.status).toBe(401);
      expect(result.posted).toHaveLength(0);
      const forged = await bot.post(message('help', { from: alex, where: 'personal', serviceUrl: bot.connector.url }), {
        headers: { authorization: 'Bearer not.a.token' },
      });
      expect(forged.status).toBe(401);
      expect(bot.connector.posted).toHaveLength(0);
      expect(
        await bot.store.conversations.findPersonal('11111111-2222-3333-4444-555555555555', alex.aadObjectId),
      ).toBeUndefined();
    } finally {
      await bot.close();
    }
  });
});
