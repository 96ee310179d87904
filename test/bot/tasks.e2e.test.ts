import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FourPAction } from '../../src/domain/action.js';
import type { IntelligenceGap } from '../../src/domain/gap.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { actionsOf, cardText, type Card } from '../support/cards.js';
import { TENANT_ID } from '../support/activities.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { adele, alex, isaiah, megan, patti } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;
const EVERTON = 'E05000896';
const COUNCIL = 'liverpool-city-council';

let bot: BotUnderTest;
beforeAll(async () => {
  bot = await BotUnderTest.start();
  // Adele has chatted with the bot, so it holds her 1:1 conversation reference; Patti has not.
  await bot.say('help', adele);
});
afterAll(async () => {
  await bot?.close();
});

/** The buttons a person can press (the refresh is Teams', not theirs). */
function buttons(card: Card): string[] {
  return actionsOf(card)
    .filter((a) => a.verb !== 'task.refresh')
    .map((a) => a.title ?? '');
}

/** The card an Action.Execute answered with (the invoke response). */
function invokeCard(result: TurnResult): Card {
  const value = (result.body as { value?: unknown }).value;
  if (!value || typeof value !== 'object')
    throw new Error(`no card in the invoke response: ${JSON.stringify(result.body)}`);
  return value as Card;
}

function invokeText(result: TurnResult): string {
  return JSON.stringify((result.body as { value?: unknown }).value);
}

function refOn(card: Card): string {
  const m = /\b(G|PREP|PURS|PREV|PROT)-\d+\b/.exec(cardText(card));
  if (!m) throw new Error('no reference on the card');
  return m[0];
}

async function gap(ref: string): Promise<IntelligenceGap & { etag: string }> {
  return (await bot.store.gaps.get(PID, ref))!;
}

async function action(ref: string): Promise<FourPAction & { etag: string }> {
  return (await bot.store.actions.get(PID, ref))!;
}

async function auditCount(kind: 'gap' | 'action', ref: string): Promise<number> {
  return (await bot.store.audit.listForEntity(PID, kind, ref)).length;
}

/** The one card the turn sent to this person's 1:1 chat (others may get task cards in theirs). */
function cardTo(result: TurnResult, person: { aadObjectId: string }): Card {
  const mine = result.posted.filter((p) => p.conversationId === `a:1personal-${person.aadObjectId}`);
  return onlyCard({
    ...result,
    posted: mine,
    cards: mine.flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card)),
  });
}

/** A new gap, one line, owned by the council; returns its reference. */
async function newCouncilGap(question: string): Promise<string> {
  const card = cardTo(
    await bot.say(`new gap Everton: ${question} lead Liverpool City Council due 2027-01-31`, alex),
    alex,
  );
  return refOn(card);
}

describe('creating gaps and actions', () => {
  it('opens a form for `new gap <district>`, answers validation errors on the form and writes nothing', async () => {
    const form = onlyCard(await bot.say('new gap everton', alex));
    expect(cardText(form)).toContain('New intelligence gap');
    expect(cardText(form)).toContain('Everton');
    const before = (await bot.store.gaps.listByDistrict(PID, EVERTON)).length;

    const refused = await bot.press(form, 'Raise gap', alex, 'personal', {
      text: '  ',
      agency: '',
      owner: adele.aadObjectId,
      due: '2020-01-01',
      classification: 'OFFICIAL',
    });
    const again = cardText(invokeCard(refused));
    expect(again).toContain('Nothing was saved. Please correct:');
    expect(again).toContain('The question is needed.');
    expect(again).toContain('Due date is in the past.');
    expect(again).toContain('Choose the owning agency for the owner.');
    expect((await bot.store.gaps.listByDistrict(PID, EVERTON)).length).toBe(before);

    // Unknown fields or wrong types are refused outright.
    const odd = await bot.press(form, 'Raise gap', alex, 'personal', { text: 'Q?', isAdmin: true });
    expect(invokeText(odd)).toContain(
      'That button sent something I could not use: it sent a field I do not expect (isAdmin). Nothing was changed.',
    );
    const wrongType = await bot.press(form, 'Raise gap', alex, 'personal', { text: 42 });
    expect(invokeText(wrongType)).toContain('That button sent something I could not use: text should be text');
    expect((await bot.store.gaps.listByDistrict(PID, EVERTON)).length).toBe(before);

    const ok = await bot.press(invokeCard(refused), 'Raise gap', alex, 'personal', {
      noPersonalData: 'true',
      text: 'Which takeaways are used to launder cash?',
      agency: COUNCIL,
      owner: '',
      due: '2027-02-28',
      classification: 'OFFICIAL',
    });
    const created = cardText(invokeCard(ok));
    const ref = refOn(invokeCard(ok));
    expect(created).toContain(`${ref} created`);
    expect(created).toContain('Which takeaways are used to launder cash?');
    expect(created).toContain('Status: Assigned');
    expect(created).toContain('Owner: Liverpool City Council');
    expect(created).toContain('Due: due 28 Feb 2027');
    expect((await gap(ref)).createdBy).toBe(alex.aadObjectId);

    // The same press again (a Teams retry) creates nothing more.
    const retry = await bot.press(invokeCard(refused), 'Raise gap', alex, 'personal', {
      noPersonalData: 'true',
      text: 'Which takeaways are used to launder cash?',
      agency: COUNCIL,
      owner: '',
      due: '2027-02-28',
      classification: 'OFFICIAL',
    });
    expect(refOn(invokeCard(retry))).toBe(ref);
    expect((await bot.store.gaps.listByDistrict(PID, EVERTON)).length).toBe(before + 1);
  });

  it('requires the "contains no personal data" confirmation on the form, and the audit event records how it was given', async () => {
    const form = cardTo(await bot.say('new gap everton', alex), alex);
    expect(JSON.stringify(form)).toContain('This contains no personal data');
    const before = (await bot.store.gaps.listByDistrict(PID, EVERTON)).length;
    const inputs = { text: 'Which scrapyards take stolen catalytic converters?', agency: COUNCIL, owner: '', due: '' };
    for (const unticked of [{}, { noPersonalData: 'false' }]) {
      const refused = await bot.press(form, 'Raise gap', alex, 'personal', { ...inputs, ...unticked });
      expect(cardText(invokeCard(refused))).toContain('Confirm that it contains no personal data');
    }
    expect((await bot.store.gaps.listByDistrict(PID, EVERTON)).length).toBe(before);

    const ok = await bot.press(form, 'Raise gap', alex, 'personal', { ...inputs, noPersonalData: 'true' });
    const fromForm = refOn(invokeCard(ok));
    const [created] = await bot.store.audit.listForEntity(PID, 'gap', fromForm);
    expect(created?.action).toBe('gap.created');
    expect((created?.after as IntelligenceGap).lastChange?.noPersonalData).toBe('confirmed');

    // A one-line create has nothing to tick: its audit event says it was typed (and passed the check).
    const typed = await newCouncilGap('Which garages re-plate stolen cars?');
    const [line] = await bot.store.audit.listForEntity(PID, 'gap', typed);
    expect((line?.after as IntelligenceGap).lastChange?.noPersonalData).toBe('typed');
  });

  it('creates a gap from one line, assigned to the lead agency, and sends the card to its members', async () => {
    const result = await bot.say(
      'new gap Everton: Which car washes front cash laundering? lead Liverpool City Council due 2027-01-31',
      alex,
    );
    const card = cardTo(result, alex);
    const text = cardText(card);
    const ref = refOn(card);
    expect(text).toContain(`${ref} created.`);
    expect(text).toContain('The task card was sent to Adele Vance in their chat with me.');
    const stored = await gap(ref);
    expect(stored).toMatchObject({
      question: 'Which car washes front cash laundering?',
      status: 'assigned',
      ownerAgencyId: COUNCIL,
      due: '2027-01-31',
      classification: 'OFFICIAL',
    });
    // Only this gap's card: the previous test's form press delivers after its answer, maybe during this turn.
    const delivered = result.posted.filter(
      (p) => p.conversationId === `a:1personal-${adele.aadObjectId}` && JSON.stringify(p.activity).includes(ref),
    );
    expect(delivered).toHaveLength(1);
  });

  it('opens an action form with the strand chosen, and creates an action from one line linked to its gap', async () => {
    const form = onlyCard(await bot.say('new action Everton prevent', alex));
    expect(cardText(form)).toContain('New Prevent action');

    const gapRef = await newCouncilGap('Where are young people being recruited to run drugs?');
    const card = cardTo(
      await bot.say(
        `new action Everton prevent: Youth diversion sessions at the two schools lead Liverpool City Council measure Referrals to youth services from ${gapRef} due 2027-03-31`,
        alex,
      ),
      alex,
    );
    const ref = refOn(card);
    expect(ref).toMatch(/^PREV-\d+$/);
    expect(cardText(card)).toContain(`Raised from gap ${gapRef}`);
    expect(cardText(card)).toMatch(/Impact: \s*Referrals to youth services/);
    expect(await action(ref)).toMatchObject({ strand: 'prevent', leadAgencyId: COUNCIL, fromGapRef: gapRef });

    // The gap shows what it led to, on its card and in the district's list of gaps.
    expect(cardText(onlyCard(await bot.say(`task ${gapRef}`, alex)))).toContain(`Led to: ${ref}`);
    const gapsCard = onlyCard(await bot.say('gaps Everton', isaiah));
    expect(cardText(gapsCard)).toContain(`Led to ${ref}`);
  });

  it('shows an action’s impact measure, before and after, on its card and in the plan', async () => {
    const card = cardTo(
      await bot.say(
        'new action Everton pursue: Close the three cannabis grows lead Merseyside Police measure Cannabis cultivation offences a quarter due 2027-05-31',
        alex,
      ),
      alex,
    );
    const ref = refOn(card);
    const stored = await action(ref);
    const { etag, ...plain } = stored;
    // The starting figure as the form would set it.
    await bot.store.actions.replace({ ...plain, impactBefore: 14 }, etag, {
      actor: alex.aadObjectId,
      action: 'action.edited',
      at: new Date().toISOString(),
    });
    await bot.say(`update ${ref} in progress`, alex);
    const done = await bot.press(onlyCard(await bot.say(`task ${ref}`, alex)), 'Mark done', alex, 'personal', {
      outcome: 'Three warrants executed',
      impactAfter: '9',
    });
    expect(cardText(invokeCard(done))).toMatch(
      /Impact: \s*Cannabis cultivation offences a quarter: 14 → 9, −5 \(−36%\)/,
    );
    const plan = cardText(onlyCard(await bot.say('plan Everton', isaiah)));
    expect(plan).toContain('Cannabis cultivation offences a quarter: 14 → 9, −5 (−36%)');
  });

  it('answers a one-line create it cannot take with what would work, writing nothing', async () => {
    const before = (await bot.store.gaps.listByDistrict(PID, EVERTON)).length;
    const past = cardText(
      onlyCard(await bot.say('new gap Everton: Who? lead Liverpool City Council due 2020-01-01', alex)),
    );
    expect(past).toContain('The due date 2020-01-01 is in the past; nothing was saved.');
    const who = cardText(onlyCard(await bot.say('new gap Everton: Who? lead The Ministry of Magic', alex)));
    expect(who).toContain('No agency or member is called "The Ministry of Magic". Agencies: ');
    const empty = cardText(onlyCard(await bot.say('new gap Everton: lead Liverpool City Council', alex)));
    expect(empty).toContain('question: must not be empty');
    expect((await bot.store.gaps.listByDistrict(PID, EVERTON)).length).toBe(before);
  });

  it('refuses creation to anyone but a coordinator, writing nothing', async () => {
    const before = (await bot.store.gaps.listByDistrict(PID, EVERTON)).length;
    const text = cardText(
      onlyCard(await bot.say('new gap Everton: Who runs the cannabis farms? lead Liverpool City Council', adele)),
    );
    expect(text).toContain('Your role does not allow that');
    expect((await bot.store.gaps.listByDistrict(PID, EVERTON)).length).toBe(before);
  });
});

describe('assigning', () => {
  it('delivers the task card to the owner’s 1:1 chat, proactively, at the stored reference', async () => {
    const ref = await newCouncilGap('Which landlords let to cuckooed tenants?');
    // As Teams sends an @mention of a person: the name wrapped in <at>.
    const result = await bot.say(`assign ${ref} to <at>Adele Vance</at>`, alex);
    const toAdele = result.posted.filter((p) => p.conversationId === `a:1personal-${adele.aadObjectId}`);
    expect(toAdele).toHaveLength(1);
    const taskCard = toAdele[0]!.activity.attachments![0]!.content as Card;
    expect(cardText(taskCard)).toContain('Alex Wilber assigned this to you.');
    expect(buttons(taskCard)).toEqual(expect.arrayContaining(['Accept', 'In progress', 'Add note']));
    expect(buttons(taskCard)).not.toContain('Reassign');
    // Teams refreshes the card for the owner and coordinators: their chat ids (MRIs).
    const refresh = taskCard.refresh as { userIds: string[]; action: { verb: string } };
    expect(refresh.action.verb).toBe('task.refresh');
    expect(refresh.userIds).toContain(`29:1${adele.aadObjectId}`);

    const told = cardText(cardTo(result, alex));
    expect(told).toContain(
      `${ref} assigned to Adele Vance. The task card was sent to Adele Vance in their chat with me.`,
    );
    expect(await gap(ref)).toMatchObject({
      ownerAgencyId: COUNCIL,
      ownerAadObjectId: adele.aadObjectId,
      status: 'assigned',
    });
  });

  it('tells the coordinator plainly when the owner cannot be reached, and the task waits in `my tasks`', async () => {
    const ref = await newCouncilGap('Which GP surgeries see patients with untreated injuries?');
    const result = await bot.say(`assign ${ref} to Patti Fernandez`, alex);
    expect(result.posted.every((p) => p.conversationId === `a:1personal-${alex.aadObjectId}`)).toBe(true);
    expect(cardText(onlyCard(result))).toContain(
      `I could not reach Patti Fernandez: they have not chatted with me yet. ${ref} waits for them in "my tasks" once they do.`,
    );
    const mine = cardText(onlyCard(await bot.say('my tasks', patti)));
    expect(mine).toContain('My tasks');
    expect(mine).toContain(ref);
    expect(mine).toContain('Which GP surgeries see patients with untreated injuries?');
  });

  it('tells the coordinator the owner could not be reached when Teams refuses the card, never that it was sent', async () => {
    const ref = await newCouncilGap('Which taxi firms move cash for dealers?');
    const conversationId = `a:1personal-${adele.aadObjectId}`;
    const chat = (await bot.store.conversations.get(TENANT_ID, conversationId))!;
    // Teams answers 500 to the card and to every retry of the connector client.
    // The connector client tries four times in all (three retries), then gives up.
    bot.connector.fail(...Array.from({ length: 4 }, () => ({ status: 500, conversationId })));
    const result = await bot.say(`assign ${ref} to Adele Vance`, alex);
    expect(bot.connector.refused.filter((r) => r.conversationId === conversationId)).toHaveLength(4);
    expect(result.posted.filter((p) => p.conversationId === conversationId)).toHaveLength(0);
    const told = cardText(cardTo(result, alex));
    expect(told).toContain(`I could not reach Adele Vance`);
    expect(told).not.toContain('The task card was sent to Adele Vance');
    // The gap is still hers, waiting in her tasks.
    expect(await gap(ref)).toMatchObject({ ownerAadObjectId: adele.aadObjectId, status: 'assigned' });
    await bot.store.conversations.put(chat);
  }, 60_000);

  it('is for coordinators only', async () => {
    const ref = await newCouncilGap('Which nail bars employ trafficked workers?');
    const before = await gap(ref);
    const text = cardText(onlyCard(await bot.say(`assign ${ref} to Merseyside Police`, adele)));
    expect(text).toContain('Your role does not allow that');
    expect(await gap(ref)).toEqual(before);
  });
  it('never guesses between two members of one name: names both, and assigns nothing', async () => {
    const ref = await newCouncilGap('Which car parks host drug deals at night?');
    const before = await gap(ref);
    const { etag: _etag, ...adeleRecord } = (await bot.store.members.get(adele.aadObjectId))!;
    const audit = { actor: 'system:test', action: 'member.created', at: new Date().toISOString() };
    const twin = await bot.store.members.create(
      { ...adeleRecord, aadObjectId: randomUUID(), agencyId: 'merseyside-police' },
      audit,
    );
    try {
      const text = cardText(onlyCard(await bot.say(`assign ${ref} to Adele Vance`, alex)));
      expect(text).toContain(
        '2 members are called Adele Vance: Adele Vance (Liverpool City Council), Adele Vance (Merseyside Police). @mention the one you mean; nothing was assigned.',
      );
      expect(await gap(ref)).toEqual(before);
    } finally {
      const { etag, ...record } = twin;
      await bot.store.members.replace({ ...record, active: false }, etag, { ...audit, action: 'member.deactivated' });
    }
  });
});

describe('the task card buttons', () => {
  async function cardFor(ref: string, as = adele): Promise<Card> {
    return onlyCard(await bot.say(`task ${ref}`, as));
  }

  it('walks a gap through Accept, Add note and Filled, each answered with the refreshed card', async () => {
    const ref = await newCouncilGap('Who collects rent on the flats above the shops?');
    const card = await cardFor(ref);

    const accepted = await bot.press(card, 'Accept', adele);
    expect(accepted.status).toBe(200);
    let text = cardText(invokeCard(accepted));
    expect(text).toContain('Status: In progress');
    expect(text).toContain('Owner: Liverpool City Council · Adele Vance');
    expect(text).toMatch(/Accepted by Adele Vance, \d{1,2} \w{3} \d{4}, \d{2}:\d{2}/);
    // In progress: it can be blocked (issue 16), filled, noted or closed; accepting again is not
    // offered, nor Reassign (not a coordinator).
    expect(buttons(invokeCard(accepted))).toEqual([
      'Blocked',
      'Mark blocked',
      'Filled',
      'Mark filled',
      'Add note',
      'Save note',
      'Close (no longer needed)',
      'Mark closed',
    ]);

    const noted = await bot.press(invokeCard(accepted), 'Save note', adele, 'personal', {
      note: 'Asked housing for the tenancy list',
    });
    text = cardText(invokeCard(noted));
    expect(text).toContain('Latest: Asked housing for the tenancy list');
    expect(text).toMatch(/Note added by Adele Vance/);

    const filled = await bot.press(invokeCard(noted), 'Mark filled', adele, 'personal', {
      outcome: 'Two managing agents identified and shared under the ISA',
    });
    text = cardText(invokeCard(filled));
    expect(text).toContain('Status: Filled');
    expect(text).toContain('Outcome: Two managing agents identified and shared under the ISA');
    expect(text).toMatch(/Marked filled by Adele Vance/);
    expect(await gap(ref)).toMatchObject({
      status: 'filled',
      resolution: 'Two managing agents identified and shared under the ISA',
    });
    const events = (await bot.store.audit.listForEntity(PID, 'gap', ref)).map((e) => e.action);
    expect(events).toEqual(['gap.created', 'gap.accepted', 'gap.noted', 'gap.filled']);
  });

  it('walks an action through In progress, Blocked (with a reason), In progress and Done (with its impact)', async () => {
    const created = cardTo(
      await bot.say(
        'new action Everton protect: Target-harden the three repeat-burgled shops lead Liverpool City Council measure Burglaries a quarter due 2027-06-30',
        alex,
      ),
      alex,
    );
    const ref = refOn(created);
    const card = await cardFor(ref);
    // Blocked from planned too (issue 16, item 7); Done once it is in progress (five buttons at most).
    expect(buttons(card)).toEqual(expect.arrayContaining(['Accept', 'In progress', 'Blocked', 'Add note']));
    expect(buttons(card)).not.toContain('Done');

    const started = invokeCard(await bot.press(card, 'In progress', adele));
    expect(cardText(started)).toContain('Status: In progress');
    expect(buttons(started)).toContain('Done');
    const blocked = invokeCard(
      await bot.press(started, 'Mark blocked', adele, 'personal', { reason: 'Waiting for the landlord to agree' }),
    );
    expect(cardText(blocked)).toContain('Status: Blocked');
    expect(cardText(blocked)).toContain('Latest: Waiting for the landlord to agree');
    // A blocked action can only go back in progress (or be cancelled): Done is not offered.
    expect(buttons(blocked)).not.toContain('Done');
    const resumed = invokeCard(await bot.press(blocked, 'In progress', adele));
    const done = invokeCard(
      await bot.press(resumed, 'Mark done', adele, 'personal', {
        outcome: 'Shutters and lighting fitted',
        impactAfter: '2',
      }),
    );
    expect(cardText(done)).toContain('Status: Done');
    expect(await action(ref)).toMatchObject({
      status: 'done',
      lastUpdate: 'Shutters and lighting fitted',
      impactAfter: 2,
    });

    // A refused move says what is allowed from here.
    const refused = cardText(onlyCard(await bot.say(`${ref} blocked - still waiting`, adele)));
    expect(refused).toContain('A 4P action cannot go from done to blocked. From done it can go to: in progress.');
  });

  it('lets a coordinator reassign from the card; the new owner gets the card after the answer', async () => {
    const ref = await newCouncilGap('Which hand car washes pay staff in cash?');
    const card = await cardFor(ref, alex);
    expect(buttons(card)).toContain('Reassign');
    const sentBefore = bot.connector.posted.length;
    const result = await bot.press(card, 'Assign', alex, 'personal', { assignee: `person:${adele.aadObjectId}` });
    expect(cardText(invokeCard(result))).toContain('Owner: Liverpool City Council · Adele Vance');
    // Sent after the invoke was answered, not inside it.
    const deadline = Date.now() + 5000;
    let delivered;
    while (
      !(delivered = bot.connector.posted
        .slice(sentBefore)
        .find((p) => p.conversationId === `a:1personal-${adele.aadObjectId}`))
    ) {
      if (Date.now() > deadline) throw new Error('the reassigned card never arrived');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(cardText(delivered.activity.attachments![0]!.content as Card)).toContain(ref);
  });

  it('shows a read-only card to anyone who may not change it, and refuses their press, changing nothing', async () => {
    const ref = await newCouncilGap('Which taxi firms carry drugs between towns?');
    const pattisView = await cardFor(ref, patti);
    expect(buttons(pattisView)).toEqual([]);
    expect(cardText(pattisView)).toContain('Only the owner, the owning agency and coordinators can change this.');

    const adeleCard = await cardFor(ref);
    const before = await gap(ref);
    const refused = await bot.press(adeleCard, 'Accept', patti);
    expect(invokeText(refused)).toContain(
      `Only the owner, members of the owning agency and coordinators can change ${ref}`,
    );
    expect(await gap(ref)).toEqual(before);
    expect(await auditCount('gap', ref)).toBe(1);

    // The same rule in chat.
    const chat = cardText(onlyCard(await bot.say(`update ${ref} in progress`, megan)));
    expect(chat).toContain('Only the owner, members of the owning agency and coordinators');
    expect(await gap(ref)).toEqual(before);
  });

  it('applies a retried press once', async () => {
    const ref = await newCouncilGap('Which off-licences sell to children?');
    const card = await cardFor(ref);
    const first = await bot.press(card, 'Accept', adele);
    const retry = await bot.press(card, 'Accept', adele);
    expect(cardText(invokeCard(retry))).toContain('Status: In progress');
    expect(cardText(invokeCard(retry))).not.toContain('since you opened it');
    expect(cardText(invokeCard(retry))).toBe(cardText(invokeCard(first)).replace(/\n?$/, ''));
    expect(await auditCount('gap', ref)).toBe(2);
    // Another button on that same, now old, card is not a retry: it is refused as out of date.
    const other = await bot.press(card, 'Save note', adele, 'personal', { note: 'from the old card' });
    expect(cardText(invokeCard(other))).toContain('since you opened it');
    expect((await gap(ref)).lastUpdate).toBeUndefined();
    expect(await auditCount('gap', ref)).toBe(2);
  });

  it('tells the second of two people changing the same item who changed it, and shows the current card', async () => {
    const ref = await newCouncilGap('Which gyms supply steroids?');
    const adeleCard = await cardFor(ref);
    const alexCard = await cardFor(ref, alex);
    await bot.press(adeleCard, 'Accept', adele);
    const second = await bot.press(alexCard, 'Save note', alex, 'personal', { note: 'Trading standards have a list' });
    const text = cardText(invokeCard(second));
    expect(text).toMatch(/Changed by Adele Vance at \d{1,2} \w{3} \d{4}, \d{2}:\d{2} since you opened it/);
    expect(text).toContain('Status: In progress');
    expect((await gap(ref)).lastUpdate).toBeUndefined();
    expect(await auditCount('gap', ref)).toBe(2);
  });

  it('answers the card refresh with the viewer’s own view', async () => {
    const ref = await newCouncilGap('Which storage units hold stolen goods?');
    const shared = onlyCard(await bot.say(`task ${ref}`, alex, 'groupChat'));
    // In a group chat the card itself has no buttons; the refresh gives each their own.
    expect(buttons(shared)).toEqual([]);
    const mine = invokeCard(
      await bot.post(
        (await import('../support/activities.js')).actionExecute('task.refresh', { ref }, 'Refresh', {
          from: adele,
          where: 'groupChat',
          serviceUrl: bot.connector.url,
        }),
      ),
    );
    expect(buttons(mine)).toContain('Accept');
  });
});

describe('OFFICIAL-SENSITIVE tasks', () => {
  it('are never shown in a group chat, shown 1:1 only to the cleared, and sent only to cleared owners', async () => {
    const result = await bot.say(
      'new gap Everton: Which officers are compromised? lead Liverpool City Council OFFICIAL-SENSITIVE',
      alex,
    );
    const card = cardTo(result, alex);
    const ref = refOn(card);
    expect(cardText(card).split('\n')[0]).toBe('OFFICIAL-SENSITIVE · DEMO DATA, NOT A REAL PROFILE');
    // Adele (OFFICIAL) is not sent it, and the coordinator is told why.
    expect(result.posted.filter((p) => p.conversationId === `a:1personal-${adele.aadObjectId}`)).toEqual([]);
    expect(cardText(card)).toContain('Adele Vance is not cleared for OFFICIAL-SENSITIVE, so no card was sent to them.');

    const inGroup = cardText(onlyCard(await bot.say(`task ${ref}`, alex, 'groupChat')));
    expect(inGroup).not.toContain('Which officers are compromised?');
    expect(inGroup).toContain('OFFICIAL-SENSITIVE items are shown only in a 1:1 chat');
    const history = cardText(onlyCard(await bot.say(`history ${ref}`, alex, 'channel')));
    expect(history).not.toContain('compromised');
    const uncleared = cardText(onlyCard(await bot.say(`task ${ref}`, adele)));
    expect(uncleared).not.toContain('compromised');
    // Counted, not shown, in lists.
    expect(cardText(onlyCard(await bot.say('my tasks', adele)))).not.toContain(ref);
  });
});

describe('conversational updates, my tasks, overdue and history', () => {
  it('updates from chat: update … done, … blocked - …, mark … filled', async () => {
    const gapRef = await newCouncilGap('Which pubs host drug dealing?');
    await bot.say(`accept ${gapRef}`, adele);
    const filled = cardText(onlyCard(await bot.say(`mark ${gapRef} filled: health data shared under the ISA`, adele)));
    expect(filled).toContain('Status: Filled');
    expect((await gap(gapRef)).resolution).toBe('health data shared under the ISA');

    const actionRef = refOn(
      cardTo(
        await bot.say('new action Everton pursue: Disrupt the county line lead Liverpool City Council', alex),
        alex,
      ),
    );
    await bot.say(`update ${actionRef} in progress`, adele);
    const blocked = cardText(onlyCard(await bot.say(`${actionRef} blocked - awaiting HMRC data`, adele)));
    expect(blocked).toContain('Status: Blocked');
    await bot.say(`update ${actionRef} in progress`, adele);
    const done = cardText(
      onlyCard(await bot.say(`update ${actionRef} done: referral pathway agreed with youth services`, adele)),
    );
    expect(done).toContain('Status: Done');
    expect(await action(actionRef)).toMatchObject({
      status: 'done',
      lastUpdate: 'referral pathway agreed with youth services',
    });

    const missing = cardText(onlyCard(await bot.say(`update ${actionRef} done`, adele)));
    expect(missing).toContain(`Say the outcome, for example: update ${actionRef} done: <the outcome>.`);
  });

  it('lists my tasks and what is overdue', async () => {
    const ref = await newCouncilGap('Which shops sell vapes to children?');
    await bot.say(`assign ${ref} to @Adele Vance`, alex);
    const mine = cardText(onlyCard(await bot.say('my tasks', adele)));
    expect(mine).toContain(ref);
    // Alex's agency (police) leads none of these council gaps.
    expect(cardText(onlyCard(await bot.say('my tasks', alex)))).not.toContain(ref);

    const overdue = cardText(onlyCard(await bot.say('overdue', megan)));
    const names = await bot.store.districts.listNames(PID);
    const all = (
      await Promise.all(
        names.map(async (d) => [
          ...(await bot.store.gaps.listByDistrict(PID, d.id)),
          ...(await bot.store.actions.listByDistrict(PID, d.id)),
        ]),
      )
    ).flat();
    const today = new Date().toISOString().slice(0, 10);
    const late = all.filter(
      (r) =>
        r.due &&
        r.due < today &&
        !['filled', 'closed', 'done', 'cancelled'].includes(r.status) &&
        r.classification === 'OFFICIAL',
    );
    expect(late.length).toBeGreaterThan(0);
    // Paged (issue 19): the first 25 in order, and Show more for the rest.
    expect(overdue).toContain(late.length > 25 ? 'Open, 1–25, soonest due first.' : `${late.length} open`);
    expect(overdue).toContain('overdue since');
  });

  it('shows the history of an item from its audit events', async () => {
    const ref = await newCouncilGap('Which barbers launder cash?');
    await bot.say(`accept ${ref}`, adele);
    await bot.say(`update ${ref} note: visited two premises`, adele);
    const text = cardText(onlyCard(await bot.say(`history ${ref}`, megan)));
    const order = ['Created', 'Alex Wilber', 'Accepted', 'Adele Vance', 'Note added', 'visited two premises'];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
  });
});
