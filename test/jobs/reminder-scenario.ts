import { randomUUID } from 'node:crypto';
import { expect } from 'vitest';
import { ActionDraft, type FourPAction, changeActionStatus } from '../../src/domain/action.js';
import type { AuditContext } from '../../src/domain/audit.js';
import { ConversationRef } from '../../src/domain/conversation.js';
import { District } from '../../src/domain/district.js';
import { GapDraft, type IntelligenceGap, changeGapStatus } from '../../src/domain/gap.js';
import { Member } from '../../src/domain/member.js';
import { Agency, Partnership } from '../../src/domain/partnership.js';
import { Profile } from '../../src/domain/profile.js';
import type { ReminderSettings } from '../../src/domain/reminder-settings.js';
import type { Strand } from '../../src/domain/strand.js';
import { renderCard } from '../../src/bot/cards.js';
import { ReminderJob, type ReminderRunReport } from '../../src/jobs/reminder-job.js';
import { createLogger } from '../../src/log.js';
import { loadBankHolidays } from '../../src/services/bank-holidays.js';
import { DistrictDirectory } from '../../src/services/district-directory.js';
import { Tasks } from '../../src/services/tasks.js';
import type { Store } from '../../src/store/store.js';
import { cardText, type Card } from '../support/cards.js';

/**
 * Ten weeks of reminders over one partnership of 200 gaps and actions, stepped an hour at a time
 * by an injected clock, with two job instances on the same store (each with its own connection)
 * run at the same time on every step. What was sent is compared with what this file works out
 * on its own, by London calendar (not with the job's code): each owner's due-soon and overdue
 * reminders, each coordinator's daily escalation, each review alert; none in quiet hours, at a
 * weekend or on a bank holiday; none after an item closed; none twice.
 */

const TENANT = '11111111-2222-3333-4444-555555555555';
/** Monday 19 October 2026: the clocks go back on the 25th; Christmas and Boxing Day fall inside. */
const START_DAY = '2026-10-19';
const DAYS = 70;
/** Independent of the job: the England and Wales bank holidays in these ten weeks (GOV.UK). */
const HOLIDAYS_IN_PERIOD = new Set(['2026-12-25', '2026-12-28']);
const SETTINGS: ReminderSettings = { leadDays: 5, escalationDays: 10 };
const T0 = '2026-10-01T09:00:00.000Z';

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** London wall clock read with Intl on its own, not through the job's helpers. */
function london(at: Date): { date: string; hour: number; weekday: string } {
  const f = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    hourCycle: 'h23',
    weekday: 'short',
  });
  const p = Object.fromEntries(f.formatToParts(at).map((x) => [x.type, x.value]));
  return { date: `${p.year}-${p.month}-${p.day}`, hour: Number(p.hour), weekday: p.weekday! };
}

function workingDay(date: string): boolean {
  const wd = new Date(`${date}T00:00:00Z`).getUTCDay();
  return wd !== 0 && wd !== 6 && !HOLIDAYS_IN_PERIOD.has(date);
}

interface Person {
  id: string;
  name: string;
  roles: Member['roles'];
  cleared: boolean;
  remindersOff?: boolean;
  inactive?: boolean;
  noChat?: boolean;
  agencyId: string;
}

interface Item {
  kind: 'gap' | 'action';
  ref: string;
  due?: string;
  owner?: Person;
  sensitive: boolean;
  closedAtStart: boolean;
  /** Closed in the night before this date's working hours (London 01:00–04:00). */
  closeDay?: string;
}

const people: Person[] = [
  {
    id: 'c0000000-0000-4000-8000-00000000000a',
    name: 'Coordinator Cleared',
    roles: ['coordinator'],
    cleared: true,
    agencyId: 'police',
  },
  {
    id: 'c0000000-0000-4000-8000-00000000000b',
    name: 'Coordinator Official',
    roles: ['coordinator'],
    cleared: false,
    agencyId: 'council',
  },
  {
    id: 'c0000000-0000-4000-8000-00000000000c',
    name: 'Coordinator Quiet',
    roles: ['coordinator', 'partner'],
    cleared: false,
    remindersOff: true,
    agencyId: 'nhs',
  },
  ...Array.from({ length: 8 }, (_, i): Person => ({
    id: `00000000-0000-4000-8000-00000000000${i + 1}`,
    name: `Owner ${i + 1}`,
    roles: ['partner'],
    cleared: i < 3,
    ...(i === 3 ? { remindersOff: true } : {}),
    ...(i === 4 ? { noChat: true } : {}),
    ...(i === 7 ? { inactive: true } : {}),
    agencyId: ['police', 'council', 'nhs'][i % 3]!,
  })),
];
const coordinators = people.filter((p) => p.roles.includes('coordinator'));
const owners = people.filter((p) => !p.roles.includes('coordinator'));

const STRANDS: Strand[] = ['prepare', 'pursue', 'prevent', 'protect'];
const PREFIX: Record<Strand, string> = { prepare: 'PREP', pursue: 'PURS', prevent: 'PREV', protect: 'PROT' };

/** 100 gaps and 100 actions: due from ten days before the start to ten weeks after, owners and statuses varied. */
function plan(): Item[] {
  const items: Item[] = [];
  const counters: Record<string, number> = {};
  for (let i = 0; i < 200; i++) {
    const kind = i % 2 === 0 ? 'gap' : 'action';
    const prefix = kind === 'gap' ? 'G' : PREFIX[STRANDS[(i >> 1) % 4]!];
    counters[prefix] = (counters[prefix] ?? 0) + 1;
    const item: Item = {
      kind,
      ref: `${prefix}-${counters[prefix]}`,
      sensitive: i % 5 === 0,
      closedAtStart: i % 17 === 0,
    };
    if (i % 19 !== 7) item.due = addDays(START_DAY, ((i * 37) % 80) - 10);
    if (i % 13 !== 5) item.owner = owners[i % owners.length];
    if (i % 7 === 3) item.closeDay = addDays(START_DAY, (i % 60) + 1);
    items.push(item);
  }
  return items;
}

function actionStrand(ref: string): Strand {
  return STRANDS.find((s) => ref.startsWith(PREFIX[s]))!;
}

const audit = (at = T0): AuditContext => ({ actor: people[0]!.id, action: 'sim', at });

async function seed(store: Store, pid: string, items: Item[]): Promise<void> {
  await store.partnerships.put(
    Partnership.parse({
      id: pid,
      name: 'Safer Simtown',
      force: 'Sim Police',
      tenantIds: [TENANT],
      reminders: SETTINGS,
      createdAt: T0,
    }),
  );
  const agencies = ['police', 'council', 'nhs'].map((id) =>
    Agency.parse({
      id,
      partnershipId: pid,
      name: `${id} agency`,
      sector: id === 'police' ? 'police' : 'local-authority',
    }),
  );
  const districts = ['d-one', 'd-two', 'd-three'].map((id, i) =>
    District.parse({
      id,
      partnershipId: pid,
      name: `District ${i + 1}`,
      onsCodes: { ward: 'E05001347', localAuthority: 'E08000032', lsoas: ['E01010581'] },
      population: 10_000,
    }),
  );
  // Review dates: one at a weekend, one inside the lead time at the start, one on Christmas Day.
  const reviews = [
    { nextRefreshDue: '2026-11-08', csiReviewDue: '2026-12-09' },
    { nextRefreshDue: '2027-06-01', csiReviewDue: '2026-10-21' },
    { nextRefreshDue: '2026-12-25', csiReviewDue: '2027-04-01' },
  ];
  const profiles = districts.map((d, i) =>
    Profile.parse({
      partnershipId: pid,
      districtId: d.id,
      threat: { ocgs: [], crime: [] },
      vulnerabilities: [],
      dataSources: [],
      recommendations: [],
      review: { lastRefreshedAt: T0, ...reviews[i]! },
    }),
  );
  const gaps: IntelligenceGap[] = [];
  const actions: FourPAction[] = [];
  for (const [n, it] of items.entries()) {
    const districtId = districts[n % 3]!.id;
    const common = {
      partnershipId: pid,
      districtId,
      classification: it.sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
      createdBy: people[0]!.id,
      createdAt: T0,
      updatedAt: T0,
      ...(it.due ? { due: it.due } : {}),
      ...(it.owner ? { ownerAadObjectId: it.owner.id } : {}),
    };
    if (it.kind === 'gap') {
      gaps.push({
        ...GapDraft.parse({
          ...common,
          question: `Sim question ${it.ref}`,
          status: it.closedAtStart ? 'filled' : n % 3 === 0 ? 'assigned' : 'in_progress',
          ownerAgencyId: it.owner?.agencyId ?? 'council',
          ...(it.closedAtStart ? { resolution: 'Answered' } : {}),
        }),
        ref: it.ref,
      } as IntelligenceGap);
    } else {
      actions.push({
        ...ActionDraft.parse({
          ...common,
          strand: actionStrand(it.ref),
          title: `Sim action ${it.ref}`,
          leadAgencyId: it.owner?.agencyId ?? 'police',
          status: it.closedAtStart ? (n % 2 ? 'done' : 'cancelled') : n % 3 === 0 ? 'blocked' : 'planned',
          impactMeasure: 'Fewer incidents',
        }),
        ref: it.ref,
      } as FourPAction);
    }
  }
  await store.bulkLoad(pid, { agencies, districts, profiles, gaps, actions }, audit());
  for (const p of people) {
    await store.members.create(
      Member.parse({
        aadObjectId: p.id,
        partnershipId: pid,
        agencyId: p.agencyId,
        displayName: p.name,
        roles: p.roles,
        clearance: p.cleared ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL',
        active: !p.inactive,
        ...(p.remindersOff ? { remindersOff: true } : {}),
        createdAt: T0,
        updatedAt: T0,
      }),
      audit(),
    );
    if (p.noChat) continue;
    const conversationId = `a:1${p.id}`;
    await store.conversations.put(
      ConversationRef.parse({
        tenantId: TENANT,
        conversationId,
        kind: 'personal',
        aadObjectId: p.id,
        serviceUrl: 'https://smba.trafficmanager.net/uk/',
        reference: {
          conversation: { id: conversationId, tenantId: TENANT, conversationType: 'personal' },
          channelId: 'msteams',
        },
        updatedAt: T0,
      }),
    );
  }
}

async function close(store: Store, pid: string, it: Item, now: Date): Promise<void> {
  const ctx = { ...audit(now.toISOString()), actor: it.owner?.id ?? people[0]!.id };
  if (it.kind === 'gap') {
    const g = (await store.gaps.get(pid, it.ref))!;
    const { etag, ...record } = g;
    const next =
      record.status === 'in_progress'
        ? changeGapStatus(record, 'filled', now, { resolution: 'Answered in the sim' })
        : changeGapStatus(record, 'closed', now, { resolution: 'No longer needed' });
    await store.gaps.replace(next, etag, ctx);
  } else {
    const a = (await store.actions.get(pid, it.ref))!;
    const { etag, ...record } = a;
    await store.actions.replace(
      changeActionStatus(record, record.status === 'planned' ? 'done' : 'cancelled', now),
      etag,
      ctx,
    );
  }
}

interface Sent {
  at: Date;
  conversationId: string;
  card: Card;
}

/** What this file expects, worked out by calendar. Keys: `kind:subject:due:recipient`. */
function expected(items: Item[]): {
  owner: Set<string>;
  escalations: Map<string, { visible: string[]; hidden: number }>;
  reviews: Set<string>;
} {
  const days = Array.from({ length: DAYS }, (_, i) => addDays(START_DAY, i));
  const working = days.filter(workingDay);
  const firstWorking = (from: string) => working.find((d) => d >= from);
  const openOn = (it: Item, day: string) => !it.closedAtStart && (it.closeDay === undefined || it.closeDay > day);
  const owner = new Set<string>();
  for (const it of items) {
    const o = it.owner;
    if (!it.due || !o || o.inactive || o.remindersOff || o.noChat || (it.sensitive && !o.cleared)) continue;
    const lead = firstWorking(addDays(it.due, -SETTINGS.leadDays));
    if (lead && lead <= it.due && openOn(it, lead)) owner.add(`due-soon:${it.ref}:${it.due}:${o.id}`);
    const overdue = firstWorking(addDays(it.due, 1));
    if (overdue && overdue <= addDays(it.due, 7) && openOn(it, overdue))
      owner.add(`overdue:${it.ref}:${it.due}:${o.id}`);
  }
  const escalations = new Map<string, { visible: string[]; hidden: number }>();
  for (const day of working) {
    const late = items.filter(
      (it) =>
        it.due && openOn(it, day) && (Date.parse(day) - Date.parse(it.due)) / 86_400_000 >= SETTINGS.escalationDays,
    );
    if (late.length === 0) continue;
    for (const c of coordinators) {
      const visible = late.filter((it) => !it.sensitive || c.cleared).map((it) => it.ref);
      escalations.set(`${day}:${c.id}`, { visible, hidden: late.length - visible.length });
    }
  }
  const reviews = new Set<string>();
  const dates: [string, string, string][] = [
    ['d-one', 'refresh', '2026-11-08'],
    ['d-one', 'severity', '2026-12-09'],
    ['d-two', 'severity', '2026-10-21'],
    ['d-three', 'refresh', '2026-12-25'],
  ];
  for (const [district, review, due] of dates) {
    for (const c of coordinators.filter((c) => !c.remindersOff)) {
      const soon = firstWorking(addDays(due, -SETTINGS.leadDays));
      if (soon && soon < due) reviews.add(`${review}-soon:${district}:${due}:${c.id}`);
      const on = firstWorking(due);
      if (on && on <= addDays(due, 7)) reviews.add(`${review}-due:${district}:${due}:${c.id}`);
    }
  }
  return { owner, escalations, reviews };
}

/** Runs the ten weeks on `open()` (called twice: one connection per instance) and checks everything sent. */
export async function tenWeeksOfReminders(open: () => Promise<Store>, stepHours = 1): Promise<void> {
  const pid = `sim-${randomUUID().slice(0, 8)}`;
  const items = plan();
  const [storeA, storeB] = [await open(), await open()];
  try {
    await seed(storeA, pid, items);
    let now = new Date(`${START_DAY}T00:07:00Z`);
    const clock = () => now;
    const log = createLogger('silent');
    const holidays = loadBankHolidays(now, log);
    const sent: Sent[] = [];
    const reports: ReminderRunReport[] = [];
    const job = (store: Store, owner: string) => {
      const tasks = new Tasks(store, new DistrictDirectory(store), clock);
      return new ReminderJob({
        store,
        clock,
        log,
        holidays,
        owner,
        // Every run of either instance may take a partnership's day over: each card's own claim decides.
        passTtlMs: 0,
        taskCard: async (partnership, member, task, note, tenantId) => {
          const viewer = { clearance: member.clearance, conversation: 'personal' } as const;
          return renderCard(
            'task',
            await tasks.view({ member, partnership }, viewer, member, task, { tenantId, note }),
          );
        },
        renderEscalation: (view) => renderCard('escalation', view),
        renderReviewDue: (view) => renderCard('review-due', view),
        send: async (ref, card) => {
          // A little time at the Teams service, so the instances overlap.
          await new Promise((r) => setImmediate(r));
          sent.push({ at: now, conversationId: ref.conversationId, card: card as Card });
        },
        tenantIds: [],
      });
    };
    const jobs = [job(storeA, 'instance-a'), job(storeB, 'instance-b')];
    const closing = items.filter((it) => it.closeDay && !it.closedAtStart);
    const closed = new Set<string>();
    for (let hour = 0; hour < DAYS * 24; hour += stepHours) {
      now = new Date(Date.parse(`${START_DAY}T00:07:00Z`) + hour * 3_600_000);
      const local = london(now);
      if (local.hour >= 1 && local.hour < 1 + stepHours) {
        // Once: on the day the clocks go back, 01:00 London comes twice.
        for (const it of closing.filter((c) => c.closeDay === local.date && !closed.has(c.ref))) {
          await close(storeA, pid, it, now);
          closed.add(it.ref);
        }
      }
      reports.push(...(await Promise.all(jobs.map((j) => j.runOnce()))));
    }

    if (process.env.SIM_DEBUG) {
      const count = (xs: string[]) =>
        Object.fromEntries([...new Set(xs)].map((x) => [x, xs.filter((y) => y === x).length]));
      console.log(
        count(reports.flatMap((r) => r.passes.map((p) => p.outcome))),
        count(reports.flatMap((r) => r.deliveries.map((d) => d.outcome))),
        sent.length,
      );
    }
    // Nothing in quiet hours, at a weekend or on a bank holiday.
    for (const s of sent) {
      const l = london(s.at);
      expect(l.hour >= 8 && l.hour < 18 && workingDay(l.date), `sent at ${s.at.toISOString()}`).toBe(true);
    }
    // No pass failed or threw.
    expect(reports.flatMap((r) => r.passes).filter((p) => p.outcome === 'error' || p.outcome === 'failed')).toEqual([]);

    const delivered = reports.flatMap((r) => r.deliveries).filter((d) => d.outcome === 'sent');
    const keys = delivered.map((d) => `${d.kind}:${d.subject}:${d.dueDate}:${d.recipient}`);
    // Each reminder once, whatever the two instances did.
    expect(keys.length).toBe(new Set(keys).size);
    const want = expected(items);

    // Owners: exactly the reminders worked out above, each a task card with its buttons in the owner's chat.
    const ownerKeys = keys.filter((k) => k.startsWith('due-soon:') || k.startsWith('overdue:'));
    expect(new Set(ownerKeys)).toEqual(want.owner);
    expect(want.owner.size).toBeGreaterThan(60);
    const reminderCards = sent.filter((s) => cardText(s.card).includes('Reminder:'));
    expect(reminderCards).toHaveLength(want.owner.size);
    for (const s of reminderCards) {
      const recipient = people.find((p) => s.conversationId === `a:1${p.id}`)!;
      expect(recipient.noChat || recipient.inactive || recipient.remindersOff).toBeFalsy();
      expect(JSON.stringify(s.card)).toContain('"verb":"task.');
    }

    // Coordinators: one escalation card a day at most, listing exactly the long-overdue items each may see.
    const escalationCards = sent.filter((s) => cardText(s.card).includes('Escalation:'));
    const byDay = new Map<string, Sent>();
    for (const s of escalationCards) {
      const key = `${london(s.at).date}:${s.conversationId.slice(3)}`;
      expect(byDay.has(key), `two escalations ${key}`).toBe(false);
      byDay.set(key, s);
    }
    expect(new Set(byDay.keys())).toEqual(new Set(want.escalations.keys()));
    const sensitiveRefs = items.filter((it) => it.sensitive).map((it) => it.ref);
    for (const [key, { visible, hidden }] of want.escalations) {
      const card = byDay.get(key)!.card;
      const text = cardText(card);
      expect(text).toContain(`Escalation: ${visible.length + hidden} `);
      const listed = [...JSON.stringify(card).matchAll(/"ref":"([A-Z]+-\d+)"/g)].map((m) => m[1]!);
      expect(listed.length).toBe(Math.min(visible.length, 40));
      for (const ref of listed) expect(visible).toContain(ref);
      if (hidden) expect(text).toContain(`${hidden} OFFICIAL-SENSITIVE`);
      const coordinator = coordinators.find((c) => key.endsWith(c.id))!;
      if (!coordinator.cleared) {
        for (const ref of sensitiveRefs)
          expect(JSON.stringify(card)).not.toMatch(new RegExp(`"${ref}"|\\b${ref}\\b(?!\\d)`));
      }
    }
    expect(want.escalations.size).toBeGreaterThan(50);

    // Review alerts: 7 days (leadDays) before and on the day, to coordinators who want reminders.
    const reviewKeys = keys.filter((k) => /^(refresh|severity)-/.test(k));
    expect(new Set(reviewKeys)).toEqual(want.reviews);
    const reviewCards = sent.filter((s) => /Reviews? due:/.test(cardText(s.card)));
    expect(reviewCards.length).toBeGreaterThan(0);
    // One card a day to each coordinator, with Open district and Mark reviewed.
    const reviewDays = reviewCards.map((s) => `${london(s.at).date}:${s.conversationId}`);
    expect(reviewDays.length).toBe(new Set(reviewDays).size);
    for (const s of reviewCards) {
      expect(JSON.stringify(s.card)).toContain('"verb":"profile.review"');
      expect(JSON.stringify(s.card)).toContain('"verb":"district.summary"');
    }

    // Every card sent is one of those, and every reminder is recorded as sent, once.
    expect(sent).toHaveLength(reminderCards.length + escalationCards.length + reviewCards.length);
    for (const d of delivered.slice(0, 40)) {
      const key = [
        d.kind,
        d.subject,
        d.dueDate,
        ...(d.kind.startsWith('due') || d.kind === 'overdue' ? [] : [d.recipient]),
      ].join(':');
      expect(await storeB.reminderDeliveries.get(pid, key)).toMatchObject({ state: 'sent', attempts: 1 });
    }
  } finally {
    await storeA.close();
    await storeB.close();
  }
}
