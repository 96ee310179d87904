import { escalationView, reviewDueView } from '../../src/domain/reminder-views.js';
import { composeReminderSettingsView } from '../../src/domain/reminder-settings-view.js';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { helpData } from '../../src/bot/routes/help.js';
import { VERB } from '../../src/bot/verbs.js';
import type { FourPAction } from '../../src/domain/action.js';
import type { IntelligenceGap } from '../../src/domain/gap.js';
import { SECTOR_LABELS } from '../../src/domain/partnership.js';
import { banner } from '../../src/domain/summary.js';
import type { Viewer } from '../../src/domain/visibility.js';
import { createLogger } from '../../src/log.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { seedDemoIfEmpty } from '../../src/services/demo-seed.js';
import { DigestComposer } from '../../src/services/digest-composer.js';
import { DistrictDirectory } from '../../src/services/district-directory.js';
import { DistrictProfiles, LIST_LIMIT } from '../../src/services/district-profiles.js';
import { Recommendations } from '../../src/services/recommendations.js';
import { Tasks, type StoredTask } from '../../src/services/tasks.js';
import { EMPTY_FORM } from '../../src/domain/task-form.js';
import { Membership, type Requester } from '../../src/services/membership.js';
import { Onboarding } from '../../src/services/onboarding.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { cardBytes, cardProblems, cardText, type Card } from '../support/cards.js';
import { alex } from '../support/people.js';

/**
 * Every template, bound to realistic data (the demo's real Merseyside wards; the largest district
 * by population, Central), must be a valid Adaptive Card 1.5 under Teams' 28 KB limit, and stay
 * so with the longest text the domain allows.
 */
const NOW = new Date('2026-11-25T09:00:00Z');
const cleared1to1: Viewer = { clearance: 'OFFICIAL-SENSITIVE', conversation: 'personal' };

let dir: string;
let store: Store;
let profiles: DistrictProfiles;
let tasks: Tasks;
let requester: Requester;
let largest: { id: string; name: string };
const rendered = new Map<CardName, Card>();

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'soc-cards-'));
  store = openSqliteStore({ file: join(dir, 'cards.db') });
  await seedDemoIfEmpty(store, { now: NOW, log: createLogger('silent') });
  const directory = new DistrictDirectory(store);
  profiles = new DistrictProfiles(store, directory, () => NOW);
  tasks = new Tasks(store, directory, () => NOW);
  requester = await new Membership(store).resolve(alex.aadObjectId, undefined);
  const names = await store.districts.listNames(DEMO_PARTNERSHIP_ID);
  const all = await Promise.all(names.map((n) => store.districts.get(DEMO_PARTNERSHIP_ID, n.id)));
  const top = all.sort((a, b) => b!.population - a!.population)[0]!;
  largest = { id: top.id, name: top.name };
});

afterAll(async () => {
  await store?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function realistic(name: CardName): Promise<Card> {
  switch (name) {
    case 'summary': {
      const result = await profiles.summary(requester, cleared1to1, largest.id);
      if (result.kind !== 'summary') throw new Error('expected a summary');
      return renderCard('summary', { ...result.view, note: '' }) as Card;
    }
    case 'gaps':
      return renderCard(
        'gaps',
        await profiles.gaps(requester, cleared1to1, largest.id, (v) => fitsCard('gaps', v)),
      ) as Card;
    case 'plan':
      return renderCard(
        'plan',
        await profiles.plan(requester, cleared1to1, largest.id, (v) => fitsCard('plan', v)),
      ) as Card;
    case 'rank': {
      return renderCard('rank', await profiles.ranking(requester, 25)) as Card;
    }
    case 'help':
      return renderCard('help', helpData([], requester.member, requester.partnership.name, true)) as Card;
    case 'welcome':
      return renderCard('welcome', {
        banner: banner('OFFICIAL', true),
        memberText: 'You are set up in Merseyside SOC Partnership (DEMO), coordinator.',
        suggestions: [runSuggestion('help'), runSuggestion('top 10')],
      }) as Card;
    case 'notice':
      return noticeCard({
        title: "Sorry, I didn't understand that",
        text: 'Did you mean one of these?',
        echo: 'sumary central',
        suggestions: [runSuggestion(`summary ${largest.name}`), runSuggestion('help')],
      }) as Card;
    case 'digest': {
      // The whole demo partnership (105 wards) over the week to NOW: trimmed to fit.
      const composer = new DigestComposer(store, new DistrictDirectory(store));
      const week = { from: new Date(NOW.getTime() - 7 * 86_400_000), to: NOW };
      const view = await composer.compose(requester.partnership, {}, week, NOW, (v) => fitsCard('digest', v));
      return renderCard('digest', view) as Card;
    }
    case 'task': {
      const stored = await workedGap();
      return renderCard(
        'task',
        await tasks.view(requester, cleared1to1, requester.member, stored, { note: 'G-1 created.' }),
      ) as Card;
    }
    case 'task-form':
      return renderCard(
        'task-form',
        await tasks.formView(
          requester,
          cleared1to1,
          'action',
          largest.id,
          { ...EMPTY_FORM, strand: 'prevent', impactBefore: '12' },
          ['The action is needed.', 'Due date is in the past.'],
        ),
      ) as Card;
    case 'tasks':
      return renderCard('tasks', await tasks.overdue(requester, cleared1to1, (v) => fitsCard('tasks', v))) as Card;
    case 'history': {
      const stored = await workedGap();
      return renderCard(
        'history',
        await tasks.history(requester, cleared1to1, stored.task.record.ref, (v) => fitsCard('history', v)),
      ) as Card;
    }
    case 'escalation': {
      // The most an escalation lists (ESCALATION_ROWS), with long names, and a count withheld.
      const rows = Array.from({ length: 60 }, (_, i) => ({
        ref: `PREV-${100 + i}`,
        districtName: largest.name,
        owner: 'NHS Cheshire and Merseyside Integrated Care Board (a long agency name)',
        daysOverdue: 14 + i,
        classification: 'OFFICIAL' as const,
      }));
      return renderCard('escalation', escalationView(rows, 3, 14, '2026-11-25', true)!) as Card;
    }
    case 'review-due': {
      // Every district due on one day (an import refreshes them all at once): ten with buttons, the rest named.
      const names = await store.districts.listNames(DEMO_PARTNERSHIP_ID);
      return renderCard(
        'review-due',
        reviewDueView(
          names.map((n) => ({
            districtId: n.id,
            districtName: n.name,
            etag: '"00000000-0000-0000-0000-000000000000"',
            alerts: [
              { review: 'refresh', stage: 'soon', due: '2026-12-02', days: 7 },
              { review: 'severity', stage: 'due', due: '2026-11-25', days: 0 },
            ],
          })),
          true,
        ),
      ) as Card;
    }
    case 'reminder-settings':
      return renderCard(
        'reminder-settings',
        composeReminderSettingsView({
          partnershipName: requester.partnership.name,
          demo: true,
          settings: { leadDays: 5, escalationDays: 21 },
          isDefault: false,
          etag: '"00000000-0000-0000-0000-000000000000"',
          errors: ['The lead time must be a whole number of days from 1 to 28.'],
          note: 'Saved by Alex Wilber: lead time 5 days (was 7), escalation 21 days (was 14). Recorded in the audit trail.',
          values: { leadDays: 40 },
        }),
      ) as Card;
    case 'agencies':
      return renderCard('agencies', {
        banner: banner('OFFICIAL', true),
        partnershipName: requester.partnership.name,
        rows: (await new Onboarding(store, () => NOW).agencies(DEMO_PARTNERSHIP_ID)).map((r) => ({
          name: r.agency.name,
          sector: SECTOR_LABELS[r.agency.sector],
          members: String(r.members),
        })),
        footer: '14 agencies, 9 active members.',
      }) as Card;
    case 'request-access':
      return renderCard('request-access', {
        banner: banner('OFFICIAL', false),
        title: 'Not a member yet',
        text: 'You are not a member of a partnership that uses this bot. Press Request access to ask its admins.',
      }) as Card;
    case 'access-request':
      return renderCard('access-request', {
        banner: banner('OFFICIAL', true),
        partnershipName: requester.partnership.name,
        displayName: 'Pat Partner',
        aadObjectId: '99999999-8888-7777-6666-555555555555',
        tenantId: '11111111-2222-3333-4444-555555555555',
        requestedAt: '2026-11-30 02:30 UTC',
        agencies: (await store.agencies.list(DEMO_PARTNERSHIP_ID)).map((a) => ({ id: a.id, name: a.name })),
      }) as Card;
    case 'recommendations':
      return renderCard(
        'recommendations',
        await new Recommendations(store, profiles, tasks, new DistrictDirectory(store), () => NOW).list(
          requester,
          cleared1to1,
          largest.id,
          (v) => fitsCard('recommendations', v),
        ),
      ) as Card;
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
  }
}

/** A gap raised, assigned, accepted and noted, as a coordinator would see it. */
async function workedGap(
  question = 'Which car washes in the district front cash laundering for the OCG?',
): Promise<StoredTask> {
  const created = await tasks.createGap(requester, cleared1to1, {
    districtId: largest.id,
    question,
    agencyId: 'liverpool-city-council',
    due: '2027-01-31',
    classification: 'OFFICIAL',
    noPersonalData: 'typed',
  });
  const accepted = await tasks.change(requester, cleared1to1, created.task.record.ref, { op: 'accept' });
  const noted = await tasks.change(requester, cleared1to1, accepted.stored.task.record.ref, {
    op: 'note',
    note: 'Trading standards shared their list of premises; two visits planned',
  });
  return noted.stored;
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
