import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERB, type Verb } from '../../src/bot/verbs.js';
import type { Permission } from '../../src/domain/permissions.js';
import { can } from '../../src/domain/permissions.js';
import type { Role } from '../../src/domain/member.js';
import { DEMO_PARTNERSHIP_ID, PLAYGROUND_USERS } from '../../src/services/demo-partnership.js';
import { MemberAdmin } from '../../src/services/member-admin.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import {
  actionExecute,
  cardSubmit,
  message,
  queryLink,
  searchQuery,
  selectItem,
  TENANT_ID,
  type Activity,
  type Person,
  type Where,
} from '../support/activities.js';
import { actionsOf, cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { adele, alex, isaiah, megan, stranger } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;
const EVERTON = 'E05000896';
const BIRKENHEAD = 'E05000956'; // an OFFICIAL-SENSITIVE OCG and gap
const lynne: Person = { aadObjectId: PLAYGROUND_USERS[5].aadObjectId, name: PLAYGROUND_USERS[5].displayName };
const ROLE_HOLDER: Record<Role, Person> = {
  coordinator: alex,
  officer: megan,
  partner: adele,
  board: isaiah,
  admin: lynne,
};

const at = (bot: BotUnderTest, as: Person, where: Where = 'personal') => ({
  from: as,
  where,
  serviceUrl: bot.connector.url,
});
const everything = (bot: BotUnderTest) => bot.store.audit.listSince(PID, '2000-01-01T00:00:00Z', 100_000);
/** What a turn answered: card text, or the message an invoke answered with. */
function answer(r: TurnResult): string {
  if (r.cards.length) return r.cards.map(cardText).join('\n---\n');
  return JSON.stringify(r.body ?? '');
}

describe('the guard in front of every route', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
  });
  afterAll(async () => {
    await bot?.close();
  });

  /**
   * Each card verb with the permission its route asks for. A verb added without an entry here
   * fails the first test, so a new route cannot skip this check by being forgotten.
   */
  const VERB_PERMISSION: Record<Verb, Permission> = {
    [VERB.districtSummary]: 'profile.read',
    [VERB.districtGaps]: 'gap.read',
    [VERB.districtPlan]: 'action.read',
    [VERB.summaryRefresh]: 'profile.read',
    [VERB.gapsRefresh]: 'gap.read',
    [VERB.planRefresh]: 'action.read',
    [VERB.profileReview]: 'profile.review',
    [VERB.commandRun]: 'profile.read',
    // Task cards: every member may press, and the service then applies the item rule (owner,
    // owning or lead agency, coordinators: mayChangeItem), proven in tasks.e2e.test.ts.
    [VERB.taskAccept]: 'gap.read',
    [VERB.taskProgress]: 'gap.read',
    [VERB.taskBlock]: 'gap.read',
    [VERB.taskDone]: 'gap.read',
    [VERB.taskNote]: 'gap.read',
    [VERB.taskClose]: 'gap.read',
    [VERB.taskReassign]: 'gap.read',
    [VERB.tasksMore]: 'gap.read',
    [VERB.taskRefresh]: 'gap.read',
    [VERB.taskShow]: 'gap.read',
    [VERB.gapForm]: 'gap.create',
    [VERB.gapCreate]: 'gap.create',
    [VERB.actionForm]: 'action.create',
    [VERB.actionCreate]: 'action.create',
    [VERB.reminderSettings]: 'reminders.manage',
    // A member pressing an old Request access card is told they are one already.
    [VERB.accessRequest]: 'profile.read',
    [VERB.accessApprove]: 'member.manage',
    [VERB.accessDecline]: 'member.manage',
    [VERB.districtRecommendations]: 'profile.read',
    // Make action: the guard asks for action.create; the service checks it again.
    [VERB.recommendationAct]: 'action.create',
  };
  const EXECUTE_VERBS: ReadonlySet<Verb> = new Set([
    VERB.summaryRefresh,
    VERB.gapsRefresh,
    VERB.planRefresh,
    VERB.profileReview,
    VERB.taskAccept,
    VERB.taskProgress,
    VERB.taskBlock,
    VERB.taskDone,
    VERB.taskNote,
    VERB.taskClose,
    VERB.taskReassign,
    VERB.taskRefresh,
    VERB.tasksMore,
    VERB.gapCreate,
    VERB.actionCreate,
    VERB.reminderSettings,
    VERB.accessRequest,
    VERB.accessApprove,
    VERB.accessDecline,
    VERB.recommendationAct,
  ]);

  const REFRESH_VERBS: ReadonlySet<Verb> = new Set([VERB.summaryRefresh, VERB.gapsRefresh, VERB.planRefresh]);

  const allCommands = () => [...bot.running.bot.commands, ...bot.running.bot.adminCommands];

  /**
   * The message extension's invokes, one per invoke route (the search, a chosen result, a link,
   * and the catch-all for any other): every role may read districts, so only membership applies.
   */
  const messageExtensionInvokes = (as: Person): Activity[] => [
    searchQuery('Everton', at(bot, as)),
    selectItem({ districtId: EVERTON }, at(bot, as)),
    queryLink(`https://soc.example.org/districts/${PID}/${EVERTON}`, at(bot, as)),
    searchQuery('Everton', at(bot, as), { commandId: 'anotherCommand' }),
  ];

  function verbActivity(verb: Verb, as: Person, districtId = EVERTON): Activity {
    const data = verb === VERB.commandRun ? { verb, text: 'summary Everton' } : { verb, districtId };
    if (REFRESH_VERBS.has(verb)) return actionExecute(verb, { districtId, stamp: '1' }, 'Refresh', at(bot, as));
    if (EXECUTE_VERBS.has(verb)) return actionExecute(verb, { districtId, etag: 'x' }, 'Press', at(bot, as));
    return cardSubmit(data, at(bot, as));
  }

  it('every registered route is a command or a card verb this test knows, so each is checked below', () => {
    // teams-ai keeps its routes private; read only to count them.
    const app = bot.running.bot.app as unknown as { _routes: unknown[]; _invokeRoutes: unknown[] };
    const routes = app._routes.length;
    const invokeRoutes = app._invokeRoutes.length;
    const verbs = Object.values(VERB);
    expect(Object.keys(VERB_PERMISSION).sort()).toEqual([...verbs].sort());
    // One route per command: its selector matches the folded text against all its patterns.
    const commands = allCommands().length;
    // Commands and Action.Submit verbs are message routes; the welcome (bot added), the app
    // installed (installationUpdate: waiting task cards, no text read) and the catch-all are the
    // three others. Action.Execute verbs and the message extension's invokes are invoke routes.
    expect(routes).toBe(commands + verbs.filter((v) => !EXECUTE_VERBS.has(v)).length + 3);
    expect(invokeRoutes).toBe(EXECUTE_VERBS.size + messageExtensionInvokes(alex).length);
  });

  it('a non-member reaches no command and no card verb: one "not a member" answer, nothing written', async () => {
    const before = await everything(bot);
    for (const command of allCommands()) {
      const r = await bot.say(command.example, stranger);
      expect(r.cards.map(cardText).join('\n'), command.name).toContain('Not a member yet');
      expect(r.cards).toHaveLength(1);
    }
    for (const verb of Object.values(VERB)) {
      const r = await bot.post(verbActivity(verb, stranger));
      expect(answer(r), verb).toContain('You are not a member of a partnership');
      expect(r.posted.length + r.updated.length, verb).toBeLessThanOrEqual(1);
    }
    for (const activity of messageExtensionInvokes(stranger)) {
      const r = await bot.post(activity);
      expect(r.body, String(activity.name)).toEqual({
        composeExtension: { type: 'message', text: expect.stringMatching(/^You are not a member of a partnership/) },
      });
      expect(r.posted).toEqual([]);
    }
    expect(await everything(bot)).toEqual(before);
  });

  it("a member whose roles lack a route's permission is refused by every command and card verb", async () => {
    const before = await everything(bot);
    const checks: { name: string; permission: Permission; send: (p: Person) => Promise<TurnResult> }[] = [
      ...allCommands().map((c) => ({
        name: c.name,
        permission: c.permission,
        send: (p: Person) => bot.say(c.example, p),
      })),
      ...Object.values(VERB).map((v) => ({
        name: v,
        permission: VERB_PERMISSION[v],
        send: (p: Person) => bot.post(verbActivity(v, p)),
      })),
    ];
    let refusals = 0;
    for (const check of checks) {
      for (const [role, person] of Object.entries(ROLE_HOLDER) as [Role, Person][]) {
        if (can({ roles: [role], active: true }, check.permission)) continue;
        const text = answer(await check.send(person));
        expect(text, `${check.name} as ${role}`).toContain('Your role does not allow that');
        refusals += 1;
      }
    }
    // profile.review is refused to four roles; the read permissions are every role's, so for
    // them "without the permission" means not a member, checked above.
    expect(refusals).toBeGreaterThanOrEqual(4);
    expect(await everything(bot)).toEqual(before);
  });

  it('a member of another partnership sees nothing of this one', async () => {
    const admin = new MemberAdmin(bot.store, () => new Date(), 'system:test');
    await admin.addPartnership({ id: 'wy', name: 'West Yorkshire SOC Board', force: 'West Yorkshire Police' });
    await admin.addAgency({ partnershipId: 'wy', id: 'wyp', name: 'West Yorkshire Police', sector: 'police' });
    const outsider: Person = { aadObjectId: 'dddddddd-1111-2222-3333-444444444444', name: 'Wy Coordinator' };
    await admin.addMember({
      partnershipId: 'wy',
      aadObjectId: outsider.aadObjectId,
      displayName: outsider.name,
      agencyId: 'wyp',
      roles: ['coordinator', 'admin'],
      clearance: 'OFFICIAL-SENSITIVE',
    });
    const everton = await bot.store.profiles.get(PID, EVERTON);
    const seen: TurnResult[] = [];
    for (const text of ['summary Everton', 'gaps Everton', 'plan Everton', 'top 10', 'who can review']) {
      seen.push(await bot.say(text, outsider));
    }
    for (const verb of Object.values(VERB)) seen.push(await bot.post(verbActivity(verb, outsider)));
    seen.push(
      await bot.post(
        actionExecute(
          VERB.profileReview,
          { districtId: EVERTON, etag: everton!.etag },
          'Mark reviewed',
          at(bot, outsider),
        ),
      ),
    );
    seen.push(await bot.say('grant officer to Megan Bowen', outsider));
    // Everything sent back, button data included; "Everton" itself only as the outsider's own words echoed.
    const all = seen.map((r) => JSON.stringify([r.cards, r.updated, r.body])).join('\n');
    for (const leak of [
      'Merseyside',
      'E05000896',
      'Threat',
      'G-1',
      'OCG-',
      'Alex Wilber',
      'Liverpool',
      'Megan Bowen (',
    ]) {
      expect(all).not.toContain(leak);
    }
    expect(all).toContain('No district by that name');
    expect(all).toContain('no longer exists or is not in your partnership');
    expect((await bot.store.profiles.get(PID, EVERTON))!.review).toEqual(everton!.review);
    expect((await bot.store.members.get(megan.aadObjectId))!.roles).toEqual(['officer']);
  });
});

describe('card submits are checked strictly before anything runs', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('Mark reviewed with a field it does not expect, or a value of the wrong type: refused, nothing written', async () => {
    const card = onlyCard(await bot.say('summary Everton', alex));
    const data = actionsOf(card).find((a) => a.title === 'Mark reviewed')!.data as { districtId: string; etag: string };
    const before = await bot.store.profiles.get(PID, EVERTON);
    const audit = await everything(bot);

    const extra = await bot.post(
      actionExecute(VERB.profileReview, { ...data, suspectName: 'John Smith' }, 'Mark reviewed', at(bot, alex)),
    );
    expect(answer(extra)).toContain(
      'That button sent something I could not use: it sent a field I do not expect (suspectName)',
    );
    expect(answer(extra)).toContain('Nothing was changed');
    expect(answer(extra)).not.toContain('John Smith');

    const wrongType = await bot.post(
      actionExecute(VERB.profileReview, { districtId: 42, etag: data.etag }, 'Mark reviewed', at(bot, alex)),
    );
    expect(answer(wrongType)).toContain('districtId should be text, not a number');
    const missing = await bot.post(
      actionExecute(VERB.profileReview, { districtId: EVERTON }, 'Mark reviewed', at(bot, alex)),
    );
    expect(answer(missing)).toContain('etag is missing');

    expect(await bot.store.profiles.get(PID, EVERTON)).toEqual(before);
    expect(await everything(bot)).toEqual(audit);
    // The same button with what the card sent still works.
    expect(answer(await bot.press(card, 'Mark reviewed', alex))).toContain('Review recorded by Alex Wilber.');
  });

  it.each([
    [VERB.districtSummary, { districtId: EVERTON, name: 'John Smith' }, 'it sent a field I do not expect (name)'],
    [VERB.districtGaps, { districtId: ['E05000896'] }, 'districtId should be text, not a list'],
    [VERB.districtPlan, { districtId: EVERTON, nominal: { id: 1 } }, 'it sent a field I do not expect (nominal)'],
    [VERB.commandRun, { text: 'help', run: true }, 'it sent a field I do not expect (run)'],
    [VERB.commandRun, { text: 7 }, 'text should be text, not a number'],
  ])('%s with %j is refused: %s', async (verb, data, expected) => {
    const audit = await everything(bot);
    const result = await bot.post(cardSubmit({ verb, ...data }, at(bot, alex)));
    const text = cardText(onlyCard(result));
    expect(text).toContain('That did not work');
    expect(text).toContain(expected);
    expect(text).not.toContain('John Smith');
    expect(await everything(bot)).toEqual(audit);
  });
});

describe('abuse and bad input', () => {
  it('a card payload over 4 KB is refused with a clear answer before anything is read or written', async () => {
    const bot = await BotUnderTest.start();
    try {
      const big = await bot.post(
        cardSubmit({ verb: VERB.districtSummary, districtId: EVERTON, pad: 'x'.repeat(5000) }, at(bot, alex)),
      );
      const text = cardText(onlyCard(big));
      expect(text).toContain('That button sent too much');
      expect(text).toMatch(/The card sent 5,\d{3} bytes; a button sends under 4,096/);
      expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toBeUndefined();
    } finally {
      await bot.close();
    }
  });

  it('a request body over 256 KB is refused with 413 and reaches nothing', async () => {
    const bot = await BotUnderTest.start();
    try {
      const huge = message(`summary ${'x'.repeat(300 * 1024)}`, at(bot, alex));
      const r = await bot.post(huge);
      expect(r.status).toBe(413);
      expect(r.posted).toHaveLength(0);
      expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toBeUndefined();
    } finally {
      await bot.close();
    }
  });

  it('rate limits each user: "slow down" once over the burst, without touching the store; refills with time', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-rate-'));
    const base = openSqliteStore({ file: join(dir, 'store.db') });
    let storeCalls = 0;
    const counted = countingStore(base, () => (storeCalls += 1));
    let now = new Date('2026-11-25T09:00:00Z');
    const bot = await BotUnderTest.start({
      store: counted,
      clock: () => now,
      env: { COMMANDS_PER_MINUTE: '6', COMMAND_BURST: '3' },
    });
    try {
      for (let i = 0; i < 3; i++)
        expect(cardText(onlyCard(await bot.say('summary Everton', alex)))).toContain('Everton');
      const callsBefore = storeCalls;
      for (let i = 0; i < 20; i++) {
        const text = cardText(onlyCard(await bot.say('summary Everton', alex)));
        expect(text).toContain('Slow down');
        expect(text).toMatch(/Please wait \d+ seconds and try again/);
      }
      expect(storeCalls).toBe(callsBefore);
      // Another person is not held up by Alex's burst.
      expect(cardText(onlyCard(await bot.say('summary Everton', megan)))).toContain('Everton');
      // Six a minute: ten seconds later, one more.
      now = new Date(now.getTime() + 10_000);
      expect(cardText(onlyCard(await bot.say('summary Everton', alex)))).toContain('Everton');
      expect(cardText(onlyCard(await bot.say('summary Everton', alex)))).toContain('Slow down');
      // A card button counts too, and is answered beside the card.
      const invoke = await bot.post(
        actionExecute(VERB.profileReview, { districtId: EVERTON, etag: 'x' }, 'Mark reviewed', at(bot, alex)),
      );
      expect(answer(invoke)).toContain('You have sent a lot of commands in a short time');
    } finally {
      await bot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('ALLOWED_TENANT_IDS', () => {
  const OTHER_TENANT = '99999999-2222-3333-4444-555555555555';

  it('refuses activities from another Entra tenant, logging the tenant id only, and writes nothing', async () => {
    const lines: string[] = [];
    const bot = await BotUnderTest.start({
      env: { ALLOWED_TENANT_IDS: `${OTHER_TENANT}, 88888888-2222-3333-4444-555555555555`, LOG_LEVEL: 'info' },
      logTo: collect(lines),
    });
    try {
      const r = await bot.say('summary Everton secret-words', alex);
      expect(cardText(onlyCard(r))).toContain('This bot serves another organisation');
      expect(cardText(onlyCard(r))).not.toContain('Everton');
      expect(await bot.store.conversations.findPersonal(TENANT_ID, alex.aadObjectId)).toBeUndefined();
      const refused = lines
        .map((l) => JSON.parse(l) as Record<string, unknown>)
        .find((l) => l.code === 'TENANT_REFUSED');
      expect(refused).toMatchObject({ tenantId: TENANT_ID, msg: 'tenant refused' });
      expect(lines.join('\n')).not.toContain('secret-words');
      expect(lines.join('\n')).not.toContain(alex.name);
    } finally {
      await bot.close();
    }
  });

  it('lets the allowed tenant through', async () => {
    const bot = await BotUnderTest.start({ env: { ALLOWED_TENANT_IDS: TENANT_ID.toUpperCase() } });
    try {
      expect(cardText(onlyCard(await bot.say('summary Everton', alex)))).toContain('Threat');
    } finally {
      await bot.close();
    }
  });
});

describe('logs', () => {
  it('carry ids and codes through a whole conversation, and none of what anybody typed', async () => {
    const lines: string[] = [];
    const bot = await BotUnderTest.start({ env: { LOG_LEVEL: 'trace' }, logTo: collect(lines) });
    const typed: string[] = [];
    const say = async (text: string, as: Person, where: Where = 'personal') => {
      typed.push(text);
      return bot.say(text, as, where);
    };
    try {
      await say('help', alex);
      const summary = onlyCard(await say('summary Everton', alex));
      await say('summary Quokkaville', megan, 'channel');
      await say('what is the picture in Birkenhead', alex, 'groupChat');
      await say('gaps Anfield', adele);
      await say('plan Everton', isaiah);
      await say('top 12', megan);
      await say('hello zanzibar marmalade', megan);
      await say(`summary ${'walrus '.repeat(400)}`, megan);
      await say('<script>alert("pelican")</script>', megan);
      await say('{"type":"AdaptiveCard","body":"flamingo"}', megan);
      await say('grant coordinator to Megan Bowen', lynne);
      await say('revoke coordinator from Megan Bowen', lynne);
      await say('who can assign narwhal', lynne);
      await say('summary Everton', stranger);
      await bot.press(summary, 'Mark reviewed', alex);
      await bot.post(cardSubmit({ verb: VERB.commandRun, text: 'summary platypus' }, at(bot, megan)));
      await bot.post(
        cardSubmit({ verb: VERB.districtSummary, districtId: EVERTON, note: 'armadillo' }, at(bot, megan)),
      );
      typed.push('platypus', 'armadillo');

      expect(lines.length).toBeGreaterThan(10);
      const log = lines.join('\n');
      expect(log).toContain('"activityId"');
      const words = new Set(
        typed
          .flatMap((t) => t.split(/[^A-Za-z]+/))
          .filter((w) => w.length >= 6 && !/^(summary|coordinator|revoke)$/i.test(w)),
      );
      for (const word of words) expect(log, word).not.toMatch(new RegExp(word, 'i'));
      for (const p of [alex, megan, adele, isaiah, lynne, stranger]) expect(log).not.toContain(p.name);
    } finally {
      await bot.close();
    }
  });
});

describe('classification over every card the bot sends', () => {
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start();
  });
  afterAll(async () => {
    await bot?.close();
  });

  /** Everything OFFICIAL-SENSITIVE the store holds for a district, as it would appear on a card. */
  async function sensitiveTexts(districtId: string): Promise<string[]> {
    const profile = (await bot.store.profiles.get(PID, districtId))!;
    const gaps = await bot.store.gaps.listByDistrict(PID, districtId);
    const actions = await bot.store.actions.listByDistrict(PID, districtId);
    const s = (c: string) => c === 'OFFICIAL-SENSITIVE';
    return [
      ...profile.threat.ocgs.filter((o) => s(o.classification)).map((o) => o.ref),
      ...profile.recommendations.filter((r) => s(r.classification)).map((r) => r.text),
      ...profile.vulnerabilities.filter((v) => s(v.classification)).map((v) => v.label),
      ...gaps.filter((g) => s(g.classification)).flatMap((g) => [g.question, `${g.ref}`]),
      ...actions.filter((a) => s(a.classification)).flatMap((a) => [a.title, `${a.ref}`]),
    ];
  }

  /** Every command, then every button on every card it answers with, one level deep. */
  async function tour(as: Person, where: Where): Promise<Card[]> {
    const cards: Card[] = [];
    for (const text of [
      'help',
      'summary Birkenhead',
      'gaps Birkenhead',
      'plan Birkenhead',
      'top 10',
      'summary',
      'rank',
    ]) {
      const r = await bot.say(text, as, where);
      cards.push(...r.cards);
      for (const card of r.cards) {
        for (const action of actionsOf(card)) {
          if (!action.title) continue;
          const pressed = await bot.press(card, action.title, as, where);
          cards.push(...pressed.cards, ...pressed.updated);
        }
      }
    }
    return cards;
  }

  it.each(['channel', 'groupChat'] as const)(
    'in a %s, even to a cleared member: every card carries an OFFICIAL banner, and no sensitive item is shown',
    async (where) => {
      const sensitive = await sensitiveTexts(BIRKENHEAD);
      expect(sensitive.length).toBeGreaterThan(0);
      const cards = await tour(alex, where);
      expect(cards.length).toBeGreaterThan(20);
      for (const card of cards) {
        const text = cardText(card);
        expect(text.split('\n')[0]).toMatch(/^OFFICIAL · DEMO DATA/);
        for (const item of sensitive) expect(text).not.toContain(item);
      }
      expect(cards.map(cardText).join('\n')).toMatch(
        /not shown\. OFFICIAL-SENSITIVE items are shown only in a 1:1 chat/,
      );
    },
  );

  it('in a 1:1 chat the cleared member sees them, under an OFFICIAL-SENSITIVE banner; an uncleared one does not', async () => {
    const sensitive = await sensitiveTexts(BIRKENHEAD);
    const cleared = (await tour(alex, 'personal')).map(cardText).join('\n');
    expect(sensitive.some((item) => cleared.includes(item))).toBe(true);
    expect(cleared).toContain('OFFICIAL-SENSITIVE · DEMO DATA');
    const uncleared = await tour(megan, 'personal');
    for (const card of uncleared) {
      const text = cardText(card);
      expect(text.split('\n')[0]).toMatch(/^OFFICIAL · DEMO DATA/);
      for (const item of sensitive) expect(text).not.toContain(item);
    }
  });
});

function collect(lines: string[]): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
}

/** The real store, counting every repository call: what the rate limiter must spare. */
function countingStore(store: Store, count: () => void): Store {
  const wrap = <T extends object>(repo: T): T =>
    new Proxy(repo, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          count();
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(target);
      return value && typeof value === 'object' ? wrap(value) : value;
    },
  });
}
