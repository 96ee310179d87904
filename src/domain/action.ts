import { z } from 'zod';
import { Classification } from './classification.js';
import { ValidationError } from './errors.js';
import { GapRef } from './gap.js';
import { LastChange } from './last-change.js';
import { workText } from './personal-data.js';
import { STRAND_PREFIX, Strand } from './strand.js';
import { assertTransition, type TransitionTable } from './transitions.js';
import { AadObjectId, IsoDate, IsoDateTime, Slug } from './text.js';

/**
 * A 4P delivery-plan action (guidance 2.2, 3.8): allocated to the agency best placed to lead,
 * with an owner, a due date and how its impact will be measured.
 */
export const ActionStatus = z.enum(['planned', 'in_progress', 'blocked', 'done', 'cancelled']);
export type ActionStatus = z.infer<typeof ActionStatus>;

export const ACTION_TRANSITIONS: TransitionTable<ActionStatus> = {
  // Blocked before it starts, as well as once under way ("awaiting funding"; issue 16, item 7).
  planned: ['in_progress', 'blocked', 'done', 'cancelled'],
  in_progress: ['blocked', 'done', 'cancelled'],
  blocked: ['in_progress', 'cancelled'],
  done: ['in_progress'],
  cancelled: ['planned'],
};

export const ACTION_STATUS_LABEL: Record<ActionStatus, string> = {
  planned: 'Planned',
  in_progress: 'In progress',
  blocked: 'Blocked',
  done: 'Done',
  cancelled: 'Cancelled',
};

export const ActionRef = z
  .string()
  .regex(/^(PREP|PURS|PREV|PROT)-[1-9]\d*$/, 'must be an action reference such as PREV-3');

const ActionFields = z.strictObject({
  ref: ActionRef,
  partnershipId: Slug,
  districtId: Slug,
  strand: Strand,
  title: workText(300),
  leadAgencyId: Slug,
  ownerAadObjectId: AadObjectId.optional(),
  status: ActionStatus,
  due: IsoDate.optional(),
  impactMeasure: workText(300),
  /** The measure when the action was planned, and at its latest reading (e.g. a count, a severity score). */
  impactBefore: z.number().finite().optional(),
  impactAfter: z.number().finite().optional(),
  /** The intelligence gap this action was raised from, so the board sees what each gap led to. */
  fromGapRef: GapRef.optional(),
  /**
   * The number of the district profile's recommendation it takes forward. Written with the action,
   * before the recommendation is linked to it, so an action whose link was not yet written still
   * says where it came from (services/recommendations.ts).
   */
  fromRecommendation: z.number().int().positive().max(999).optional(),
  classification: Classification.default('OFFICIAL'),
  /** The latest progress note, as the owner wrote it. */
  lastUpdate: workText(1000).optional(),
  lastChange: LastChange.optional(),
  createdBy: z.string().min(1),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

export const FourPAction = ActionFields.refine((a) => a.ref.startsWith(`${STRAND_PREFIX[a.strand]}-`), {
  message: 'the reference prefix must match the strand',
  path: ['ref'],
});
export type FourPAction = z.infer<typeof FourPAction>;

/** An action before the store gives it its reference (the prefix follows the strand). */
export const ActionDraft = ActionFields.omit({ ref: true });
export type ActionDraft = z.infer<typeof ActionDraft>;

export function isActionOpen(status: ActionStatus): boolean {
  return status !== 'done' && status !== 'cancelled';
}

export function changeActionStatus(action: FourPAction, to: ActionStatus, now: Date, note?: string): FourPAction {
  assertTransition('4P action', ACTION_TRANSITIONS, action.status, to);
  const next: FourPAction = { ...action, status: to, updatedAt: now.toISOString() };
  if (note !== undefined) next.lastUpdate = note;
  // A change that would make the record invalid (a note naming a person, too long) is a clear
  // refusal, not an unexpected error.
  const parsed = FourPAction.safeParse(next);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ValidationError(`That was not recorded: ${issues.join('; ')}.`, issues);
  }
  return parsed.data;
}

/** What counting a district's plan needs (per strand, by status, overdue): read without the text. */
export type ActionFacts = Pick<FourPAction, 'ref' | 'strand' | 'status' | 'due' | 'classification'>;

export function actionFacts(a: FourPAction): ActionFacts {
  const facts: ActionFacts = { ref: a.ref, strand: a.strand, status: a.status, classification: a.classification };
  if (a.due !== undefined) facts.due = a.due;
  return facts;
}
