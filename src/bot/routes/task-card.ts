import type { AdaptiveCard, Application } from '@microsoft/teams-ai';
import type { z } from 'zod';
import { ValidationError } from '../../domain/errors.js';
import { EMPTY_FORM, readActionForm, readGapForm, type FormValues } from '../../domain/task-form.js';
import type { TaskChange } from '../../domain/task.js';
import type { TakeForwardOutcome } from '../../services/recommendations.js';
import type { ChangeOutcome } from '../../services/tasks.js';
import { renderCard } from '../cards.js';
import { parseData } from '../data.js';
import type { BotDeps } from '../deps.js';
import { guardedInvoke, type RouteContext } from '../guard.js';
import { answerPresser, executeData, executeOf } from '../invoke.js';
import type { BotState } from '../state.js';
import {
  ActionForm,
  BlockData,
  CloseData,
  DoneData,
  GapForm,
  given,
  NoteData,
  ReassignData,
  TaskButton,
  TaskRefresh,
} from '../task-data.js';
import type { TaskDelivery } from '../task-delivery.js';
import { outcomeNote, taskCard } from '../task-reply.js';
import { VERB, type Verb } from '../verbs.js';
import { sensitiveCreateRefusal } from '../../domain/visibility.js';

type ButtonSchema = z.ZodType<{ ref: string; etag: string; op: string }, z.ZodTypeDef, unknown>;

/** Each button: its data schema, and the change it asks for. */
const BUTTONS: readonly [Verb, ButtonSchema, (data: never) => TaskChange][] = [
  [VERB.taskAccept, TaskButton, () => ({ op: 'accept' })],
  [VERB.taskProgress, TaskButton, () => ({ op: 'progress' })],
  [
    VERB.taskBlock,
    BlockData,
    (d: z.infer<typeof BlockData>) => ({ op: 'block', reason: required(d.reason, 'what it is waiting for') }),
  ],
  [
    VERB.taskDone,
    DoneData,
    (d: z.infer<typeof DoneData>) => ({
      op: 'done',
      note: required(d.outcome, 'the outcome'),
      impactAfter: figure(d.impactAfter),
    }),
  ],
  [VERB.taskNote, NoteData, (d: z.infer<typeof NoteData>) => ({ op: 'note', note: required(d.note, 'the note') })],
  [
    VERB.taskClose,
    CloseData,
    (d: z.infer<typeof CloseData>) => ({ op: 'close', reason: required(d.why, 'why it is no longer needed') }),
  ],
];

function required(text: string, what: string): string {
  const t = text.trim();
  if (!t) throw new ValidationError(`Nothing was changed: write ${what} first.`);
  return t;
}

function figure(text: string | undefined): number | undefined {
  const t = given(text);
  if (t === undefined) return undefined;
  const n = Number(t);
  if (!Number.isFinite(n)) throw new ValidationError('Nothing was changed: the impact figure must be a number.');
  return n;
}

async function answer(rc: RouteContext, outcome: ChangeOutcome): Promise<AdaptiveCard> {
  return taskCard(rc, outcome.stored, outcomeNote(outcome));
}

function formValues(data: Record<string, string | undefined>): FormValues {
  const v = { ...EMPTY_FORM };
  for (const key of Object.keys(v) as (keyof FormValues)[]) {
    if (key === 'classification') v.classification = given(data.classification) ?? 'OFFICIAL';
    else v[key] = data[key] ?? '';
  }
  return v;
}

/** What the card says after Make action's form was sent. */
function takeForwardNote(outcome: TakeForwardOutcome, number: number): string {
  const ref = outcome.stored.task.record.ref;
  switch (outcome.kind) {
    case 'linked':
      return outcome.created
        ? `${ref} created; recommendation ${number} is taken forward as ${ref}. The owner gets the task card in their chat with me.`
        : `Recommendation ${number} is taken forward as ${ref}, made from it earlier; no second action was made.`;
    case 'duplicate':
      return `Recommendation ${number} was taken forward as ${outcome.winner} at the same moment, so ${ref} was cancelled as a duplicate.`;
    case 'unlinked':
      return `${ref} created. ${outcome.why}`;
  }
}

/** A press that Teams sends again gets the same answer, and the refresh answers only the viewer. */
export function register(app: Application<BotState>, deps: BotDeps, delivery: TaskDelivery): void {
  for (const [verb, schema, toChange] of BUTTONS) {
    app.adaptiveCards.actionExecute(
      verb,
      guardedInvoke(deps, 'gap.read', async (rc, data) => {
        const parsed = parseData(schema, data);
        const change = (toChange as (d: unknown) => TaskChange)(parsed);
        const outcome = await rc.deps.tasks.change(rc.requester, rc.viewer, parsed.ref, change, parsed);
        return answer(rc, outcome);
      }),
    );
  }

  app.adaptiveCards.actionExecute(
    VERB.taskReassign,
    guardedInvoke(deps, 'gap.read', async (rc, data) => {
      const parsed = parseData(ReassignData, data);
      const target = await rc.deps.tasks.assigneeFromChoice(rc.requester, parsed.assignee);
      const change: TaskChange = { op: 'assign', agencyId: target.agencyId, ownerAadObjectId: target.ownerAadObjectId };
      const outcome = await rc.deps.tasks.change(rc.requester, rc.viewer, parsed.ref, change, parsed);
      if (outcome.kind === 'changed')
        delivery.deliverLater(rc.requester, rc.facts.tenantId, outcome.stored, rc.context.activity.serviceUrl);
      return answer(rc, outcome);
    }),
  );

  // A form is answered to whoever submitted it, never put in place for the conversation: in a
  // channel or group chat others would read the draft, or the card it became.
  for (const kind of ['gap', 'action'] as const) {
    const create = guardedInvoke(deps, kind === 'gap' ? 'gap.create' : 'action.create', async (rc, data) => {
      const parsed = parseData(kind === 'gap' ? GapForm : ActionForm, data) as Record<string, string | undefined> & {
        districtId: string;
        op: string;
        recommendation?: number;
      };
      const recommendation = parsed.recommendation;
      const values = formValues(parsed);
      // Refused before anything is shown again: a sensitive draft is never re-shown where it may not be.
      const refusal = sensitiveCreateRefusal(
        rc.viewer,
        values.classification === 'OFFICIAL' ? 'OFFICIAL' : 'OFFICIAL-SENSITIVE',
      );
      if (refusal) return refusal;
      const again = async (errors: string[]) =>
        renderCard(
          'task-form',
          await rc.deps.tasks.formView(
            rc.requester,
            rc.viewer,
            kind,
            parsed.districtId,
            values,
            errors,
            recommendation === undefined
              ? undefined
              : await rc.deps.recommendations.formContext(rc.requester, rc.viewer, parsed.districtId, recommendation),
          ),
        );
      const now = rc.deps.clock();
      const read =
        kind === 'gap' ? readGapForm(parsed.districtId, values, now) : readActionForm(parsed.districtId, values, now);
      if (!read.ok) return again(read.errors);
      if (kind === 'action' && recommendation !== undefined) {
        let outcome;
        try {
          outcome = await rc.deps.recommendations.takeForward(
            rc.requester,
            rc.viewer,
            read.value as Parameters<typeof rc.deps.tasks.createAction>[2],
            recommendation,
            parsed.op,
          );
        } catch (err) {
          if (err instanceof ValidationError) return again([err.message]);
          throw err;
        }
        if (outcome.kind === 'linked' && outcome.created)
          delivery.deliverLater(rc.requester, rc.facts.tenantId, outcome.stored);
        return taskCard(rc, outcome.stored, takeForwardNote(outcome, recommendation));
      }
      let stored;
      try {
        stored =
          kind === 'gap'
            ? await rc.deps.tasks.createGap(
                rc.requester,
                rc.viewer,
                read.value as Parameters<typeof rc.deps.tasks.createGap>[2],
                parsed.op,
              )
            : await rc.deps.tasks.createAction(
                rc.requester,
                rc.viewer,
                read.value as Parameters<typeof rc.deps.tasks.createAction>[2],
                parsed.op,
              );
      } catch (err) {
        if (err instanceof ValidationError) return again([err.message]);
        throw err;
      }
      const owned = kind === 'gap' ? stored.task.record.status === 'assigned' : true;
      if (owned) delivery.deliverLater(rc.requester, rc.facts.tenantId, stored, rc.context.activity.serviceUrl);
      return taskCard(
        rc,
        stored,
        `${stored.task.record.ref} created${owned ? '; the owner gets the task card in their chat with me' : ''}.`,
      );
    });
    const verb = kind === 'gap' ? VERB.gapCreate : VERB.actionCreate;
    app.addRoute(
      executeOf(verb),
      async (context, state) => answerPresser(context, await create(context, state, executeData(context))),
      true,
    );
  }

  // The refresh is one viewer's own card: answered to them alone, never put in place for everyone
  // (teams-ai's actionExecute would, for a card that carries `refresh`).
  const refresh = guardedInvoke(deps, 'gap.read', async (rc, data) => {
    const { ref } = parseData(TaskRefresh, data);
    return taskCard(rc, await rc.deps.tasks.load(rc.requester, rc.viewer, ref), '', { personalView: true });
  });
  app.addRoute(
    executeOf(VERB.taskRefresh),
    async (context, state) => answerPresser(context, await refresh(context, state, executeData(context))),
    true,
  );
}
