import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatCount, formatDecimal, ordinal } from '../../src/domain/format.js';
import { isGapOpen } from '../../src/domain/gap.js';
import type { Profile } from '../../src/domain/profile.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { actionsOf, cardText, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { adele, alex, megan } from '../support/people.js';

const PID = DEMO_PARTNERSHIP_ID;
// Real Merseyside wards (ONS WD19 codes), from the demo dataset.
const EVERTON = 'E05000896';
const BIRKENHEAD = 'E05000956'; // has an OFFICIAL and an OFFICIAL-SENSITIVE OCG, and a sensitive gap

let bot: BotUnderTest;
beforeAll(async () => {
  bot = await BotUnderTest.start();
});
afterAll(async () => {
  await bot?.close();
});

async function profileOf(districtId: string): Promise<Profile> {
  const p = await bot.store.profiles.get(PID, districtId);
  if (!p) throw new Error(`no profile for ${districtId}`);
  return p;
}

/** The buttons a person can press (the refresh is Teams', not theirs). */
function buttons(card: Card): string[] {
  return actionsOf(card)
    .filter((a) => a.verb !== 'summary.refresh')
    .map((a) => a.title ?? '');
}

describe('summary <district>', () => {
  it('answers in a personal chat with the need-to-know card, in the guidance order', async () => {
    const card = onlyCard(await bot.say('summary Everton', alex));
    const text = cardText(card);
    const profile = await profileOf(EVERTON);
    const severity = profile.threat.severity!;

    // Order: banner, threat, vulnerabilities, gaps, plan, review, buttons.
    const order = [
      'OFFICIAL',
      'Everton',
      'Threat',
      'Vulnerabilities',
      'Intelligence gaps',
      '4P plan',
      'Review',
      '[Show gaps]',
    ];
    const positions = order.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // Threat: the most prevalent crime type with its latest count and change, and the rank.
    const [latest, previous] = profile.threat.crime;
    const top = [...latest!.counts].sort((a, b) => b.count - a.count)[0]!;
    const before = previous!.counts.find((c) => c.crimeType === top.crimeType)!.count;
    expect(text).toContain(`${top.crimeType}\n${formatCount(top.count)}`);
    expect(text).toContain(
      top.count - before >= 0 ? `+${formatCount(top.count - before)}` : `−${formatCount(before - top.count)}`,
    );
    expect(text).toContain(
      `Crime severity score ${formatDecimal(severity.score, 2)} (Oct–Dec 2019), on ONS's Crime Severity Score scale, estimated from police.uk categories`,
    );
    expect(text).toContain(
      `${formatDecimal(severity.crimeRate!)} crimes per 1,000 residents (ONS mid-2015 population estimate)`,
    );
    expect(text).toContain(`Rank ${severity.rank} of 105 in the partnership`);
    expect(text).toContain(`than at the last review`);
    // The trend, oldest period first, from the history the import keeps.
    expect(text).toContain(
      `Trend: Apr–Jun 2019 ${formatDecimal(previous!.severity!.score, 2)} (${ordinal(previous!.severity!.rank)}) → ` +
        `Oct–Dec 2019 ${formatDecimal(severity.score, 2)} (${ordinal(severity.rank)})`,
    );

    // Vulnerabilities with their source and date.
    expect(text).toMatch(/IMD 2019 decile of the average rank \(1 = most deprived 10%\): \*\*decile \d+ of 10\*\*/);
    expect(text).toContain('Source: English Indices of Deprivation 2019');

    // Gaps and plan counts agree with the store.
    const gaps = await bot.store.gaps.listByDistrict(PID, EVERTON);
    expect(text).toContain(`${gaps.filter((g) => isGapOpen(g.status)).length} open`);
    for (const strand of ['Prepare', 'Pursue', 'Prevent', 'Protect']) expect(text).toContain(strand);
    expect(text).toContain('12-month refresh due');
    expect(text).toContain('6-month severity review due');

    // A coordinator gets the review button; everyone gets gaps and plan.
    // Make action buttons (one per open recommendation) are tested in recommendations.e2e.test.ts.
    expect(buttons(card).filter((b) => b !== 'Make action')).toEqual(['Show gaps', 'Show 4P plan', 'Mark reviewed']);
  });

  it('accepts the other ways people ask', async () => {
    for (const ask of [
      'profile Everton',
      'show everton',
      "what's the picture in Everton?",
      'What is the picture for EVERTON',
    ]) {
      const text = cardText(onlyCard(await bot.say(ask, megan)));
      expect(text, ask).toContain('Everton\nLiverpool');
    }
  });

  it('answers an @mention in a channel, in the channel', async () => {
    const result = await bot.say('summary Everton', megan, 'channel');
    expect(cardText(onlyCard(result))).toContain('Threat');
    expect(result.posted[0]!.conversationId).toMatch(/^19:channel-placeholder@thread\.tacv2/);
  });

  it('matches names regardless of case, punctuation and small typos', async () => {
    const typo = cardText(onlyCard(await bot.say('summary evrton', megan)));
    expect(typo).toContain('Showing Everton, the closest match to what you typed.');
    expect(cardText(onlyCard(await bot.say('summary SPEKE GARSTON', megan)))).toContain('Speke-Garston\nLiverpool');
    expect(cardText(onlyCard(await bot.say('summary st helens town centre', megan)))).toContain('No district');
    expect(cardText(onlyCard(await bot.say('summary Town-Centre', megan)))).toContain('Town Centre\nSt. Helens');
  });

  it('offers the districts that share a name as buttons, and a press opens the right one', async () => {
    const card = onlyCard(await bot.say('summary Church', megan));
    expect(cardText(card)).toContain('Which district did you mean?');
    expect(buttons(card)).toEqual(['Church (Liverpool)', 'Church (Sefton)']);
    const sefton = cardText(onlyCard(await bot.press(card, 'Church (Sefton)', megan)));
    expect(sefton).toContain('Church\nSefton');

    // "St Michael's" (Liverpool) and "St Michaels" (Knowsley) differ only by punctuation.
    const saints = onlyCard(await bot.say("summary st michael's", megan));
    expect(buttons(saints)).toEqual(["St Michael's (Liverpool)", 'St Michaels (Knowsley)']);
    // Naming the authority settles it.
    expect(cardText(onlyCard(await bot.say('summary St Michaels (Knowsley)', megan)))).toContain(
      'St Michaels\nKnowsley',
    );
  });

  it('answers an unknown name with the closest districts, never a dead end', async () => {
    const card = onlyCard(await bot.say('summary Kensingtn and Fairfeld Gardens', megan));
    const text = cardText(card);
    expect(text).toContain('No district by that name');
    expect(buttons(card)).toContain('Kensington and Fairfield');
    expect(buttons(card).length).toBeGreaterThan(1);
  });

  it('asks which district when none is named, offering the highest-harm ones', async () => {
    const card = onlyCard(await bot.say('summary', megan));
    expect(cardText(card)).toContain('Which district?');
    const ranking = await bot.store.profiles.severityRanking(PID, 5);
    expect(buttons(card)).toHaveLength(5);
    const first = await bot.store.districts.get(PID, ranking[0]!.districtId);
    expect(buttons(card)[0]).toBe(first!.name);
  });
});

describe('rank', () => {
  it('orders districts by crime severity with the change since the last review', async () => {
    const card = onlyCard(await bot.say('top 10', megan));
    const text = cardText(card);
    expect(text).toContain('Highest harm: top 10 by crime severity');
    const expected = await bot.store.profiles.severityRanking(PID, 10);
    const rows = (card.body as { type: string; columns?: { items: { text: string }[] }[] }[]).filter(
      (b) => b.type === 'ColumnSet' && b.columns?.[0]?.items[0]?.text.match(/^\d+(st|nd|rd|th)$/),
    );
    expect(rows).toHaveLength(10);
    for (const [i, row] of rows.entries()) {
      const want = expected[i]!;
      const district = await bot.store.districts.get(PID, want.districtId);
      expect(row.columns![1]!.items[0]!.text).toBe(district!.name);
      expect(row.columns![2]!.items[0]!.text).toBe(formatDecimal(want.score, 2));
      const moved = (want.rankAtLastReview ?? want.rank) - want.rank;
      expect(row.columns![3]!.items[0]!.text).toBe(
        moved === 0
          ? 'no change'
          : `${moved > 0 ? '▲' : '▼'} ${Math.abs(moved)} (was ${want.rankAtLastReview}${['th', 'st', 'nd', 'rd'][want.rankAtLastReview! % 10 > 3 || [11, 12, 13].includes(want.rankAtLastReview! % 100) ? 0 : want.rankAtLastReview! % 10]})`,
      );
    }
  });

  it('understands "rank" and "rank by severity", and caps a long list', async () => {
    expect(cardText(onlyCard(await bot.say('rank', megan)))).toContain('top 10');
    expect(cardText(onlyCard(await bot.say('rank by severity', megan)))).toContain('top 10');
    const capped = cardText(onlyCard(await bot.say('top 500', megan)));
    expect(capped).toContain('top 25');
    expect(capped).toContain('A card shows at most 25.');
  });

  it('opens a district summary when a row is tapped', async () => {
    const card = onlyCard(await bot.say('top 3', megan));
    const row = (card.body as { selectAction?: { data: unknown } }[]).find((b) => b.selectAction)!;
    const result = await bot.post({
      ...(await import('../support/activities.js')).cardSubmit(row.selectAction!.data, {
        from: megan,
        where: 'personal',
        serviceUrl: bot.connector.url,
      }),
    });
    expect(cardText(onlyCard(result))).toContain('Threat');
  });
});

describe('gaps and plan', () => {
  it('lists the gaps with reference, owner and status; the summary button gets there too', async () => {
    const gaps = await bot.store.gaps.listByDistrict(PID, EVERTON);
    const viaCommand = cardText(onlyCard(await bot.say('gaps Everton', alex)));
    for (const g of gaps) expect(viaCommand).toContain(g.ref);
    expect(viaCommand).toContain('Intelligence gaps: Everton');
    const summary = onlyCard(await bot.say('summary Everton', megan));
    const viaButton = cardText(onlyCard(await bot.press(summary, 'Show gaps', megan)));
    expect(viaButton).toContain('Intelligence gaps: Everton');
  });

  it('groups the plan by strand, each action with its reference, lead and status', async () => {
    const actions = await bot.store.actions.listByDistrict(PID, BIRKENHEAD);
    const text = cardText(onlyCard(await bot.say('plan Birkenhead and Tranmere', alex)));
    const strands = ['Prepare', 'Pursue', 'Prevent', 'Protect'].map((s) => text.indexOf(`\n${s}\n`));
    expect(strands.every((p) => p > 0)).toBe(true);
    expect([...strands].sort((a, b) => a - b)).toEqual(strands);
    for (const a of actions) {
      const at = text.indexOf(`${a.ref}  `);
      expect(at, a.ref).toBeGreaterThan(0);
      const strandIndex = ['prepare', 'pursue', 'prevent', 'protect'].indexOf(a.strand);
      expect(at).toBeGreaterThan(strands[strandIndex]!);
      if (strandIndex < 3) expect(at).toBeLessThan(strands[strandIndex + 1]!);
    }
    expect(text).toContain('Impact measure: ');
  });
});

describe('OFFICIAL-SENSITIVE items', () => {
  async function sensitive() {
    const gaps = await bot.store.gaps.listByDistrict(PID, BIRKENHEAD);
    const profile = await profileOf(BIRKENHEAD);
    return {
      gap: gaps.find((g) => g.classification === 'OFFICIAL-SENSITIVE')!,
      official: gaps.find((g) => g.classification === 'OFFICIAL')!,
      ocg: profile.threat.ocgs.find((o) => o.classification === 'OFFICIAL-SENSITIVE')!,
      ocgCount: profile.threat.ocgs.length,
    };
  }

  it('are counted but not shown in a channel, even to a cleared member', async () => {
    const { gap, official } = await sensitive();
    const card = onlyCard(await bot.say('gaps Birkenhead and Tranmere', alex, 'channel'));
    const text = cardText(card);
    expect(text.split('\n')[0]).toBe('OFFICIAL · DEMO DATA, NOT A REAL PROFILE');
    expect(text).not.toContain(gap.ref + ' ');
    expect(text).not.toContain(gap.question);
    expect(text).toContain(official.ref);
    expect(text).toMatch(/\d+ gaps? not shown\. OFFICIAL-SENSITIVE items are shown only in a 1:1 chat/);
  });

  it('are not shown in a group chat', async () => {
    const { gap } = await sensitive();
    const text = cardText(onlyCard(await bot.say('gaps Birkenhead and Tranmere', alex, 'groupChat')));
    expect(text).not.toContain(gap.question);
    expect(text).toContain('not shown');
  });

  it('are shown in a 1:1 chat to a member cleared for them, and the card says so', async () => {
    const { gap } = await sensitive();
    const text = cardText(onlyCard(await bot.say('gaps Birkenhead and Tranmere', alex)));
    expect(text.split('\n')[0]).toBe('OFFICIAL-SENSITIVE · DEMO DATA, NOT A REAL PROFILE');
    expect(text).toContain(gap.question);
    expect(text).not.toContain('not shown');
  });

  it('are not shown in a 1:1 chat to a member without the clearance', async () => {
    const { gap } = await sensitive();
    const text = cardText(onlyCard(await bot.say('gaps Birkenhead and Tranmere', megan)));
    expect(text).not.toContain(gap.question);
    expect(text).toContain('OFFICIAL-SENSITIVE items need OFFICIAL-SENSITIVE clearance');
  });

  it('count on the summary but lend nothing of themselves where they may not be seen', async () => {
    const { ocg, ocgCount } = await sensitive();
    const channel = cardText(onlyCard(await bot.say('summary Birkenhead and Tranmere', alex, 'channel')));
    expect(channel).toContain(`${ocgCount} OCGs mapped`);
    expect(channel).not.toContain(`MoRILE score ${ocg.morileScore}`);
    expect(channel).toContain('1 not shown here');
    const private1to1 = cardText(onlyCard(await bot.say('summary Birkenhead and Tranmere', alex)));
    expect(private1to1.split('\n')[0]).toBe('OFFICIAL-SENSITIVE · DEMO DATA, NOT A REAL PROFILE');
    expect(private1to1).not.toContain('not shown here');
  });
});

describe('mark reviewed', () => {
  it('records who and when for a coordinator, refreshes the card and audits it', async () => {
    const card = onlyCard(await bot.say('summary Kirkdale', alex));
    const districtId = (actionsOf(card).find((a) => a.title === 'Mark reviewed')!.data as { districtId: string })
      .districtId;
    const before = await profileOf(districtId);
    const result = await bot.press(card, 'Mark reviewed', alex);
    expect(result.status).toBe(200);
    const refreshed = cardText(onlyCard(result));
    expect(refreshed).toContain('Review recorded by Alex Wilber.');
    expect(refreshed).toMatch(/Last reviewed: \d{1,2} \w{3} \d{4} by Alex Wilber/);
    expect(refreshed).toContain('Same rank as at the last review');
    // Replaced in place for everyone who sees the card, not only the person who pressed.
    expect(result.updated.map(cardText)).toEqual([refreshed]);

    const after = await profileOf(districtId);
    expect(after.review.lastReviewedBy).toBe(alex.aadObjectId);
    expect(after.threat.severity!.rankAtLastReview).toBe(before.threat.severity!.rank);
    const audit = await bot.store.audit.listForEntity(PID, 'profile', districtId);
    const last = audit.at(-1)!;
    expect(last).toMatchObject({ action: 'profile.reviewed', actor: alex.aadObjectId });
    expect((last.before as Profile).review.lastReviewedAt).toBe(before.review.lastReviewedAt);

    // Teams resends an invoke it did not hear back from: the retry finds the review, not an error.
    const retry = await bot.press(card, 'Mark reviewed', alex);
    expect(cardText(onlyCard(retry))).toContain('Review recorded by Alex Wilber.');
    expect((await bot.store.audit.listForEntity(PID, 'profile', districtId)).length).toBe(audit.length);
  });

  it('is offered only to coordinators, and refused to anyone else who presses it', async () => {
    const officerCard = onlyCard(await bot.say('summary Anfield', megan));
    expect(buttons(officerCard)).not.toContain('Mark reviewed');
    const coordinatorCard = onlyCard(await bot.say('summary Anfield', alex));
    const districtId = (
      actionsOf(coordinatorCard).find((a) => a.title === 'Mark reviewed')!.data as { districtId: string }
    ).districtId;
    const before = await profileOf(districtId);
    const refused = await bot.press(coordinatorCard, 'Mark reviewed', adele);
    expect(JSON.stringify(refused.body)).toContain('Your role does not allow that');
    expect((await profileOf(districtId)).review).toEqual(before.review);
  });

  it('records nothing against a card that is out of date, and shows the latest', async () => {
    const card = onlyCard(await bot.say('summary Anfield', alex));
    const districtId = (actionsOf(card).find((a) => a.title === 'Mark reviewed')!.data as { districtId: string })
      .districtId;
    // Someone else changes the profile after the card was drawn (an import, another coordinator).
    const current = await profileOf(districtId);
    const { etag, ...plain } = current as Profile & { etag: string };
    await bot.store.profiles.replace({ ...plain, recommendations: [] }, etag, {
      actor: 'system:import',
      action: 'profile.refreshed',
      at: new Date().toISOString(),
    });
    const result = await bot.press(card, 'Mark reviewed', alex);
    expect(cardText(onlyCard(result))).toContain(
      'Someone changed this profile after your card was shown, so no review was recorded.',
    );
    expect((await profileOf(districtId)).review).toEqual(current.review);
  });
});

describe('bad input', () => {
  it('answers a 5,000-character message with what would work', async () => {
    const text = cardText(onlyCard(await bot.say(`summary ${'x'.repeat(5000)}`, megan)));
    expect(text).toContain('That message is 5,008 characters long');
    expect(text).toContain('summary Everton');
  });

  it('answers pasted card JSON and markup with what would work', async () => {
    const json = cardText(onlyCard(await bot.say('{"type":"AdaptiveCard","version":"1.5","body":[]}', megan)));
    expect(json).toContain('That looks like card JSON');
    const markup = cardText(onlyCard(await bot.say('<script>alert(1)</script>', megan)));
    expect(markup).toContain('That looks like markup');
  });

  it('never echoes what was typed into a card as markdown or template text', async () => {
    const typed = 'summary **Everton** [click](https://example.test) ${banner.text}';
    const card = onlyCard(await bot.say(typed, megan));
    const runs: string[] = [];
    const blocks: string[] = [];
    JSON.stringify(card, (_k, v: unknown) => {
      const o = v as { type?: string; text?: string };
      if (o && o.type === 'TextRun') runs.push(String(o.text));
      if (o && o.type === 'TextBlock') blocks.push(String(o.text));
      return v;
    });
    expect(runs.some((r) => r.includes('[click](https://example.test)'))).toBe(true);
    expect(blocks.some((b) => b.includes('click') || b.includes('**'))).toBe(false);
  });
});
