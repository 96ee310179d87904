import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import {
  queryLink,
  searchQuery,
  selectItem,
  TENANT_ID,
  type Activity,
  type Addressing,
  type Person,
  type Where,
} from '../support/activities.js';
import { actionsOf, cardProblems, cardText, classificationProblems, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { alex, megan, stranger } from '../support/people.js';

/**
 * Issue 17, items 2 and 3: the search box in any compose box, and previews of the bot's own
 * district links, over HTTP as Teams sends them, under the classification rules: nothing
 * OFFICIAL-SENSITIVE unless the conversation is proven to be the person's own 1:1 chat with the
 * bot, nothing at all for a non-member, and only the requester's own partnership.
 */
const PID = DEMO_PARTNERSHIP_ID;
const EVERTON = 'E05000896';
const BIRKENHEAD = 'E05000956'; // an OFFICIAL and an OFFICIAL-SENSITIVE OCG
const DOMAIN = 'soc-profiles.example.org';
const link = (pid: string, districtId: string) => `https://${DOMAIN}/districts/${pid}/${districtId}`;
/** A 1:1 chat between two people: Teams calls it "personal" too, and the bot is not in it. */
const HUMAN_1TO1 = 'a:1chat-between-two-people';

interface MeAttachment {
  contentType: string;
  content: Record<string, unknown>;
  preview?: { contentType: string; content: Record<string, unknown> };
}
interface MeResult {
  type: string;
  text?: string;
  attachmentLayout?: string;
  attachments?: MeAttachment[];
}

let bot: BotUnderTest;
const at = (as: Person, where: Where = 'personal', conversationId?: string): Addressing => ({
  from: as,
  where,
  serviceUrl: bot.connector.url,
  ...(conversationId ? { conversationId } : {}),
});

/** The composeExtension answer of an invoke, after checking it is one. */
function answerOf(r: TurnResult): MeResult {
  expect(r.status).toBe(200);
  const body = r.body as { composeExtension?: MeResult } | undefined;
  if (!body?.composeExtension) throw new Error(`no composeExtension in the answer: ${JSON.stringify(r.body)}`);
  // Nothing is ever posted into the conversation: the answer goes to the person writing.
  expect(r.posted).toEqual([]);
  return body.composeExtension;
}

/** The one card a selectItem or queryLink answered with, checked as Teams would render it there. */
function insertedCard(r: TurnResult, where: string, version = '1.5'): Card {
  const result = answerOf(r);
  expect(result).toMatchObject({ type: 'result', attachmentLayout: 'list' });
  expect(result.attachments).toHaveLength(1);
  const [a] = result.attachments!;
  expect(a!.contentType).toBe('application/vnd.microsoft.card.adaptive');
  const card = a!.content as Card;
  expect(card.version).toBe(version);
  expect([...cardProblems({ ...card, version: '1.5' }), ...classificationProblems(card, where)]).toEqual([]);
  // No buttons: in a chat the bot is not part of they could not work.
  expect(actionsOf(card)).toEqual([]);
  return card;
}

beforeAll(async () => {
  bot = await BotUnderTest.start({ env: { BOT_DOMAIN: DOMAIN } });
  // Their 1:1 chats with the bot, as a message there records them.
  await bot.say('help', alex);
  await bot.say('help', megan);
});
afterAll(async () => {
  await bot?.close();
});

describe('the search box', () => {
  it('lists matching districts by name, authority and harm rank, fuzzily, with nothing of the profile', async () => {
    const result = answerOf(await bot.post(searchQuery('evrton', at(alex, 'channel'))));
    expect(result).toMatchObject({ type: 'result', attachmentLayout: 'list' });
    const first = result.attachments![0]!;
    const everton = await bot.store.profiles.get(PID, EVERTON);
    const line = {
      title: 'Everton',
      subtitle: 'Liverpool',
      text: `Harm rank ${everton!.threat.severity!.rank} of ${everton!.threat.severity!.outOf}`,
    };
    expect(first.content).toEqual(line);
    expect(first.preview).toEqual({
      contentType: 'application/vnd.microsoft.card.thumbnail',
      content: { ...line, tap: { type: 'invoke', value: { districtId: EVERTON } } },
    });
    // Several candidates for a loose name; each line only name, authority and rank.
    const several = answerOf(await bot.post(searchQuery('Birkenhead', at(alex, 'groupChat'))));
    expect(several.attachments!.length).toBeGreaterThanOrEqual(1);
    for (const a of several.attachments!) {
      expect(Object.keys(a.content).sort()).toEqual(['subtitle', 'text', 'title']);
      expect(Object.keys(a.preview!.content).sort()).toEqual(['subtitle', 'tap', 'text', 'title']);
    }
  });

  it('lists the highest-harm districts when nothing is typed yet, and nothing on a second page', async () => {
    const top = answerOf(await bot.post(searchQuery('', at(megan))));
    expect(top.attachments).toHaveLength(6);
    expect(top.attachments![0]!.content.text).toBe(`Harm rank 1 of ${(await rankOutOf())!}`);
    const page2 = answerOf(
      await bot.post(searchQuery('Everton', at(megan), { queryOptions: { skip: 25, count: 25 } })),
    );
    expect(page2).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
  });

  it('answers an odd or forged search with what to type, never a stack trace', async () => {
    const unreadable = 'That search could not be read. Type part of a ward name, for example Everton.';
    const cases: Activity[] = [
      searchQuery('x'.repeat(101), at(alex)),
      searchQuery('<script>alert(1)</script>', at(alex)),
      searchQuery('', at(alex), { parameters: [{ name: 'sql', value: "' or 1=1" }] }),
      searchQuery('', at(alex), { parameters: [{ name: 'district', value: { $gt: '' } }] }),
      searchQuery('', at(alex), { parameters: 'Everton' }),
    ];
    for (const activity of cases) {
      expect(answerOf(await bot.post(activity))).toEqual({ type: 'message', text: unreadable });
    }
    expect(answerOf(await bot.post(searchQuery('Everton', at(alex), { commandId: 'searchQuery' })))).toEqual({
      type: 'message',
      text: unreadable,
    });
    const forgedItem = answerOf(await bot.post(selectItem({ districtId: EVERTON, partnershipId: 'other' }, at(alex))));
    expect(forgedItem.type).toBe('message');
    expect(forgedItem.text).toMatch(/^That result could not be read/);
    const unknownItem = answerOf(await bot.post(selectItem({ districtId: 'E05999999' }, at(alex))));
    expect(unknownItem.text).toMatch(/no longer exists or is not in your partnership/);
  });
});

describe('a chosen district inserts its summary card', () => {
  it("OFFICIAL-SENSITIVE in the cleared person's own 1:1 chat with the bot", async () => {
    const card = insertedCard(await bot.post(selectItem({ districtId: BIRKENHEAD }, at(alex))), 'personal');
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('OFFICIAL-SENSITIVE · DEMO DATA, NOT A REAL PROFILE');
    expect(text).not.toContain('not shown here');
    expect(text).toContain(`Link to this district (paste it in a chat for a preview): ${link(PID, BIRKENHEAD)}`);
  });

  it('the OFFICIAL view in a 1:1 chat between two people, which says "personal" too, and that chat is not remembered', async () => {
    const { ocg } = await sensitiveOcg();
    const r = await bot.post(selectItem({ districtId: BIRKENHEAD }, at(alex, 'personal', HUMAN_1TO1)));
    // Checked as if for a group chat: another person reads it.
    const text = cardText(insertedCard(r, 'groupChat'));
    expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
    expect(text).toContain('1 not shown here');
    expect(text).not.toContain(`MoRILE score ${ocg.morileScore}`);
    expect(await bot.store.conversations.get(TENANT_ID, HUMAN_1TO1)).toBeUndefined();
    // Nor does a search from it make it pass for alex's chat with the bot afterwards.
    await bot.post(searchQuery('Birkenhead', at(alex, 'personal', HUMAN_1TO1)));
    const again = cardText(
      insertedCard(
        await bot.post(selectItem({ districtId: BIRKENHEAD }, at(alex, 'personal', HUMAN_1TO1))),
        'groupChat',
      ),
    );
    expect(again.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
  });

  it('the OFFICIAL view in a group chat and a channel, even to a cleared member', async () => {
    const { ocg } = await sensitiveOcg();
    for (const where of ['groupChat', 'channel'] as const) {
      const text = cardText(
        insertedCard(await bot.post(selectItem({ districtId: BIRKENHEAD }, at(alex, where))), where),
      );
      expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
      expect(text).toContain('1 not shown here');
      expect(text).not.toContain(`MoRILE score ${ocg.morileScore}`);
    }
  });

  it('the OFFICIAL view to a member without the clearance, in their own 1:1 chat with the bot', async () => {
    const text = cardText(insertedCard(await bot.post(selectItem({ districtId: BIRKENHEAD }, at(megan))), 'personal'));
    expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
    expect(text).toContain('1 not shown here');
  });
});

describe("the bot's own district links", () => {
  it('unfurl into the summary card (Adaptive Card 1.3, as Teams previews links), always the OFFICIAL view', async () => {
    const { ocg } = await sensitiveOcg();
    // Teams keeps a preview for 30 minutes, for whoever pastes the link: even in alex's own 1:1
    // chat with the bot, the preview is fit for anyone.
    for (const [where, conversationId] of [
      ['personal', undefined],
      ['channel', undefined],
      ['groupChat', undefined],
      ['personal', HUMAN_1TO1],
    ] as const) {
      const r = await bot.post(queryLink(link(PID, BIRKENHEAD), at(alex, where, conversationId)));
      const text = cardText(insertedCard(r, 'groupChat', '1.3'));
      expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
      expect(text).toContain('Birkenhead and Tranmere');
      expect(text).toContain('1 not shown here');
      expect(text).not.toContain(`MoRILE score ${ocg.morileScore}`);
    }
  });

  it('and nothing else: other domains, other paths, look-alikes and unknown districts get no preview', async () => {
    const none = { type: 'result', attachmentLayout: 'list', attachments: [] };
    for (const url of [
      `https://example.org/districts/${PID}/${EVERTON}`,
      `https://${DOMAIN}.evil.example/districts/${PID}/${EVERTON}`,
      `http://${DOMAIN}/districts/${PID}/${EVERTON}`,
      `https://${DOMAIN}:8443/districts/${PID}/${EVERTON}`,
      `https://someone@${DOMAIN}/districts/${PID}/${EVERTON}`,
      `https://${DOMAIN}/districts/${PID}/${EVERTON}?x=1`,
      `https://${DOMAIN}/districts/${PID}/${EVERTON}/gaps`,
      `https://${DOMAIN}/districts/${PID}/..%2F${EVERTON}`,
      `https://${DOMAIN}/districts/${PID}/E05999999`,
      `https://${DOMAIN}/`,
      'not a url',
      `https://${DOMAIN}/districts/${PID}/${'E'.repeat(400)}`,
    ]) {
      expect(answerOf(await bot.post(queryLink(url, at(alex)))), url).toEqual(none);
    }
  });

  it('are put on the summary card in chat', async () => {
    const text = cardText(onlyCard(await bot.say('summary Everton', megan, 'channel')));
    expect(text).toContain(link(PID, EVERTON));
  });
});

describe('the guard in front of the message extension', () => {
  it('tells a non-member they are not a member, naming no district, for a search, a choice and a link', async () => {
    const answers = [
      await bot.post(searchQuery('Everton', at(stranger, 'channel'))),
      await bot.post(searchQuery('', at(stranger))),
      await bot.post(selectItem({ districtId: EVERTON }, at(stranger, 'groupChat'))),
      await bot.post(queryLink(link(PID, EVERTON), at(stranger))),
    ].map(answerOf);
    for (const a of answers) {
      expect(a.type).toBe('message');
      expect(a.text).toMatch(/^You are not a member of a partnership that uses this bot/);
      expect(a.text).toContain(stranger.aadObjectId);
    }
    const said = JSON.stringify(answers);
    for (const name of ['Everton', 'Birkenhead', 'Kirkdale', 'Liverpool']) expect(said).not.toContain(name);
    expect(await bot.store.conversations.get(TENANT_ID, `a:1personal-${stranger.aadObjectId}`)).toBeUndefined();
  });

  it("gives a member of another partnership their own districts only, and nothing of this one's", async () => {
    const admin = new MemberAdmin(bot.store, () => new Date(), 'system:test');
    await admin.addPartnership({ id: 'wy', name: 'West Yorkshire SOC Board', force: 'West Yorkshire Police' });
    await admin.addAgency({ partnershipId: 'wy', id: 'wyp', name: 'West Yorkshire Police', sector: 'police' });
    const outsider: Person = { aadObjectId: 'dddddddd-1111-2222-3333-555555555555', name: 'Wy Coordinator' };
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: outsider.aadObjectId,
      displayName: outsider.name,
      agencyId: 'wyp',
      roles: ['coordinator'],
      clearance: 'OFFICIAL-SENSITIVE',
    });
    await bot.say('help', outsider);
    const seen = [
      await bot.post(searchQuery('Everton', at(outsider))),
      await bot.post(searchQuery('', at(outsider))),
      await bot.post(selectItem({ districtId: EVERTON }, at(outsider))),
      await bot.post(queryLink(link(PID, EVERTON), at(outsider))),
    ].map(answerOf);
    expect(seen[0]).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    expect(seen[1]).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    expect(seen[2]!.text).toMatch(/no longer exists or is not in your partnership/);
    expect(seen[3]).toEqual({ type: 'result', attachmentLayout: 'list', attachments: [] });
    expect(JSON.stringify(seen)).not.toMatch(/Liverpool|Harm rank|OFFICIAL/);
  });

  it('drops an invoke from any channel but Teams without reading or answering anything', async () => {
    for (const activity of [
      searchQuery('Everton', at(alex)),
      selectItem({ districtId: BIRKENHEAD }, at(alex)),
      queryLink(link(PID, BIRKENHEAD), at(alex)),
    ]) {
      activity.channelId = 'webchat';
      const r = await bot.post(activity);
      expect(JSON.stringify(r.body ?? '')).not.toMatch(/Everton|Birkenhead|composeExtension/);
      expect(r.posted).toEqual([]);
    }
  });

  it('holds searches to the command rate, answering in the search box', async () => {
    const limited = await BotUnderTest.start({
      env: { BOT_DOMAIN: DOMAIN, COMMANDS_PER_MINUTE: '30', COMMAND_BURST: '3' },
    });
    try {
      const where = { from: alex, where: 'personal' as const, serviceUrl: limited.connector.url };
      const answers: MeResult[] = [];
      for (let i = 0; i < 4; i++) answers.push(answerOf(await limited.post(searchQuery('Everton', where))));
      expect(answers.slice(0, 3).map((a) => a.type)).toEqual(['result', 'result', 'result']);
      expect(answers[3]!.type).toBe('message');
      expect(answers[3]!.text).toMatch(/^You have sent a lot of commands in a short time/);
    } finally {
      await limited.close();
    }
  });
});

async function sensitiveOcg() {
  const profile = await bot.store.profiles.get(PID, BIRKENHEAD);
  return { ocg: profile!.threat.ocgs.find((o) => o.classification === 'OFFICIAL-SENSITIVE')! };
}

async function rankOutOf(): Promise<number | undefined> {
  return (await bot.store.profiles.get(PID, EVERTON))?.threat.severity?.outOf;
}
