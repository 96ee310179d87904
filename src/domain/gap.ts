import { z } from 'zod';
import { Classification } from './classification.js';
import { ValidationError } from './errors.js';
import { LastChange } from './last-change.js';
import { workText } from './personal-data.js';
import { assertTransition, type TransitionTable } from './transitions.js';
import { AadObjectId, IsoDate, IsoDateTime, Slug } from './text.js';

/**
 * An intelligence gap in a profile (guidance 2.1): something the partnership does not know and
 * tasks an agency to find out (3.8: "actioning intelligence gaps").
 * - open: raised, no agency owns it yet
 * - assigned: an agency has been asked to fill it
 * - in_progress: the agency accepted it and is working on it
 * - blocked: the agency cannot go on until something else happens (the reason is recorded)
 * - filled: the answer was provided
 * - closed: no longer needed, or it cannot be filled (the reason is recorded)
 */
export const GapStatus = z.enum(['open', 'assigned', 'in_progress', 'blocked', 'filled', 'closed']);
export type GapStatus = z.infer<typeof GapStatus>;

export const GAP_TRANSITIONS: TransitionTable<GapStatus> = {
  open: ['assigned', 'closed'],
  // Re-assigning to another agency keeps the gap assigned; declining returns it to open.
  // Blocked from assigned too: work is often held up before it starts (issue 16, item 7).
  assigned: ['assigned', 'in_progress', 'blocked', 'open', 'closed'],
  // A coordinator may hand work in progress to someone else (people change jobs mid-task).
  in_progress: ['filled', 'blocked', 'open', 'closed', 'assigned'],
  blocked: ['in_progress', 'assigned', 'open', 'closed'],
  filled: ['open'],
  closed: ['open'],
};

export const GAP_STATUS_LABEL: Record<GapStatus, string> = {
  open: 'Open',
  assigned: 'Assigned',
  in_progress: 'In progress',
  blocked: 'Blocked',
  filled: 'Filled',
  closed: 'Closed',
};

export const GapRef = z.string().regex(/^G-[1-9]\d*$/, 'must be a gap reference such as G-12');

const GapFields = z.strictObject({
  ref: GapRef,
  partnershipId: Slug,
  districtId: Slug,
  question: workText(500),
  classification: Classification.default('OFFICIAL'),
  status: GapStatus,
  ownerAgencyId: Slug.optional(),
  ownerAadObjectId: AadObjectId.optional(),
  due: IsoDate.optional(),
  /** What filled the gap, or why it was closed. */
  resolution: workText(1000).optional(),
  /** The latest progress note, as the owner wrote it. */
  lastUpdate: workText(1000).optional(),
  lastChange: LastChange.optional(),
  createdBy: z.string().min(1),
  createdAt: IsoDateTime,
  updatedAt: IsoDateTime,
});

function ownedWhenWorkedOn(g: { status: GapStatus; ownerAgencyId?: string | undefined }): boolean {
  return g.status === 'open' || g.status === 'closed' || g.ownerAgencyId !== undefined;
}
const OWNED_MESSAGE = {
  message: 'an assigned, in-progress or filled gap needs an owning agency',
  path: ['ownerAgencyId'],
};

export const IntelligenceGap = GapFields.refine(ownedWhenWorkedOn, OWNED_MESSAGE);
export type IntelligenceGap = z.infer<typeof IntelligenceGap>;

/** A gap before the store gives it its reference. */
export const GapDraft = GapFields.omit({ ref: true }).refine(ownedWhenWorkedOn, OWNED_MESSAGE);
export type GapDraft = z.infer<typeof GapDraft>;

export function isGapOpen(status: GapStatus): boolean {
  return status !== 'filled' && status !== 'closed';
}

/** Moves a gap to a new status, or throws InvalidTransitionError. */
export function changeGapStatus(
  gap: IntelligenceGap,
  to: GapStatus,
  now: Date,
  patch: Partial<
    Pick<IntelligenceGap, 'ownerAgencyId' | 'ownerAadObjectId' | 'resolution' | 'due' | 'lastUpdate'>
  > = {},
): IntelligenceGap {
  assertTransition('gap', GAP_TRANSITIONS, gap.status, to);
  const next: IntelligenceGap = { ...gap, ...patch, status: to, updatedAt: now.toISOString() };
  if (to === 'open') {
    // Declined or released: nobody owns it any more.
    delete next.ownerAgencyId;
    delete next.ownerAadObjectId;
  }
  // A change that would make the record invalid (a note naming a person, too long) is a clear
  // refusal, not an unexpected error.
  const parsed = IntelligenceGap.safeParse(next);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ValidationError(`That was not recorded: ${issues.join('; ')}.`, issues);
  }
  return parsed.data;
}

/** What counting a district's gaps needs (open, unowned, overdue, withheld): read without the text. */
export type GapFacts = Pick<IntelligenceGap, 'ref' | 'status' | 'due' | 'ownerAgencyId' | 'classification'>;

export function gapFacts(g: IntelligenceGap): GapFacts {
  const facts: GapFacts = { ref: g.ref, status: g.status, classification: g.classification };
  if (g.due !== undefined) facts.due = g.due;
  if (g.ownerAgencyId !== undefined) facts.ownerAgencyId = g.ownerAgencyId;
  return facts;
}
