import { createHash, randomUUID } from 'node:crypto';
import { ActionStatus, isActionOpen } from '../domain/action.js';
import type { ConversationRef } from '../domain/conversation.js';
import { londonTime } from '../domain/digest-schedule.js';
import { GapStatus, isGapOpen } from '../domain/gap.js';
import type { Member } from '../domain/member.js';
import type { Partnership } from '../domain/partnership.js';
import { newReminder, type ReminderDelivery } from '../domain/reminder-delivery.js';
import {
  escalationOn,
  itemReminderOn,
  reminderNote,
  reviewAlertOn,
  type ReviewAlert,
} from '../domain/reminder-plan.js';
import { reminderSettingsOf } from '../domain/reminder-settings.js';
import {
  escalationView,
  reviewDueView,
  type EscalatedItem,
  type EscalationView,
  type ReviewDueDistrict,
  type ReviewDueView,
} from '../domain/reminder-views.js';
import type { Task } from '../domain/task.js';
import { maySee } from '../domain/visibility.js';
import { addLondonDays, isWorkingTime, type BankHolidays } from '../domain/working-hours.js';
import type { Logger } from '../log.js';
import type { Clock } from '../services/clock.js';
import type { StoredTask } from '../services/tasks.js';
import type { ListCursor, Store, Stored } from '../store/store.js';

export type Card = Record<string, unknown>;

/** How long a claim (a day's pass, or one reminder) stays live unrenewed, by the store's clock. */
export const CLAIM_TTL_MS = 2 * 60_000;
/** A pass or reminder that failed is tried again by a later run, not more often than this. */
export const RETRY_FAILED_AFTER_MS = 5 * 60_000;
/** A reminder whose sends failed this many times is given up (logged), so a dead chat cannot hold a day open. */
export const MAX_ATTEMPTS = 5;
/** Due items are read this many at a time, and at most MAX_PAGES pages a partnership a day. */
const PAGE = 100;
const MAX_PAGES = 50;

const OPEN_GAP = GapStatus.options.filter(isGapOpen);
const OPEN_ACTION = ActionStatus.options.filter(isActionOpen);

export interface ReminderJobDeps {
  store: Store;
  clock: Clock;
  log: Logger;
  holidays: BankHolidays;
  /** The task card (with its buttons) for `member`, with `note` at the top. */
  taskCard(partnership: Partnership, member: Member, task: StoredTask, note: string, tenantId: string): Promise<Card>;
  renderEscalation(view: EscalationView): Card;
  renderReviewDue(view: ReviewDueView): Card;
  /** Sends the card proactively; throws (with a reason) when the connector finally refuses. */
  send(ref: ConversationRef, card: Card): Promise<void>;
  /** Tenants to look for members' 1:1 chats in, besides the partnership's own and its board channels'. */
  tenantIds?: readonly string[];
  /** This instance's id, for the claims. */
  owner?: string;
  /** CLAIM_TTL_MS unless set. */
  claimTtlMs?: number;
  /**
   * How long a day's pass claim keeps other instances off the partnership; CLAIM_TTL_MS unless
   * set. A pass taken over while it still runs is harmless (each card has its own claim): tests
   * set 0 so instances work through one partnership's day at the same time.
   */
  passTtlMs?: number;
}

export type ReminderOutcome = 'sent' | 'failed' | 'taken' | 'gave-up';

export interface SentReminder {
  partnershipId: string;
  kind: ReminderDelivery['kind'];
  subject: string;
  dueDate: string;
  recipient: string;
  outcome: ReminderOutcome;
}

export interface ReminderRunReport {
  /** Outside working hours (or a weekend or bank holiday): nothing was read or sent. */
  quiet: boolean;
  passes: { partnershipId: string; outcome: 'done' | 'already-done' | 'waiting' | 'taken' | 'failed' | 'error' }[];
  deliveries: SentReminder[];
  /** Owners or coordinators with no 1:1 chat with the bot yet (their reminder waits for the next day's pass). */
  unreachable: number;
  /** Owners not cleared for their OFFICIAL-SENSITIVE item: nothing is sent to them. */
  notCleared: number;
}

/** Whatever a failure was, as a log or a record may carry it: the class and code, never message text. */
function errorName(err: unknown): string {
  const name = err instanceof Error ? err.name : typeof err;
  const code = (err as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && /^[A-Z_]+$/.test(code) ? `${name} ${code}` : name;
}

interface Pass {
  partnership: Partnership;
  today: string;
  now: Date;
  report: ReminderRunReport;
  /** Set when something failed that a later run should try again. */
  retry: boolean;
  refOf(member: Member): Promise<ConversationRef | undefined>;
}

/**
 * Reminders, escalations and review alerts (issue 16). A run does nothing outside working hours
 * (08:00–18:00 London time on working days, bank holidays excepted). Inside them, each
 * partnership gets one pass a London day: the instance that claims the day's `pass` record reads
 * the partnership's due items and profiles and sends what is owed; every other run that day, on
 * any instance, costs one point read. Every card goes through a claim of its own key, so however
 * many instances run, restart or take over a pass, no reminder is sent twice; a pass that failed
 * to send something is marked failed and done again after RETRY_FAILED_AFTER_MS, skipping what was sent.
 */
export class ReminderJob {
  readonly owner: string;
  private readonly ttlMs: number;
  private readonly passTtlMs: number;
  private runs = 0;

  constructor(private readonly deps: ReminderJobDeps) {
    this.owner = deps.owner ?? `instance-${randomUUID()}`;
    this.ttlMs = deps.claimTtlMs ?? CLAIM_TTL_MS;
    this.passTtlMs = deps.passTtlMs ?? CLAIM_TTL_MS;
  }

  async runOnce(): Promise<ReminderRunReport> {
    const report: ReminderRunReport = { quiet: false, passes: [], deliveries: [], unreachable: 0, notCleared: 0 };
    const now = this.deps.clock();
    if (!isWorkingTime(now, this.deps.holidays)) return { ...report, quiet: true };
    const today = londonTime(now).date;
    const all = await this.deps.store.partnerships.list();
    // Each instance starts somewhere else, one further each run, as the digest job does.
    const run = this.runs++;
    const offset = all.length ? (startOf(this.owner) + run) % all.length : 0;
    for (const partnership of [...all.slice(offset), ...all.slice(0, offset)]) {
      try {
        report.passes.push({
          partnershipId: partnership.id,
          outcome: await this.runPartnership(partnership, today, now, report),
        });
      } catch (err) {
        report.passes.push({ partnershipId: partnership.id, outcome: 'error' });
        this.deps.log.error({ partnershipId: partnership.id, err: errorName(err) }, 'reminder pass failed');
      }
    }
    return report;
  }

  private async runPartnership(
    partnership: Partnership,
    today: string,
    now: Date,
    report: ReminderRunReport,
  ): Promise<ReminderRunReport['passes'][number]['outcome']> {
    const { store } = this.deps;
    const record = newReminder(partnership.id, 'pass', '', today, now);
    const existing = await store.reminderDeliveries.get(partnership.id, record.key);
    if (existing?.state === 'sent') return 'already-done';
    if (existing?.state === 'failed' && now.getTime() - Date.parse(existing.updatedAt) < RETRY_FAILED_AFTER_MS) {
      return 'waiting';
    }
    const claimed = await store.reminderDeliveries.claim(existing ?? record, this.owner, this.passTtlMs);
    if (!claimed) return 'taken';
    const pass: Pass = {
      partnership,
      today,
      now,
      report,
      retry: false,
      refOf: await this.chatFinder(partnership),
    };
    let failure: string | undefined;
    try {
      await this.runPass(pass);
    } catch (err) {
      failure = errorName(err);
      throw err;
    } finally {
      const { etag, claimedBy: _by, claimedAt: _at, ...rest } = claimed;
      const at = this.deps.clock().toISOString();
      const done = failure === undefined && !pass.retry;
      await store.reminderDeliveries
        .replace(
          done
            ? { ...rest, state: 'sent', attempts: rest.attempts + 1, sentAt: at, updatedAt: at }
            : {
                ...rest,
                state: 'failed',
                attempts: rest.attempts + 1,
                lastError: failure ?? 'a send failed',
                updatedAt: at,
              },
          etag,
        )
        .catch((err: unknown) =>
          // Taken over while it ran (it outlived its claim): the other instance's outcome stands.
          this.deps.log.warn(
            { partnershipId: partnership.id, err: errorName(err) },
            'reminder pass record not written',
          ),
        );
    }
    return pass.retry ? 'failed' : 'done';
  }

  /** Finds a member's 1:1 chat with the bot in the tenants the partnership is used from; once per member a pass. */
  private async chatFinder(p: Partnership): Promise<(m: Member) => Promise<ConversationRef | undefined>> {
    const channels = await this.deps.store.boardChannels.list(p.id);
    const tenants = [...new Set([...p.tenantIds, ...(this.deps.tenantIds ?? []), ...channels.map((c) => c.tenantId)])];
    const found = new Map<string, Promise<ConversationRef | undefined>>();
    return (member) => {
      let ref = found.get(member.aadObjectId);
      if (!ref) {
        ref = (async () => {
          for (const tenant of tenants) {
            const r = await this.deps.store.conversations.findPersonal(tenant, member.aadObjectId);
            if (r) return r;
          }
          return undefined;
        })();
        found.set(member.aadObjectId, ref);
      }
      return ref;
    };
  }

  private async runPass(pass: Pass): Promise<void> {
    const { store } = this.deps;
    const { partnership: p, today } = pass;
    const settings = reminderSettingsOf(p);
    const members = (await store.members.listByPartnership(p.id)).filter((m) => m.active);
    const byId = new Map(members.map((m) => [m.aadObjectId.toLowerCase(), m]));
    const coordinators = members.filter((m) => m.roles.includes('coordinator'));
    // Everything open that is due within the lead time or overdue, read a page at a time.
    const items = await this.dueItems(p.id, addLondonDays(today, settings.leadDays + 1));

    for (const st of items) {
      const rec = st.task.record;
      const plan = itemReminderOn(rec.due!, today, settings);
      if (!plan) continue;
      const owner = rec.ownerAadObjectId ? byId.get(rec.ownerAadObjectId.toLowerCase()) : undefined;
      if (!owner || owner.remindersOff) continue;
      if (!maySee({ clearance: owner.clearance, conversation: 'personal' }, rec.classification)) {
        pass.report.notCleared += 1;
        continue;
      }
      const ref = await pass.refOf(owner);
      if (!ref) {
        pass.report.unreachable += 1;
        continue;
      }
      await this.deliver(pass, [newReminder(p.id, plan.kind, rec.ref, rec.due!, pass.now)], owner, ref, () =>
        this.deps.taskCard(p, owner, st, reminderNote(plan, rec.due!), ref.tenantId),
      );
    }

    const needNames = coordinators.length > 0;
    const districts = needNames ? await store.districts.listNames(p.id) : [];
    const districtName = new Map(districts.map((d) => [d.id, d.name]));

    // Escalations: one card a day to each coordinator, whether or not they turned reminders off.
    const escalated: (EscalatedItem & { classification: Task['record']['classification'] })[] = [];
    const agencies = new Map<string, string>();
    for (const st of items) {
      const days = escalationOn(st.task.record.due!, today, settings);
      if (days === undefined) continue;
      if (agencies.size === 0) for (const a of await store.agencies.list(p.id)) agencies.set(a.id, a.name);
      escalated.push({
        ref: st.task.record.ref,
        districtName: districtName.get(st.task.record.districtId) ?? st.task.record.districtId,
        owner: ownerLabel(st.task, byId, agencies),
        daysOverdue: days,
        classification: st.task.record.classification,
      });
    }
    if (escalated.length) {
      for (const c of coordinators) {
        const viewer = { clearance: c.clearance, conversation: 'personal' } as const;
        const visible = escalated.filter((i) => maySee(viewer, i.classification));
        const view = escalationView(visible, escalated.length - visible.length, settings.escalationDays, today, p.demo);
        if (!view) continue;
        const ref = await pass.refOf(c);
        if (!ref) {
          pass.report.unreachable += 1;
          continue;
        }
        await this.deliver(
          pass,
          [newReminder(p.id, 'escalation', '', today, pass.now, c.aadObjectId)],
          c,
          ref,
          async () => this.deps.renderEscalation(view),
        );
      }
    }

    // Review alerts: a profile's dates, read once a day for each district (point reads); one card
    // a day to each coordinator who wants reminders, listing every district due.
    const reviewers = coordinators.filter((c) => !c.remindersOff);
    if (reviewers.length === 0) return;
    const due: ReviewDueDistrict[] = [];
    for (const d of districts) {
      const profile = await store.profiles.get(p.id, d.id);
      if (!profile) continue;
      const alerts = [
        reviewAlertOn('refresh', profile.review.nextRefreshDue, today, settings),
        reviewAlertOn('severity', profile.review.csiReviewDue, today, settings),
      ].filter((a): a is ReviewAlert => a !== undefined);
      if (alerts.length) due.push({ districtId: d.id, districtName: d.name, etag: profile.etag, alerts });
    }
    if (due.length === 0) return;
    const kindOf = (a: ReviewAlert) => `${a.review}-${a.stage}` as const;
    for (const c of reviewers) {
      const ref = await pass.refOf(c);
      if (!ref) {
        pass.report.unreachable += 1;
        continue;
      }
      const records = due.flatMap((d) =>
        d.alerts.map((a) => newReminder(p.id, kindOf(a), d.districtId, a.due, pass.now, c.aadObjectId)),
      );
      await this.deliver(pass, records, c, ref, async (claimed) => {
        const sending = new Set(claimed.map((r) => r.key));
        const listed = due
          .map((d) => ({
            ...d,
            alerts: d.alerts.filter((a) =>
              sending.has(newReminder(p.id, kindOf(a), d.districtId, a.due, pass.now, c.aadObjectId).key),
            ),
          }))
          .filter((d) => d.alerts.length > 0);
        return this.deps.renderReviewDue(reviewDueView(listed, p.demo));
      });
    }
  }

  /** Open gaps and actions due before `before` (overdue ones included), a page at a time, bounded. */
  private async dueItems(pid: string, before: string): Promise<StoredTask[]> {
    const out: StoredTask[] = [];
    const { gaps, actions } = this.deps.store;
    const sources = [
      { kind: 'gap' as const, page: (after?: ListCursor) => gaps.listDueBefore(pid, before, OPEN_GAP, PAGE, after) },
      {
        kind: 'action' as const,
        page: (after?: ListCursor) => actions.listDueBefore(pid, before, OPEN_ACTION, PAGE, after),
      },
    ];
    for (const source of sources) {
      let after: ListCursor | undefined;
      for (let page = 0; ; page++) {
        if (page === MAX_PAGES) {
          this.deps.log.warn({ partnershipId: pid, kind: source.kind }, 'reminder pass stopped at its page limit');
          break;
        }
        const rows: Stored<Task['record']>[] = await source.page(after);
        for (const { etag, ...record } of rows) {
          if (record.due === undefined) continue;
          out.push({ task: { kind: source.kind, record } as Task, etag });
        }
        if (rows.length < PAGE) break;
        const last = rows[rows.length - 1]!;
        after = { due: last.due, ref: last.ref };
      }
    }
    return out;
  }

  /**
   * Claims each record's key (skipping any sent, or given up), and if any was claimed composes the
   * card once and sends it to `ref`; each claimed record then says how it went.
   */
  private async deliver(
    pass: Pass,
    records: ReminderDelivery[],
    recipient: Member,
    ref: ConversationRef,
    card: (claimed: ReminderDelivery[]) => Promise<Card>,
  ): Promise<void> {
    const { store, log } = this.deps;
    const claimed: Stored<ReminderDelivery>[] = [];
    for (const r of records) {
      const existing = await store.reminderDeliveries.get(r.partnershipId, r.key);
      if (existing?.state === 'sent') continue;
      if (existing && existing.attempts >= MAX_ATTEMPTS) {
        this.record(pass, existing, recipient, 'gave-up');
        continue;
      }
      const c = await store.reminderDeliveries.claim(existing ?? r, this.owner, this.ttlMs);
      if (c) claimed.push(c);
      else this.record(pass, r, recipient, 'taken');
    }
    if (claimed.length === 0) return;
    let failure: string | undefined;
    try {
      await this.deps.send(ref, await card(claimed));
    } catch (err) {
      failure = (err as { reason?: string }).reason ?? errorName(err);
    }
    const at = this.deps.clock().toISOString();
    for (const c of claimed) {
      const { etag, claimedBy: _by, claimedAt: _at, ...rest } = c;
      const attempts = rest.attempts + 1;
      try {
        await store.reminderDeliveries.replace(
          failure === undefined
            ? { ...rest, state: 'sent', attempts, sentAt: at, updatedAt: at }
            : { ...rest, state: 'failed', attempts, lastError: failure.slice(0, 200), updatedAt: at },
          etag,
        );
      } catch (err) {
        // Our claim went stale and another instance took it over: its outcome stands.
        log.warn({ partnershipId: c.partnershipId, kind: c.kind, err: errorName(err) }, 'reminder claim taken over');
        continue;
      }
      if (failure !== undefined) {
        if (attempts < MAX_ATTEMPTS) pass.retry = true;
        log.warn(
          { partnershipId: c.partnershipId, kind: c.kind, subject: c.subject, attempts, reason: failure },
          'reminder not delivered',
        );
      } else {
        log.info({ partnershipId: c.partnershipId, kind: c.kind, subject: c.subject }, 'reminder sent');
      }
      this.record(pass, c, recipient, failure === undefined ? 'sent' : 'failed');
    }
  }

  private record(pass: Pass, r: ReminderDelivery, recipient: Member, outcome: ReminderOutcome): void {
    pass.report.deliveries.push({
      partnershipId: r.partnershipId,
      kind: r.kind,
      subject: r.subject,
      dueDate: r.dueDate,
      recipient: recipient.aadObjectId,
      outcome,
    });
  }
}

/** Who an escalated item is with: its owner, or its agency when no one person has it. */
function ownerLabel(task: Task, byId: ReadonlyMap<string, Member>, agencies: ReadonlyMap<string, string>): string {
  const person = task.record.ownerAadObjectId && byId.get(task.record.ownerAadObjectId.toLowerCase());
  if (person) return person.displayName;
  const agencyId = task.kind === 'gap' ? task.record.ownerAgencyId : task.record.leadAgencyId;
  return (agencyId && agencies.get(agencyId)) ?? 'no owner';
}

/** Where in the list of partnerships this instance starts: its id, hashed. */
function startOf(owner: string): number {
  return createHash('sha256').update(owner).digest().readUInt32BE(0);
}
