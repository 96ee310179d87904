import { createHttpsServer } from '@vercel/cosmosdb-server';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FourPAction } from '../../src/domain/action.js';
import type { Profile, Recommendation } from '../../src/domain/profile.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { openCosmosStore } from '../../src/store/cosmos/cosmos-store.js';
import { actionExecute, type Person, type Where } from '../support/activities.js';
import { actionsOf, cardBytes, cardText, type Card, type CardAction } from '../support/cards.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { alex, megan } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;

/**
 * A profile's recommendations on the summary card and `recommendations <district>`, and a
 * coordinator's Make action: the action form pre-filled from a recommendation, the action created
 * from it and linked back ("taken forward as PREV-12"), over HTTP as Teams sends it.
 */

interface Ward {
  id: string;
  name: string;
}

/** A demo ward with a name of its own and two open recommendations, one Prevent (the highest-harm wards). */
async function wardWithRecommendations(bot: BotUnderTest): Promise<Ward> {
  const names = await bot.store.districts.listNames(PID);
  const counts = new Map<string, number>();
  for (const n of names) counts.set(n.name, (counts.get(n.name) ?? 0) + 1);
  for (const n of names) {
    if (counts.get(n.name) !== 1) continue;
    const p = await bot.store.profiles.get(PID, n.id);
    const open = p?.recommendations.filter((r) => r.state === 'open' && r.classification === 'OFFICIAL') ?? [];
    if (open.some((r) => r.strand === 'prevent') && open.length >= 2) {
      return { id: n.id, name: n.name };
    }
  }
  throw new Error('no demo ward with recommendations');
}

async function profileOf(bot: BotUnderTest, districtId: string): Promise<Profile & { etag: string }> {
  const p = await bot.store.profiles.get(PID, districtId);
  if (!p) throw new Error(`no profile for ${districtId}`);
  return p;
}

async function setRecommendations(bot: BotUnderTest, districtId: string, recs: Recommendation[]): Promise<void> {
  const { etag, ...plain } = await profileOf(bot, districtId);
  await bot.store.profiles.replace({ ...plain, recommendations: recs }, etag, {
    actor: 'system:import',
    action: 'profile.imported',
    at: new Date().toISOString(),
  });
}

function makeActionButtons(card: Card): CardAction[] {
  return actionsOf(card).filter((a) => a.title === 'Make action');
}

function makeActionOf(card: Card, number: number): CardAction {
  const found = makeActionButtons(card).find((a) => String((a.data as { number: unknown }).number) === String(number));
  if (!found) throw new Error(`no Make action for recommendation ${number}`);
  return found;
}

function pressMakeAction(bot: BotUnderTest, action: CardAction, as: Person, where: Where = 'personal') {
  return bot.post(
    actionExecute(String(action.verb), action.data, 'Make action', { from: as, where, serviceUrl: bot.connector.url }),
  );
}

/** What an invoke answered with: a card, or the message Teams shows beside the card. */
function invokeAnswer(r: TurnResult): { card?: Card; text?: string } {
  const value = (r.body as { value?: unknown } | undefined)?.value;
  return typeof value === 'string' ? { text: value } : { card: value as Card };
}

/** The value an input of the card was filled in with. */
function inputValue(card: Card, id: string): unknown {
  let found: unknown;
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      const r = o as Record<string, unknown>;
      if (typeof r.type === 'string' && r.type.startsWith('Input.') && r.id === id && found === undefined)
        found = r.value;
      Object.values(r).forEach(walk);
    }
  };
  walk(card);
  return found;
}

/** What Teams sends with a form's button: every input's value as the card holds it, as text. */
function filledIn(card: Card, typed: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (o: unknown): void => {
    if (Array.isArray(o)) o.forEach(walk);
    else if (o && typeof o === 'object') {
      const r = o as Record<string, unknown>;
      if (typeof r.type === 'string' && r.type.startsWith('Input.') && typeof r.id === 'string')
        out[r.id] = r.value === undefined ? '' : String(r.value);
      Object.values(r).forEach(walk);
    }
  };
  walk(card);
  return { ...out, ...typed };
}

function submitForm(bot: BotUnderTest, form: Card, as: Person, where: Where, typed: Record<string, string>) {
  return bot.press(form, 'Add action', as, where, filledIn(form, typed));
}

async function actionsFrom(bot: BotUnderTest, districtId: string, number: number): Promise<FourPAction[]> {
  return (await bot.store.actions.listByDistrict(PID, districtId)).filter((a) => a.fromRecommendation === number);
}

const FORM_INPUTS = { impactMeasure: 'Young people referred and attending', noPersonalData: 'true' };

describe('recommendations on SQLite', () => {
  let bot: BotUnderTest;
  let ward: Ward;
  let prevent: Recommendation & { number: number };
  beforeAll(async () => {
    bot = await BotUnderTest.start();
    ward = await wardWithRecommendations(bot);
    const p = await profileOf(bot, ward.id);
    prevent = p.recommendations.find((r) => r.strand === 'prevent') as Recommendation & { number: number };
  }, 120_000);
  afterAll(async () => {
    await bot?.close();
  });

  it('the summary lists them, numbered, with the agency asked and the state; Make action for coordinators only', async () => {
    const coordinator = onlyCard(await bot.say(`summary ${ward.name}`, alex));
    const text = cardText(coordinator);
    expect(text).toContain('Recommendations');
    expect(text).toContain(`${prevent.number}\n${prevent.text}`);
    expect(text).toMatch(/Prevent · \S.* Council asked to take it forward · open/);
    // After the 4P plan, before the review.
    expect(text.indexOf('4P plan')).toBeLessThan(text.indexOf('Recommendations'));
    expect(text.indexOf('Recommendations')).toBeLessThan(text.indexOf('Last refreshed'));
    expect(makeActionButtons(coordinator).length).toBe((await profileOf(bot, ward.id)).recommendations.length);

    for (const where of ['personal', 'groupChat', 'channel'] as const) {
      const officer = onlyCard(await bot.say(`summary ${ward.name}`, megan, where));
      expect(cardText(officer)).toContain(`${prevent.number}\n${prevent.text}`);
      expect(makeActionButtons(officer)).toEqual([]);
    }
  });

  it('refuses a forged Make action from a member who may not add actions, and writes nothing', async () => {
    const card = onlyCard(await bot.say(`summary ${ward.name}`, alex));
    const before = await profileOf(bot, ward.id);
    const r = await pressMakeAction(bot, makeActionOf(card, prevent.number), megan);
    expect(invokeAnswer(r).text).toContain('Your role does not allow that');
    expect(await profileOf(bot, ward.id)).toEqual(before);
    expect(await actionsFrom(bot, ward.id, prevent.number)).toEqual([]);
  });

  it('Make action opens the form pre-filled; sending it creates the action linked to the recommendation', async () => {
    const summary = onlyCard(await bot.say(`summary ${ward.name}`, alex));
    const opened = await pressMakeAction(bot, makeActionOf(summary, prevent.number), alex);
    expect(opened.posted).toEqual([]); // answered to the presser alone
    const form = invokeAnswer(opened).card!;
    expect(cardText(form)).toContain(`Taking forward recommendation ${prevent.number}: ${prevent.text}`);
    expect(inputValue(form, 'text')).toBe(prevent.text);
    expect(inputValue(form, 'strand')).toBe('prevent');
    expect(inputValue(form, 'agency')).toBe(prevent.agencyId);
    expect(cardText(form)).toContain('New Prevent action');

    // A mistake shows the form again, still taking the recommendation forward; nothing is made.
    const mistake = await submitForm(bot, form, alex, 'personal', { noPersonalData: 'true' });
    expect(cardText(invokeAnswer(mistake).card!)).toContain('Say how its impact will be measured.');
    expect(cardText(invokeAnswer(mistake).card!)).toContain(`Taking forward recommendation ${prevent.number}`);
    expect(await actionsFrom(bot, ward.id, prevent.number)).toEqual([]);

    const sent = await submitForm(bot, form, alex, 'personal', FORM_INPUTS);
    const [action] = await actionsFrom(bot, ward.id, prevent.number);
    expect(action).toBeDefined();
    const ref = action!.ref;
    expect(ref).toMatch(/^PREV-\d+$/);
    expect(action).toMatchObject({
      title: prevent.text,
      strand: 'prevent',
      leadAgencyId: prevent.agencyId,
      status: 'planned',
      impactMeasure: FORM_INPUTS.impactMeasure,
    });
    expect(cardText(invokeAnswer(sent).card!)).toContain(`recommendation ${prevent.number} is taken forward as ${ref}`);
    const linked = (await profileOf(bot, ward.id)).recommendations.find((r) => r.number === prevent.number);
    expect(linked).toMatchObject({ state: 'taken-forward', actionRef: ref });

    // The summary (kept cards included) and the list say so, and the button is gone.
    for (const where of ['personal', 'groupChat', 'channel'] as const) {
      const again = onlyCard(await bot.say(`summary ${ward.name}`, alex, where));
      expect(cardText(again)).toContain(`taken forward as ${ref}`);
      expect(makeActionButtons(again).map((a) => (a.data as { number: string }).number)).not.toContain(
        String(prevent.number),
      );
      const list = onlyCard(await bot.say(`recommendations ${ward.name}`, megan, where));
      expect(cardText(list)).toContain(`${prevent.number}\n${prevent.text}`);
      expect(cardText(list)).toContain(`taken forward as ${ref}`);
    }

    // Audited: the action's history names the recommendation; the profile's audit has the link.
    expect(cardText(onlyCard(await bot.say(`history ${ref}`, alex)))).toContain(
      `Taken forward from recommendation ${prevent.number}`,
    );
    const events = await bot.store.audit.listForEntity(PID, 'profile', ward.id);
    const link = events.at(-1)!;
    expect(link.action).toBe('profile.recommendation-taken-forward');
    expect(link.actor).toBe(alex.aadObjectId);
    const recOf = (p: unknown) =>
      (p as Profile).recommendations.find((r) => r.number === prevent.number) as Recommendation;
    expect(recOf(link.before)).toMatchObject({ state: 'open' });
    expect(recOf(link.before).actionRef).toBeUndefined();
    expect(recOf(link.after)).toMatchObject({ state: 'taken-forward', actionRef: ref });

    // Not twice: the old button is refused, and the same form sent again makes nothing new.
    const stale = await pressMakeAction(bot, makeActionOf(summary, prevent.number), alex);
    expect(invokeAnswer(stale).text).toContain(`already taken forward as ${ref}`);
    const resent = await submitForm(bot, form, alex, 'personal', FORM_INPUTS);
    expect(cardText(invokeAnswer(resent).card!)).toContain(ref);
    expect((await actionsFrom(bot, ward.id, prevent.number)).map((a) => a.ref)).toEqual([ref]);
  });

  it('in a channel and a group chat: the form goes to the presser alone, OFFICIAL-SENSITIVE is neither shown nor made there', async () => {
    const p = await profileOf(bot, ward.id);
    const sensitiveText = 'Share the disruption tactics agreed for the OCG with the licensing team';
    const nextNumber = Math.max(...p.recommendations.map((r, i) => r.number ?? i + 1)) + 1;
    await setRecommendations(bot, ward.id, [
      ...p.recommendations,
      {
        number: nextNumber,
        text: sensitiveText,
        strand: 'pursue',
        state: 'open',
        classification: 'OFFICIAL-SENSITIVE',
      },
    ]);
    const open = (await profileOf(bot, ward.id)).recommendations.find(
      (r) => r.state === 'open' && r.classification === 'OFFICIAL',
    )!;

    for (const where of ['channel', 'groupChat'] as const) {
      const card = onlyCard(await bot.say(`summary ${ward.name}`, alex, where));
      expect(cardText(card)).not.toContain(sensitiveText);
      expect(cardText(card)).toMatch(/\d+ items? not shown/);
      const r = await pressMakeAction(bot, makeActionOf(card, open.number!), alex, where);
      expect(r.posted).toEqual([]);
      const form = invokeAnswer(r).card!;
      expect(JSON.stringify(form)).not.toContain('"OFFICIAL-SENSITIVE"');
      // A forged press for the sensitive one is refused without naming it.
      const forged = await pressMakeAction(
        bot,
        { ...makeActionOf(card, open.number!), data: { districtId: ward.id, number: String(nextNumber) } },
        alex,
        where,
      );
      expect(invokeAnswer(forged).text).toContain(`no recommendation ${nextNumber}`);
      expect(JSON.stringify(forged.body)).not.toContain(sensitiveText);
      // A forged submit choosing OFFICIAL-SENSITIVE is refused, and nothing is made.
      const refused = await submitForm(bot, form, alex, where, {
        ...FORM_INPUTS,
        classification: 'OFFICIAL-SENSITIVE',
      });
      expect(invokeAnswer(refused).text).toContain('create it in your 1:1 chat with me');
      expect(await actionsFrom(bot, ward.id, open.number!)).toEqual([]);
    }

    // A member not cleared for it does not see it in their own 1:1 chat either, on the summary or the list.
    for (const command of ['summary', 'recommendations']) {
      const uncleared = onlyCard(await bot.say(`${command} ${ward.name}`, megan));
      expect(cardText(uncleared)).not.toContain(sensitiveText);
      expect(cardText(uncleared)).toMatch(/\d+ (items?|recommendations?) not shown/);
    }

    // In a cleared 1:1 chat it is shown, and its form is pre-filled as OFFICIAL-SENSITIVE.
    const personal = onlyCard(await bot.say(`summary ${ward.name}`, alex));
    expect(cardText(personal)).toContain(sensitiveText);
    expect(cardText(personal).split('\n')[0]).toMatch(/^OFFICIAL-SENSITIVE/);
    const form = invokeAnswer(await pressMakeAction(bot, makeActionOf(personal, nextNumber), alex)).card!;
    expect(inputValue(form, 'classification')).toBe('OFFICIAL-SENSITIVE');
    expect(inputValue(form, 'strand')).toBe('pursue');

    // Made from a group chat, the OFFICIAL one is linked as anywhere else.
    const group = onlyCard(await bot.say(`summary ${ward.name}`, alex, 'groupChat'));
    const groupForm = invokeAnswer(
      await pressMakeAction(bot, makeActionOf(group, open.number!), alex, 'groupChat'),
    ).card!;
    const made = await submitForm(bot, groupForm, alex, 'groupChat', {
      ...FORM_INPUTS,
      agency: 'merseyside-police',
    });
    expect(made.posted).toEqual([]);
    const [action] = await actionsFrom(bot, ward.id, open.number!);
    expect(cardText(invokeAnswer(made).card!)).toContain(`taken forward as ${action!.ref}`);
    expect(cardText(onlyCard(await bot.say(`summary ${ward.name}`, megan, 'channel')))).toContain(
      `taken forward as ${action!.ref}`,
    );
  });

  it('keeps the summary under 28 KB with many long recommendations: 5 shown, the rest counted', async () => {
    const p = await profileOf(bot, ward.id);
    const many: Recommendation[] = Array.from({ length: 60 }, (_, i) => ({
      number: i + 1,
      text: `Recommendation ${i + 1}: ${'share the partnership picture with schools and youth services '.repeat(8)}`.slice(
        0,
        500,
      ),
      strand: 'prevent',
      agencyId: 'merseyside-police',
      state: 'open',
      classification: 'OFFICIAL',
    }));
    await setRecommendations(bot, ward.id, many);
    const card = onlyCard(await bot.say(`summary ${ward.name}`, alex));
    expect(cardBytes(card)).toBeLessThan(28 * 1024);
    expect(makeActionButtons(card)).toHaveLength(5);
    expect(cardText(card)).toContain(`and 55 more: type recommendations ${ward.name}`);
    const list = onlyCard(await bot.say(`recommendations ${ward.name}`, alex));
    expect(cardBytes(list)).toBeLessThan(28 * 1024);
    expect(makeActionButtons(list).length).toBeGreaterThan(5);
    await setRecommendations(bot, ward.id, p.recommendations);
  });

  it('two presses at once take a recommendation forward once', async () => {
    await racedPresses(bot);
  });
});

/**
 * Two submits of Make action's form for one recommendation, sent at once (two coordinators, or a
 * double press): exactly one action stays open and the recommendation names it.
 */
async function racedPresses(bot: BotUnderTest): Promise<void> {
  const ward = await wardWithRecommendations(bot);
  const p = await profileOf(bot, ward.id);
  const rec = p.recommendations.find((r) => r.state === 'open' && r.classification === 'OFFICIAL')!;
  const summary = onlyCard(await bot.say(`summary ${ward.name}`, alex));
  const forms = await Promise.all(
    [0, 1].map(async () => invokeAnswer(await pressMakeAction(bot, makeActionOf(summary, rec.number!), alex)).card!),
  );
  // Each form has its own operation id, so neither is taken for a retry of the other.
  const results = await Promise.all(forms.map((f) => submitForm(bot, f, alex, 'personal', FORM_INPUTS)));
  for (const r of results) expect(invokeAnswer(r).card).toBeDefined();
  const made = await actionsFrom(bot, ward.id, rec.number!);
  const live = made.filter((a) => a.status !== 'cancelled');
  expect(live).toHaveLength(1);
  const linked = (await profileOf(bot, ward.id)).recommendations.find((r) => r.number === rec.number);
  expect(linked).toMatchObject({ state: 'taken-forward', actionRef: live[0]!.ref });
  const again = onlyCard(await bot.say(`recommendations ${ward.name}`, alex));
  expect(cardText(again)).toContain(`taken forward as ${live[0]!.ref}`);
}

describe('recommendations on Cosmos DB', () => {
  let cosmos: https.Server;
  let bot: BotUnderTest;
  beforeAll(async () => {
    cosmos = createHttpsServer();
    cosmos.listen(0, '127.0.0.1');
    await once(cosmos, 'listening');
    const store = await openCosmosStore({
      endpoint: `https://127.0.0.1:${(cosmos.address() as AddressInfo).port}`,
      key: 'the-local-server-ignores-it',
      databaseId: `recs-${randomUUID()}`,
      agent: new https.Agent({ rejectUnauthorized: false }),
      endpointDiscovery: false,
    });
    bot = await BotUnderTest.start({ store });
  }, 180_000);
  afterAll(async () => {
    await bot?.close();
    cosmos?.closeAllConnections();
    await new Promise<void>((resolve) => cosmos?.close(() => resolve()));
  });

  it('two presses at once take a recommendation forward once', async () => {
    await racedPresses(bot);
  }, 60_000);
});
