import { impactText } from './impact.js';
import type { AuditEvent } from './audit.js';
import { dueText, ownerText, type ListItem, type OwnerNames } from './plan-view.js';
import { STRAND_LABEL } from './strand.js';
import { banner, type Banner } from './summary.js';
import {
  closeWord,
  doneWord,
  isTaskOpen,
  offeredChanges,
  taskOf,
  taskStatusLabel,
  taskText,
  type Task,
} from './task.js';
import type { FourPAction } from './action.js';
import type { IntelligenceGap } from './gap.js';
import type { LastChange } from './last-change.js';
import { parseRef } from './refs.js';

/** "25 Nov 2026, 10:15": the time as people in the partnership read it (UK time). */
const WHEN = new Intl.DateTimeFormat('en-GB', {
  timeZone: 'Europe/London',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
});

export function formatWhen(iso: string): string {
  return WHEN.format(new Date(iso));
}

const CHANGE_WORDS: Record<string, string> = {
  create: 'Created',
  accept: 'Accepted',
  progress: 'Marked in progress',
  block: 'Marked blocked',
  done: 'Marked done',
  note: 'Note added',
  close: 'Closed',
  assign: 'Assigned',
};

function changedText(task: Task, last: LastChange | undefined, names: OwnerNames): string {
  if (!last) return '';
  const who = names.people.get(last.by) ?? 'someone outside the partnership';
  const what =
    last.what === 'done' && task.kind === 'gap'
      ? 'Marked filled'
      : last.what === 'close' && task.kind === 'action'
        ? 'Cancelled'
        : (CHANGE_WORDS[last.what] ?? 'Changed');
  return `${what} by ${who}, ${formatWhen(last.at)}`;
}

export interface TaskButtonData {
  ref: string;
  etag: string;
  op: string;
}

export interface TaskView {
  banner: Banner;
  ref: string;
  heading: string;
  district: string;
  text: string;
  status: string;
  owner: string;
  due: string;
  overdue: boolean;
  impact: string;
  latest: string;
  changed: string;
  links: string;
  /** What just happened, or why nothing did (a conflict, a refusal); empty when there is nothing to say. */
  note: string;
  canAccept: boolean;
  canProgress: boolean;
  canBlock: boolean;
  canDone: boolean;
  canNote: boolean;
  canClose: boolean;
  canReassign: boolean;
  readOnly: string;
  doneTitle: string;
  closeTitle: string;
  /** The button that confirms it, once the reason is written. */
  closeConfirm: string;
  data: TaskButtonData;
  refreshData: { ref: string };
  userIds: string[];
  assignees: { title: string; value: string }[];
}

export interface TaskCardInput {
  task: Task;
  etag: string;
  demo: boolean;
  districtName: string;
  names: OwnerNames;
  now: Date;
  /** May this viewer change it (owner, owning agency, coordinator), and assign it (coordinator)? */
  canChange: boolean;
  canAssign: boolean;
  /** Who is looking: Accept is not offered to whoever already owns it. */
  viewerId: string;
  /** A fresh id for this rendering: a press carries it, so a retried press is known. */
  op: string;
  note?: string;
  /** For a gap, the actions raised from it. */
  ledTo?: readonly string[];
  /** Who Teams refreshes the card for (user MRIs): the owner and coordinators. At most 60. */
  userIds?: readonly string[];
  assignees?: readonly { title: string; value: string }[];
}

/** The task card for one viewer: its state, who last changed it, and the buttons they may press. */
export function composeTaskCard(input: TaskCardInput): TaskView {
  const { task, names } = input;
  const r = task.record;
  const open = isTaskOpen(task);
  const offered = input.canChange ? offeredChanges(task) : new Set<string>();
  const agencyId = task.kind === 'gap' ? task.record.ownerAgencyId : task.record.leadAgencyId;
  const heading =
    task.kind === 'gap' ? `${r.ref} · Intelligence gap` : `${r.ref} · ${STRAND_LABEL[task.record.strand]} action`;
  let links = '';
  if (task.kind === 'gap' && input.ledTo?.length) links = `Led to: ${input.ledTo.join(', ')}`;
  if (task.kind === 'action' && task.record.fromGapRef) links = `Raised from gap ${task.record.fromGapRef}`;
  const latest =
    task.kind === 'gap'
      ? [
          task.record.resolution &&
            `${task.record.status === 'closed' ? 'Why closed' : 'Outcome'}: ${task.record.resolution}`,
          task.record.lastUpdate && `Latest: ${task.record.lastUpdate}`,
        ]
          .filter(Boolean)
          .join('\n\n')
      : task.record.lastUpdate
        ? `Latest: ${task.record.lastUpdate}`
        : '';
  const canReassign = input.canAssign && offered.has('assign');
  return {
    banner: banner(r.classification, input.demo),
    ref: r.ref,
    heading,
    district: input.districtName,
    text: taskText(task),
    status: taskStatusLabel(task),
    owner: ownerText(names, agencyId, r.ownerAadObjectId),
    ...dueText(r.due, open, input.now),
    impact: task.kind === 'action' ? impactText(task.record) : '',
    latest,
    changed: changedText(task, r.lastChange, names),
    links,
    note: input.note ?? '',
    // Accepting an action takes it on; its owner has nothing to accept. A gap's Accept also starts it.
    // A coordinator takes work on by Reassign (to themselves): a card shows at most five buttons.
    canAccept:
      offered.has('accept') && !canReassign && !(task.kind === 'action' && r.ownerAadObjectId === input.viewerId),
    canProgress: offered.has('progress'),
    canBlock: offered.has('block'),
    // Five buttons again: a planned action is started (or marked blocked) on its card before it is
    // done; typed, `update PREV-3 done: …` still finishes it in one step.
    canDone: offered.has('done') && !(task.kind === 'action' && r.status === 'planned'),
    canNote: offered.has('note'),
    canClose: offered.has('close'),
    canReassign,
    readOnly: input.canChange ? '' : 'Only the owner, the owning agency and coordinators can change this.',
    doneTitle: doneWord(task),
    closeTitle: closeWord(task),
    closeConfirm: task.kind === 'gap' ? 'Mark closed' : 'Mark cancelled',
    data: { ref: r.ref, etag: input.etag, op: input.op },
    refreshData: { ref: r.ref },
    userIds: [...(input.userIds ?? [])].slice(0, 60),
    assignees: canReassign ? [...(input.assignees ?? [])] : [],
  };
}

/** Which task list a page belongs to, and where the next page starts (the Show more button's data). */
export type TaskListName = 'mine' | 'overdue';
export interface TaskListPage {
  list: TaskListName;
  /** The position of the next page's first item, counted from 1. */
  from: number;
  /** The last item listed: the next page starts after it. */
  ref: string;
  due?: string;
}

export interface TaskListView {
  banner: Banner;
  title: string;
  summary: string;
  /** As a district's lists show them, with the district named (a person's tasks span many). */
  items: (Omit<ListItem, 'sensitive'> & { district: string })[];
  hasItems: boolean;
  hasMore: boolean;
  more: TaskListPage | Record<string, never>;
  withheld: string;
}

/**
 * The order of `my tasks` and `overdue`, as the store sorts them: due date (none last), then
 * reference prefix and number. Pages from the gaps and the actions merge by it.
 */
export function taskListOrder(a: { due?: string | undefined; ref: string }, b: typeof a): number {
  const da = a.due ?? '~';
  const db = b.due ?? '~';
  if (da !== db) return da < db ? -1 : 1;
  const ra = parseRef(a.ref);
  const rb = parseRef(b.ref);
  if (!ra || !rb) return a.ref < b.ref ? -1 : a.ref > b.ref ? 1 : 0;
  if (ra.prefix !== rb.prefix) return ra.prefix < rb.prefix ? -1 : 1;
  return ra.n - rb.n;
}

/**
 * One page of `my tasks` or `overdue`. `records` are the page's candidates in list order (a
 * record beyond `limit` means there is a next page); those the viewer may not see are counted in
 * their place, not shown.
 */
export function composeTaskList(input: {
  list: TaskListName;
  title: string;
  empty: string;
  demo: boolean;
  records: readonly (IntelligenceGap | FourPAction)[];
  visible: (r: IntelligenceGap | FourPAction) => boolean;
  /** The position of the first record, counted from 1. */
  from: number;
  districtNames: ReadonlyMap<string, string>;
  names: OwnerNames;
  now: Date;
  limit: number;
  withheldHint: string;
}): TaskListView {
  const page = input.records.slice(0, Math.max(1, input.limit));
  const hasMore = input.records.length > page.length;
  const shown = page.filter(input.visible);
  const withheld = page.length - shown.length;
  const sensitive = shown.some((r) => r.classification === 'OFFICIAL-SENSITIVE');
  const last = page[page.length - 1];
  const to = input.from + page.length - 1;
  return {
    banner: banner(sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL', input.demo),
    title: input.title,
    summary:
      page.length === 0
        ? input.from === 1
          ? input.empty
          : 'Nothing more: that was the last of them.'
        : `${input.from === 1 && !hasMore ? `${page.length} open` : `Open, ${input.from}–${to}`}, soonest due first. Select one to open its card.`,
    items: shown.map((r) => {
      const task = taskOf(r);
      const agencyId = task.kind === 'gap' ? task.record.ownerAgencyId : task.record.leadAgencyId;
      return {
        ref: r.ref,
        text: taskText(task),
        status: taskStatusLabel(task),
        owner: ownerText(input.names, agencyId, r.ownerAadObjectId),
        ...dueText(r.due, true, input.now),
        district: input.districtNames.get(r.districtId) ?? r.districtId,
      };
    }),
    hasItems: shown.length > 0,
    hasMore,
    more:
      hasMore && last
        ? { list: input.list, from: to + 1, ref: last.ref, ...(last.due !== undefined && { due: last.due }) }
        : {},
    withheld: withheld > 0 ? `${withheld} not shown. ${input.withheldHint}` : '',
  };
}

export interface HistoryView {
  banner: Banner;
  title: string;
  events: { when: string; who: string; what: string; detail: string }[];
  hasEvents: boolean;
  earlier: string;
}

const EVENT_WORDS: Record<string, string> = {
  created: 'Created',
  imported: 'Loaded with the profile',
  accepted: 'Accepted',
  'in-progress': 'Marked in progress',
  blocked: 'Marked blocked',
  done: 'Marked done',
  filled: 'Marked filled',
  noted: 'Note added',
  closed: 'Closed (no longer needed)',
  cancelled: 'Cancelled',
  assigned: 'Assigned',
};

/** `history G-12`: the audit trail, oldest first, in words. */
export function composeHistory(input: {
  ref: string;
  classification: IntelligenceGap['classification'];
  demo: boolean;
  events: readonly AuditEvent[];
  names: OwnerNames;
  /** The latest this many are shown; the earlier ones are counted. */
  limit: number;
}): HistoryView {
  const shown = input.events.slice(-input.limit);
  const earlier = input.events.length - shown.length;
  return {
    banner: banner(input.classification, input.demo),
    title: `History of ${input.ref}`,
    earlier: earlier > 0 ? `${earlier} earlier ${earlier === 1 ? 'change' : 'changes'} not shown.` : '',
    events: shown.map((e) => {
      const word = e.action.split('.')[1] ?? e.action;
      const after = (e.after ?? {}) as Partial<IntelligenceGap & FourPAction>;
      const before = (e.before ?? {}) as Partial<IntelligenceGap & FourPAction>;
      const details: string[] = [];
      if (after.status && after.status !== before.status) details.push(`Status: ${after.status.replace('_', ' ')}`);
      const agencyId = after.ownerAgencyId ?? after.leadAgencyId;
      if (word === 'assigned' || word === 'created')
        details.push(`Owner: ${ownerText(input.names, agencyId, after.ownerAadObjectId)}`);
      if (word === 'created' && after.fromRecommendation !== undefined)
        details.push(`Taken forward from recommendation ${after.fromRecommendation} of the district's profile`);
      for (const field of ['resolution', 'lastUpdate'] as const) {
        if (after[field] && after[field] !== before[field]) details.push(`"${after[field]}"`);
      }
      return {
        when: formatWhen(e.at),
        who: e.actor.startsWith('system:') ? 'the system' : (input.names.people.get(e.actor) ?? 'a former member'),
        what: EVENT_WORDS[word] ?? word,
        detail: details.join(' · '),
      };
    }),
    hasEvents: input.events.length > 0,
  };
}
