import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CARD_NAMES,
  CARDS_DIR,
  TEAMS_CARD_LIMIT_BYTES,
  fitsCard,
  renderCard,
  templateJson,
  type CardName,
} from '../../src/bot/cards.js';
import { withDistrict } from '../../src/bot/district-prompt.js';
import { noticeCard, runSuggestion } from '../../src/bot/reply.js';
import { VERB } from '../../src/bot/verbs.js';
import type { FourPAction } from '../../src/domain/action.js';
import type { IntelligenceGap } from '../../src/domain/gap.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { DigestComposer } from '../../src/services/digest-composer.js';
import { DistrictDirectory } from '../../src/services/district-directory.js';
import { DistrictProfiles, LIST_LIMIT } from '../../src/services/district-profiles.js';
import { Tasks, type StoredTask } from '../../src/services/tasks.js';
import type { Requester } from '../../src/services/membership.js';
import type { Store } from '../../src/store/store.js';
import { cardBytes, cardProblems, cardText, type Card } from '../support/cards.js';
import {
  NOW,
  cleared1to1,
  openCardFixture,
  realisticView,
  workedGap as fixtureGap,
  type CardFixture,
} from '../support/card-views.js';
import { alex } from '../support/people.js';

/**
 * Every template, bound to realistic data (the demo's real Merseyside wards; the largest district
 * by population, Central), must be a valid Adaptive Card 1.5 under Teams' 28 KB limit, and stay
 * so with the longest text the domain allows.
 */
let fixture: CardFixture;
let store: Store;
let profiles: DistrictProfiles;
let tasks: Tasks;
let requester: Requester;
let largest: { id: string; name: string };
const rendered = new Map<CardName, Card>();

beforeAll(async () => {
  fixture = await openCardFixture();
  ({ store, profiles, tasks, requester, largest } = fixture);
});

afterAll(async () => {
  await fixture?.close();
});

async function realistic(name: CardName): Promise<Card> {
  switch (name) {
    case 'notice':
      return noticeCard({
        title: "Sorry, I didn't understand that",
        text: 'Did you mean one of these?',
        echo: 'sumary central',
        suggestions: [runSuggestion(`summary ${largest.name}`), runSuggestion('help')],
      }) as Card;
    case 'district-choice': {
      let card: Card | undefined;
      const context = {
        sendActivity: async (a: { attachments: { content: Card }[] }) => (card = a.attachments[0]!.content),
      };
      await withDistrict(
        { context, requester, deps: { directory: new DistrictDirectory(store), profiles } } as never,
        'church',
        VERB.districtSummary,
        'summary Everton',
        async () => undefined,
      );
      return card!;
    }
    default:
      return renderCard(name, await realisticView(fixture, name)) as Card;
  }
}

/** A gap raised, assigned, accepted and noted, as a coordinator would see it. */
function workedGap(question?: string): Promise<StoredTask> {
  return fixtureGap(fixture, question);
}

describe('card templates', () => {
  it('are exactly the files in cards/', () => {
    const files = readdirSync(CARDS_DIR).filter((f) => f.endsWith('.json') && !f.endsWith('.data.json'));
    expect(files.map((f) => f.replace(/\.json$/, '')).sort()).toEqual([...CARD_NAMES].sort());
  });

  it.each(CARD_NAMES)('%s is an Adaptive Card 1.5 template', (name) => {
    const template = templateJson(name);
    expect(template.type).toBe('AdaptiveCard');
    expect(template.version).toBe('1.5');
  });

  it.each(CARD_NAMES)('%s bound to the largest district is valid and under 28 KB', async (name) => {
    const card = await realistic(name);
    rendered.set(name, card);
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
    expect(cardText(card).split('\n')[0]).toMatch(/^OFFICIAL/);
  });

  it('the summary shows the largest district with its real figures', async () => {
    const card = rendered.get('summary') ?? (await realistic('summary'));
    const text = cardText(card);
    expect(text).toContain(`${largest.name}\nLiverpool · population 27,040`);
    expect(text).toContain('Crime severity score');
  });
});

describe('the longest lists and texts the domain allows', () => {
  const long = (n: number, seed: string) => `${seed} ${'Ŵ'.repeat(n)}`.slice(0, n);

  beforeAll(async () => {
    // A district with more gaps and actions than a card lists, every text at its maximum length
    // and in two-byte characters, every item marked OFFICIAL-SENSITIVE so the 1:1 card shows it.
    const at = NOW.toISOString();
    const audit = { actor: 'system:test', action: 'gap.created', at };
    const base = {
      partnershipId: DEMO_PARTNERSHIP_ID,
      districtId: largest.id,
      createdBy: 'system:test',
      createdAt: at,
      updatedAt: at,
    };
    for (let i = 0; i < LIST_LIMIT + 5; i++) {
      const gap: Omit<IntelligenceGap, 'ref'> = {
        ...base,
        question: long(500, `Q${i}`),
        classification: 'OFFICIAL-SENSITIVE',
        status: 'assigned',
        ownerAgencyId: 'merseyside-police',
        ownerAadObjectId: alex.aadObjectId,
        due: '2026-01-01',
      };
      await store.gaps.create(gap, audit);
      const action: Omit<FourPAction, 'ref'> = {
        ...base,
        strand: (['prepare', 'pursue', 'prevent', 'protect'] as const)[i % 4]!,
        title: long(300, `A${i}`),
        leadAgencyId: 'merseyside-police',
        ownerAadObjectId: alex.aadObjectId,
        status: 'in_progress',
        due: '2026-01-01',
        impactMeasure: long(300, `M${i}`),
        classification: 'OFFICIAL-SENSITIVE',
      };
      await store.actions.create(action, { ...audit, action: 'action.created' });
    }
  });

  it('a digest of 20 districts full of overdue, unowned and changed items stays valid and under 28 KB', async () => {
    const composer = new DigestComposer(store, new DistrictDirectory(store));
    const names = await store.districts.listNames(DEMO_PARTNERSHIP_ID);
    const twenty = [largest.id, ...names.map((n) => n.id).filter((id) => id !== largest.id)].slice(0, 20);
    const week = { from: new Date(NOW.getTime() - 7 * 86_400_000), to: new Date(NOW.getTime() + 1000) };
    const view = await composer.compose(requester.partnership, { districtIds: twenty }, week, NOW, (v) =>
      fitsCard('digest', v),
    );
    const card = renderCard('digest', view) as Card;
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
    const text = cardText(card);
    expect(text).toContain(`Weekly digest: ${largest.name}`);
    // The largest district's many sensitive gaps, created this week, are counted and never shown.
    expect(text).toContain(`${LIST_LIMIT + 5} OFFICIAL-SENSITIVE items (counted, not shown)`);
    expect(text).not.toContain('Q1 ');
  });

  it.each(['tasks', 'history'] as const)('%s stays valid and under 28 KB', async (name) => {
    const card =
      name === 'tasks'
        ? (renderCard('tasks', await tasks.myTasks(requester, cleared1to1, (v) => fitsCard('tasks', v))) as Card)
        : await (async () => {
            const stored = await workedGap(long(500, 'H'));
            let current = stored;
            for (let i = 0; i < 40; i++) {
              current = (
                await tasks.change(requester, cleared1to1, current.task.record.ref, {
                  op: 'note',
                  note: long(1000, `N${i}`),
                })
              ).stored;
            }
            return renderCard(
              'history',
              await tasks.history(requester, cleared1to1, current.task.record.ref, (v) => fitsCard('history', v)),
            ) as Card;
          })();
    expect(cardProblems(card)).toEqual([]);
    const bytes = cardBytes(card);
    expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
    expect(cardText(card)).toMatch(name === 'tasks' ? /Show more/ : /earlier changes not shown/);
  });

  it('task, with every text at its longest, stays valid and under 28 KB', async () => {
    const stored = await workedGap(long(500, 'T'));
    const noted = await tasks.change(requester, cleared1to1, stored.task.record.ref, {
      op: 'note',
      note: long(1000, 'L'),
    });
    const filled = await tasks.change(requester, cleared1to1, noted.stored.task.record.ref, {
      op: 'done',
      note: long(1000, 'R'),
    });
    const card = renderCard(
      'task',
      await tasks.view(requester, cleared1to1, requester.member, filled.stored, { note: long(300, 'X') }),
    ) as Card;
    expect(cardProblems(card)).toEqual([]);
    expect(cardBytes(card)).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
  });

  it.each(['gaps', 'plan', 'summary'] as const)('%s stays valid and under 28 KB', async (name) => {
    const card = await realistic(name);
    expect(cardProblems(card)).toEqual([]);
    const bytes = cardBytes(card);
    expect(bytes, `${name}: ${bytes} bytes`).toBeLessThan(TEAMS_CARD_LIMIT_BYTES);
    if (name !== 'summary') expect(cardText(card)).toMatch(/more (gap|action)s? not listed/);
  });
});
