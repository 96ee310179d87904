import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACTION_STATUS_LABEL } from '../../src/domain/action.js';
import { formatPeriod } from '../../src/domain/dates.js';
import type { Profile } from '../../src/domain/profile.js';
import { STRAND_LABEL, STRANDS } from '../../src/domain/strand.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { TEAMS_CARD_LIMIT_BYTES } from '../../src/bot/cards.js';
import { CHANNEL_ID } from '../support/activities.js';
import { cardBytes, cardText, chartsOf, type Card } from '../support/cards.js';
import { BotUnderTest, onlyCard } from '../support/harness.js';
import { alex, isaiah, megan } from '../support/people.js';

/**
 * The charts Teams draws on the summary, plan and digest cards: their data is the stored figures
 * exactly (read here through the Store), each keeps its text as a fallback, and charts count only
 * what the conversation may see. The harness checks every card against Teams' chart schema.
 */
const PID = DEMO_PARTNERSHIP_ID;
const CONVERSATIONS = ['personal', 'groupChat', 'channel'] as const;

let bot: BotUnderTest;
beforeAll(async () => {
  bot = await BotUnderTest.start();
});
afterAll(async () => {
  await bot?.close();
});

async function districtNamed(name: string): Promise<string> {
  const found = (await bot.store.districts.listNames(PID)).filter((d) => d.name === name);
  expect(found).toHaveLength(1);
  return found[0]!.id;
}

async function profileOf(districtId: string): Promise<Profile> {
  const p = await bot.store.profiles.get(PID, districtId);
  if (!p) throw new Error(`no profile for ${districtId}`);
  return p;
}

function chart(card: Card, type: string, title?: string): Record<string, unknown> & { type: string } {
  const found = chartsOf(card).filter((c) => c.type === type && (title === undefined || c.title === title));
  expect(found, `${type} ${title ?? ''}`).toHaveLength(1);
  return found[0]!;
}

function fallbackText(c: Record<string, unknown>): string {
  return cardText({ type: 'AdaptiveCard', body: [c.fallback] } as unknown as Card);
}

describe('summary charts', () => {
  it.each(CONVERSATIONS)(
    'in a %s conversation: severity over every stored period and the top crimes against the last period, as stored',
    async (where) => {
      const central = await districtNamed('Central');
      const profile = await profileOf(central);
      const card = onlyCard(await bot.say('summary Central', alex, where));
      expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);

      // The line: every stored period with a score, oldest first, the score exactly as stored.
      const scored = profile.threat.crime.filter((c) => c.severity !== undefined);
      expect(scored.length).toBeGreaterThanOrEqual(2);
      const line = chart(card, 'Chart.Line');
      expect(line.data).toEqual([
        {
          legend: 'Central',
          values: [...scored].reverse().map((c) => ({ x: formatPeriod(c.period), y: c.severity!.score })),
        },
      ]);
      expect(line.yAxisTitle).toBe('Crime severity score');
      // Where charts are not drawn, the trend is still there as text.
      expect(fallbackText(line)).toMatch(/^Trend: .+ → .+/);

      // The bars: the five most frequent crime types, last period's count beside this period's.
      const [latest, previous] = profile.threat.crime;
      const top = [...latest!.counts]
        .filter((c) => c.count > 0)
        .sort((a, b) => b.count - a.count || a.crimeType.localeCompare(b.crimeType))
        .slice(0, 5);
      const bars = chart(card, 'Chart.VerticalBar.Grouped');
      const countIn = (p: typeof latest, type: string) => p!.counts.find((c) => c.crimeType === type)?.count ?? 0;
      expect(bars.data).toEqual([
        {
          legend: formatPeriod(previous!.period),
          values: top.map((c) => ({ x: c.crimeType, y: countIn(previous, c.crimeType) })),
          color: 'neutral',
        },
        {
          legend: formatPeriod(latest!.period),
          values: top.map((c) => ({ x: c.crimeType, y: c.count })),
          color: 'categoricalBlue',
        },
      ]);
      // The fallback is the table the card showed before: type, count and change.
      const table = fallbackText(bars);
      for (const c of top) expect(table).toContain(`${c.crimeType}\n${c.count.toLocaleString('en-GB')}`);
    },
  );
});

// Who asks where: the cleared coordinator in each conversation, and an officer not cleared for
// OFFICIAL-SENSITIVE in their own 1:1 chat.
const PLAN_VIEWERS = [
  ...CONVERSATIONS.map((where) => ({ where, who: alex, cleared: true, label: `a ${where} conversation` })),
  { where: 'personal' as const, who: megan, cleared: false, label: 'a member not cleared, in their 1:1 chat' },
];

describe('plan chart', () => {
  it.each(PLAN_VIEWERS)(
    'in $label: actions by strand and status, counting only what may be seen there',
    async ({ where, who, cleared }) => {
      // A district whose plan has OFFICIAL-SENSITIVE actions beside OFFICIAL ones.
      let districtId = '';
      for (const d of await bot.store.districts.listNames(PID)) {
        const actions = await bot.store.actions.listByDistrict(PID, d.id);
        if (
          actions.some((a) => a.classification === 'OFFICIAL-SENSITIVE') &&
          actions.some((a) => a.classification === 'OFFICIAL')
        ) {
          districtId = d.id;
          break;
        }
      }
      expect(districtId).not.toBe('');
      const stored = await bot.store.actions.listByDistrict(PID, districtId);
      const mayShowSensitive = where === 'personal' && cleared;
      const visible = mayShowSensitive ? stored : stored.filter((a) => a.classification === 'OFFICIAL');
      const label = (await bot.store.districts.get(PID, districtId))!.name;

      const card = onlyCard(await bot.say(`plan ${label}`, who, where));
      expect(cardText(card)).toContain(`4P plan: ${label}`);
      expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
      const bars = chart(card, 'Chart.VerticalBar.Grouped');
      expect(bars.stacked).toBe(true);

      // Every (strand, status) count the chart draws, against the store's.
      const drawn = new Map<string, number>();
      for (const s of bars.data as { legend: string; values: { x: string; y: number }[] }[])
        for (const v of s.values) drawn.set(`${v.x}|${s.legend}`, v.y);
      const expected = new Map<string, number>();
      for (const a of visible) {
        const key = `${STRAND_LABEL[a.strand]}|${ACTION_STATUS_LABEL[a.status]}`;
        expected.set(key, (expected.get(key) ?? 0) + 1);
      }
      for (const [key, n] of expected) expect(drawn.get(key), key).toBe(n);
      const total = [...drawn.values()].reduce((a, b) => a + b, 0);
      expect(total).toBe(visible.length);
      if (!mayShowSensitive) expect(total).toBeLessThan(stored.length);

      // The same counts as text, strand by strand, for a client that draws no charts.
      const facts = fallbackText(bars);
      for (const strand of STRANDS) expect(facts).toContain(`${STRAND_LABEL[strand]}: `);
    },
  );
});

describe('digest chart', () => {
  it('draws the harm trend of the districts rising most, from their stored history, in the board channel', async () => {
    const subscribed = onlyCard(await bot.say('subscribe', alex, 'channel'));
    expect(cardText(subscribed)).toContain('This is now a board channel');
    await bot.say('digest now', isaiah, 'channel');
    await bot.running.digests.idle();
    const digest = bot.connector.posted
      .filter((p) => p.conversationId === CHANNEL_ID)
      .flatMap((p) => (p.activity.attachments ?? []).map((a) => a.content as Card))
      .filter((c) => cardText(c).includes('Weekly digest'))
      .at(-1)!;
    expect(cardBytes(digest)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);

    // The five districts rising most, read from the store: OFFICIAL profiles whose harm rank
    // (1 = most harm) rose since the last review, most places first.
    const rising = [];
    for (const d of await bot.store.districts.listNames(PID)) {
      const p = await profileOf(d.id);
      const s = p.threat.severity;
      if (p.classification === 'OFFICIAL' && s?.rankAtLastReview !== undefined && s.rankAtLastReview > s.rank)
        rising.push({ id: d.id, name: d.name, p, rise: s.rankAtLastReview - s.rank, rank: s.rank });
    }
    rising.sort((a, b) => b.rise - a.rise || a.rank - b.rank || a.id.localeCompare(b.id));
    const top = rising.slice(0, 5);
    expect(top.length).toBeGreaterThan(0);
    for (const r of top) expect(r.p.threat.severity!.rankedBy ?? 'severity').toBe('severity');

    const line = chart(digest, 'Chart.Line');
    expect(line.yAxisTitle).toBe('Crime severity score');
    const series = line.data as { legend: string; values: { x: string; y: number }[] }[];
    expect(series).toHaveLength(top.length);
    for (const [i, r] of top.entries()) {
      // The district's label names its authority where another district shares its name.
      expect(series[i]!.legend === r.name || series[i]!.legend.startsWith(`${r.name} (`), series[i]!.legend).toBe(true);
      const scored = r.p.threat.crime.filter((c) => c.severity !== undefined).reverse();
      expect(series[i]!.values).toEqual(scored.map((c) => ({ x: formatPeriod(c.period), y: c.severity!.score })));
    }
    // The same figures as text where charts are not drawn, one line per district.
    const [heading, ...text] = fallbackText(line).split('\n');
    expect(heading).toBe('Crime severity score, period by period');
    expect(text).toHaveLength(top.length);
    for (const [i, s] of series.entries())
      expect(text[i]).toMatch(new RegExp(`^${s.legend.replace(/[()]/g, '\\$&')}: .+ → `));
  });
});

describe('help', () => {
  it('says in one line what the charts show and that other clients get the figures as text', async () => {
    const text = cardText(onlyCard(await bot.say('help', alex)));
    expect(text).toContain('Charts: the summary shows the severity score over time');
    expect(text).toContain('the same figures appear as text');
  });
});
