import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { TENANT_ID, actionExecute } from '../support/activities.js';
import { actionsOf, cardText, type Card } from '../support/cards.js';
import { BotUnderTest, type TurnResult } from '../support/harness.js';
import { adele, alex } from '../support/people.js';

/**
 * Issue 16 end to end over HTTP: a gap owned by Adele, due in seven days, brings her a reminder in
 * her 1:1 chat at the first run in working hours (not before), as a task card whose buttons work;
 * the same run again sends nothing; the day it becomes overdue brings the second reminder.
 */
const PID = DEMO_PARTNERSHIP_ID;
let bot: BotUnderTest;
let now = new Date('2026-12-01T07:30:00Z');

function cardsTo(person: { aadObjectId: string }, from: number): Card[] {
  return bot.connector.posted
    .slice(from)
    .filter((p) => p.conversationId === `a:1personal-${person.aadObjectId}`)
    .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card));
}

function invokeCard(result: TurnResult): Card {
  const value = (result.body as { value?: unknown }).value;
  if (!value || typeof value !== 'object') throw new Error(`no card in the answer: ${JSON.stringify(result.body)}`);
  return value as Card;
}

beforeAll(async () => {
  // The demo partnership names no tenant: the job looks for chats in ALLOWED_TENANT_IDS.
  bot = await BotUnderTest.start({ clock: () => now, env: { ALLOWED_TENANT_IDS: TENANT_ID } });
  await bot.say('help', adele);
  await bot.say('help', alex);
}, 60_000);

afterAll(async () => {
  await bot?.close();
});

describe('reminders in the owner’s 1:1 chat', () => {
  it('a due-soon reminder with working task buttons, once, in working hours; then the overdue one', async () => {
    const created = await bot.say(
      `new gap Everton: Which hand car washes pay staff in cash? lead Liverpool City Council owner ${adele.name} due 2026-12-08`,
      alex,
    );
    const ref = /\bG-\d+\b/.exec(created.cards.map(cardText).join('\n'))![0];
    expect((await bot.store.gaps.get(PID, ref))?.ownerAadObjectId).toBe(adele.aadObjectId);

    // 07:30 on a Tuesday: quiet hours, nothing is sent.
    let mark = bot.connector.posted.length;
    expect((await bot.running.reminders.runOnce()).quiet).toBe(true);
    expect(bot.connector.posted.length).toBe(mark);

    // 09:30: the reminder arrives in Adele's chat, as her task card with its buttons.
    now = new Date('2026-12-01T09:30:00Z');
    mark = bot.connector.posted.length;
    await bot.running.reminders.runOnce();
    const reminders = cardsTo(adele, mark).filter((c) => cardText(c).includes(ref));
    expect(reminders).toHaveLength(1);
    const card = reminders[0]!;
    expect(cardText(card)).toContain('Reminder: due in 7 days, on 8 Dec 2026.');
    expect(actionsOf(card).map((a) => a.title)).toContain('Accept');

    // Pressing Accept on it works: the gap is hers and in progress.
    const accepted = invokeCard(await bot.press(card, 'Accept', adele));
    expect(cardText(accepted)).toContain('Status: In progress');
    expect((await bot.store.gaps.get(PID, ref))?.status).toBe('in_progress');
    expect(await bot.store.reminderDeliveries.get(PID, `due-soon:${ref}:2026-12-08`)).toMatchObject({
      state: 'sent',
      attempts: 1,
    });

    // Later the same day, and the next day: nothing more about it.
    for (const at of ['2026-12-01T15:00:00Z', '2026-12-02T10:00:00Z']) {
      now = new Date(at);
      mark = bot.connector.posted.length;
      await bot.running.reminders.runOnce();
      expect(cardsTo(adele, mark).filter((c) => cardText(c).includes(ref))).toEqual([]);
    }

    // Wednesday 9 December, the day it becomes overdue.
    now = new Date('2026-12-09T08:05:00Z');
    mark = bot.connector.posted.length;
    await bot.running.reminders.runOnce();
    const overdue = cardsTo(adele, mark).filter((c) => cardText(c).includes(ref));
    expect(overdue.map(cardText).join('\n')).toContain('Reminder: overdue today. It was due on 8 Dec 2026.');
    expect(overdue).toHaveLength(1);
    expect(actionsOf(overdue[0]!).map((a) => a.title)).toContain('Add note');
  }, 120_000);

  it('a coordinator is told a district’s review falls due, and Mark reviewed on that card records it', async () => {
    const names = await bot.store.districts.listNames(PID);
    const everton = names.find((n) => n.name === 'Everton')!;
    const profile = (await bot.store.profiles.get(PID, everton.id))!;
    const { etag, ...record } = profile;
    // Arranged in the store: Everton's severity review falls due a week after this run.
    await bot.store.profiles.replace({ ...record, review: { ...record.review, csiReviewDue: '2026-12-22' } }, etag, {
      actor: alex.aadObjectId,
      action: 'test',
      at: now.toISOString(),
    });
    now = new Date('2026-12-15T10:00:00Z');
    const mark = bot.connector.posted.length;
    await bot.running.reminders.runOnce();
    const cards = cardsTo(alex, mark).filter((c) => /Reviews? due:/.test(cardText(c)));
    expect(cards).toHaveLength(1);
    const card = cards[0]!;
    expect(cardText(card)).toContain('6-month crime severity review due in 7 days, on 22 Dec 2026.');
    const review = actionsOf(card).find(
      (a) => a.title === 'Mark reviewed' && (a.data as { districtId?: string } | undefined)?.districtId === everton.id,
    )!;
    expect(actionsOf(card).some((a) => a.title === 'Open district')).toBe(true);
    const answer = await bot.post(
      actionExecute(String(review.verb), review.data as Record<string, unknown>, 'Mark reviewed', {
        from: alex,
        where: 'personal',
        serviceUrl: bot.connector.url,
      }),
    );
    expect(cardText(invokeCard(answer))).toContain(`Review recorded by ${alex.name}.`);
    expect((await bot.store.profiles.get(PID, everton.id))?.review).toMatchObject({
      lastReviewedBy: alex.aadObjectId,
      csiReviewDue: '2027-06-15',
    });
  }, 120_000);
});
