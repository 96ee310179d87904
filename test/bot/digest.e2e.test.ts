import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { IntelligenceGap } from '../../src/domain/gap.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import type { Store } from '../../src/store/store.js';
import { CHANNEL_ID, TENANT_ID } from '../support/activities.js';
import { Partnership } from '../../src/domain/partnership.js';
import { cardProblems, cardText, type Card } from '../support/cards.js';
import { BotUnderTest, Connector, onlyCard, type Posted } from '../support/harness.js';
import { alex, isaiah, megan } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;
const EVERTON = 'E05000896';
const BIRKENHEAD = 'E05000956'; // Birkenhead and Tranmere: has an OFFICIAL-SENSITIVE gap

/** A clock the test moves by hand: nothing here waits for a real Monday. */
function handClock(iso: string) {
  let now = new Date(iso);
  return {
    clock: () => now,
    set: (next: string) => {
      now = new Date(next);
    },
  };
}

function digestsIn(posted: readonly Posted[]): Card[] {
  return posted
    .filter((p) => p.conversationId === CHANNEL_ID)
    .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card))
    .filter((c) => cardText(c).includes('Weekly digest'));
}

async function gapsOf(store: Store, districtId: string): Promise<IntelligenceGap[]> {
  return store.gaps.listByDistrict(PID, districtId);
}

/** Subscribes the harness channel to Everton and Birkenhead, digest on Mondays 08:00 UK time. */
async function subscribe(bot: BotUnderTest): Promise<void> {
  const card = onlyCard(await bot.say('subscribe Everton, Birkenhead and Tranmere', alex, 'channel'));
  expect(cardText(card)).toContain('This is now a board channel');
  const settings = onlyCard(await bot.say('digest settings Monday 08:00', alex, 'channel'));
  expect(cardText(settings)).toContain('every Monday 08:00 UK time');
}

describe('board channel commands', () => {
  const time = handClock('2026-03-25T10:00:00Z');
  let bot: BotUnderTest;
  beforeAll(async () => {
    bot = await BotUnderTest.start({ clock: time.clock });
  });
  afterAll(async () => {
    await bot?.close();
  });

  it('work only in a channel, and say so elsewhere', async () => {
    for (const where of ['personal', 'groupChat'] as const) {
      for (const command of ['subscribe', 'digest status', 'digest now']) {
        const text = cardText(onlyCard(await bot.say(command, alex, where)));
        expect(text, `${command} in ${where}`).toContain('That works in a team channel');
        expect(text).toContain(`\`${command}\` works in a team channel (@mention me there).`);
      }
    }
    expect(await bot.store.boardChannels.list(PID)).toEqual([]);
  });

  it('subscribe, unsubscribe and settings need a coordinator or admin; digest now a board member', async () => {
    for (const who of [megan, isaiah]) {
      const text = cardText(onlyCard(await bot.say('subscribe', who, 'channel')));
      expect(text).toContain('Not allowed');
      expect(text).toContain('coordinator or admin');
    }
    expect(cardText(onlyCard(await bot.say('digest now', megan, 'channel')))).toContain('Not allowed');
    expect(cardText(onlyCard(await bot.say('digest now', isaiah, 'channel')))).toContain('Not a board channel');
    expect(await bot.store.boardChannels.list(PID)).toEqual([]);
  });

  it('subscribe names what went wrong and changes nothing', async () => {
    const text = cardText(onlyCard(await bot.say('subscribe Everton, Atlantis', alex, 'channel')));
    expect(text).toContain('Nothing was changed: no district called "Atlantis"');
    expect(await bot.store.boardChannels.list(PID)).toEqual([]);
  });

  it('a coordinator makes the channel a board channel for some districts, and sets the time', async () => {
    await subscribe(bot);
    const [channel] = await bot.store.boardChannels.list(PID);
    expect(channel).toMatchObject({
      conversationId: CHANNEL_ID,
      districtIds: [EVERTON, BIRKENHEAD],
      digestWeekday: 1,
      digestHour: 8,
      digestMinute: 0,
    });
    // The channel itself, not the thread, is stored for proactive sends.
    const ref = await bot.store.conversations.get(channel!.tenantId, CHANNEL_ID);
    expect(ref?.kind).toBe('channel');
    expect((ref?.reference as { conversation: { id: string } }).conversation.id).toBe(CHANNEL_ID);

    const bad = cardText(onlyCard(await bot.say('digest settings Moonday 25:00', alex, 'channel')));
    expect(bad).toContain('Give a weekday and a time of day in UK time');
    expect((await bot.store.boardChannels.list(PID))[0]?.digestHour).toBe(8);

    // Where partnership data is posted is audited: who made the channel a board channel, and each change.
    const trail = await bot.store.audit.listForEntity(PID, 'board-channel', CHANNEL_ID);
    expect(trail.map((e) => [e.action, e.actor])).toEqual([
      ['board.subscribed', alex.aadObjectId],
      ['board.rescheduled', alex.aadObjectId],
    ]);
    expect(trail[0]).toMatchObject({ before: null, after: { conversationId: CHANNEL_ID, addedBy: alex.aadObjectId } });
  });

  it('digest status says the last sent, the next due (UK time) and that nothing failed', async () => {
    const text = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(text).toContain('Covers:** Everton, Birkenhead and Tranmere');
    expect(text).toContain('Schedule:** every Monday 08:00 UK time');
    expect(text).toContain('Last sent:** none yet');
    expect(text).toContain('Next due:** Mon 30 Mar 2026, 08:00');
    expect(text).not.toContain('Failed delivery');
  });

  it('digest now: this week’s changes by reference, sensitive items only counted', async () => {
    const gaps = await gapsOf(bot.store, BIRKENHEAD);
    const sensitive = gaps.find((g) => g.classification === 'OFFICIAL-SENSITIVE');
    const everton = (await gapsOf(bot.store, EVERTON)).find((g) => g.classification === 'OFFICIAL');
    expect(sensitive && everton).toBeTruthy();
    // Another feature (issue 4) assigns gaps: the digest reads the change from the records.
    const at = time.clock().toISOString();
    for (const g of [sensitive!, everton!]) {
      const { etag, ...gap } = g as IntelligenceGap & { etag: string };
      await bot.store.gaps.replace(
        {
          ...gap,
          status: 'assigned',
          ownerAgencyId: gap.ownerAgencyId === 'knowsley-council' ? 'merseyside-police' : 'knowsley-council',
          updatedAt: at,
        },
        etag,
        { actor: alex.aadObjectId, action: 'gap.handed-over', at },
      );
    }
    const answer = (await bot.say('digest now', isaiah, 'channel')).cards.map(cardText);
    expect(answer[0]).toContain('on its way');
    await bot.running.digests.idle();
    const card = digestsIn(bot.connector.posted).at(-1)!;
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
    expect(text).toContain('Weekly digest: Everton, Birkenhead and Tranmere');
    expect(text).toMatch(new RegExp(`Gaps assigned to an agency: ${everton!.ref}\\b`));
    expect(text).not.toContain(`${sensitive!.ref},`);
    expect(text).not.toMatch(new RegExp(`\\b${sensitive!.ref}\\b`));
    expect(text).toContain('OFFICIAL-SENSITIVE item (counted, not shown)');
  });
});

describe('weekly delivery, exactly once', () => {
  const bots: BotUnderTest[] = [];
  const dirs: string[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });

  async function started(options: Parameters<typeof BotUnderTest.start>[0]): Promise<BotUnderTest> {
    const bot = await BotUnderTest.start(options);
    bots.push(bot);
    return bot;
  }

  function sharedDir(): string {
    const dir = mkdtempSync(join(tmpdir(), 'soc-digest-'));
    dirs.push(dir);
    return dir;
  }

  it('fires at 08:00 BST in the March week the clocks go forward, through a 429 and a 500, once', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const bot = await started({ clock: time.clock });
    await subscribe(bot);

    // Monday 30 March 2026, 07:59 BST (06:59 UTC): not yet.
    time.set('2026-03-30T06:59:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'not-due' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(0);

    // 08:00 BST is 07:00 UTC. Teams throttles once (Retry-After: 1 s), then errors once.
    time.set('2026-03-30T07:00:00Z');
    bot.connector.fail({ status: 429, retryAfterSeconds: 1 }, { status: 500 });
    const report = await bot.running.digests.runOnce();
    expect(report.outcomes).toMatchObject([{ week: '2026-03-30', outcome: 'sent' }]);
    expect(bot.connector.refused.map((r) => r.status)).toEqual([429, 500]);
    // Retry-After was honoured: the retry came a second after the 429, not at once.
    expect(bot.connector.refused[1]!.at - bot.connector.refused[0]!.at).toBeGreaterThanOrEqual(950);
    const [digest, ...others] = digestsIn(bot.connector.posted);
    expect(others).toHaveLength(0);
    expect(cardProblems(digest!)).toEqual([]);
    expect(cardText(digest!)).toContain('The week Mon 23 Mar 2026, 08:00 to Mon 30 Mar 2026, 08:00 (UK time)');

    // Later runs that week send nothing more.
    for (const later of ['2026-03-30T07:01:00Z', '2026-04-02T12:00:00Z']) {
      time.set(later);
      expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'already-sent' }]);
    }
    expect(digestsIn(bot.connector.posted)).toHaveLength(1);
    const status = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(status).toContain('Last sent:** Mon 30 Mar 2026, 08:00');
    expect(status).toContain('Next due:** Mon 6 Apr 2026, 08:00');
  }, 30_000);

  it('fires at 08:00 GMT in the October week the clocks go back', async () => {
    const time = handClock('2026-10-21T10:00:00Z');
    const bot = await started({ clock: time.clock });
    await subscribe(bot);
    // 07:00 UTC was 08:00 BST the week before; on 26 October it is only 07:00 GMT.
    time.set('2026-10-26T07:00:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'not-due' }]);
    time.set('2026-10-26T07:59:59Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'not-due' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(0);
    time.set('2026-10-26T08:00:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ week: '2026-10-26', outcome: 'sent' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(1);
  });

  it('two scheduler instances on one store send one digest', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const dir = sharedDir();
    const a = await started({ clock: time.clock, env: { DATA_DIR: dir } });
    const b = await started({ clock: time.clock, env: { DATA_DIR: dir }, connector: a.connector });
    await subscribe(a);
    time.set('2026-03-30T07:00:00Z');
    for (let round = 0; round < 3; round++) {
      const reports = await Promise.all([a.running.digests.runOnce(), b.running.digests.runOnce()]);
      const outcomes = reports.flatMap((r) => r.outcomes.map((o) => o.outcome));
      if (round === 0) expect(outcomes.filter((o) => o === 'sent')).toHaveLength(1);
      else expect(outcomes).not.toContain('sent');
    }
    expect(digestsIn(a.connector.posted)).toHaveLength(1);
  });

  it('a crash between compose and send, then a restart: delivered once, what was composed', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const dir = sharedDir();
    const connector = new Connector();
    await connector.start();
    try {
      const crashing = await started({
        clock: time.clock,
        env: { DATA_DIR: dir },
        connector,
        digestHooks: {
          afterPending: async () => {
            throw new Error('simulated crash');
          },
        },
      });
      await subscribe(crashing);
      time.set('2026-03-30T07:00:00Z');
      // The crash ends that channel's delivery only (each channel is isolated); the record stays pending.
      expect((await crashing.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'error' }]);
      const pending = await crashing.store.digestDeliveries.get(PID, CHANNEL_ID, '2026-03-30');
      expect(pending).toMatchObject({ state: 'pending', attempts: 0 });
      expect(digestsIn(connector.posted)).toHaveLength(0);
      await crashing.close();
      bots.splice(bots.indexOf(crashing), 1);

      // The restarted process (a new instance id) finds the pending record and sends it.
      time.set('2026-03-30T07:03:00Z');
      const restarted = await started({ clock: time.clock, env: { DATA_DIR: dir }, connector });
      const report = await restarted.running.digests.runOnce();
      expect(report.outcomes).toMatchObject([{ week: '2026-03-30', outcome: 'sent' }]);
      expect(await restarted.running.digests.runOnce()).toMatchObject({ outcomes: [{ outcome: 'already-sent' }] });
      const digests = digestsIn(connector.posted);
      expect(digests).toHaveLength(1);
      expect(digests[0]).toEqual(pending!.card);
      expect(await restarted.store.digestDeliveries.get(PID, CHANNEL_ID, '2026-03-30')).toMatchObject({
        state: 'sent',
        attempts: 1,
        sentAt: '2026-03-30T07:03:00.000Z',
      });
    } finally {
      await connector.close();
    }
  });

  it('after a final failure it records why, shows it in digest status, and the next run delivers once', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const bot = await started({ clock: time.clock });
    await subscribe(bot);
    time.set('2026-03-30T07:00:00Z');
    // Teams answers 500 to the first try and to every retry of the connector client.
    bot.connector.outage = 500;
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'failed' }]);
    expect(bot.connector.refused.length).toBeGreaterThan(1);
    bot.connector.outage = undefined;
    expect(digestsIn(bot.connector.posted)).toHaveLength(0);
    const status = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(status).toContain(
      'Failed delivery:** The digest for Mon 30 Mar 2026, 08:00 failed after 1 attempt (HTTP 500); the next run tries again.',
    );

    // A run within five minutes leaves it alone; the next one after that delivers it.
    time.set('2026-03-30T07:04:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'waiting' }]);
    time.set('2026-03-30T07:06:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'sent' }]);
    time.set('2026-03-30T07:12:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'already-sent' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(1);
  }, 60_000);
});

describe('digests that do not disturb one another', () => {
  const bots: BotUnderTest[] = [];
  afterEach(async () => {
    for (const b of bots.splice(0)) await b.close();
  });

  it('digest now answers at once, is sent in the background through a delivery record, and digest status shows it', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    let release: () => void = () => undefined;
    const held = new Promise<void>((r) => (release = r));
    const bot = await BotUnderTest.start({ clock: time.clock, digestHooks: { beforeSend: () => held } });
    bots.push(bot);
    await subscribe(bot);

    // The turn answers before anything is composed or sent.
    const answer = await bot.say('digest now', isaiah, 'channel');
    expect(cardText(onlyCard(answer))).toContain('The digest of the last seven days is on its way');
    expect(digestsIn(answer.posted)).toHaveLength(0);
    const waiting = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(waiting).toContain('On its way:** the digest asked for at Wed 25 Mar 2026, 10:00 is on its way');
    expect(waiting).toContain('Last sent:** none yet');

    release();
    await bot.running.digests.idle();
    const digests = digestsIn(bot.connector.posted);
    expect(digests).toHaveLength(1);
    expect(cardText(digests[0]!)).toContain('Weekly digest: Everton, Birkenhead and Tranmere');
    const [record] = await bot.store.digestDeliveries.listForChannel(PID, CHANNEL_ID, 8);
    expect(record).toMatchObject({ kind: 'requested', requestedBy: isaiah.aadObjectId, state: 'sent', attempts: 1 });
    const status = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(status).toContain('Last sent:** Wed 25 Mar 2026, 10:00 (asked for with digest now)');
    expect(status).not.toContain('On its way');

    // A digest asked for does not stand in for the week's own: Monday's still comes, once.
    time.set('2026-03-30T07:00:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ week: '2026-03-30', outcome: 'sent' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(2);
  }, 60_000);

  it('one weekly digest per channel per ISO week, even when the day moves mid-week; digest now still sends', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const bot = await BotUnderTest.start({ clock: time.clock });
    bots.push(bot);
    await subscribe(bot);
    time.set('2026-03-30T07:00:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'sent' }]);

    // Wednesday: the board moves its digest to Friday 16:00. Friday is in the same ISO week.
    time.set('2026-04-01T09:00:00Z');
    expect(cardText(onlyCard(await bot.say('digest settings Friday 16:00', alex, 'channel')))).toContain(
      'every Friday 16:00',
    );
    for (const at of ['2026-04-03T15:00:00Z', '2026-04-03T15:10:00Z', '2026-04-05T20:00:00Z']) {
      time.set(at);
      expect((await bot.running.digests.runOnce()).outcomes, at).toMatchObject([{ outcome: 'already-sent' }]);
    }
    expect(digestsIn(bot.connector.posted)).toHaveLength(1);
    const status = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(status).toContain('Next due:** Fri 10 Apr 2026, 16:00');

    // Asked for, a digest comes whatever the week has had.
    expect(cardText((await bot.say('digest now', isaiah, 'channel')).cards[0]!)).toContain('on its way');
    await bot.running.digests.idle();
    expect(digestsIn(bot.connector.posted)).toHaveLength(2);

    // The next ISO week's Friday sends again, once.
    time.set('2026-04-10T15:00:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ week: '2026-04-06', outcome: 'sent' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(3);
  }, 60_000);

  it('a week already sent under the old key (the slot’s own date) is not sent again', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const bot = await BotUnderTest.start({ clock: time.clock });
    bots.push(bot);
    await subscribe(bot);
    expect(cardText(onlyCard(await bot.say('digest settings Friday 16:00', alex, 'channel')))).toContain(
      'every Friday',
    );
    // Written by the release before this one, which keyed a week by its slot's date.
    await bot.store.digestDeliveries.create({
      partnershipId: PID,
      conversationId: CHANNEL_ID,
      week: '2026-03-27',
      dueAt: '2026-03-27T16:00:00.000Z',
      state: 'sent',
      attempts: 1,
      sentAt: '2026-03-27T16:00:00.000Z',
      updatedAt: '2026-03-27T16:00:00.000Z',
    });
    time.set('2026-03-27T16:05:00Z');
    expect((await bot.running.digests.runOnce()).outcomes).toMatchObject([{ outcome: 'already-sent' }]);
    expect(digestsIn(bot.connector.posted)).toHaveLength(0);
  }, 60_000);

  it('a partnership whose compose fails is recorded and shown; the other partnerships still get theirs', async () => {
    const time = handClock('2026-03-25T10:00:00Z');
    const bot = await BotUnderTest.start({
      clock: time.clock,
      digestHooks: {
        beforeCompose: async (p) => {
          if (p.id === PID) throw new TypeError('simulated compose failure');
        },
      },
    });
    bots.push(bot);
    await subscribe(bot);
    // A second partnership, listed before the failing one, and one after: both get their digest.
    const others = await Promise.all(
      ['a-first-partnership', 'z-last-partnership'].map((id) => otherPartnership(bot.store, id, time.clock())),
    );
    time.set('2026-03-30T07:00:00Z');
    const report = await bot.running.digests.runOnce();
    const byPartnership = Object.fromEntries(report.outcomes.map((o) => [o.partnershipId, o.outcome]));
    expect(byPartnership).toEqual({ [PID]: 'failed', 'a-first-partnership': 'sent', 'z-last-partnership': 'sent' });
    for (const channel of others) {
      expect(bot.connector.posted.filter((p) => p.conversationId === channel)).toHaveLength(1);
    }
    const status = cardText(onlyCard(await bot.say('digest status', isaiah, 'channel')));
    expect(status).toContain(
      'Failed delivery:** The digest for Mon 30 Mar 2026, 08:00 failed after 1 attempt (could not be composed: TypeError); the next run tries again.',
    );
    // Every later run carries on past it too.
    time.set('2026-03-30T07:06:00Z');
    const again = await bot.running.digests.runOnce();
    expect(again.outcomes.filter((o) => o.outcome === 'already-sent')).toHaveLength(2);
  }, 60_000);
});

/** A partnership of its own with one board channel (whole partnership, Mondays 08:00) and its reference. */
async function otherPartnership(store: Store, id: string, now: Date): Promise<string> {
  const at = now.toISOString();
  const conversationId = `19:${id}@thread.tacv2`;
  await store.partnerships.put(
    Partnership.parse({ id, name: `Partnership ${id}`, force: 'Merseyside Police', createdAt: at }),
  );
  const tenantId = TENANT_ID;
  await store.boardChannels.put(
    {
      partnershipId: id,
      tenantId,
      conversationId,
      digestWeekday: 1,
      digestHour: 8,
      digestMinute: 0,
      addedBy: 'system:test',
      addedAt: at,
      scheduleFrom: at,
    },
    { actor: 'system:test', action: 'board.subscribed', at },
  );
  const ref = await store.conversations.get(tenantId, CHANNEL_ID);
  await store.conversations.put({
    ...ref!,
    tenantId,
    conversationId,
    reference: { ...ref!.reference, conversation: { id: conversationId, conversationType: 'channel', isGroup: true } },
    updatedAt: at,
  });
  return conversationId;
}
