import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PLAYGROUND_USERS, DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { messageMentioning, teamsUserId, type Activity, type Person, type Where } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { adele, alex, isaiah, megan } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;
const lynne: Person = { aadObjectId: PLAYGROUND_USERS[5].aadObjectId, name: PLAYGROUND_USERS[5].displayName };
const teamsId = teamsUserId;

/** A message that @mentions people as Teams sends it: <at>Name</at> in the text, a mention entity each. */
function withMentions(
  bot: BotUnderTest,
  text: string,
  as: Person,
  people: Person[],
  where: Where = 'personal',
): Activity {
  return messageMentioning(text, { from: as, where, serviceUrl: bot.connector.url }, people);
}

const text = (r: TurnResult) => cardText(onlyCard(r));
const rolesOf = async (bot: BotUnderTest, p: Person) => (await bot.store.members.get(p.aadObjectId))?.roles;
const memberAudit = (bot: BotUnderTest, p: Person) => bot.store.audit.listForEntity(PID, 'member', p.aadObjectId);

describe('roles in chat: grant, revoke, who can', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
    for (const p of [alex, megan, adele, isaiah, lynne]) {
      bot.connector.roster.set(teamsId(p), { id: teamsId(p), name: p.name, aadObjectId: p.aadObjectId });
    }
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('an admin grants a role to an @mentioned member in a channel; it is audited with the admin as actor', async () => {
    const result = await bot.post(
      withMentions(bot, `grant coordinator to <at>${megan.name}</at>`, lynne, [megan], 'channel'),
    );
    expect(text(result)).toContain('Role granted');
    expect(text(result)).toContain('Megan Bowen (Merseyside Police) is now officer and coordinator');
    expect(await rolesOf(bot, megan)).toEqual(['officer', 'coordinator']);
    const [event] = (await memberAudit(bot, megan)).slice(-1);
    expect(event).toMatchObject({
      action: 'member.roles',
      actor: lynne.aadObjectId,
      before: expect.objectContaining({ roles: ['officer'] }),
      after: expect.objectContaining({ roles: ['officer', 'coordinator'] }),
    });
    // The new role works at once: Megan's help now offers what a coordinator may do.
    expect(text(await bot.say('help', megan))).toContain('You are officer and coordinator');
  });

  it('revokes by typed name in a 1:1 chat, and says when nothing needs changing', async () => {
    expect(text(await bot.say('revoke coordinator from Megan Bowen', lynne))).toContain(
      'Megan Bowen (Merseyside Police) is now officer',
    );
    expect(await rolesOf(bot, megan)).toEqual(['officer']);
    const audited = (await memberAudit(bot, megan)).length;
    expect(text(await bot.say('revoke coordinator from megan bowen', lynne))).toContain(
      'does not have the coordinator role',
    );
    expect((await memberAudit(bot, megan)).length).toBe(audited);
  });

  it('refuses anyone who is not an admin, and writes nothing', async () => {
    const before = await memberAudit(bot, alex);
    for (const cmd of ['grant admin to Alex Wilber', 'revoke coordinator from Alex Wilber', 'who can review']) {
      const t = text(await bot.say(cmd, alex));
      expect(t).toContain('Not allowed');
      expect(t).toContain('it needs the admin role');
    }
    expect(await rolesOf(bot, alex)).toEqual(['coordinator']);
    expect(await memberAudit(bot, alex)).toEqual(before);
  });

  it('says clearly when a name matches two members, and an @mention Teams resolves picks the right one', async () => {
    const twin: Person = { aadObjectId: 'cccccccc-1111-2222-3333-444444444444', name: 'Adele Vance' };
    await new MemberAdmin(bot.store, () => new Date(), 'system:test').addMember({
      partnershipId: PID,
      aadObjectId: twin.aadObjectId,
      displayName: twin.name,
      agencyId: 'merseyside-police',
      roles: ['officer'],
    });
    const ambiguous = text(await bot.say('grant board to Adele Vance', lynne));
    expect(ambiguous).toContain('Which one?');
    expect(ambiguous).toContain('2 members are called Adele Vance');
    expect(ambiguous).toContain(`Adele Vance (Liverpool City Council), Entra object id ${adele.aadObjectId}`);
    expect(ambiguous).toContain(`Adele Vance (Merseyside Police), Entra object id ${twin.aadObjectId}`);
    expect(await rolesOf(bot, adele)).toEqual(['partner']);
    expect(await rolesOf(bot, twin)).toEqual(['officer']);

    bot.connector.roster.set(teamsId(twin), { id: teamsId(twin), name: twin.name, aadObjectId: twin.aadObjectId });
    const picked = await bot.post(
      withMentions(bot, `grant board to <at>${twin.name}</at>`, lynne, [twin], 'groupChat'),
    );
    expect(text(picked)).toContain('Adele Vance (Merseyside Police) is now officer and board');
    expect(await rolesOf(bot, adele)).toEqual(['partner']);

    const byId = text(await bot.say(`grant coordinator to ${adele.aadObjectId}`, lynne));
    expect(byId).toContain('Adele Vance (Liverpool City Council) is now partner and coordinator');
  });

  it('names nobody who is not a member of the partnership, and suggests the nearest', async () => {
    const t = text(await bot.say('grant officer to Megan Smith', lynne));
    expect(t).toContain('No such member');
    expect(t).toContain('Did you mean Megan Bowen (Merseyside Police)?');
    const unknownRole = text(await bot.say('grant superuser to Megan Bowen', lynne));
    expect(unknownRole).toContain('That is not a role');
    expect(unknownRole).toContain('Roles: admin, coordinator, partner, officer, board');
  });

  it('never leaves the partnership without an admin, and a member keeps at least one role', async () => {
    expect(text(await bot.say('revoke admin from Lynne Robbins', lynne))).toContain("the partnership's only admin");
    expect(await rolesOf(bot, lynne)).toEqual(['admin']);
    expect(text(await bot.say('revoke board from Isaiah Langer', lynne))).toContain('a member needs at least one');
  });

  it('who can: the roles and the members who hold them', async () => {
    const t = text(await bot.say('who can record the review?', lynne));
    expect(t).toContain('Who can record the six-monthly review');
    expect(t).toContain('Roles: coordinator.');
    expect(t).toContain('Alex Wilber (Merseyside Police)');
    expect(t).toContain('Adele Vance (Liverpool City Council)');
    expect(t).not.toContain('Megan Bowen');
    expect(text(await bot.say('who can juggle', lynne))).toContain('who can review');
  });

  it('help lists the admin commands to an admin only', async () => {
    expect(text(await bot.say('help', lynne))).toContain('grant <role> to @person');
    expect(text(await bot.say('help', megan))).not.toContain('grant');
  });
});

describe('ADMIN_AAD_OBJECT_IDS', () => {
  it('makes a listed member admin at start-up, audited as system:bootstrap, so they can grant roles', async () => {
    const bot = await BotUnderTest.start({ env: { ADMIN_AAD_OBJECT_IDS: `${isaiah.aadObjectId.toUpperCase()}` } });
    try {
      expect(await rolesOf(bot, isaiah)).toEqual(['board', 'admin']);
      expect((await memberAudit(bot, isaiah)).at(-1)).toMatchObject({
        action: 'member.roles',
        actor: 'system:bootstrap',
      });
      expect(text(await bot.say('grant partner to Megan Bowen', isaiah))).toContain('Role granted');
    } finally {
      await bot.close();
    }
  });
});
