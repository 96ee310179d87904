import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fitsCard, type CardName } from '../../src/bot/cards.js';
import { runSuggestion } from '../../src/bot/reply.js';
import { helpData } from '../../src/bot/routes/help.js';
import { VERB } from '../../src/bot/verbs.js';
import { SECTOR_LABELS } from '../../src/domain/partnership.js';
import { composeReminderSettingsView } from '../../src/domain/reminder-settings-view.js';
import { escalationView, reviewDueView } from '../../src/domain/reminder-views.js';
import { banner, type Banner } from '../../src/domain/summary.js';
import { EMPTY_FORM } from '../../src/domain/task-form.js';
import type { Viewer } from '../../src/domain/visibility.js';
import { createLogger } from '../../src/log.js';
import { DEMO_PARTNERSHIP_ID } from '../../src/services/demo-partnership.js';
import { seedDemoIfEmpty } from '../../src/services/demo-seed.js';
import { DigestComposer } from '../../src/services/digest-composer.js';
import { DistrictDirectory } from '../../src/services/district-directory.js';
import { DistrictProfiles } from '../../src/services/district-profiles.js';
import { Recommendations } from '../../src/services/recommendations.js';
import { Tasks, type StoredTask } from '../../src/services/tasks.js';
import { Membership, type Requester } from '../../src/services/membership.js';
import { Onboarding } from '../../src/services/onboarding.js';
import { openSqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { Store } from '../../src/store/store.js';
import { alex } from './people.js';

/**
 * Realistic view data for every card (the demo's real Merseyside wards; the largest district by
 * population), built through the services a route calls, for tests that bind cards.
 */
export const NOW = new Date('2026-11-25T09:00:00Z');
export const cleared1to1: Viewer = { clearance: 'OFFICIAL-SENSITIVE', conversation: 'personal' };

export type View = { banner: Banner } & Record<string, unknown>;

export interface CardFixture {
  store: Store;
  profiles: DistrictProfiles;
  tasks: Tasks;
  requester: Requester;
  largest: { id: string; name: string };
  close(): Promise<void>;
}

export async function openCardFixture(): Promise<CardFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'soc-cards-'));
  const store = openSqliteStore({ file: join(dir, 'cards.db') });
  await seedDemoIfEmpty(store, { now: NOW, log: createLogger('silent') });
  const directory = new DistrictDirectory(store);
  const requester = await new Membership(store).resolve(alex.aadObjectId, undefined);
  const names = await store.districts.listNames(DEMO_PARTNERSHIP_ID);
  const all = await Promise.all(names.map((n) => store.districts.get(DEMO_PARTNERSHIP_ID, n.id)));
  const top = all.sort((a, b) => b!.population - a!.population)[0]!;
  return {
    store,
    profiles: new DistrictProfiles(store, directory, () => NOW),
    tasks: new Tasks(store, directory, () => NOW),
    requester,
    largest: { id: top.id, name: top.name },
    close: async () => {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A gap raised, assigned, accepted and noted, as a coordinator would see it. */
export async function workedGap(
  f: CardFixture,
  question = 'Which car washes in the district front cash laundering for the OCG?',
): Promise<StoredTask> {
  const { tasks, requester } = f;
  const created = await tasks.createGap(requester, cleared1to1, {
    districtId: f.largest.id,
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

/** The view a route would bind to the card; `viewer` lets a test ask for a withheld (not cleared) view. */
export async function realisticView(f: CardFixture, name: CardName, viewer: Viewer = cleared1to1): Promise<View> {
  const { store, profiles, tasks, requester, largest } = f;
  const view = async (): Promise<unknown> => {
    switch (name) {
      case 'summary': {
        const result = await profiles.summary(requester, viewer, largest.id);
        if (result.kind !== 'summary') throw new Error('expected a summary');
        return { ...result.view, note: '' };
      }
      case 'gaps':
        return profiles.gaps(requester, viewer, largest.id, (v) => fitsCard('gaps', v));
      case 'plan':
        return profiles.plan(requester, viewer, largest.id, (v) => fitsCard('plan', v));
      case 'rank':
        return profiles.ranking(requester, 25);
      case 'help':
        return helpData([], requester.member, requester.partnership.name, true);
      case 'welcome':
        return {
          banner: banner('OFFICIAL', true),
          memberText: 'You are set up in Merseyside SOC Partnership (DEMO), coordinator.',
          suggestions: [runSuggestion('help'), runSuggestion('top 10')],
        };
      case 'notice':
        return {
          banner: banner('OFFICIAL', true),
          title: "Sorry, I didn't understand that",
          text: 'Did you mean one of these?',
          echo: 'sumary central',
          suggestions: [runSuggestion(`summary ${largest.name}`), runSuggestion('help')],
          hasSuggestions: true,
        };
      case 'district-choice':
        return {
          banner: banner('OFFICIAL', true),
          title: 'Which district did you mean?',
          text: 'More than one district matches what you typed:',
          echo: 'church',
          choices: ['Church', 'Everton'].map((title) => ({
            title,
            data: { verb: VERB.districtSummary, districtId: title },
          })),
          hint: "Type a district's name after the command, for example: summary Everton",
        };
      case 'digest': {
        const composer = new DigestComposer(store, new DistrictDirectory(store));
        const week = { from: new Date(NOW.getTime() - 7 * 86_400_000), to: NOW };
        return composer.compose(requester.partnership, {}, week, NOW, (v) => fitsCard('digest', v));
      }
      case 'task':
        return tasks.view(requester, viewer, requester.member, await workedGap(f), { note: 'G-1 created.' });
      case 'task-form':
        return tasks.formView(
          requester,
          viewer,
          'action',
          largest.id,
          { ...EMPTY_FORM, strand: 'prevent', impactBefore: '12' },
          ['The action is needed.', 'Due date is in the past.'],
        );
      case 'tasks':
        return tasks.overdue(requester, viewer, (v) => fitsCard('tasks', v));
      case 'history': {
        const stored = await workedGap(f);
        return tasks.history(requester, viewer, stored.task.record.ref, (v) => fitsCard('history', v));
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
        return escalationView(rows, 3, 14, '2026-11-25', true)!;
      }
      case 'review-due': {
        // Every district due on one day (an import refreshes them all at once): ten with buttons, the rest named.
        const names = await store.districts.listNames(DEMO_PARTNERSHIP_ID);
        return reviewDueView(
          names.map((n) => ({
            districtId: n.id,
            districtName: n.name,
            etag: '"00000000-0000-0000-0000-000000000000"',
            alerts: [
              { review: 'refresh' as const, stage: 'soon' as const, due: '2026-12-02', days: 7 },
              { review: 'severity' as const, stage: 'due' as const, due: '2026-11-25', days: 0 },
            ],
          })),
          true,
        );
      }
      case 'reminder-settings':
        return composeReminderSettingsView({
          partnershipName: requester.partnership.name,
          demo: true,
          settings: { leadDays: 5, escalationDays: 21 },
          isDefault: false,
          etag: '"00000000-0000-0000-0000-000000000000"',
          errors: ['The lead time must be a whole number of days from 1 to 28.'],
          note: 'Saved by Alex Wilber: lead time 5 days (was 7), escalation 21 days (was 14). Recorded in the audit trail.',
          values: { leadDays: 40 },
        });
      case 'agencies':
        return {
          banner: banner('OFFICIAL', true),
          partnershipName: requester.partnership.name,
          rows: (await new Onboarding(store, () => NOW).agencies(DEMO_PARTNERSHIP_ID)).map((r) => ({
            name: r.agency.name,
            sector: SECTOR_LABELS[r.agency.sector],
            members: String(r.members),
          })),
          footer: '14 agencies, 9 active members.',
        };
      case 'request-access':
        return {
          banner: banner('OFFICIAL', false),
          title: 'Not a member yet',
          text: 'You are not a member of a partnership that uses this bot. Press Request access to ask its admins.',
        };
      case 'access-request':
        return {
          banner: banner('OFFICIAL', true),
          partnershipName: requester.partnership.name,
          displayName: 'Pat Partner',
          aadObjectId: '99999999-8888-7777-6666-555555555555',
          tenantId: '11111111-2222-3333-4444-555555555555',
          requestedAt: '2026-11-30 02:30 UTC',
          agencies: (await store.agencies.list(DEMO_PARTNERSHIP_ID)).map((a) => ({ id: a.id, name: a.name })),
        };
      case 'recommendations':
        return new Recommendations(store, profiles, tasks, new DistrictDirectory(store), () => NOW).list(
          requester,
          viewer,
          largest.id,
          (v) => fitsCard('recommendations', v),
        );
    }
  };
  return (await view()) as View;
}
