import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID, PLAYGROUND_USERS } from '../../src/services/demo-partnership.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { messageMentioning, teamsUserId, type Activity, type Person, type Where } from '../support/activities.js';
import { cardText } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { adele, alex, megan } from '../support/people.js';

/**
 * Onboarding in chat (issue 16, item 5): `add @person to <agency> as <role>`, `remove @person`,
 * `agencies`, `add agency <name> (<sector>)`. The person is who Teams says the @mention is (the
 * mention carries their Teams id, 29:…; the bot asks the connector for their Entra object id,
 * as TeamsInfo.getMember does), never a typed name. Every change is in the audit trail.
 */
const PID = DEMO_PARTNERSHIP_ID;
const lynne: Person = { aadObjectId: PLAYGROUND_USERS[5].aadObjectId, name: PLAYGROUND_USERS[5].displayName };
const pat: Person = { aadObjectId: 'a1a1a1a1-2222-4333-8444-555555555501', name: 'Pat Partner' };
const olu: Person = { aadObjectId: 'a1a1a1a1-2222-4333-8444-555555555502', name: 'Olu Officer' };
const sam: Person = { aadObjectId: 'a1a1a1a1-2222-4333-8444-555555555503', name: 'Sam Sensitive' };
const outsider: Person = { aadObjectId: 'a1a1a1a1-2222-4333-8444-555555555504', name: 'Wy Member' };
const unknown: Person = { aadObjectId: 'a1a1a1a1-2222-4333-8444-555555555505', name: 'Not In Roster' };
const teamsId = teamsUserId;

/** A message that @mentions people as Teams sends it: <at>Name</at> in the text, a mention entity each (29: id and name). */
function withMentions(
  bot: BotUnderTest,
  text: string,
  as: Person,
  people: Person[],
  where: Where = 'channel',
): Activity {
  return messageMentioning(text, { from: as, where, serviceUrl: bot.connector.url }, people);
}

const text = (r: TurnResult) => cardText(onlyCard(r));
const memberAudit = (bot: BotUnderTest, p: Person) => bot.store.audit.listForEntity(PID, 'member', p.aadObjectId);

describe('onboarding in chat: add, remove, agencies, add agency', () => {
  let bot: BotUnderTest;
  const say = (t: string, as: Person, people: Person[], where: Where = 'channel') =>
    bot.post(withMentions(bot, t.replace(/@([A-Z][a-z]+ [A-Z][a-z]+)/g, '<at>$1</at>'), as, people, where));

  beforeAll(async () => {
    bot = await BotUnderTest.start();
    for (const p of [pat, olu, sam, outsider, megan, lynne, alex]) {
      bot.connector.roster.set(teamsId(p), { id: teamsId(p), name: p.name, aadObjectId: p.aadObjectId });
    }
    const admin = new MemberAdmin(bot.store, () => new Date(), 'system:test');
    await admin.addPartnership({ id: 'wy', name: 'West Yorkshire SOC Board', force: 'West Yorkshire Police' });
    await admin.addAgency({ partnershipId: 'wy', id: 'wyp', name: 'West Yorkshire Police', sector: 'police' });
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: outsider.aadObjectId,
      displayName: outsider.name,
      agencyId: 'wyp',
      roles: ['officer'],
    });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('a coordinator adds an @mentioned person in a channel, cleared OFFICIAL; audited; they can use the bot at once', async () => {
    expect(text(await bot.say('help', pat))).toContain('Not a member yet');
    const t = text(await say('add @Pat Partner to Liverpool City Council as partner', alex, [pat]));
    expect(t).toContain('Member added');
    expect(t).toContain('Pat Partner is now partner in Liverpool City Council, cleared for OFFICIAL');
    expect(await bot.store.members.get(pat.aadObjectId)).toMatchObject({
      partnershipId: PID,
      agencyId: 'liverpool-city-council',
      displayName: 'Pat Partner',
      roles: ['partner'],
      clearance: 'OFFICIAL',
      active: true,
    });
    expect(await memberAudit(bot, pat)).toMatchObject([
      { action: 'member.created', actor: alex.aadObjectId, before: null, after: { roles: ['partner'] } },
    ]);
    expect(text(await bot.say('help', pat))).toContain('You are partner');
  });

  it('an admin may set OFFICIAL-SENSITIVE clearance; a coordinator may not, and nothing is written', async () => {
    const refused = text(
      await say(
        'add @Sam Sensitive to Merseyside Police as officer cleared for OFFICIAL-SENSITIVE',
        alex,
        [sam],
        'groupChat',
      ),
    );
    expect(refused).toContain('Only an admin may set a clearance above OFFICIAL');
    expect(await bot.store.members.get(sam.aadObjectId)).toBeUndefined();
    expect(await memberAudit(bot, sam)).toEqual([]);

    const t = text(
      await say('add @Olu Officer to merseyside police as an officer cleared for official-sensitive', lynne, [olu]),
    );
    expect(t).toContain('Olu Officer is now officer in Merseyside Police, cleared for OFFICIAL-SENSITIVE');
    expect((await bot.store.members.get(olu.aadObjectId))?.clearance).toBe('OFFICIAL-SENSITIVE');
    expect((await memberAudit(bot, olu))[0]).toMatchObject({ action: 'member.created', actor: lynne.aadObjectId });
  });

  it('refuses a partner, a typed name, an unresolvable mention, someone of another partnership and an unknown agency', async () => {
    const before = await bot.store.members.listByPartnership(PID);
    const partner = text(await say('add @Sam Sensitive to Merseyside Police as officer', adele, [sam]));
    expect(partner).toContain('Not allowed');
    expect(partner).toContain('it needs the coordinator or admin role');
    expect(text(await bot.say('agencies', adele))).toContain('Not allowed');
    expect(text(await bot.say('add agency Heldshire Fire and Rescue (fire)', adele))).toContain('Not allowed');

    // A typed name is never matched or guessed: only an @mention Teams resolves will do.
    expect(text(await bot.say('add Sam Sensitive to Merseyside Police as officer', alex))).toContain(
      '@mention the person',
    );
    const unresolved = text(await say('add @Not In Roster to Merseyside Police as officer', alex, [unknown]));
    expect(unresolved).toContain("Teams did not give me Not In Roster's Entra object id");

    const elsewhere = text(await say('add @Wy Member to Merseyside Police as officer', alex, [outsider]));
    expect(elsewhere).toContain('Wy Member is a member of another partnership');
    expect(elsewhere).not.toContain('West Yorkshire');
    expect(text(await say('remove @Wy Member', alex, [outsider]))).toContain('not a member of your partnership');
    expect((await bot.store.members.get(outsider.aadObjectId))?.active).toBe(true);

    const agency = text(await say('add @Sam Sensitive to Heldshire Council as officer', alex, [sam]));
    expect(agency).toContain('has no agency of that name');
    expect(text(await say('add @Sam Sensitive to Merseyside Police as chief', alex, [sam]))).toContain(
      'That is not a role',
    );
    expect(text(await say('add @Megan Bowen to Merseyside Police as officer', alex, [megan]))).toContain(
      'Megan Bowen is already a member (officer)',
    );
    expect(await bot.store.members.listByPartnership(PID)).toEqual(before);
    expect(await memberAudit(bot, sam)).toEqual([]);
  });

  it('agencies lists name, sector and member count; add agency derives a unique id, audits it and refuses duplicates', async () => {
    const list = text(await bot.say('agencies', alex));
    expect(list).toContain('Agencies in Merseyside SOC Partnership');
    expect(list).toMatch(/Liverpool City Council\nLocal authority\n2/);
    expect(list).toMatch(/Merseyside Fire and Rescue Service\nFire and rescue\n0/);

    const added = text(await bot.say('add agency Heldshire Fire and Rescue (Fire and rescue)', alex, 'groupChat'));
    expect(added).toContain('Heldshire Fire and Rescue (Fire and rescue, id heldshire-fire-and-rescue)');
    expect(await bot.store.agencies.get(PID, 'heldshire-fire-and-rescue')).toEqual({
      id: 'heldshire-fire-and-rescue',
      partnershipId: PID,
      name: 'Heldshire Fire and Rescue',
      sector: 'fire',
    });
    expect(await bot.store.audit.listForEntity(PID, 'agency', 'heldshire-fire-and-rescue')).toMatchObject([
      { action: 'agency.created', actor: alex.aadObjectId, before: null },
    ]);

    expect(text(await bot.say('add agency heldshire  fire and rescue (fire)', lynne))).toContain(
      'already has Heldshire Fire and Rescue (id heldshire-fire-and-rescue), so nothing was added',
    );
    expect(text(await bot.say('add agency Heldshire Council (council)', alex))).toContain(
      'That sector is not one I know',
    );
    expect(text(await bot.say('add agency Heldshire Council', alex))).toContain('Give the sector in brackets');
    expect(text(await bot.say('add agency X (fire)', alex))).toContain('2 to 120 characters');
    expect(text(await bot.say(`add agency ${'H'.repeat(121)} (fire)`, alex))).toContain('2 to 120 characters');
    expect(await bot.store.audit.listForEntity(PID, 'agency', 'heldshire-council')).toEqual([]);

    const now = text(await bot.say('agencies', alex));
    expect(now).toMatch(/Heldshire Fire and Rescue\nFire and rescue\n0/);
    const hired = text(await say('add @Sam Sensitive to Heldshire Fire and Rescue as partner', alex, [sam]));
    expect(hired).toContain('Sam Sensitive is now partner in Heldshire Fire and Rescue');
  });

  it('remove deactivates (the record and its history stay), is audited, and a removed person can be added back', async () => {
    const t = text(await say('remove @Pat Partner', alex, [pat]));
    expect(t).toContain('Member removed');
    expect(await bot.store.members.get(pat.aadObjectId)).toMatchObject({ active: false, roles: ['partner'] });
    expect((await memberAudit(bot, pat)).at(-1)).toMatchObject({
      action: 'member.deactivated',
      actor: alex.aadObjectId,
      before: { active: true },
      after: { active: false },
    });
    expect(text(await bot.say('help', pat))).toContain('Not a member yet');
    expect(text(await say('remove @Pat Partner', alex, [pat]))).toContain('Pat Partner was already removed');
    expect(text(await bot.say('remove Olu Officer', alex))).toContain('For example: remove @Pat Partner');
    expect((await bot.store.members.get(olu.aadObjectId))?.active).toBe(true);

    const back = text(await say('add @Pat Partner to Knowsley Council as officer', alex, [pat]));
    expect(back).toContain('Member back');
    expect(await bot.store.members.get(pat.aadObjectId)).toMatchObject({
      active: true,
      agencyId: 'knowsley-council',
      roles: ['officer'],
    });
    expect((await memberAudit(bot, pat)).map((e) => e.action)).toEqual([
      'member.created',
      'member.deactivated',
      'member.reactivated',
    ]);
    // The admin's audit view shows each change, who made it and what the member became.
    const trail = text(await say('audit @Pat Partner', lynne, [pat], 'personal'));
    expect(trail).toContain('Membership history of Pat Partner');
    expect(trail).toMatch(/Added\nAlex Wilber · .*\npartner in Liverpool City Council · cleared for OFFICIAL/);
    expect(trail).toMatch(/Removed\nAlex Wilber · /);
    expect(trail).toMatch(/Added back\nAlex Wilber · .*\nofficer in Knowsley Council/);
    expect(text(await say('audit @Pat Partner', alex, [pat]))).toContain('it needs the admin role');
  });

  it('never removes the last admin, the admin themself included; a coordinator may not remove an admin', async () => {
    expect(text(await say('remove @Lynne Robbins', lynne, [lynne]))).toContain(
      "You are Merseyside SOC Partnership (DEMO)'s only admin, so you cannot remove yourself",
    );
    expect(text(await say('remove @Lynne Robbins', alex, [lynne]))).toContain('Only an admin may remove an admin');
    expect((await bot.store.members.get(lynne.aadObjectId))?.active).toBe(true);
    // "remove <role> from @person" still revokes a role, and only for an admin.
    expect(text(await say('remove officer from @Olu Officer', alex, [olu]))).toContain('it needs the admin role');
    expect(text(await bot.say('help', lynne))).toContain('add @person to <agency> as <role>');
    expect(text(await bot.say('help', megan))).not.toContain('add @person');
  });
});
