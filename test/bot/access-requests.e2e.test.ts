import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { VERB } from '../../src/bot/verbs.js';
import { DEMO_PARTNERSHIP_ID, PLAYGROUND_USERS } from '../../src/services/demo-partnership.js';
import { actionExecute, TENANT_ID, type Activity, type Person, type Where } from '../support/activities.js';
import { cardText, findAction, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { adele, alex, isaiah } from '../support/people.js';

/**
 * Request access (issue 16, item 5): a stranger's "not a member" card in their 1:1 chat has a
 * Request access button; pressing it sends each admin of the partnerships naming the stranger's
 * tenant a card (in the admin's 1:1 chat) with Approve and Decline; the decision is told to the
 * requester in their 1:1 chat, audited, and made once.
 */
const PID = DEMO_PARTNERSHIP_ID;
const OTHER_TENANT = '22222222-3333-4444-5555-666666666666';
const FOREIGN_TENANT = '33333333-4444-5555-6666-777777777777';
const lynne: Person = { aadObjectId: PLAYGROUND_USERS[5].aadObjectId, name: PLAYGROUND_USERS[5].displayName };
const kim: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555501', name: 'Kim Newcomer' };
const lee: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555502', name: 'Lee Declined' };
const ray: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555503', name: 'Ray Raced' };
const otherTenant: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555504', name: 'Other Tenant' };
const personalChat = (p: Person) => `a:1personal-${p.aadObjectId}`;

/** What an invoke answered, to the presser: its message, or its card's text. */
function answer(r: TurnResult): string {
  const value = (r.body as { value?: unknown } | undefined)?.value;
  if (typeof value === 'string') return value;
  if (value && typeof value === 'object') return cardText(value as Card);
  return r.cards.map(cardText).join('\n');
}

/** The same activity as Teams sends it from another tenant. */
function fromTenant(a: Activity, tenantId: string): Activity {
  a.conversation.tenantId = tenantId;
  a.channelData = { ...a.channelData, tenant: { id: tenantId } };
  return a;
}

describe('request access, approve and decline', () => {
  let bot: BotUnderTest;
  const at = (as: Person, where: Where = 'personal') => ({ from: as, where, serviceUrl: bot.connector.url });
  const pressRequest = (as: Person, where: Where = 'personal') =>
    bot.post(actionExecute(VERB.accessRequest, {}, 'Request access', at(as, where)));
  /** The cards the bot sent proactively into a conversation since `from`, once `count` have arrived. */
  async function sentTo(
    conversationId: string,
    count: number,
    from = 0,
    which: (c: Card) => boolean = () => true,
  ): Promise<Card[]> {
    let cards: Card[] = [];
    await vi.waitFor(
      () => {
        cards = bot.connector.posted
          .slice(from)
          .filter((p) => p.conversationId === conversationId)
          .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card))
          .filter(which);
        expect(cards.length).toBeGreaterThanOrEqual(count);
      },
      { timeout: 20_000, interval: 50 },
    );
    return cards;
  }
  const requestAudit = (p: Person) => bot.store.audit.listForEntity(PID, 'access-request', p.aadObjectId);

  beforeAll(async () => {
    bot = await BotUnderTest.start({ env: { ALLOWED_TENANT_IDS: `${TENANT_ID},${OTHER_TENANT}` } });
    const { etag: _etag, ...demo } = (await bot.store.partnerships.get(PID))!;
    await bot.store.partnerships.put({ ...demo, tenantIds: [TENANT_ID] });
    // A second admin, for two deciding at once.
    await new MemberAdmin(bot.store, () => new Date(), 'system:test').setRoles(isaiah.aadObjectId, ['board', 'admin']);
    // The admin has spoken to the bot in a 1:1 chat, so it can reach her there.
    await bot.say('help', lynne);
  });
  afterAll(async () => {
    await bot?.close();
  });

  it("a stranger's not-a-member card asks; the press reaches the admin's 1:1 chat; pressing again says it is pending", async () => {
    const card = onlyCard(await bot.say('hello', kim));
    expect(cardText(card)).toContain('Not a member yet');
    const mark = bot.connector.posted.length;
    const pressed = await bot.press(card, 'Request access', kim);
    expect(answer(pressed)).toContain('Your request went to the admins of Merseyside SOC Partnership (DEMO)');
    expect(pressed.posted).toEqual([]);

    const [adminCard] = await sentTo(personalChat(lynne), 1, mark);
    const shown = cardText(adminCard!);
    expect(shown).toContain('Access request');
    expect(shown).toContain('Name in Teams: Kim Newcomer');
    expect(shown).toContain(`Entra object id: ${kim.aadObjectId}`);
    expect(shown).toContain(`Tenant: ${TENANT_ID}`);
    expect(findAction(adminCard!, 'Approve').verb).toBe(VERB.accessApprove);
    expect(findAction(adminCard!, 'Decline').verb).toBe(VERB.accessDecline);

    // Only what Teams gave: the name, ids and where their 1:1 chat is.
    const { etag: _etag, ...stored } = (await bot.store.accessRequests.get(PID, kim.aadObjectId))!;
    expect(Object.keys(stored).sort()).toEqual(
      [
        'aadObjectId',
        'botId',
        'conversationId',
        'displayName',
        'partnershipId',
        'requestedAt',
        'serviceUrl',
        'state',
        'tenantId',
      ].sort(),
    );
    expect(stored).toMatchObject({ displayName: 'Kim Newcomer', state: 'open', conversationId: personalChat(kim) });

    const again = await pressRequest(kim);
    expect(answer(again)).toContain('is still waiting for an admin');
    expect(await requestAudit(kim)).toMatchObject([{ action: 'access.requested', actor: kim.aadObjectId }]);
    // Nothing else opens to a stranger.
    expect(cardText(onlyCard(await bot.say('summary Everton', kim)))).toContain('Not a member yet');

    // Approve: agency, role and clearance chosen on the card; the member is added, the requester told.
    const mark2 = bot.connector.posted.length;
    const approved = await bot.press(adminCard!, 'Approve', lynne, 'personal', {
      agencyId: 'liverpool-city-council',
      role: 'partner',
      clearance: 'OFFICIAL',
    });
    expect(answer(approved)).toContain('Kim Newcomer is now partner in Liverpool City Council, cleared for OFFICIAL');
    const [told] = await sentTo(personalChat(kim), 1, mark2);
    expect(cardText(told!)).toContain('Access approved');
    expect(cardText(told!)).toContain('Lynne Robbins added you to Merseyside SOC Partnership (DEMO) as partner');
    expect(await bot.store.members.get(kim.aadObjectId)).toMatchObject({
      partnershipId: PID,
      agencyId: 'liverpool-city-council',
      displayName: 'Kim Newcomer',
      roles: ['partner'],
      clearance: 'OFFICIAL',
    });
    expect((await requestAudit(kim)).map((e) => [e.action, e.actor])).toEqual([
      ['access.requested', kim.aadObjectId],
      ['access.approved', lynne.aadObjectId],
    ]);
    expect(await bot.store.audit.listForEntity(PID, 'member', kim.aadObjectId)).toMatchObject([
      { action: 'member.created', actor: lynne.aadObjectId },
    ]);
    expect(cardText(onlyCard(await bot.say('help', kim)))).toContain('You are partner');
    const trail = cardText(onlyCard(await bot.say(`audit ${kim.aadObjectId}`, lynne)));
    expect(trail).toContain('Membership history of Kim Newcomer');
    expect(trail).toMatch(
      /Asked for access\nthemself, in Teams · .*\nAccess request approved\nLynne Robbins · .*\nAdded\nLynne Robbins/s,
    );

    // Decided once: pressing again changes nothing.
    const twice = await bot.press(adminCard!, 'Decline', lynne, 'personal', { reason: '' });
    expect(answer(twice)).toContain("Kim Newcomer's request was already approved by Lynne Robbins");
    expect((await requestAudit(kim)).length).toBe(2);
  });

  it('decline, with a reason the requester is told; the request can be made again later', async () => {
    await pressRequest(lee);
    const [adminCard] = await sentTo(personalChat(lynne), 1, 0, (c) => cardText(c).includes(lee.aadObjectId));
    const mark = bot.connector.posted.length;
    const declined = await bot.press(adminCard!, 'Decline', lynne, 'personal', { reason: 'Not on our staff list' });
    expect(answer(declined)).toContain("Lee Declined's request was declined");
    const [told] = await sentTo(personalChat(lee), 1, mark);
    expect(cardText(told!)).toContain('was declined: Not on our staff list');
    expect(await bot.store.members.get(lee.aadObjectId)).toBeUndefined();
    expect((await requestAudit(lee)).at(-1)).toMatchObject({
      action: 'access.declined',
      actor: lynne.aadObjectId,
      after: { state: 'declined', reason: 'Not on our staff list' },
    });
    const approveLate = await bot.press(adminCard!, 'Approve', lynne, 'personal', {
      agencyId: 'merseyside-police',
      role: 'officer',
      clearance: 'OFFICIAL',
    });
    expect(answer(approveLate)).toContain('already declined');
    expect(await bot.store.members.get(lee.aadObjectId)).toBeUndefined();
    const trail = cardText(onlyCard(await bot.say(`audit ${lee.aadObjectId}`, lynne)));
    expect(trail).toMatch(/Asked for access\nthemself, in Teams · /);
    expect(trail).toMatch(/Access request declined\nLynne Robbins · .*\nReason: Not on our staff list/);

    expect(answer(await pressRequest(lee))).toContain('Your request went to the admins');
    expect((await bot.store.accessRequests.get(PID, lee.aadObjectId))?.state).toBe('open');
  });

  it('two admins deciding at once: one decision stands, the other is told, one member is made', async () => {
    await bot.post({
      ...actionExecute(VERB.accessRequest, {}, 'Request access', at(ray)),
    });
    const data = {
      aadObjectId: ray.aadObjectId,
      agencyId: 'merseyside-police',
      role: 'officer',
      clearance: 'OFFICIAL',
    };
    const results = await Promise.all([
      bot.post(actionExecute(VERB.accessApprove, data, 'Approve', at(lynne))),
      bot.post(actionExecute(VERB.accessDecline, { aadObjectId: ray.aadObjectId }, 'Decline', at(isaiah))),
      bot.post(actionExecute(VERB.accessApprove, data, 'Approve', at(lynne))),
    ]);
    const texts = results.map(answer);
    const won = texts.filter(
      (t) => /^(Approved|Declined)/.test(t) || t.includes('is now officer') || t.includes('was declined;'),
    );
    expect(won, texts.join(' | ')).toHaveLength(1);
    const decisions = (await requestAudit(ray)).filter((e) => e.action !== 'access.requested');
    expect(decisions).toHaveLength(1);
    const state = (await bot.store.accessRequests.get(PID, ray.aadObjectId))?.state;
    expect((await bot.store.members.get(ray.aadObjectId)) !== undefined).toBe(state === 'approved');
  });

  it('refuses forged approve data (checked before anything is read for change) and anyone but an admin', async () => {
    const mallory: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555599', name: 'Mallory' };
    await pressRequest(mallory);
    const good = {
      aadObjectId: mallory.aadObjectId,
      agencyId: 'merseyside-police',
      role: 'officer',
      clearance: 'OFFICIAL',
    };
    const forged: Record<string, unknown>[] = [
      { ...good, role: 'admin' },
      { ...good, clearance: 'SECRET' },
      { ...good, aadObjectId: 'not-a-guid' },
      { ...good, displayName: 'Someone Else' },
      { ...good, agencyId: { $ne: null } },
    ];
    for (const data of forged) {
      const r = await bot.post(actionExecute(VERB.accessApprove, data, 'Approve', at(lynne)));
      expect(answer(r), JSON.stringify(data)).toContain('That button sent something I could not use');
    }
    const unknownAgency = await bot.post(
      actionExecute(VERB.accessApprove, { ...good, agencyId: 'nope' }, 'Approve', at(lynne)),
    );
    expect(answer(unknownAgency)).toContain('has no agency of that name');
    for (const who of [alex, adele]) {
      const r = await bot.post(actionExecute(VERB.accessApprove, good, 'Approve', at(who)));
      expect(answer(r)).toContain('Your role does not allow that: it needs the admin role');
    }
    expect(await bot.store.members.get(mallory.aadObjectId)).toBeUndefined();
    expect((await bot.store.accessRequests.get(PID, mallory.aadObjectId))?.state).toBe('open');
    expect((await requestAudit(mallory)).map((e) => e.action)).toEqual(['access.requested']);
  });

  it('a tenant not allowed, or one no partnership names, cannot ask; nothing is stored', async () => {
    const foreign = await bot.post(
      fromTenant(actionExecute(VERB.accessRequest, {}, 'Request access', at(otherTenant)), FOREIGN_TENANT),
    );
    expect(answer(foreign)).toContain('This bot serves another organisation');
    const unnamed = await bot.post(
      fromTenant(actionExecute(VERB.accessRequest, {}, 'Request access', at(otherTenant)), OTHER_TENANT),
    );
    expect(answer(unnamed)).toContain('No partnership using this bot takes requests from your organisation');
    expect(answer(unnamed)).toContain("Ask your partnership's administrator");
    expect(await bot.store.accessRequests.get(PID, otherTenant.aadObjectId)).toBeUndefined();
    // Its "not a member" card offers no button to press.
    const card = onlyCard(
      await bot.post(
        fromTenant((await import('../support/activities.js')).message('hi', at(otherTenant)), OTHER_TENANT),
      ),
    );
    expect(cardText(card)).toContain('Not a member yet');
    expect(cardText(card)).not.toContain('[Request access]');
  });

  it('in a channel or group chat: no button, a press is answered to the presser alone, and nothing is sent to the chat', async () => {
    const sid: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555506', name: 'Sid Shared' };
    for (const where of ['channel', 'groupChat'] as const) {
      const notice = cardText(onlyCard(await bot.say('help', sid, where)));
      expect(notice).toContain('open a 1:1 chat with me and press Request access there');
      expect(notice).not.toContain('[Request access]');
      const r = await pressRequest(sid, where);
      expect(answer(r)).toContain('Ask for access in your 1:1 chat with me');
      expect(r.posted).toEqual([]);
      expect(r.updated).toEqual([]);
    }
    expect(await bot.store.accessRequests.get(PID, sid.aadObjectId)).toBeUndefined();

    // An admin deciding from a card seen in a group chat: the answer goes to the admin alone.
    await pressRequest(sid);
    await sentTo(personalChat(lynne), 1, 0, (c) => cardText(c).includes(sid.aadObjectId));
    const r = await bot.post(
      actionExecute(
        VERB.accessDecline,
        { aadObjectId: sid.aadObjectId, reason: '' },
        'Decline',
        at(lynne, 'groupChat'),
      ),
    );
    expect(answer(r)).toContain("Sid Shared's request was declined");
    expect(r.posted).toEqual([]);
    expect(r.updated).toEqual([]);
  });
  it('a tenant two partnerships name: the admins of each are asked; once one approves, the other cannot add them too', async () => {
    const admin = new MemberAdmin(bot.store, () => new Date(), 'system:test');
    await admin.addPartnership({
      id: 'wirral-csp',
      name: 'Wirral CSP',
      force: 'Merseyside Police',
      tenantIds: [TENANT_ID],
    });
    await admin.addAgency({
      partnershipId: 'wirral-csp',
      id: 'wirral-council',
      name: 'Wirral Council',
      sector: 'local-authority',
    });
    const wAdmin: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555507', name: 'Wren Admin' };
    await admin.addMember({
      partnershipId: 'wirral-csp',
      aadObjectId: wAdmin.aadObjectId,
      displayName: wAdmin.name,
      agencyId: 'wirral-council',
      roles: ['admin'],
    });
    await bot.say('help', wAdmin);
    const tia: Person = { aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555508', name: 'Tia Twice' };
    const mark = bot.connector.posted.length;
    expect(answer(await pressRequest(tia))).toContain(
      'Your request went to the admins of Merseyside SOC Partnership (DEMO) and Wirral CSP',
    );
    const [demoCard] = await sentTo(personalChat(lynne), 1, mark, (c) => cardText(c).includes(tia.aadObjectId));
    const [wirralCard] = await sentTo(personalChat(wAdmin), 1, mark, (c) => cardText(c).includes(tia.aadObjectId));
    expect(cardText(wirralCard!)).toContain('Partnership: Wirral CSP');
    expect(answer(await pressRequest(tia))).toContain('is still waiting');

    const approved = await bot.press(wirralCard!, 'Approve', wAdmin, 'personal', {
      agencyId: 'wirral-council',
      role: 'officer',
      clearance: 'OFFICIAL',
    });
    expect(answer(approved)).toContain('Tia Twice is now officer in Wirral Council');
    const late = await bot.press(demoCard!, 'Approve', lynne, 'personal', {
      agencyId: 'merseyside-police',
      role: 'officer',
      clearance: 'OFFICIAL',
    });
    expect(answer(late)).toContain('Tia Twice is a member of another partnership');
    expect((await bot.store.members.get(tia.aadObjectId))?.partnershipId).toBe('wirral-csp');
    expect((await bot.store.accessRequests.get(PID, tia.aadObjectId))?.state).toBe('open');
  });
  it("holds the requester's Teams name to a member's name: control characters out, at most 120 characters", async () => {
    const odd: Person = {
      aadObjectId: 'b2b2b2b2-2222-4333-8444-555555555509',
      name: `Odd\u0007 Name ${'x'.repeat(300)}`,
    };
    expect(answer(await pressRequest(odd))).toContain('Your request went to the admins');
    const stored = await bot.store.accessRequests.get(PID, odd.aadObjectId);
    expect(stored?.displayName).toBe(`Odd  Name ${'x'.repeat(110)}`);
  });
});
