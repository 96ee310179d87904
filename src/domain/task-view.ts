import { impactText } from './impact.js';
import type { AuditEvent } from './audit.js';
import { dueText, ownerText, type ListItem, type OwnerNames } from './plan-view.js';
import { STRAND_LABEL } from './strand.js';
import { banner, type Banner } from './summary.js';
import { doneWord, isTaskOpen, offeredChanges, taskOf, taskStatusLabel, taskText, type Task } from './task.js';
import type { FourPAction } from './action.js';
import type { IntelligenceGap } from './gap.js';
import type { LastChange } from './last-change.js';

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
  assign: 'Assigned',
};

function changedText(task: Task, last: LastChange | undefined, names: OwnerNames): string {
  if (!last) return '';
  const who = names.people.get(last.by) ?? 'someone outside the partnership';
  const what = last.what === 'done' && task.kind === 'gap' ? 'Marked filled' : (CHANGE_WORDS[last.what] ?? 'Changed');
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
  canReassign: boolean;
  readOnly: string;
  doneTitle: string;
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
          task.record.resolution && `Outcome: ${task.record.resolution}`,
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
    canAccept: offered.has('accept') && !(task.kind === 'action' && r.ownerAadObjectId === input.viewerId),
    canProgress: offered.has('progress'),
    canBlock: offered.has('block'),
    canDone: offered.has('done'),
    canNote: offered.has('note'),
    canReassign,
    readOnly: input.canChange ? '' : 'Only the owner, the owning agency and coordinators can change this.',
    doneTitle: doneWord(task),
    data: { ref: r.ref, etag: input.etag, op: input.op },
    refreshData: { ref: r.ref },
    userIds: [...(input.userIds ?? [])].slice(0, 60),
    assignees: canReassign ? [...(input.assignees ?? [])] : [],
  };
}

export interface TaskListView {
  banner: Banner;
  title: string;
  summary: string;
  /** As a district's lists show them, with the district named (a person's tasks span many). */
  items: (Omit<ListItem, 'sensitive'> & { district: string })[];
  hasItems: boolean;
  more: string;
  withheld: string;
}

/** `my tasks` and `overdue`: the records are already chosen and visible; this orders and words them. */
export function composeTaskList(input: {
  title: string;
  empty: string;
  demo: boolean;
  records: readonly (IntelligenceGap | FourPAction)[];
  districtNames: ReadonlyMap<string, string>;
  names: OwnerNames;
  now: Date;
  limit: number;
  withheld: number;
  withheldHint: string;
  /** The store stopped reading at its limit: there are more than the records given. */
  capped?: boolean;
}): TaskListView {
  const sorted = [...input.records].sort(
    (a, b) => (a.due ?? '9999').localeCompare(b.due ?? '9999') || a.ref.localeCompare(b.ref),
  );
  const listed = sorted.slice(0, input.limit);
  const sensitive = listed.some((r) => r.classification === 'OFFICIAL-SENSITIVE');
  return {
    banner: banner(sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL', input.demo),
    title: input.title,
    summary:
      sorted.length === 0
        ? input.empty
        : `${input.capped ? `More than ${sorted.length + input.withheld}` : sorted.length} open, soonest due first. Select one to open its card.`,
    items: listed.map((r) => {
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
    hasItems: listed.length > 0,
    more:
      sorted.length > listed.length ? `${input.capped ? 'Many' : sorted.length - listed.length} more not listed.` : '',
    withheld: input.withheld > 0 ? `${input.withheld} not shown. ${input.withheldHint}` : '',
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
