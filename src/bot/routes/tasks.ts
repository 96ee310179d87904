import type { Application } from '@microsoft/teams-ai';
import { z } from 'zod';
import { toIsoDate } from '../../domain/dates.js';
import { ValidationError } from '../../domain/errors.js';
import { personNamed } from '../mentions.js';
import { EMPTY_FORM } from '../../domain/task-form.js';
import {
  CLOSE_PATTERN,
  parseClose,
  parseNewAction,
  parseNewGap,
  parseUpdate,
  UPDATE_PATTERNS,
  type TaskLine,
} from '../../domain/task-text.js';
import type { TaskChange } from '../../domain/task.js';
import { registerCommand, type Command } from '../command.js';
import { parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { withDistrict } from '../district-prompt.js';
import { guarded, guardedInvoke, type RouteContext } from '../guard.js';
import { fitsCard, renderCard } from '../cards.js';
import type { TaskListView } from '../../domain/task-view.js';
import { sendCard, sendNamedCard } from '../reply.js';
import type { BotState } from '../state.js';
import type { TaskDelivery } from '../task-delivery.js';
import { deliveryText, outcomeNote, taskCard } from '../task-reply.js';
import { TasksMore, TaskShow } from '../task-data.js';
import { VERB } from '../verbs.js';
import { ownExample } from '../own-example.js';

const FormOpen = z.object({ verb: z.string(), districtId: z.string().min(1).max(64) }).strict();

/** The form card for a district, as a new message. */
async function sendForm(rc: RouteContext, kind: 'gap' | 'action', districtId: string, strand = ''): Promise<void> {
  const view = await rc.deps.tasks.formView(rc.requester, rc.viewer, kind, districtId, { ...EMPTY_FORM, strand });
  await sendNamedCard(rc.context, 'task-form', view);
}

async function assigneeOf(rc: RouteContext, typed: string | undefined) {
  return typed ? rc.deps.tasks.findAssignee(rc.requester, typed) : undefined;
}

/** The one-line create: `new gap <district>: <question> lead <agency> due <date>`. */
async function createFromLine(
  rc: RouteContext,
  delivery: TaskDelivery,
  kind: 'gap' | 'action',
  districtId: string,
  line: TaskLine,
): Promise<void> {
  const text = line.text ?? '';
  if (line.due && line.due < toIsoDate(rc.deps.clock())) {
    throw new ValidationError(`The due date ${line.due} is in the past; nothing was saved.`);
  }
  const lead = await assigneeOf(rc, line.agency);
  const owner = await assigneeOf(rc, line.owner);
  const agencyId = owner?.agencyId ?? lead?.agencyId;
  let stored;
  if (kind === 'gap') {
    stored = await rc.deps.tasks.createGap(rc.requester, rc.viewer, {
      districtId,
      question: text,
      agencyId,
      ownerAadObjectId: owner?.ownerAadObjectId ?? lead?.ownerAadObjectId,
      due: line.due,
      classification: line.classification,
      // Nothing to tick in a typed line: recorded as typed, after the automatic check passed.
      noPersonalData: 'typed',
    });
  } else {
    if (!line.strand)
      throw new ValidationError(
        await ownExample(rc, 'Name the strand before the colon: new action Everton prevent: <action> lead <agency>.'),
      );
    if (!agencyId)
      throw new ValidationError(
        await ownExample(rc, 'Name the lead agency: new action Everton prevent: <action> lead <agency>.'),
      );
    stored = await rc.deps.tasks.createAction(rc.requester, rc.viewer, {
      districtId,
      strand: line.strand,
      title: text,
      agencyId,
      ownerAadObjectId: owner?.ownerAadObjectId ?? lead?.ownerAadObjectId,
      due: line.due,
      impactMeasure: line.measure ?? 'Not yet agreed',
      fromGapRef: line.fromGap,
      classification: line.classification,
      noPersonalData: 'typed',
    });
  }
  const ref = stored.task.record.ref;
  let note = `${ref} created.`;
  if (agencyId)
    note += ` ${deliveryText(ref, await delivery.deliver(rc.requester, rc.facts.tenantId, stored, rc.context.activity.serviceUrl))}`;
  await sendCard(rc.context, await taskCard(rc, stored, note));
}

function createCommand(kind: 'gap' | 'action', delivery: () => TaskDelivery): Command {
  const gap = kind === 'gap';
  const example = gap
    ? 'new gap Everton: Which car washes front cash laundering? lead Liverpool City Council due 2027-01-31'
    : 'new action Everton prevent: Youth diversion sessions lead Liverpool City Council due 2027-03-31';
  return {
    name: gap ? 'new gap' : 'new action',
    keywords: ['new'],
    usage: gap
      ? 'new gap <district>[: <question> lead <agency> due <date>]'
      : 'new action <district> <strand>[: <action> lead <agency> …]',
    description: gap
      ? 'Raise an intelligence gap: with the district alone, a form; or all on one line. Coordinators.'
      : 'Add a 4P action (measure <how>, from G-12 optional): a form, or one line. Coordinators.',
    example: gap ? 'new gap Everton' : 'new action Everton prevent',
    permission: gap ? 'gap.create' : 'action.create',
    patterns: gap ? [/^new\s+(?:intelligence\s+)?gap\b\s*(.*)$/i] : [/^new\s+(?:4p\s+)?action\b\s*(.*)$/i],
    run: async (rc, argument) => {
      const line = gap ? parseNewGap(argument) : parseNewAction(argument);
      await withDistrict(rc, line.district, gap ? VERB.gapForm : VERB.actionForm, example, async (districtId) => {
        if (line.text === undefined) return sendForm(rc, kind, districtId, line.strand ?? '');
        return createFromLine(rc, delivery(), kind, districtId, line);
      });
    },
  };
}

function assignCommand(delivery: () => TaskDelivery): Command {
  return {
    name: 'assign',
    menu: false,
    keywords: ['assign'],
    usage: 'assign <ref> to <agency or @person>',
    description:
      'Give a gap or action to the agency (or person) best placed to lead, or hand it on in any open status; they get the task card. Coordinators.',
    example: 'assign G-12 to Liverpool City Council',
    permission: 'gap.assign',
    patterns: [/^(?:re)?assign\s+(.+)$/i],
    run: async (rc, argument) => {
      const m = /^((?:G|PREP|PURS|PREV|PROT)[-\s]?\d+)\s+to\s+(.+)$/i.exec(argument);
      if (!m)
        throw new ValidationError(
          'Say what and to whom, for example: assign G-12 to Liverpool City Council, or assign PREV-3 to @Adele Vance.',
        );
      const target = await rc.deps.tasks.findAssignee(rc.requester, m[2]!, await personNamed(rc.context, m[2]!));
      const change: TaskChange = { op: 'assign', agencyId: target.agencyId, ownerAadObjectId: target.ownerAadObjectId };
      const outcome = await rc.deps.tasks.change(rc.requester, rc.viewer, m[1]!, change);
      const ref = outcome.stored.task.record.ref;
      if (outcome.kind !== 'changed') {
        await sendCard(rc.context, await taskCard(rc, outcome.stored, outcomeNote(outcome)));
        return;
      }
      const report = await delivery().deliver(
        rc.requester,
        rc.facts.tenantId,
        outcome.stored,
        rc.context.activity.serviceUrl,
      );
      await sendCard(
        rc.context,
        await taskCard(rc, outcome.stored, `${ref} assigned to ${target.name}. ${deliveryText(ref, report)}`),
      );
    },
  };
}

const updateCommand: Command = {
  name: 'update',
  menu: false,
  keywords: ['update', 'mark'],
  usage: 'update <ref> done|blocked|in progress|note: <text>',
  description:
    'Change a gap or action you own (or your agency leads): mark G-12 filled: …, PURS-7 blocked - …, accept G-12.',
  example: 'update PREV-3 in progress',
  permission: 'gap.read',
  patterns: UPDATE_PATTERNS,
  run: async (rc) => {
    const line = parseUpdate(rc.context.activity.text ?? '');
    if (!line)
      throw new ValidationError('Try: update PREV-3 done: <outcome>, PURS-7 blocked - <reason>, or accept G-12.');
    const change: TaskChange =
      line.op === 'block'
        ? { op: 'block', reason: line.text! }
        : line.op === 'done'
          ? { op: 'done', note: line.text! }
          : line.op === 'note'
            ? { op: 'note', note: line.text! }
            : { op: line.op };
    const outcome = await rc.deps.tasks.change(rc.requester, rc.viewer, line.ref, change);
    await sendCard(rc.context, await taskCard(rc, outcome.stored, outcomeNote(outcome)));
  },
};

const closeCommand: Command = {
  name: 'close',
  menu: false,
  keywords: ['close', 'cancel'],
  usage: 'close <gap>: <why> · cancel <action>: <why>',
  description:
    'A gap no longer needed is closed, an action cancelled, with the reason; it leaves my tasks and overdue (the owner’s agency, coordinators).',
  example: 'close G-12: superseded by G-19',
  permission: 'gap.read',
  patterns: [CLOSE_PATTERN],
  run: async (rc) => {
    const line = parseClose(rc.context.activity.text ?? '');
    if (!line) throw new ValidationError('Try: close G-12: superseded by G-19, or cancel PURS-7: operation ended.');
    const outcome = await rc.deps.tasks.change(rc.requester, rc.viewer, line.ref, { op: 'close', reason: line.reason });
    await sendCard(rc.context, await taskCard(rc, outcome.stored, outcomeNote(outcome)));
  },
};

const myTasksCommand: Command = {
  name: 'my tasks',
  keywords: ['my', 'tasks'],
  usage: 'my tasks',
  description:
    'Open gaps and actions that are yours, or your agency’s with nobody named, soonest due first; Show more for the next page.',
  example: 'my tasks',
  permission: 'gap.read',
  patterns: [/^my\s+(?:tasks?|work|actions|gaps)[\s?.!]*$/i, /^tasks[\s?.!]*$/i],
  run: async (rc) =>
    sendNamedCard(
      rc.context,
      'tasks',
      await rc.deps.tasks.myTasks(rc.requester, rc.viewer, (v) => fitsCard('tasks', v)),
    ),
};

const overdueCommand: Command = {
  name: 'overdue',
  keywords: ['overdue'],
  usage: 'overdue',
  description: 'Open gaps and actions past their due date, across the partnership.',
  example: 'overdue',
  permission: 'gap.read',
  patterns: [/^(?:what(?:'s|\s+is)\s+|show\s+)?overdue[\s?.!]*$/i],
  run: async (rc) =>
    sendNamedCard(
      rc.context,
      'tasks',
      await rc.deps.tasks.overdue(rc.requester, rc.viewer, (v) => fitsCard('tasks', v)),
    ),
};

const historyCommand: Command = {
  name: 'history',
  menu: false,
  keywords: ['history'],
  usage: 'history <ref>',
  description: 'Every change to a gap or action: who, when, what.',
  example: 'history G-1',
  permission: 'gap.read',
  patterns: [/^history\s+(?:of\s+)?(.+)$/i],
  run: async (rc, argument) =>
    sendNamedCard(
      rc.context,
      'history',
      await rc.deps.tasks.history(rc.requester, rc.viewer, argument, (v) => fitsCard('history', v)),
    ),
};

const taskCommand: Command = {
  name: 'task',
  menu: false,
  keywords: ['task', 'open'],
  usage: 'task <ref>',
  description: 'The task card of a gap or action, with its buttons if it is yours to change.',
  example: 'task G-1',
  permission: 'gap.read',
  patterns: [/^(?:task|open)\s+((?:G|PREP|PURS|PREV|PROT)[-\s]?\d+)$/i],
  run: async (rc, argument) => {
    await sendCard(rc.context, await taskCard(rc, await rc.deps.tasks.load(rc.requester, rc.viewer, argument)));
  },
};

/** The task commands in routing order; `delivery` sends task cards (the bot's, once it has an adapter). */
export function taskCommands(delivery: () => TaskDelivery): Command[] {
  return [
    createCommand('gap', delivery),
    createCommand('action', delivery),
    assignCommand(delivery),
    updateCommand,
    closeCommand,
    myTasksCommand,
    overdueCommand,
    historyCommand,
    taskCommand,
  ];
}

export function register(app: Application<BotState>, deps: BotDeps, commands: readonly Command[]): void {
  for (const command of commands) registerCommand(app, deps, command);
  // Show more: the next page in place of this one, answered to whoever pressed it.
  app.adaptiveCards.actionExecute(
    VERB.tasksMore,
    guardedInvoke(deps, 'gap.read', async (rc, data) => {
      const { list, ...after } = parseData(TasksMore, data);
      const fits = (v: TaskListView) => fitsCard('tasks', v);
      const view =
        list === 'mine'
          ? await rc.deps.tasks.myTasks(rc.requester, rc.viewer, fits, after)
          : await rc.deps.tasks.overdue(rc.requester, rc.viewer, fits, after);
      return renderCard('tasks', view);
    }),
  );
  app.adaptiveCards.actionSubmit(VERB.taskShow, async (context, state, data) =>
    guarded(deps, 'gap.read', async (rc) => {
      const { ref } = parseData(TaskShow, data);
      await sendCard(rc.context, await taskCard(rc, await rc.deps.tasks.load(rc.requester, rc.viewer, ref)));
    })(context, state),
  );
  for (const [verb, kind] of [
    [VERB.gapForm, 'gap'],
    [VERB.actionForm, 'action'],
  ] as const) {
    app.adaptiveCards.actionSubmit(verb, async (context, state, data) =>
      guarded(deps, kind === 'gap' ? 'gap.create' : 'action.create', async (rc) =>
        sendForm(rc, kind, parseData(FormOpen, data).districtId),
      )(context, state),
    );
  }
}
