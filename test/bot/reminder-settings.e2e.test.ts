import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { actionsOf, cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { adele, alex, megan } from '../support/people.js';

/**
 * Issue 16, items 4 and 7, end to end over HTTP: `reminders off` / `reminders on` (anyone, about
 * themselves), `reminder settings` for coordinators and admins (card and one line, answered to
 * the presser), and Blocked from Planned (actions) and Assigned (gaps).
 */
const PID = DEMO_PARTNERSHIP_ID;

let bot: BotUnderTest;
beforeAll(async () => {
  bot = await BotUnderTest.start();
  // Adele has chatted with the bot, so task cards reach her.
  await bot.say('help', adele);
});
afterAll(async () => {
  await bot?.close();
});

/** The card an Action.Execute answered with (the invoke response, to the presser alone). */
function invokeCard(result: TurnResult): Card {
  const value = (result.body as { value?: unknown }).value;
  if (!value || typeof value !== 'object') throw new Error(`no card in the answer: ${JSON.stringify(result.body)}`);
  return value as Card;
}

function invokeText(result: TurnResult): string {
  return JSON.stringify((result.body as { value?: unknown }).value);
}

const member = async (id: string) => (await bot.store.members.get(id))!;
const partnership = async () => (await bot.store.partnerships.get(PID))!;
const memberTrail = (id: string) => bot.store.audit.listForEntity(PID, 'member', id);
const settingsTrail = () => bot.store.audit.listForEntity(PID, 'partnership', PID);

function inputValue(card: Card, id: string): unknown {
  const find = (items: unknown): unknown => {
    if (!items || typeof items !== 'object') return undefined;
    if (Array.isArray(items)) {
      for (const i of items) {
        const v = find(i);
        if (v !== undefined) return v;
      }
      return undefined;
    }
    const o = items as Record<string, unknown>;
    if (o.id === id) return o.value;
    return find(o.body) ?? find(o.items);
  };
  return find(card.body);
}

describe('reminders off and on, for the person who asks', () => {
  it('turns a partner’s reminders off and on again, audited, and says what still comes', async () => {
    const before = (await memberTrail(adele.aadObjectId)).length;
    const off = cardText(onlyCard(await bot.say('reminders off', adele)));
    expect(off).toContain('Reminders off');
    expect(off).toContain('You will still get a task card when work is assigned to you.');
    expect(off).not.toContain('coordinator');
    expect((await member(adele.aadObjectId)).remindersOff).toBe(true);
    const trail = await memberTrail(adele.aadObjectId);
    expect(trail).toHaveLength(before + 1);
    expect(trail.at(-1)).toMatchObject({
      action: 'member.reminders',
      actor: adele.aadObjectId,
      before: expect.not.objectContaining({ remindersOff: true }),
      after: expect.objectContaining({ remindersOff: true }),
    });

    // Again: nothing written, and it says so.
    const again = cardText(onlyCard(await bot.say('Reminders off', adele)));
    expect(again).toContain('Reminders are already off');
    expect(await memberTrail(adele.aadObjectId)).toHaveLength(before + 1);
    expect(cardText(onlyCard(await bot.say('reminders', adele)))).toContain('Your reminders are off');

    const on = cardText(onlyCard(await bot.say('reminders on', adele)));
    expect(on).toContain('Reminders on');
    expect(on).toContain('7 days before work of yours is due');
    expect((await member(adele.aadObjectId)).remindersOff).toBeUndefined();
    expect(await memberTrail(adele.aadObjectId)).toHaveLength(before + 2);
    expect(cardText(onlyCard(await bot.say('reminders on', adele)))).toContain('Reminders are already on');
    expect(await memberTrail(adele.aadObjectId)).toHaveLength(before + 2);
  });

  it('in a channel or group chat, answers about the person alone; a coordinator still gets escalations', async () => {
    const megans = (await member(megan.aadObjectId)).remindersOff;
    const channel = cardText(onlyCard(await bot.say('reminders off', alex, 'channel')));
    expect(channel).toContain('Alex Wilber: You will no longer get due-date reminders.');
    expect(channel).toContain('as a coordinator, the daily list of work overdue');
    expect((await member(alex.aadObjectId)).remindersOff).toBe(true);
    // Nobody else's setting moved.
    expect((await member(megan.aadObjectId)).remindersOff).toBe(megans);
    expect((await member(adele.aadObjectId)).remindersOff).toBeUndefined();

    const group = cardText(onlyCard(await bot.say('reminders on', alex, 'groupChat')));
    expect(group).toContain('Alex Wilber: You get a reminder in your 1:1 chat');
    expect((await member(alex.aadObjectId)).remindersOff).toBeUndefined();
  });
});

describe('reminder settings', () => {
  it('shows a coordinator the defaults on a card, and Save answers the presser alone, audited', async () => {
    const card = onlyCard(await bot.say('reminder settings', alex));
    const text = cardText(card);
    expect(text).toContain('Reminder settings');
    expect(text).toContain('the defaults');
    expect(text).toContain('Owners are reminded 7 days before');
    expect(text).toContain('overdue by 14 days or more');
    expect(inputValue(card, 'leadDays')).toBe(7);
    expect(inputValue(card, 'escalationDays')).toBe(14);
    expect(actionsOf(card).map((a) => a.title)).toContain('Save');

    const saved = await bot.press(card, 'Save', alex, 'personal', { leadDays: '5', escalationDays: '21' });
    // An invoke response only: nothing posted, nothing replaced in the conversation.
    expect(saved.posted).toEqual([]);
    expect(saved.updated).toEqual([]);
    const after = invokeCard(saved);
    expect(cardText(after)).toContain('Saved by Alex Wilber: lead time 5 days (was 7), escalation 21 days (was 14).');
    expect(inputValue(after, 'leadDays')).toBe(5);
    expect((await partnership()).reminders).toEqual({ leadDays: 5, escalationDays: 21 });
    const trail = await settingsTrail();
    expect(trail.at(-1)).toMatchObject({
      action: 'partnership.reminders',
      actor: alex.aadObjectId,
      before: expect.not.objectContaining({ reminders: expect.anything() }),
      after: expect.objectContaining({ reminders: { leadDays: 5, escalationDays: 21 } }),
    });

    // The same values again: nothing written.
    const same = await bot.press(after, 'Save', alex, 'personal', { leadDays: '5', escalationDays: '21' });
    expect(cardText(invokeCard(same))).toContain('Nothing changed');
    expect(await settingsTrail()).toHaveLength(trail.length);
  });

  it('refuses bad values on the form with clear errors, writing nothing', async () => {
    const card = onlyCard(await bot.say('reminder settings', alex));
    const was = await partnership();
    const events = (await settingsTrail()).length;
    const refused = await bot.press(card, 'Save', alex, 'personal', { leadDays: '40', escalationDays: '0' });
    const text = cardText(invokeCard(refused));
    expect(text).toContain('Nothing was saved. Please correct:');
    expect(text).toContain('The lead time must be a whole number of days from 1 to 28.');
    expect(text).toContain('The escalation threshold must be a whole number of days from 1 to 90.');
    expect(inputValue(invokeCard(refused), 'leadDays')).toBe(40);
    const fraction = await bot.press(card, 'Save', alex, 'personal', { leadDays: '2.5', escalationDays: '' });
    expect(cardText(invokeCard(fraction))).toContain('The lead time must be a whole number of days from 1 to 28.');
    expect(cardText(invokeCard(fraction))).toContain('The escalation threshold is needed (1 to 90 days).');
    // A field the card does not have is refused outright.
    const odd = await bot.press(card, 'Save', alex, 'personal', { leadDays: '5', escalationDays: '9', quiet: 'on' });
    expect(invokeText(odd)).toContain('it sent a field I do not expect (quiet)');
    expect(await partnership()).toEqual(was);
    expect(await settingsTrail()).toHaveLength(events);
  });

  it('a card shown before someone else saved does not overwrite their change', async () => {
    const stale = onlyCard(await bot.say('reminder settings', alex));
    const typed = cardText(onlyCard(await bot.say('reminder settings lead 10 escalate 30', alex)));
    expect(typed).toContain('Reminder settings saved');
    expect(typed).toContain('lead time 10 days (was 5), escalation 30 days (was 21)');
    const late = await bot.press(stale, 'Save', alex, 'personal', { leadDays: '3', escalationDays: '3' });
    const text = cardText(invokeCard(late));
    expect(text).toContain('Someone changed the settings after this card was shown, so nothing was saved.');
    expect(text).toContain('Owners are reminded 10 days before');
    expect((await partnership()).reminders).toEqual({ leadDays: 10, escalationDays: 30 });
  });

  it('takes one line, one setting or both, and explains a line it cannot read', async () => {
    const one = cardText(onlyCard(await bot.say('reminder settings escalate after 45 days', alex, 'groupChat')));
    expect(one).toContain('escalation 45 days (was 30)');
    expect((await partnership()).reminders).toEqual({ leadDays: 10, escalationDays: 45 });

    const events = (await settingsTrail()).length;
    const tooFar = cardText(onlyCard(await bot.say('reminder settings lead 40', alex)));
    expect(tooFar).toContain('Nothing was saved');
    expect(tooFar).toContain('The lead time must be a whole number of days from 1 to 28.');
    const unclear = cardText(onlyCard(await bot.say('reminder settings sooner please', alex)));
    expect(unclear).toContain('How to change reminder settings');
    expect(unclear).toContain('reminder settings lead 5 escalate 21');
    expect(await settingsTrail()).toHaveLength(events);
    expect((await partnership()).reminders).toEqual({ leadDays: 10, escalationDays: 45 });
  });

  it('refuses members who are not coordinators or admins, typed or pressed, in a channel too', async () => {
    const was = await partnership();
    const events = (await settingsTrail()).length;
    for (const where of ['personal', 'channel', 'groupChat'] as const) {
      const typed = cardText(onlyCard(await bot.say('reminder settings lead 3', megan, where)));
      expect(typed).toContain('Not allowed');
      expect(typed).toContain('it needs the coordinator or admin role');
    }
    expect(cardText(onlyCard(await bot.say('reminder settings', adele)))).toContain('Not allowed');

    // The coordinator's card, in the channel where everybody sees it: a partner presses Save.
    const card = onlyCard(await bot.say('reminder settings', alex, 'channel'));
    const pressed = await bot.press(card, 'Save', adele, 'channel', { leadDays: '2', escalationDays: '2' });
    expect(pressed.posted).toEqual([]);
    expect(pressed.updated).toEqual([]);
    expect(invokeText(pressed)).toContain('Your role does not allow that: it needs the coordinator or admin role.');
    expect(await partnership()).toEqual(was);
    expect(await settingsTrail()).toHaveLength(events);

    // The coordinator's own press in the channel: answered to them alone, the channel's card left as it was.
    const saved = await bot.press(card, 'Save', alex, 'channel', { leadDays: '6', escalationDays: '20' });
    expect(saved.posted).toEqual([]);
    expect(saved.updated).toEqual([]);
    expect(cardText(invokeCard(saved))).toContain('Saved by Alex Wilber');
    expect((await partnership()).reminders).toEqual({ leadDays: 6, escalationDays: 20 });
  });
});

describe('Blocked from Planned and Assigned (issue 16, item 7)', () => {
  /** The card's own buttons, as Teams shows them (not those inside the cards they open). */
  function buttons(card: Card): string[] {
    return ((card.actions ?? []) as { title?: string }[]).map((a) => a.title ?? '');
  }
  function refOn(card: Card): string {
    const m = /\b(G|PREP|PURS|PREV|PROT)-\d+\b/.exec(cardText(card));
    if (!m) throw new Error('no reference on the card');
    return m[0];
  }
  const mine = (result: TurnResult, person: { aadObjectId: string }) =>
    onlyCard({
      ...result,
      cards: result.posted
        .filter((p) => p.conversationId === `a:1personal-${person.aadObjectId}`)
        .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card)),
    });

  it('a planned action’s owner presses Blocked, gives the reason, and the card and history show it', async () => {
    const created = await bot.say(
      'new action Everton prevent: Youth diversion sessions at the leisure centre lead Liverpool City Council measure Referrals a quarter due 2027-06-30',
      alex,
    );
    const ref = refOn(mine(created, alex));
    expect((await bot.store.actions.get(PID, ref))!.status).toBe('planned');
    const card = onlyCard(await bot.say(`task ${ref}`, adele));
    expect(buttons(card)).toEqual(['Accept', 'In progress', 'Blocked', 'Add note', 'Cancel']);
    const coordinators = onlyCard(await bot.say(`task ${ref}`, alex));
    expect(buttons(coordinators)).toEqual(['In progress', 'Blocked', 'Add note', 'Cancel', 'Reassign']);

    // The reason is required as before: an empty one is refused, and nothing changes.
    const empty = await bot.press(card, 'Mark blocked', adele, 'personal', { reason: '  ' });
    expect(JSON.stringify(empty.body)).toMatch(/waiting for|reason/i);
    expect((await bot.store.actions.get(PID, ref))!.status).toBe('planned');

    const blocked = await bot.press(card, 'Mark blocked', adele, 'personal', { reason: 'Awaiting funding' });
    const text = cardText(invokeCard(blocked));
    expect(text).toContain('Status: Blocked');
    expect(text).toContain('Latest: Awaiting funding');
    expect(buttons(invokeCard(blocked))).toContain('In progress');
    expect(buttons(invokeCard(blocked))).not.toContain('Blocked');

    const history = cardText(onlyCard(await bot.say(`history ${ref}`, alex)));
    expect(history).toContain('Marked blocked');
    expect(history).toContain('Status: blocked');
    expect(history).toContain('"Awaiting funding"');
  });

  it('an assigned gap can be marked blocked from its card, and resumed', async () => {
    const created = await bot.say(
      'new gap Everton: Which premises take cash from the county line? lead Liverpool City Council due 2027-01-31',
      alex,
    );
    const ref = refOn(mine(created, alex));
    expect((await bot.store.gaps.get(PID, ref))!.status).toBe('assigned');
    const card = onlyCard(await bot.say(`task ${ref}`, adele));
    expect(buttons(card)).toEqual(['Accept', 'In progress', 'Blocked', 'Add note', 'Close (no longer needed)']);
    // A coordinator takes a gap on by Reassign, as an action: five buttons at most.
    const coordinators = onlyCard(await bot.say(`task ${ref}`, alex));
    expect(buttons(coordinators)).toEqual([
      'In progress',
      'Blocked',
      'Add note',
      'Close (no longer needed)',
      'Reassign',
    ]);

    const blocked = invokeCard(
      await bot.press(card, 'Mark blocked', adele, 'personal', { reason: 'Awaiting the licensing list' }),
    );
    expect(cardText(blocked)).toContain('Status: Blocked');
    expect(cardText(blocked)).toContain('Latest: Awaiting the licensing list');
    expect((await bot.store.gaps.get(PID, ref))!.status).toBe('blocked');

    const resumed = invokeCard(await bot.press(blocked, 'In progress', adele));
    expect(cardText(resumed)).toContain('Status: In progress');
    const history = cardText(onlyCard(await bot.say(`history ${ref}`, alex)));
    expect(history).toContain('Marked blocked');
    expect(history).toContain('"Awaiting the licensing list"');

    // Typed, as before: `update G-n blocked: …` now works for a gap in progress.
    const typed = cardText(onlyCard(await bot.say(`update ${ref} blocked: waiting for the council`, adele)));
    expect(typed).toContain('Blocked');
    expect((await bot.store.gaps.get(PID, ref))!.status).toBe('blocked');
  });
});
