import type { z } from 'zod';
import { ACTION_STATUS_LABEL, changeActionStatus, FourPAction, isActionOpen } from './action.js';
import { ValidationError } from './errors.js';
import { changeGapStatus, GAP_STATUS_LABEL, IntelligenceGap, isGapOpen } from './gap.js';
import type { OwnedItem } from './permissions.js';

/**
 * A gap or an action seen as a task someone owns and works through: the one shape that the task
 * card, the chat updates and `my tasks` share.
 */
export type Task = { kind: 'gap'; record: IntelligenceGap } | { kind: 'action'; record: FourPAction };

/** What someone does to a task, from a card button or a chat command. */
export type TaskChange =
  | { op: 'accept' }
  | { op: 'progress' }
  | { op: 'block'; reason: string }
  | { op: 'done'; note: string; impactAfter?: number | undefined }
  | { op: 'note'; note: string }
  /** No longer needed: a gap is closed, an action cancelled, with the reason recorded. */
  | { op: 'close'; reason: string }
  | { op: 'assign'; agencyId: string; ownerAadObjectId?: string | undefined };

export type TaskOp = TaskChange['op'];

/** The audit event's action for each change: `<kind>.<word>`. */
export function auditWord(task: Task, op: TaskOp): string {
  switch (op) {
    case 'accept':
      return 'accepted';
    case 'progress':
      return 'in-progress';
    case 'block':
      return 'blocked';
    case 'done':
      return task.kind === 'gap' ? 'filled' : 'done';
    case 'note':
      return 'noted';
    case 'close':
      return task.kind === 'gap' ? 'closed' : 'cancelled';
    case 'assign':
      return 'assigned';
  }
}

export function taskOf(record: IntelligenceGap | FourPAction): Task {
  return 'question' in record ? { kind: 'gap', record } : { kind: 'action', record: record as FourPAction };
}

export function ownedItem(task: Task): OwnedItem {
  return task.kind === 'gap'
    ? { kind: 'gap', agencyId: task.record.ownerAgencyId, ownerAadObjectId: task.record.ownerAadObjectId }
    : { kind: 'action', agencyId: task.record.leadAgencyId, ownerAadObjectId: task.record.ownerAadObjectId };
}

export function isTaskOpen(task: Task): boolean {
  return task.kind === 'gap' ? isGapOpen(task.record.status) : isActionOpen(task.record.status);
}

export function taskStatusLabel(task: Task): string {
  return task.kind === 'gap' ? GAP_STATUS_LABEL[task.record.status] : ACTION_STATUS_LABEL[task.record.status];
}

export function taskText(task: Task): string {
  return task.kind === 'gap' ? task.record.question : task.record.title;
}

/** What the "no longer needed" button is called: a gap is closed, an action cancelled. */
export function closeWord(task: Task): 'Close (no longer needed)' | 'Cancel' {
  return task.kind === 'gap' ? 'Close (no longer needed)' : 'Cancel';
}

/** What the "finished" button and word are called: a gap is filled, an action done. */
export function doneWord(task: Task): 'Filled' | 'Done' {
  return task.kind === 'gap' ? 'Filled' : 'Done';
}

/** Which changes make sense from the task's status, for the buttons a card offers. */
export function offeredChanges(task: Task): Set<TaskOp> {
  const ops = new Set<TaskOp>(['note', 'assign']);
  if (task.kind === 'gap') {
    const s = task.record.status;
    if (s === 'assigned') ops.add('accept').add('progress').add('block');
    if (s === 'in_progress') ops.add('done').add('block');
    if (s === 'blocked') ops.add('progress');
    // A coordinator may reassign a gap in any open status; a filled or closed one is reopened first.
    if (!isGapOpen(s)) ops.delete('assign');
    else ops.add('close');
  } else {
    const s = task.record.status;
    if (isActionOpen(s)) ops.add('accept');
    if (s === 'planned' || s === 'blocked') ops.add('progress');
    if (s === 'planned' || s === 'in_progress') ops.add('block');
    if (s === 'planned' || s === 'in_progress') ops.add('done');
    if (!isActionOpen(s)) ops.delete('assign');
    else ops.add('close');
  }
  return ops;
}

/**
 * Applies a change by the rules of the status tables (gap.ts, action.ts); a refused move throws
 * InvalidTransitionError saying what is allowed from here. `actor` takes ownership on accept.
 */
export function applyTaskChange(task: Task, change: TaskChange, actor: string, now: Date): Task {
  if (task.kind === 'gap')
    return { kind: 'gap', record: valid(IntelligenceGap, changeGap(task.record, change, actor, now)) };
  return { kind: 'action', record: valid(FourPAction, changeAction(task.record, change, actor, now)) };
}

/** A note too long, or with control characters, is refused with the field named, never stored. */
function valid<T>(schema: z.ZodType<T, z.ZodTypeDef, unknown>, record: unknown): T {
  const parsed = schema.safeParse(record);
  if (parsed.success) return parsed.data;
  const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  throw new ValidationError(`That was not recorded: ${issues.join('; ')}.`, issues);
}

function changeGap(gap: IntelligenceGap, change: TaskChange, actor: string, now: Date): IntelligenceGap {
  const at = now.toISOString();
  switch (change.op) {
    case 'accept':
      return changeGapStatus(gap, 'in_progress', now, { ownerAadObjectId: actor });
    case 'progress':
      return changeGapStatus(gap, 'in_progress', now);
    case 'block':
      return changeGapStatus(gap, 'blocked', now, { lastUpdate: change.reason });
    case 'done':
      return changeGapStatus(gap, 'filled', now, { resolution: change.note });
    case 'note':
      return { ...gap, lastUpdate: change.note, updatedAt: at };
    case 'close':
      return changeGapStatus(gap, 'closed', now, { resolution: change.reason });
    case 'assign': {
      const next = changeGapStatus(gap, 'assigned', now, { ownerAgencyId: change.agencyId });
      if (change.ownerAadObjectId) next.ownerAadObjectId = change.ownerAadObjectId;
      else delete next.ownerAadObjectId;
      return next;
    }
  }
}

function changeAction(action: FourPAction, change: TaskChange, actor: string, now: Date): FourPAction {
  const at = now.toISOString();
  const mustBeOpen = () => {
    if (!isActionOpen(action.status)) {
      throw new ValidationError(
        `${action.ref} is ${ACTION_STATUS_LABEL[action.status].toLowerCase()}. Move it back to in progress first: update ${action.ref} in progress.`,
      );
    }
  };
  switch (change.op) {
    case 'accept':
      mustBeOpen();
      return { ...action, ownerAadObjectId: actor, updatedAt: at };
    case 'progress':
      return changeActionStatus(action, 'in_progress', now);
    case 'block':
      return changeActionStatus(action, 'blocked', now, change.reason);
    case 'done': {
      const next = changeActionStatus(action, 'done', now, change.note);
      if (change.impactAfter !== undefined) next.impactAfter = change.impactAfter;
      return next;
    }
    case 'note':
      return { ...action, lastUpdate: change.note, updatedAt: at };
    case 'close':
      return changeActionStatus(action, 'cancelled', now, change.reason);
    case 'assign': {
      mustBeOpen();
      const next: FourPAction = { ...action, leadAgencyId: change.agencyId, updatedAt: at };
      if (change.ownerAadObjectId) next.ownerAadObjectId = change.ownerAadObjectId;
      else delete next.ownerAadObjectId;
      return next;
    }
  }
}
