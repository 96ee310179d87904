import { Classification } from './classification.js';
import { IsoDate } from './text.js';
import { banner, type Banner } from './summary.js';
import { parseRef } from './refs.js';
import { isCalendarDate } from './task-text.js';
import { Strand, STRAND_LABEL } from './strand.js';

/** A new gap as the form or the one-line command gives it, checked (ids not yet resolved). */
export interface NewGap {
  districtId: string;
  question: string;
  agencyId?: string | undefined;
  ownerAadObjectId?: string | undefined;
  due?: string | undefined;
  classification: Classification;
  noPersonalData: NoPersonalData;
}

/** How the creator vouched that the text holds no personal data (see LastChange). */
export type NoPersonalData = 'confirmed' | 'typed';

export interface NewAction {
  districtId: string;
  strand: Strand;
  title: string;
  agencyId: string;
  ownerAadObjectId?: string | undefined;
  due?: string | undefined;
  impactMeasure: string;
  impactBefore?: number | undefined;
  fromGapRef?: string | undefined;
  /** The number of the district profile's recommendation it takes forward. */
  fromRecommendation?: number | undefined;
  classification: Classification;
  noPersonalData: NoPersonalData;
}

/** What the form holds, as strings (what the card sends back, and what it shows again). */
export interface FormValues {
  text: string;
  strand: string;
  agency: string;
  owner: string;
  due: string;
  impactMeasure: string;
  impactBefore: string;
  fromGap: string;
  classification: string;
  /** The "contains no personal data" toggle: "true" when ticked. */
  noPersonalData: string;
}

export const EMPTY_FORM: FormValues = {
  text: '',
  strand: '',
  agency: '',
  owner: '',
  due: '',
  impactMeasure: '',
  impactBefore: '',
  fromGap: '',
  classification: 'OFFICIAL',
  noPersonalData: '',
};

export type FormResult<T> = { ok: true; value: T } | { ok: false; errors: string[] };

function common(v: FormValues, textName: string, textMax: number, now: Date) {
  const errors: string[] = [];
  const text = v.text.trim();
  if (!text) errors.push(`${textName} is needed.`);
  else if (text.length > textMax) errors.push(`${textName} must be at most ${textMax} characters.`);
  // eslint-disable-next-line no-control-regex
  else if (/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/.test(text))
    errors.push(`${textName} has control characters.`);
  const due = v.due.trim();
  if (due && (!IsoDate.safeParse(due).success || !isCalendarDate(due))) {
    errors.push('Due date must be a date such as 2027-01-31.');
  } else if (due && due < now.toISOString().slice(0, 10)) {
    errors.push('Due date is in the past.');
  }
  const classification = Classification.safeParse(v.classification || 'OFFICIAL');
  if (!classification.success) errors.push('Classification must be OFFICIAL or OFFICIAL-SENSITIVE.');
  if (v.noPersonalData !== 'true') errors.push('Confirm that it contains no personal data (no names of people).');
  return {
    errors,
    text,
    due: due || undefined,
    classification: classification.success ? classification.data : 'OFFICIAL',
    agencyId: v.agency.trim() || undefined,
    ownerAadObjectId: v.owner.trim() || undefined,
  };
}

export function readGapForm(districtId: string, v: FormValues, now: Date): FormResult<NewGap> {
  const c = common(v, 'The question', 500, now);
  if (c.ownerAadObjectId && !c.agencyId) c.errors.push('Choose the owning agency for the owner.');
  if (c.errors.length) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: {
      districtId,
      question: c.text,
      agencyId: c.agencyId,
      ownerAadObjectId: c.ownerAadObjectId,
      due: c.due,
      classification: c.classification,
      noPersonalData: 'confirmed',
    },
  };
}

export function readActionForm(districtId: string, v: FormValues, now: Date): FormResult<NewAction> {
  const c = common(v, 'The action', 300, now);
  const strand = Strand.safeParse(v.strand.trim().toLowerCase());
  if (!strand.success) c.errors.push('Choose a strand: Prepare, Pursue, Prevent or Protect.');
  if (!c.agencyId) c.errors.push('Choose the lead agency.');
  const measure = v.impactMeasure.trim();
  if (!measure) c.errors.push('Say how its impact will be measured.');
  else if (measure.length > 300) c.errors.push('The impact measure must be at most 300 characters.');
  let impactBefore: number | undefined;
  if (v.impactBefore.trim()) {
    impactBefore = Number(v.impactBefore.trim());
    if (!Number.isFinite(impactBefore)) c.errors.push('The starting figure must be a number.');
  }
  let fromGapRef: string | undefined;
  if (v.fromGap.trim()) {
    fromGapRef = parseRef(v.fromGap)?.ref;
    if (!fromGapRef?.startsWith('G-')) c.errors.push('Raised from must be a gap reference such as G-12.');
  }
  if (c.errors.length || !strand.success || !c.agencyId) return { ok: false, errors: c.errors };
  return {
    ok: true,
    value: {
      districtId,
      strand: strand.data,
      title: c.text,
      agencyId: c.agencyId,
      ownerAadObjectId: c.ownerAadObjectId,
      due: c.due,
      impactMeasure: measure,
      impactBefore,
      fromGapRef,
      classification: c.classification,
      noPersonalData: 'confirmed',
    },
  };
}

export interface TaskFormView {
  banner: Banner;
  title: string;
  district: string;
  isAction: boolean;
  textLabel: string;
  textMax: number;
  agencyLabel: string;
  submitTitle: string;
  verb: string;
  data: { districtId: string; op: string; recommendation?: number };
  /** "Taking forward recommendation 2: …" on a form opened by Make action; empty otherwise. */
  fromText: string;
  values: FormValues;
  hasImpactBefore: boolean;
  errors: string[];
  hasErrors: boolean;
  classificationLabel: string;
  classifications: { title: string; value: string }[];
  agencies: { title: string; value: string }[];
  people: { title: string; value: string }[];
  gaps: { title: string; value: string }[];
}

export function composeTaskForm(input: {
  kind: 'gap' | 'action';
  verb: string;
  demo: boolean;
  districtId: string;
  districtName: string;
  values: FormValues;
  errors: readonly string[];
  /** Whether OFFICIAL-SENSITIVE may be chosen here (a cleared member's 1:1 chat). */
  sensitiveOffered: boolean;
  op: string;
  agencies: readonly { title: string; value: string }[];
  people: readonly { title: string; value: string }[];
  gaps: readonly { title: string; value: string }[];
  /** The recommendation the action takes forward (Make action), carried back with the form's data. */
  recommendation?: { number: number; text: string } | undefined;
}): TaskFormView {
  const isAction = input.kind === 'action';
  const strand = Strand.safeParse(input.values.strand);
  // A draft shown again carries its own classification; where it may not be chosen, it is not shown.
  const sensitive = input.sensitiveOffered && input.values.classification === 'OFFICIAL-SENSITIVE';
  return {
    banner: banner(sensitive ? 'OFFICIAL-SENSITIVE' : 'OFFICIAL', input.demo),
    title: isAction ? `New ${strand.success ? `${STRAND_LABEL[strand.data]} ` : '4P '}action` : 'New intelligence gap',
    district: input.districtName,
    isAction,
    textLabel: isAction ? 'The action' : 'The question the partnership needs answered',
    textMax: isAction ? 300 : 500,
    agencyLabel: isAction ? 'Lead agency' : 'Owning agency (optional: leave empty to raise it unowned)',
    submitTitle: isAction ? 'Add action' : 'Raise gap',
    verb: input.verb,
    data: {
      districtId: input.districtId,
      op: input.op,
      ...(input.recommendation && { recommendation: input.recommendation.number }),
    },
    fromText: input.recommendation
      ? `Taking forward recommendation ${input.recommendation.number}: ${input.recommendation.text}`
      : '',
    values: input.values,
    hasImpactBefore: input.values.impactBefore.trim() !== '' && Number.isFinite(Number(input.values.impactBefore)),
    errors: [...input.errors],
    hasErrors: input.errors.length > 0,
    classificationLabel: input.sensitiveOffered
      ? 'Classification'
      : 'Classification (OFFICIAL-SENSITIVE items are created in your 1:1 chat with me)',
    classifications: [
      { title: 'OFFICIAL', value: 'OFFICIAL' },
      ...(input.sensitiveOffered ? [{ title: 'OFFICIAL-SENSITIVE', value: 'OFFICIAL-SENSITIVE' }] : []),
    ],
    agencies: [...input.agencies],
    people: [...input.people],
    gaps: [...input.gaps],
  };
}
