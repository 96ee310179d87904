import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { DistrictDirectory } from '../../src/services/district-directory.js';
import { Membership } from '../../src/services/membership.js';
import { Tasks } from '../../src/services/tasks.js';
import type { Where } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { alex, megan } from '../support/people.js';

/**
 * Issue 13, finding 3: OFFICIAL-SENSITIVE text never reaches a channel or group chat on create,
 * and forms are answered to whoever submitted them, never replaced for the whole conversation.
 */
const PID = DEMO_PARTNERSHIP_ID;
const EVERTON = 'E05000896';
const COUNCIL = 'liverpool-city-council';
const SHARED: Where[] = ['channel', 'groupChat'];
const IN_1TO1 = 'create it in your 1:1 chat with me';

let bot: BotUnderTest;
beforeAll(async () => {
  bot = await BotUnderTest.start();
  await bot.say('help', alex);
});
afterAll(async () => {
  await bot?.close();
});

/** Everything the bot sent anyone during the turn, as text: the invoke response, posts and updates. */
function everythingSent(r: TurnResult): string {
  return JSON.stringify([r.body, r.posted, r.updated]);
}

function invokeCard(r: TurnResult): Card {
  const value = (r.body as { value?: unknown }).value;
  if (!value || typeof value !== 'object') throw new Error(`no card in the invoke response: ${JSON.stringify(r.body)}`);
  return value as Card;
}

function classificationChoices(form: Card): string[] {
  const input = (form.body as { id?: string; choices?: { value: string }[] }[]).find((e) => e.id === 'classification');
  return (input?.choices ?? []).map((c) => c.value);
}

async function counts() {
  const [gaps, actions] = await Promise.all([
    bot.store.gaps.listByDistrict(PID, EVERTON),
    bot.store.actions.listByDistrict(PID, EVERTON),
  ]);
  return { gaps: gaps.length, actions: actions.length };
}

function refOn(card: Card): string {
  const m = /\b(G|PREP|PURS|PREV|PROT)-\d+\b/.exec(cardText(card));
  if (!m) throw new Error('no reference on the card');
  return m[0];
}

/** The card the turn sent to alex's own 1:1 chat. */
function alexCard(r: TurnResult): Card {
  const mine = r.posted.filter((p) => p.conversationId === `a:1personal-${alex.aadObjectId}`);
  return onlyCard({
    ...r,
    posted: mine,
    cards: mine.flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card)),
  });
}

const GAP_FORM = { agency: COUNCIL, owner: '', due: '2027-02-28', noPersonalData: 'true' };
const ACTION_FORM = {
  strand: 'prevent',
  agency: COUNCIL,
  owner: '',
  due: '2027-02-28',
  impactMeasure: 'Referrals made',
  impactBefore: '',
  fromGap: '',
  noPersonalData: 'true',
};

describe.each(SHARED)('in a %s', (where) => {
  it('the new-gap and new-action forms never offer OFFICIAL-SENSITIVE, and say where it is made', async () => {
    for (const command of ['new gap Everton', 'new action Everton prevent']) {
      const form = onlyCard(await bot.say(command, alex, where));
      expect(classificationChoices(form), command).toEqual(['OFFICIAL']);
      expect(JSON.stringify(form)).toContain('OFFICIAL-SENSITIVE items are created in your 1:1 chat with me');
    }
  });

  it('a form submitted as OFFICIAL-SENSITIVE is refused to the submitter alone, shows nothing, writes nothing', async () => {
    const before = await counts();
    for (const [command, button, inputs] of [
      ['new gap Everton', 'Raise gap', GAP_FORM],
      ['new action Everton prevent', 'Add action', ACTION_FORM],
    ] as const) {
      const form = onlyCard(await bot.say(command, alex, where));
      const text = `Which officers leak to OCG-14 ${where} ${button}?`;
      const r = await bot.press(form, button, alex, where, { ...inputs, text, classification: 'OFFICIAL-SENSITIVE' });
      expect(JSON.stringify(r.body)).toContain(IN_1TO1);
      expect(r.updated, 'nothing replaced for the conversation').toEqual([]);
      expect(r.posted).toEqual([]);
      expect(everythingSent(r)).not.toContain(text);
    }
    expect(await counts()).toEqual(before);
  });

  it('a sensitive draft with a mistake is never shown again, to anyone', async () => {
    const before = await counts();
    const form = onlyCard(await bot.say('new gap Everton', alex, where));
    const text = `Which nominals does OCG-14 use in ${where}?`;
    const r = await bot.press(form, 'Raise gap', alex, where, {
      ...GAP_FORM,
      due: '2020-01-01',
      text,
      classification: 'OFFICIAL-SENSITIVE',
    });
    expect(JSON.stringify(r.body)).toContain(IN_1TO1);
    expect(everythingSent(r)).not.toContain(text);
    expect(r.updated).toEqual([]);
    expect(await counts()).toEqual(before);
  });

  it('an OFFICIAL form, with a mistake and then right, is answered to the submitter, not replaced for all', async () => {
    const form = onlyCard(await bot.say('new gap Everton', alex, where));
    const wrong = await bot.press(form, 'Raise gap', alex, where, {
      ...GAP_FORM,
      text: '',
      classification: 'OFFICIAL',
    });
    expect(cardText(invokeCard(wrong))).toContain('The question is needed.');
    expect(wrong.updated).toEqual([]);
    expect(wrong.posted).toEqual([]);
    const ok = await bot.press(invokeCard(wrong), 'Raise gap', alex, where, {
      ...GAP_FORM,
      text: `Which car washes in ${where} front laundering?`,
      classification: 'OFFICIAL',
    });
    expect(cardText(invokeCard(ok))).toMatch(/G-\d+ created/);
    expect(ok.updated, 'the created card goes to the submitter, not in place for everyone').toEqual([]);
  });

  it('a one-line create marked OFFICIAL-SENSITIVE is refused with where to do it, and writes nothing', async () => {
    const before = await counts();
    const audits = (await bot.store.audit.listForEntity(PID, 'gap', 'G-1')).length;
    for (const line of [
      `new gap Everton: Which officers are compromised in ${where}? lead Liverpool City Council OFFICIAL-SENSITIVE`,
      `new action Everton prevent: Covert watch on OCG-14 in ${where} lead Liverpool City Council OFFICIAL-SENSITIVE`,
    ]) {
      const r = await bot.say(line, alex, where);
      const text = cardText(onlyCard(r));
      expect(text).toContain(IN_1TO1);
      expect(everythingSent(r)).not.toContain('compromised');
      expect(everythingSent(r)).not.toContain('Covert watch');
    }
    expect(await counts()).toEqual(before);
    expect((await bot.store.audit.listForEntity(PID, 'gap', 'G-1')).length).toBe(audits);
  });

  it('an OFFICIAL-SENSITIVE item cannot be edited or assigned here; the store is unchanged', async () => {
    const ref = refOn(
      alexCard(
        await bot.say(
          'new gap Everton: Which staff are corrupted? lead Liverpool City Council OFFICIAL-SENSITIVE',
          alex,
        ),
      ),
    );
    const before = await bot.store.gaps.get(PID, ref);
    for (const line of [`update ${ref} note: the list is in`, `assign ${ref} to Merseyside Police`, `accept ${ref}`]) {
      const r = await bot.say(line, alex, where);
      expect(cardText(onlyCard(r)), line).toContain('OFFICIAL-SENSITIVE items are shown only in a 1:1 chat');
      expect(everythingSent(r)).not.toContain('corrupted');
    }
    expect(await bot.store.gaps.get(PID, ref)).toEqual(before);
  });

  it("the Led to of a gap's task card and of the district's gaps list names no OFFICIAL-SENSITIVE action", async () => {
    const gapRef = refOn(
      alexCard(await bot.say(`new gap Everton: Which gyms host dealing (${where})? lead Liverpool City Council`, alex)),
    );
    const secret = refOn(
      alexCard(
        await bot.say(
          `new action Everton prevent: Covert work at the gyms lead Liverpool City Council from ${gapRef} OFFICIAL-SENSITIVE`,
          alex,
        ),
      ),
    );
    const open = refOn(
      alexCard(
        await bot.say(`new action Everton prevent: Gym outreach lead Liverpool City Council from ${gapRef}`, alex),
      ),
    );
    const shared = cardText(onlyCard(await bot.say(`task ${gapRef}`, alex, where)));
    expect(shared).toContain(`Led to: ${open}`);
    expect(shared).not.toContain(secret);
    // The cleared coordinator still sees both in their 1:1 chat.
    expect(cardText(onlyCard(await bot.say(`task ${gapRef}`, alex)))).toContain(`Led to: ${secret}, ${open}`);

    // And so does the district's list of gaps.
    const list = cardText(onlyCard(await bot.say('gaps Everton', alex, where)));
    expect(list).toContain(`Led to ${open}`);
    expect(list).not.toContain(secret);
    expect(cardText(onlyCard(await bot.say('gaps Everton', alex)))).toContain(`Led to ${secret}, ${open}`);

    // A member not cleared for OFFICIAL-SENSITIVE, in their own 1:1 chat, sees neither name it.
    const megansList = cardText(onlyCard(await bot.say('gaps Everton', megan)));
    expect(megansList).toContain(`Led to ${open}`);
    expect(megansList).not.toContain(secret);
    const megansCard = cardText(onlyCard(await bot.say(`task ${gapRef}`, megan)));
    expect(megansCard).toContain(`Led to: ${open}`);
    expect(megansCard).not.toContain(secret);
  });
});

describe('in a 1:1 chat with a cleared member', () => {
  it('the form offers OFFICIAL-SENSITIVE, shows a sensitive draft again under its own banner, and creates it', async () => {
    const form = onlyCard(await bot.say('new gap Everton', alex));
    expect(classificationChoices(form)).toEqual(['OFFICIAL', 'OFFICIAL-SENSITIVE']);
    const text = 'Which officers leak to OCG-14 (1:1)?';
    const wrong = await bot.press(form, 'Raise gap', alex, 'personal', {
      ...GAP_FORM,
      due: '2020-01-01',
      text,
      classification: 'OFFICIAL-SENSITIVE',
    });
    expect(cardText(invokeCard(wrong)).split('\n')[0]).toBe('OFFICIAL-SENSITIVE · DEMO DATA, NOT A REAL PROFILE');
    const ok = await bot.press(invokeCard(wrong), 'Raise gap', alex, 'personal', {
      ...GAP_FORM,
      text,
      classification: 'OFFICIAL-SENSITIVE',
    });
    const card = invokeCard(ok);
    expect(cardText(card).split('\n')[0]).toBe('OFFICIAL-SENSITIVE · DEMO DATA, NOT A REAL PROFILE');
    expect((await bot.store.gaps.get(PID, refOn(card)))?.classification).toBe('OFFICIAL-SENSITIVE');
  });

  it('a one-line OFFICIAL-SENSITIVE create works', async () => {
    const r = await bot.say(
      'new gap Everton: Which clerks sell records? lead Liverpool City Council OFFICIAL-SENSITIVE',
      alex,
    );
    const ref = refOn(alexCard(r));
    expect((await bot.store.gaps.get(PID, ref))?.classification).toBe('OFFICIAL-SENSITIVE');
  });
});

describe('Tasks.view, the last line', () => {
  it('refuses to compose a sensitive task for a viewer in a shared conversation', async () => {
    const tasks = new Tasks(bot.store, new DistrictDirectory(bot.store), () => new Date());
    const req = await new Membership(bot.store).resolve(alex.aadObjectId, undefined);
    const personal = { clearance: 'OFFICIAL-SENSITIVE', conversation: 'personal' } as const;
    const stored = await tasks.createGap(req, personal, {
      districtId: EVERTON,
      question: 'Which door staff are bribed?',
      classification: 'OFFICIAL-SENSITIVE',
      noPersonalData: 'typed',
    });
    await expect(tasks.view(req, personal, req.member, stored)).resolves.toBeTruthy();
    for (const conversation of ['channel', 'groupChat'] as const) {
      await expect(
        tasks.view(req, { clearance: 'OFFICIAL-SENSITIVE', conversation }, req.member, stored),
      ).rejects.toThrow('OFFICIAL-SENSITIVE items are shown only in a 1:1 chat');
    }
  });
});
