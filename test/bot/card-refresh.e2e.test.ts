import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VERB } from '../../src/bot/verbs.js';
import { Member } from '../../src/domain/member.js';
import { Partnership } from '../../src/domain/partnership.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import { actionExecute, type Person, type Where } from '../support/activities.js';
import { cardText, type Card } from '../support/cards.js';
import { countingStore } from '../support/counting-store.js';
import { BotUnderTest, onlyCard, type TurnResult } from '../support/harness.js';
import { alex, megan, stranger } from '../support/people.js';

/**
 * The summary, gaps and plan cards carry a Universal Actions `refresh`: Teams sends it by itself
 * for the people in `refresh.userIds` when the card comes into view, and anyone else can press
 * Refresh. What must hold: the answer is the card as it is now, for whoever refreshes, with their
 * own visibility; it says when the district changed since the card was sent; it costs no more
 * than the command; and it never answers with an error card.
 */

const PID = DEMO_PARTNERSHIP_ID;
const EVERTON = 'E05000896';
const BIRKENHEAD = 'E05000956'; // an OFFICIAL and an OFFICIAL-SENSITIVE OCG, and a sensitive gap
const CHANGED = 'Updated: this district changed since this card was sent.';
const MAY_BE_OUT_OF_DATE = 'may be out of date';

interface Refresh {
  action: { type: string; verb: string; data: Record<string, unknown> };
  userIds: string[];
}

function refreshOf(card: Card): Refresh {
  const refresh = (card as { refresh?: Refresh }).refresh;
  if (!refresh) throw new Error('the card carries no refresh');
  return refresh;
}

const mri = (p: Person) => `29:1${p.aadObjectId}`;

/** Teams' refresh of `card` for `as` in `where`: sent by itself (automatic) or pressed (manual). */
function refresh(
  bot: BotUnderTest,
  card: Card,
  as: Person,
  where: Where = 'personal',
  trigger: 'automatic' | 'manual' = 'automatic',
  data: unknown = refreshOf(card).action.data,
): Promise<TurnResult> {
  const activity = actionExecute(refreshOf(card).action.verb, data, 'Refresh', {
    from: as,
    where,
    serviceUrl: bot.connector.url,
  });
  (activity.value as { trigger: string }).trigger = trigger;
  return bot.post(activity);
}

/** The card the refresh answered with, to the person who refreshed alone: nothing posted or replaced. */
function answeredCard(r: TurnResult): Card {
  expect(r.status).toBe(200);
  expect(r.posted).toEqual([]);
  expect(r.updated).toEqual([]);
  const body = r.body as { statusCode: number; type: string; value: Card };
  expect(body.statusCode).toBe(200);
  expect(body.type).toBe('application/vnd.microsoft.card.adaptive');
  return body.value;
}

/** The message a refresh answered with instead of a card (Teams shows it; the card stays). */
function answeredMessage(r: TurnResult): string {
  expect(r.status).toBe(200);
  expect(r.cards).toEqual([]);
  expect(r.posted).toEqual([]);
  const body = r.body as { statusCode: number; type: string; value: string };
  expect(body.type).toBe('application/vnd.microsoft.activity.message');
  return body.value;
}

describe('district cards that stay current (SQLite)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'soc-refresh-'));
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start({ env: { DATA_DIR: dataDir } });
  });
  afterAll(async () => {
    await bot?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('summary, gaps and plan cards carry a refresh: their own verb, the district and the stamp, for the asker', async () => {
    const stamp = await bot.store.districts.stamp(PID, EVERTON);
    for (const [command, verb] of [
      ['summary', VERB.summaryRefresh],
      ['gaps', VERB.gapsRefresh],
      ['plan', VERB.planRefresh],
    ] as const) {
      for (const where of ['personal', 'channel', 'groupChat'] as const) {
        // Asked twice, so the second comes from the kept card: it carries the refresh too.
        for (let round = 0; round < 2; round++) {
          const card = onlyCard(await bot.say(`${command} Everton`, alex, where));
          const r = refreshOf(card);
          expect(r.action).toEqual({
            type: 'Action.Execute',
            title: 'Refresh',
            verb,
            data: { districtId: EVERTON, stamp },
          });
          // Only the person who asked is refreshed automatically, wherever it was asked.
          expect(r.userIds).toEqual([mri(alex)]);
        }
        // Another asker's copy of the same kept card names them, not alex.
        expect(refreshOf(onlyCard(await bot.say(`${command} Everton`, megan, where))).userIds).toEqual([mri(megan)]);
      }
    }
  });

  it('after a gap is changed, a refresh returns the changed card, saying it changed; before, the same card', async () => {
    const summary = onlyCard(await bot.say('summary Everton', megan));
    const gaps = onlyCard(await bot.say('gaps Everton', megan));
    const openGaps = (text: string) => Number(/(\d+) open · /.exec(text)?.[1]);
    const open = openGaps(cardText(summary));

    // Nothing changed yet: the same card, with no "changed" line.
    const same = answeredCard(await refresh(bot, summary, megan));
    expect(cardText(same)).toBe(cardText(summary));
    expect(refreshOf(same)).toEqual(refreshOf(summary));

    const question = `Which car washes front cash laundering, ${randomUUID().slice(0, 8)}?`;
    await bot.say(`new gap Everton: ${question} lead Liverpool City Council due 2027-01-31`, alex);

    const newSummary = answeredCard(await refresh(bot, summary, megan));
    expect(cardText(newSummary)).toContain(CHANGED);
    expect(openGaps(cardText(newSummary))).toBe(open + 1);
    const newStamp = await bot.store.districts.stamp(PID, EVERTON);
    expect(refreshOf(newSummary).action.data).toEqual({ districtId: EVERTON, stamp: newStamp });

    expect(cardText(gaps)).not.toContain(question);
    const newGaps = answeredCard(await refresh(bot, gaps, megan, 'personal', 'manual'));
    expect(cardText(newGaps)).toContain(CHANGED);
    expect(cardText(newGaps)).toContain(question);
    // The line sits under the classification banner, which stays first.
    const body = (newGaps as { body?: { items?: { text?: string }[] }[] }).body!;
    expect(body[0]!.items![0]!.text).toMatch(/^OFFICIAL/);
    expect(body[1]!.items![0]!.text).toContain(CHANGED);

    // The refreshed card, refreshed again, is current: no line.
    const again = answeredCard(await refresh(bot, newSummary, megan));
    expect(cardText(again)).not.toContain(CHANGED);
    expect(openGaps(cardText(again))).toBe(open + 1);
  });

  it("a refresh is answered with the refresher's own view: a lower clearance, or a channel, sees nothing sensitive", async () => {
    const gaps = await bot.store.gaps.listByDistrict(PID, BIRKENHEAD);
    const secret = gaps.find((g) => g.classification === 'OFFICIAL-SENSITIVE')!;
    for (const command of ['summary', 'gaps', 'plan'] as const) {
      const card = onlyCard(await bot.say(`${command} Birkenhead and Tranmere`, alex));
      expect(cardText(card).startsWith('OFFICIAL-SENSITIVE')).toBe(true);
      if (command === 'gaps') expect(cardText(card)).toContain(secret.question);

      for (const [as, where] of [
        [megan, 'personal'], // uncleared, the card forwarded or shared with her
        [alex, 'channel'], // cleared, but others are reading
        [alex, 'groupChat'],
        [megan, 'channel'],
      ] as const) {
        const text = cardText(answeredCard(await refresh(bot, card, as, where)));
        expect(text.startsWith('OFFICIAL ·'), `${command} for ${as.name} in ${where}`).toBe(true);
        expect(text).toContain('not shown');
        expect(text).not.toContain(secret.question);
        expect(text).not.toContain('OFFICIAL-SENSITIVE ·');
      }
      // And the cleared member in the 1:1 chat gets the sensitive view again.
      const own = cardText(answeredCard(await refresh(bot, card, alex)));
      expect(own.startsWith('OFFICIAL-SENSITIVE')).toBe(true);
    }
  });

  it('a profile made OFFICIAL-SENSITIVE after its card was sent: a channel refresh gets the notice, never the sensitive card', async () => {
    const card = onlyCard(await bot.say('summary Kirkdale', alex, 'channel'));
    const KIRKDALE = String(refreshOf(card).action.data.districtId);
    const { etag, ...profile } = (await bot.store.profiles.get(PID, KIRKDALE))!;
    expect(profile.classification).toBe('OFFICIAL');
    await bot.store.profiles.replace({ ...profile, classification: 'OFFICIAL-SENSITIVE' }, etag, {
      actor: alex.aadObjectId,
      action: 'profile.reclassified',
      at: new Date().toISOString(),
    });
    for (const [as, where] of [
      [alex, 'channel'],
      [alex, 'groupChat'],
      [megan, 'personal'],
    ] as const) {
      const text = cardText(answeredCard(await refresh(bot, card, as, where)));
      expect(text.startsWith('OFFICIAL ·'), `${as.name} in ${where}`).toBe(true);
      expect(text).toContain('Kirkdale: OFFICIAL-SENSITIVE');
      expect(text).toContain('Ask for it in a 1:1 chat');
      expect(text).not.toContain('Threat');
    }
    // The cleared member's own 1:1 refresh shows it, under its banner.
    const own = cardText(answeredCard(await refresh(bot, card, alex)));
    expect(own.startsWith('OFFICIAL-SENSITIVE')).toBe(true);
    expect(own).toContain(CHANGED);
  });

  it('Mark reviewed replaces the card for everyone with one that keeps its refresh; a reader refreshes to their own view', async () => {
    const card = onlyCard(await bot.say('summary Anfield', alex, 'channel'));
    const reviewed = await bot.press(card, 'Mark reviewed', alex, 'channel');
    const [replaced] = reviewed.updated;
    expect(cardText(replaced!)).toContain('Review recorded by Alex Wilber.');
    const { districtId } = refreshOf(card).action.data as { districtId: string };
    expect(refreshOf(replaced!).action.data).toEqual({
      districtId,
      stamp: await bot.store.districts.stamp(PID, districtId),
    });
    // Everyone now has the coordinator's card; megan's refresh gives her her own, without the button.
    const hers = cardText(answeredCard(await refresh(bot, replaced!, megan, 'channel', 'manual')));
    expect(hers).not.toContain('[Mark reviewed]');
    expect(hers).toMatch(/Last reviewed: .* by Alex Wilber/);
  });

  it('refuses forged refresh data: other fields, a malformed stamp, a district of another partnership; no data', async () => {
    const card = onlyCard(await bot.say('summary Everton', megan));
    const { data } = refreshOf(card).action;
    for (const forged of [
      { ...data, ref: 'G-1' },
      { ...data, stamp: 'x'.repeat(200) },
      { ...data, stamp: '1 OR 1=1' },
      { districtId: EVERTON },
      { ...data, districtId: 42 },
    ]) {
      const text = answeredMessage(await refresh(bot, card, megan, 'personal', 'manual', forged));
      expect(text, JSON.stringify(forged)).toContain('That button sent something I could not use');
      expect(text).not.toContain('Everton');
    }

    // A district only another partnership has, named by a member of this one.
    const other = `p-${randomUUID().slice(0, 8)}`;
    const at = new Date().toISOString();
    await bot.store.partnerships.put(
      Partnership.parse({ id: other, name: 'Another SOC Partnership', force: 'Merseyside Police', createdAt: at }),
    );
    const everton = (await bot.store.districts.get(PID, EVERTON))!;
    await bot.store.districts.putMany([
      { ...everton, partnershipId: other, id: 'E99000001', name: 'Secretville', localAuthorityName: 'Hiddenshire' },
    ]);
    const { etag: _etag, ...profile } = (await bot.store.profiles.get(PID, EVERTON))!;
    await bot.store.profiles.create(
      { ...profile, partnershipId: other, districtId: 'E99000001' },
      { actor: 'system:test', action: 'profile.created', at },
    );
    const theirStamp = await bot.store.districts.stamp(other, 'E99000001');
    for (const verbCard of ['summary', 'gaps', 'plan'] as const) {
      const ours = onlyCard(await bot.say(`${verbCard} Everton`, megan));
      const r = await refresh(bot, ours, megan, 'personal', 'manual', { districtId: 'E99000001', stamp: theirStamp });
      const text = answeredMessage(r);
      expect(text).toContain('not in your partnership');
      expect(JSON.stringify(r.body)).not.toMatch(/Secretville|Hiddenshire/);
      // And the other partnership's member refreshing this partnership's card.
      const outsider = await addOutsider(bot, other);
      const theirs = await refresh(bot, ours, outsider, 'personal', 'manual');
      expect(answeredMessage(theirs)).toContain('not in your partnership');
      expect(JSON.stringify(theirs.body)).not.toContain('Everton');
    }
  });

  it("a non-member's refresh gets the 'not a member' answer and no data", async () => {
    for (const command of ['summary', 'gaps', 'plan'] as const) {
      const card = onlyCard(await bot.say(`${command} Everton`, alex));
      const r = await refresh(bot, card, stranger);
      expect(answeredMessage(r)).toContain('You are not a member of a partnership');
      expect(JSON.stringify(r.body)).not.toContain('Everton');
    }
  });
});

describe('what a refresh costs, and when it cannot be served', () => {
  it('with an unchanged stamp a refresh reads no more than the summary command does from a kept card', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-refresh-count-'));
    const calls: string[] = [];
    const store = countingStore(openSqliteStore({ file: join(dir, 'store.db') }), (c) => calls.push(c));
    const bot = await BotUnderTest.start({ store });
    try {
      const counted = async (run: () => Promise<unknown>) => {
        const before = calls.length;
        await run();
        return calls.slice(before);
      };
      for (const command of ['summary', 'gaps', 'plan'] as const) {
        const made = await counted(() => bot.say(`${command} Everton`, megan));
        const card = onlyCard(await bot.say(`${command} Everton`, megan));
        const kept = await counted(() => bot.say(`${command} Everton`, megan));
        const refreshed = await counted(async () => answeredCard(await refresh(bot, card, megan)));
        expect(refreshed.length, `${command}: ${refreshed.join(', ')}`).toBeLessThanOrEqual(kept.length);
        expect(refreshed.length).toBeLessThan(made.length);
        expect(refreshed.filter((c) => c === 'districts.stamp')).toHaveLength(1);
      }
    } finally {
      await bot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('past the automatic refresh budget the card stays, said to be as last updated, and nothing is read', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'soc-refresh-budget-'));
    let calls = 0;
    const store = countingStore(openSqliteStore({ file: join(dir, 'store.db') }), () => (calls += 1));
    // The clock stands still, so the budget (100 at once) does not refill during the test.
    const now = new Date('2026-11-25T09:00:00Z');
    const bot = await BotUnderTest.start({ store, clock: () => now });
    try {
      const card = onlyCard(await bot.say('summary Everton', megan));
      for (let i = 0; i < 100; i++) answeredCard(await refresh(bot, card, megan));
      const before = calls;
      const text = answeredMessage(await refresh(bot, card, megan));
      expect(text).toContain(MAY_BE_OUT_OF_DATE);
      expect(calls).toBe(before);
      // A refresh she presses herself still counts as a command, and is answered.
      answeredCard(await refresh(bot, card, megan, 'personal', 'manual'));
    } finally {
      await bot.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('with the store unreachable the card stays and says it may be out of date, never an error card', async () => {
    const bot = await BotUnderTest.start();
    try {
      const summary = onlyCard(await bot.say('summary Everton', alex));
      const plan = onlyCard(await bot.say('plan Everton', alex));
      await bot.store.close();

      const kept = answeredCard(await refresh(bot, summary, alex));
      const text = cardText(kept);
      expect(text).toContain(MAY_BE_OUT_OF_DATE);
      expect(text.replace(/\n.*may be out of date.*\n/, '\n')).toBe(cardText(summary));
      expect(refreshOf(kept)).toEqual(refreshOf(summary));

      // No kept copy for this viewer (the channel's view was never made): a line beside the card.
      const beside = answeredMessage(await refresh(bot, plan, alex, 'channel', 'manual'));
      expect(beside).toContain(MAY_BE_OUT_OF_DATE);
      expect(beside).not.toMatch(/Sorry|error/i);
      // Nor can megan be looked up (she has not been seen since start): the same line.
      const unknown = answeredMessage(await refresh(bot, summary, megan));
      expect(unknown).toContain(MAY_BE_OUT_OF_DATE);
      expect(unknown).not.toMatch(/Sorry|error/i);
    } finally {
      await bot.connector.close();
      await bot.running.server.close();
    }
  });
});

/** Another partnership's member, for a refresh of this partnership's card. */
async function addOutsider(bot: BotUnderTest, partnershipId: string): Promise<Person> {
  const at = new Date().toISOString();
  const person: Person = { aadObjectId: randomUUID(), name: 'Other Officer' };
  await bot.store.members.create(
    Member.parse({
      aadObjectId: person.aadObjectId,
      partnershipId,
      agencyId: 'merseyside-police',
      displayName: person.name,
      roles: ['officer'],
      createdAt: at,
      updatedAt: at,
    }),
    { actor: 'system:test', action: 'member.created', at },
  );
  return person;
}
