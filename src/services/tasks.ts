import { randomUUID } from 'node:crypto';
import type { ActionDraft, FourPAction } from '../domain/action.js';
import type { Classification } from '../domain/classification.js';
import type { ConversationRef } from '../domain/conversation.js';
import { toIsoDate } from '../domain/dates.js';
import { normalizeName } from '../domain/district-match.js';
import { ConcurrencyError, ForbiddenError, NotFoundError, ValidationError } from '../domain/errors.js';
import { findMember, type Named } from '../domain/member-lookup.js';
import { GapDraft, GapStatus, isGapOpen, type IntelligenceGap } from '../domain/gap.js';
import { ActionDraft as ActionDraftSchema, ActionStatus, isActionOpen } from '../domain/action.js';
import type { LastChange } from '../domain/last-change.js';
import type { Member } from '../domain/member.js';
import type { Agency } from '../domain/partnership.js';
import { can, mayChangeItem } from '../domain/permissions.js';
import { fitList, type OwnerNames } from '../domain/plan-view.js';
import { parseRef } from '../domain/refs.js';
import {
  composeTaskForm,
  type FormValues,
  type NewAction,
  type NewGap,
  type TaskFormView,
} from '../domain/task-form.js';
import { clip } from '../domain/format.js';
import { applyTaskChange, auditWord, ownedItem, taskOf, type Task, type TaskChange } from '../domain/task.js';
import {
  composeHistory,
  composeTaskCard,
  composeTaskList,
  formatWhen,
  type HistoryView,
  taskListOrder,
  type TaskListName,
  type TaskListView,
  type TaskView,
} from '../domain/task-view.js';
import { maySee, sensitiveCreateRefusal, splitVisible, withheldHint, type Viewer } from '../domain/visibility.js';
import type { ListCursor, Store, Stored } from '../store/store.js';
import type { Clock } from './clock.js';
import type { DistrictDirectory } from './district-directory.js';
import type { Requester } from './membership.js';

/** A task as read for change: the record and the version it was read at. */
export interface StoredTask {
  task: Task;
  etag: string;
}

export type ChangeOutcome =
  | { kind: 'changed'; stored: StoredTask }
  /** The same press again (Teams retries an invoke it did not hear back from): already applied. */
  | { kind: 'repeat'; stored: StoredTask }
  /** Someone else changed it since the card was shown: nothing was written. */
  | { kind: 'conflict'; stored: StoredTask; byName: string; at: string };

/** Where a page of `my tasks` or `overdue` starts: after this record, at this position (from 1). */
export type TaskListCursor = ListCursor & { from: number };

/** Someone a task can be assigned to: an agency, or a member (with their agency). */
export type Assignee = { agencyId: string; ownerAadObjectId?: string | undefined; name: string };

/** Who should get the task card after an assignment, and where (no reference: not reachable yet). */
export interface Delivery {
  member: Member;
  ref: ConversationRef | undefined;
}

/**
 * `my tasks` and `overdue` are paged: a card lists this many, soonest due first, and Show more
 * reads the next page after the last one listed. The store sorts and cuts, so a page costs the
 * same however many thousands an agency has open.
 */
const LIST_LIMIT = 25;
const OPEN_GAP = GapStatus.options.filter(isGapOpen);
const OPEN_ACTION = ActionStatus.options.filter(isActionOpen);
const HISTORY_LIMIT = 30;
/** Choices on a card (people to own or reassign to, gaps to link): enough to pick from, small enough to send. */
const CHOICES_LIMIT = 40;
/** Teams refreshes a card for at most 60 users. */
const MAX_REFRESH_USERS = 60;

/**
 * Intelligence gaps and 4P actions as tasks (guidance 3.8): created, assigned to the agency best
 * placed to lead, and worked through by their owners from a card or in chat. Every change is
 * checked here (item-level permission, classification, status rules, the version the person saw)
 * and written with its audit event.
 */
export class Tasks {
  constructor(
    private readonly store: Store,
    private readonly directory: DistrictDirectory,
    private readonly clock: Clock,
    private readonly newOp: () => string = randomUUID,
  ) {}

  /** Reads a gap or action the viewer may see; anything else is "not found" or "not here". */
  async load(req: Requester, viewer: Viewer, ref: string): Promise<StoredTask> {
    const parsed = parseRef(ref);
    if (!parsed) throw new ValidationError(`${ref} is not a reference. Gaps are like G-12, actions like PREV-3.`);
    const pid = req.partnership.id;
    const record =
      parsed.prefix === 'G'
        ? await this.store.gaps.get(pid, parsed.ref)
        : await this.store.actions.get(pid, parsed.ref);
    if (!record) throw new NotFoundError(parsed.prefix === 'G' ? 'gap' : 'action', parsed.ref);
    if (!maySee(viewer, record.classification)) {
      throw new ForbiddenError('classification', `${parsed.ref} is OFFICIAL-SENSITIVE. ${withheldHint(viewer)}`);
    }
    const { etag, ...plain } = record;
    return { task: taskOf(plain as IntelligenceGap | FourPAction), etag };
  }

  /** `viewer` is where it is asked for: OFFICIAL-SENSITIVE is created only in a cleared member's 1:1 chat. */
  async createGap(req: Requester, viewer: Viewer, input: NewGap, op?: string): Promise<StoredTask> {
    this.mustHold(req.member, 'gap.create', 'Only coordinators can raise intelligence gaps');
    mayCreate(viewer, input.classification);
    const repeat = op ? await this.createdWith(req, 'gap', input.districtId, op) : undefined;
    if (repeat) return repeat;
    await this.mustBeDistrict(req, input.districtId);
    if (input.agencyId) await this.mustBeAgency(req, input.agencyId);
    if (input.ownerAadObjectId) await this.mustBeMember(req, input.ownerAadObjectId, input.agencyId);
    const at = this.clock().toISOString();
    const draft = parseOrRefuse(GapDraft, {
      partnershipId: req.partnership.id,
      districtId: input.districtId,
      question: input.question,
      classification: input.classification,
      status: input.agencyId ? 'assigned' : 'open',
      ...(input.agencyId && { ownerAgencyId: input.agencyId }),
      ...(input.agencyId && input.ownerAadObjectId && { ownerAadObjectId: input.ownerAadObjectId }),
      ...(input.due && { due: input.due }),
      lastChange: { ...lastChange(req.member, 'create', at, op), noPersonalData: input.noPersonalData },
      createdBy: req.member.aadObjectId,
      createdAt: at,
      updatedAt: at,
    });
    const created = await this.store.gaps.create(draft, { actor: req.member.aadObjectId, action: 'gap.created', at });
    const { etag, ...plain } = created;
    return { task: { kind: 'gap', record: plain }, etag };
  }

  async createAction(req: Requester, viewer: Viewer, input: NewAction, op?: string): Promise<StoredTask> {
    this.mustHold(req.member, 'action.create', 'Only coordinators can add 4P actions');
    mayCreate(viewer, input.classification);
    const repeat = op ? await this.createdWith(req, 'action', input.districtId, op) : undefined;
    if (repeat) return repeat;
    await this.mustBeDistrict(req, input.districtId);
    await this.mustBeAgency(req, input.agencyId);
    if (input.ownerAadObjectId) await this.mustBeMember(req, input.ownerAadObjectId, input.agencyId);
    if (input.fromGapRef) {
      const gap = await this.store.gaps.get(req.partnership.id, input.fromGapRef);
      // A gap the asker may not see here is not named back to them, not even as "sensitive".
      if (!gap || gap.districtId !== input.districtId || !maySee(viewer, gap.classification)) {
        throw new ValidationError(
          `${input.fromGapRef} is not a gap in this district, so the action cannot be linked to it.`,
        );
      }
    }
    const at = this.clock().toISOString();
    const draft: ActionDraft = parseOrRefuse(ActionDraftSchema, {
      partnershipId: req.partnership.id,
      districtId: input.districtId,
      strand: input.strand,
      title: input.title,
      leadAgencyId: input.agencyId,
      ...(input.ownerAadObjectId && { ownerAadObjectId: input.ownerAadObjectId }),
      status: 'planned',
      ...(input.due && { due: input.due }),
      impactMeasure: input.impactMeasure,
      ...(input.impactBefore !== undefined && { impactBefore: input.impactBefore }),
      ...(input.fromGapRef && { fromGapRef: input.fromGapRef }),
      ...(input.fromRecommendation !== undefined && { fromRecommendation: input.fromRecommendation }),
      classification: input.classification,
      lastChange: { ...lastChange(req.member, 'create', at, op), noPersonalData: input.noPersonalData },
      createdBy: req.member.aadObjectId,
      createdAt: at,
      updatedAt: at,
    });
    const created = await this.store.actions.create(draft, {
      actor: req.member.aadObjectId,
      action: 'action.created',
      at,
    });
    const { etag, ...plain } = created;
    return { task: { kind: 'action', record: plain }, etag };
  }

  /**
   * Applies a change. `seen` is what the person acted on: a card's etag and operation id (chat
   * has neither, and acts on the latest). A stale etag is a conflict unless it is the same press
   * again, recognised by its operation id on the record.
   */
  async change(
    req: Requester,
    viewer: Viewer,
    ref: string,
    change: TaskChange,
    seen: { etag?: string | undefined; op?: string | undefined } = {},
  ): Promise<ChangeOutcome> {
    const current = await this.load(req, viewer, ref);
    const me = req.member.aadObjectId;
    const stale = async (latest: StoredTask): Promise<ChangeOutcome> => {
      const last = latest.task.record.lastChange;
      // The same button on the same card, pressed by the same person: Teams' retry. Another
      // button on that card is a new change against an old view.
      if (seen.op && last?.op === seen.op && last.by === me && last.what === change.op) {
        return { kind: 'repeat', stored: latest };
      }
      const byName = last ? ((await this.store.members.get(last.by))?.displayName ?? 'someone') : 'someone';
      return { kind: 'conflict', stored: latest, byName, at: last ? formatWhen(last.at) : 'a moment ago' };
    };
    if (seen.etag !== undefined && seen.etag !== current.etag) return stale(current);

    if (change.op === 'assign') {
      this.mustHold(req.member, `${current.task.kind}.assign`, 'Only coordinators can assign or reassign work');
    } else if (!mayChangeItem(req.member, ownedItem(current.task))) {
      throw new ForbiddenError(
        `${current.task.kind}.update-own`,
        `Only the owner, members of the owning agency and coordinators can change ${ref}; nothing was changed.`,
      );
    }
    const now = this.clock();
    const next = applyTaskChange(current.task, change, me, now);
    next.record.lastChange = lastChange(req.member, change.op, now.toISOString(), seen.op);
    const audit = { actor: me, action: `${next.kind}.${auditWord(next, change.op)}`, at: now.toISOString() };
    try {
      const written =
        next.kind === 'gap'
          ? await this.store.gaps.replace(next.record, current.etag, audit)
          : await this.store.actions.replace(next.record, current.etag, audit);
      const { etag, ...plain } = written;
      return { kind: 'changed', stored: { task: taskOf(plain as IntelligenceGap | FourPAction), etag } };
    } catch (err) {
      if (!(err instanceof ConcurrencyError)) throw err;
      return stale(await this.load(req, viewer, ref));
    }
  }

  /**
   * Finds an agency (by name or id) or a member of the partnership: `person` is who an @mention
   * resolved to, else the typed name. Two members of one name are never guessed between.
   */
  async findAssignee(req: Requester, typed: string, person: Named = { displayName: typed }): Promise<Assignee> {
    const pid = req.partnership.id;
    const want = normalizeName(typed.replace(/^@/, ''));
    const agencies = await this.store.agencies.list(pid);
    const agency = agencies.find((a) => normalizeName(a.name) === want || a.id === typed.trim().toLowerCase());
    if (agency && !('aadObjectId' in person)) return { agencyId: agency.id, name: agency.name };
    const members = (await this.store.members.listByPartnership(pid)).filter((m) => m.active);
    const found = findMember(members, person);
    if (found.kind === 'found') {
      const m = found.member;
      return { agencyId: m.agencyId, ownerAadObjectId: m.aadObjectId, name: m.displayName };
    }
    if (found.kind === 'ambiguous') {
      const agencyName = new Map(agencies.map((a) => [a.id, a.name]));
      throw new ValidationError(
        `${found.candidates.length} members are called ${found.name}: ` +
          found.candidates.map((m) => `${m.displayName} (${agencyName.get(m.agencyId) ?? m.agencyId})`).join(', ') +
          '. @mention the one you mean; nothing was assigned.',
      );
    }
    throw new ValidationError(
      `No agency or member is called "${typed}". Agencies: ${agencies.map((a) => a.name).join(', ')}.`,
    );
  }

  /**
   * Who gets the task card: the named owner; for an agency with nobody named, its active members
   * whose role works on their agency's gaps and actions. Each with their 1:1 chat, if the bot has one.
   */
  async deliveries(req: Requester, tenantId: string | undefined, task: Task): Promise<Delivery[]> {
    const owned = ownedItem(task);
    // Whoever assigned it already has the card in front of them.
    const members = (await this.store.members.listByPartnership(req.partnership.id)).filter(
      (m) => m.active && m.aadObjectId !== req.member.aadObjectId,
    );
    const targets = owned.ownerAadObjectId
      ? members.filter((m) => m.aadObjectId === owned.ownerAadObjectId)
      : members.filter((m) => m.agencyId === owned.agencyId && can(m, `${task.kind}.update-own`));
    const tenants = tenantsOf(req, tenantId);
    return Promise.all(targets.map(async (member) => ({ member, ref: await this.personalRef(tenants, member) })));
  }

  /**
   * The task card for one person: `member` decides the buttons, `viewer` what may be shown.
   * `shared` (a group chat or channel) shows no buttons: Teams refreshes the card for the owner
   * and coordinators, who then see their own. Callers load through `load`, which checks the
   * classification; it is checked here again so that no path can render what the viewer may not see.
   */
  async view(
    req: Requester,
    viewer: Viewer,
    member: Member,
    stored: StoredTask,
    options: { tenantId?: string | undefined; note?: string; shared?: boolean } = {},
  ): Promise<TaskView> {
    const { task, etag } = stored;
    if (!maySee(viewer, task.record.classification)) {
      throw new ForbiddenError('classification', `${task.record.ref} is OFFICIAL-SENSITIVE. ${withheldHint(viewer)}`);
    }
    const pid = req.partnership.id;
    const [agencies, members, districtName, ledTo] = await Promise.all([
      this.store.agencies.list(pid),
      this.store.members.listByPartnership(pid),
      this.directory.label(pid, task.record.districtId),
      task.kind === 'gap' ? this.actionsFrom(pid, viewer, task.record) : Promise.resolve([]),
    ]);
    const names = ownerNames(agencies, members);
    const active = members.filter((m) => m.active);
    const watchers = watchersOf(task, active);
    const userIds = await this.userIds(tenantsOf(req, options.tenantId), watchers);
    const shared = options.shared ?? false;
    return composeTaskCard({
      task,
      etag,
      demo: req.partnership.demo,
      districtName,
      names,
      now: this.clock(),
      canChange: !shared && mayChangeItem(member, ownedItem(task)),
      canAssign: !shared && can(member, `${task.kind}.assign`),
      viewerId: member.aadObjectId,
      op: this.newOp(),
      ...(options.note !== undefined && { note: options.note }),
      ledTo,
      userIds,
      assignees: [
        ...agencies.map((a) => ({ title: a.name, value: `agency:${a.id}` })),
        ...active
          .filter((m) => can(m, `${task.kind}.update-own`))
          .slice(0, CHOICES_LIMIT)
          .map((m) => ({ title: m.displayName, value: `person:${m.aadObjectId}` })),
      ],
    });
  }

  /** The form card for a new gap or action, with what was typed so far and what was wrong with it. */
  async formView(
    req: Requester,
    viewer: Viewer,
    kind: 'gap' | 'action',
    districtId: string,
    values: FormValues,
    errors: readonly string[] = [],
    recommendation?: { number: number; text: string },
  ): Promise<TaskFormView> {
    const pid = req.partnership.id;
    await this.mustBeDistrict(req, districtId);
    const [agencies, members, districtName, gaps] = await Promise.all([
      this.store.agencies.list(pid),
      this.store.members.listByPartnership(pid),
      this.directory.label(pid, districtId),
      kind === 'action' ? this.store.gaps.listByDistrict(pid, districtId) : Promise.resolve([]),
    ]);
    return composeTaskForm({
      kind,
      verb: kind === 'gap' ? 'gap.create' : 'action.create',
      demo: req.partnership.demo,
      districtId,
      districtName,
      values,
      errors,
      // OFFICIAL-SENSITIVE is offered only where it may be created: a cleared member's 1:1 chat.
      sensitiveOffered: sensitiveCreateRefusal(viewer, 'OFFICIAL-SENSITIVE') === undefined,
      op: this.newOp(),
      agencies: agencies.map((a) => ({ title: a.name, value: a.id })),
      people: members
        .filter((m) => m.active && can(m, `${kind}.update-own`))
        .slice(0, CHOICES_LIMIT)
        .map((m) => ({
          title: `${m.displayName} (${agencies.find((a) => a.id === m.agencyId)?.name ?? m.agencyId})`,
          value: m.aadObjectId,
        })),
      // Only OFFICIAL gaps are offered: the form may be open where others can read it.
      gaps: gaps
        .filter((g) => g.classification === 'OFFICIAL' && isGapOpen(g.status))
        .slice(-CHOICES_LIMIT)
        .map((g) => ({ title: `${g.ref}: ${clip(g.question, 60)}`, value: g.ref })),
      recommendation,
    });
  }

  /** The assignee a Reassign card choice names ("agency:<id>" or "person:<object id>"). */
  async assigneeFromChoice(req: Requester, choice: string): Promise<Assignee> {
    const [kind, id] = choice.split(':', 2) as [string, string | undefined];
    const pid = req.partnership.id;
    if (kind === 'agency' && id) {
      const agency = await this.store.agencies.get(pid, id);
      if (agency) return { agencyId: agency.id, name: agency.name };
    }
    if (kind === 'person' && id) {
      const member = await this.store.members.get(id);
      if (member && member.partnershipId === pid && member.active) {
        return { agencyId: member.agencyId, ownerAadObjectId: member.aadObjectId, name: member.displayName };
      }
    }
    throw new ValidationError('Choose an agency or a member from the list to reassign to.');
  }

  /** Open work that is the member's: named as owner, or led by their agency with nobody named. */
  async myTasks(
    req: Requester,
    viewer: Viewer,
    fits: (v: TaskListView) => boolean = () => true,
    after?: TaskListCursor,
  ): Promise<TaskListView> {
    const pid = req.partnership.id;
    const who = { aadObjectId: req.member.aadObjectId, agencyId: req.member.agencyId };
    const read = LIST_LIMIT + 1;
    const [gaps, actions] = await Promise.all([
      this.store.gaps.listForAssignee(pid, who, OPEN_GAP, read, after),
      this.store.actions.listForAssignee(pid, who, OPEN_ACTION, read, after),
    ]);
    return this.list(
      req,
      viewer,
      'mine',
      'My tasks',
      'Nothing is waiting for you.',
      fits,
      [...gaps, ...actions],
      after,
    );
  }

  /** Open work past its due date, across the partnership. */
  async overdue(
    req: Requester,
    viewer: Viewer,
    fits: (v: TaskListView) => boolean = () => true,
    after?: TaskListCursor,
  ): Promise<TaskListView> {
    const pid = req.partnership.id;
    const today = toIsoDate(this.clock());
    const read = LIST_LIMIT + 1;
    const [gaps, actions] = await Promise.all([
      this.store.gaps.listDueBefore(pid, today, OPEN_GAP, read, after),
      this.store.actions.listDueBefore(pid, today, OPEN_ACTION, read, after),
    ]);
    return this.list(
      req,
      viewer,
      'overdue',
      'Overdue gaps and actions',
      'Nothing is overdue.',
      fits,
      [...gaps, ...actions],
      after,
    );
  }

  async history(
    req: Requester,
    viewer: Viewer,
    ref: string,
    fits: (v: HistoryView) => boolean = () => true,
  ): Promise<HistoryView> {
    const { task } = await this.load(req, viewer, ref);
    const pid = req.partnership.id;
    const [events, names] = await Promise.all([
      this.store.audit.listForEntity(pid, task.kind, task.record.ref),
      this.names(pid),
    ]);
    return fitList(
      (limit) =>
        composeHistory({
          ref: task.record.ref,
          classification: task.record.classification,
          demo: req.partnership.demo,
          events,
          names,
          limit,
        }),
      fits,
      HISTORY_LIMIT,
    );
  }

  private async list(
    req: Requester,
    viewer: Viewer,
    list: TaskListName,
    title: string,
    empty: string,
    fits: (v: TaskListView) => boolean,
    read: readonly (Stored<IntelligenceGap> | Stored<FourPAction>)[],
    after: TaskListCursor | undefined,
  ): Promise<TaskListView> {
    const pid = req.partnership.id;
    const names = await this.names(pid);
    // Two pages (gaps, actions), each in list order: merged, the first LIST_LIMIT + 1 decide the page.
    const records = read
      .map(({ etag: _etag, ...r }) => r as IntelligenceGap | FourPAction)
      .sort(taskListOrder)
      .slice(0, LIST_LIMIT + 1);
    const districtNames = new Map<string, string>();
    for (const r of records) {
      if (!districtNames.has(r.districtId))
        districtNames.set(r.districtId, await this.directory.label(pid, r.districtId));
    }
    const now = this.clock();
    return fitList(
      (limit) =>
        composeTaskList({
          list,
          title,
          empty,
          demo: req.partnership.demo,
          records,
          visible: (r) => maySee(viewer, r.classification),
          from: after?.from ?? 1,
          districtNames,
          names,
          now,
          limit,
          withheldHint: withheldHint(viewer),
        }),
      fits,
      LIST_LIMIT,
    );
  }

  /** The actions raised from a gap that the viewer may see (a sensitive one is not even named). */
  private async actionsFrom(partnershipId: string, viewer: Viewer, gap: IntelligenceGap): Promise<string[]> {
    const links = await this.store.actions.linksByDistrict(partnershipId, gap.districtId);
    return links.filter((a) => a.fromGapRef === gap.ref && maySee(viewer, a.classification)).map((a) => a.ref);
  }

  /** A retried create (the same form press twice) finds what the first one made. */
  private async createdWith(
    req: Requester,
    kind: 'gap' | 'action',
    districtId: string,
    op: string,
  ): Promise<StoredTask | undefined> {
    const pid = req.partnership.id;
    const records: (Stored<IntelligenceGap> | Stored<FourPAction>)[] =
      kind === 'gap'
        ? await this.store.gaps.listByDistrict(pid, districtId)
        : await this.store.actions.listByDistrict(pid, districtId);
    const found = records.find(
      (r) => r.lastChange?.what === 'create' && r.lastChange.op === op && r.lastChange.by === req.member.aadObjectId,
    );
    if (!found) return undefined;
    const { etag, ...plain } = found;
    return { task: taskOf(plain), etag };
  }

  private async names(partnershipId: string): Promise<OwnerNames> {
    const [agencies, members] = await Promise.all([
      this.store.agencies.list(partnershipId),
      this.store.members.listByPartnership(partnershipId),
    ]);
    return ownerNames(agencies, members);
  }

  /** Teams names users in `refresh.userIds` by their chat id (MRI), known from their 1:1 chat. */
  private async userIds(tenants: readonly string[], members: readonly Member[]): Promise<string[]> {
    const refs = await Promise.all(members.slice(0, MAX_REFRESH_USERS).map((m) => this.personalRef(tenants, m)));
    return refs
      .map((r) => (r?.reference as { user?: { id?: unknown } } | undefined)?.user?.id)
      .filter((id): id is string => typeof id === 'string');
  }

  /** A member's 1:1 chat with the bot, in the tenant of this turn or another the partnership accepts. */
  private async personalRef(tenants: readonly string[], member: Member): Promise<ConversationRef | undefined> {
    for (const tenant of tenants) {
      const ref = await this.store.conversations.findPersonal(tenant, member.aadObjectId);
      if (ref) return ref;
    }
    return undefined;
  }

  private mustHold(member: Member, permission: Parameters<typeof can>[1], message: string): void {
    if (!can(member, permission)) throw new ForbiddenError(permission, `${message}; nothing was changed.`);
  }

  private async mustBeDistrict(req: Requester, districtId: string): Promise<void> {
    if (!(await this.store.districts.get(req.partnership.id, districtId)))
      throw new NotFoundError('district', districtId);
  }

  private async mustBeAgency(req: Requester, agencyId: string): Promise<void> {
    if (!(await this.store.agencies.get(req.partnership.id, agencyId))) {
      throw new ValidationError('That lead agency is not one of the partnership’s agencies.');
    }
  }

  private async mustBeMember(req: Requester, aadObjectId: string, agencyId: string | undefined): Promise<void> {
    const m = await this.store.members.get(aadObjectId);
    if (!m || m.partnershipId !== req.partnership.id || !m.active) {
      throw new ValidationError('The owner must be an active member of the partnership.');
    }
    if (agencyId && m.agencyId !== agencyId) {
      throw new ValidationError(`${m.displayName} is not in the lead agency; choose someone from it, or no owner.`);
    }
  }
}

/**
 * Whom Teams refreshes the card for: whoever owns it (the named owner, or with nobody named the
 * owning agency's members who work on it), then coordinators. A card sent to someone before a
 * reassignment thus refreshes for them too, and shows them it is no longer theirs to change.
 */
function watchersOf(task: Task, active: readonly Member[]): Member[] {
  const owned = ownedItem(task);
  const owners = active.filter((m) =>
    owned.ownerAadObjectId
      ? m.aadObjectId === owned.ownerAadObjectId
      : m.agencyId === owned.agencyId && can(m, `${task.kind}.update-own`),
  );
  return [...new Set([...owners, ...active.filter((m) => can(m, `${task.kind}.assign`))])];
}

/** Where partnership members may be: this turn's tenant first, then the others it accepts. */
function tenantsOf(req: Requester, tenantId: string | undefined): string[] {
  return [...new Set([tenantId, ...req.partnership.tenantIds].filter((t): t is string => !!t))];
}

function mayCreate(viewer: Viewer, classification: Classification): void {
  const refusal = sensitiveCreateRefusal(viewer, classification);
  if (refusal) throw new ForbiddenError('classification', refusal);
}

function lastChange(member: Member, what: string, at: string, op: string | undefined): LastChange {
  return { by: member.aadObjectId, at, what, ...(op !== undefined && { op }) };
}

function parseOrRefuse<T>(
  schema: {
    safeParse(
      v: unknown,
    ):
      | { success: true; data: T }
      | { success: false; error: { issues: { path: (string | number)[]; message: string }[] } };
  },
  value: unknown,
): T {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.') || 'value'}: ${i.message}`);
  throw new ValidationError(`That was not saved: ${issues.join('; ')}.`, issues);
}

function ownerNames(agencies: readonly Agency[], members: readonly Member[]): OwnerNames {
  return {
    agencies: new Map(agencies.map((a) => [a.id, a.name])),
    people: new Map(members.map((m) => [m.aadObjectId, m.displayName])),
  };
}
