import { z } from 'zod';
import { ActionRef, ActionStatus } from './action.js';
import { Classification } from './classification.js';
import { GapRef, GapStatus } from './gap.js';
import { Role } from './member.js';
import { Sector } from './partnership.js';
import { OcgRef, RecommendationFields } from './profile.js';
import { STRAND_PREFIX, Strand } from './strand.js';
import { AadObjectId, IsoDate, Slug, boundedText } from './text.js';

/**
 * The rows of the project's own import files (CSV, one kind per file, or one JSON with an array
 * per kind), as the README documents them. Every schema is strict: a column or field the schema
 * does not name is refused, so a file cannot carry a person's name, an address or a note into
 * the store by a column we never meant to keep (no named individuals, guidance principle 4).
 */

export const OWN_KINDS = ['agencies', 'members', 'ocgs', 'gaps', 'actions', 'recommendations'] as const;
export type OwnKind = (typeof OWN_KINDS)[number];

export const AgencyRow = z.object({ id: Slug, name: boundedText(120), sector: Sector }).strict();

/** Partnership staff who use the bot (not suspects, victims or nominals). */
export const MemberRow = z
  .object({
    aadObjectId: AadObjectId,
    agencyId: Slug,
    displayName: boundedText(120),
    roles: z.array(Role).min(1, 'a member needs at least one role'),
    clearance: Classification.default('OFFICIAL'),
    active: z.boolean().default(true),
  })
  .strict();

/** An OCG reference on a district's profile: a reference and a MoRILE score, never a person. */
export const OcgRow = OcgRef.extend({ districtId: Slug }).strict();

export const GapRow = z
  .object({
    ref: GapRef,
    districtId: Slug,
    question: boundedText(500),
    status: GapStatus,
    ownerAgencyId: Slug.optional(),
    due: IsoDate.optional(),
    classification: Classification.default('OFFICIAL'),
    resolution: boundedText(1000).optional(),
  })
  .strict()
  .refine((g) => g.status === 'open' || g.status === 'closed' || g.ownerAgencyId !== undefined, {
    message: 'an assigned, in-progress or filled gap needs an owning agency',
    path: ['ownerAgencyId'],
  });

export const ActionRow = z
  .object({
    ref: ActionRef,
    districtId: Slug,
    strand: Strand,
    title: boundedText(300),
    leadAgencyId: Slug,
    status: ActionStatus,
    due: IsoDate.optional(),
    impactMeasure: boundedText(300),
    classification: Classification.default('OFFICIAL'),
    lastUpdate: boundedText(1000).optional(),
  })
  .strict()
  .refine((a) => a.ref.startsWith(`${STRAND_PREFIX[a.strand]}-`), {
    message: 'the reference prefix must match the strand (PREP, PURS, PREV, PROT)',
    path: ['ref'],
  });

/**
 * A recommendation of a district's profile, numbered, for a named agency to take forward
 * (guidance 2.1). Its text is checked for personal data as a recommendation made in Teams is.
 */
export const RecommendationRow = z
  .object({
    districtId: Slug,
    ...RecommendationFields.shape,
    // A row is numbered: the board refers to it by number, and a second import finds it by it.
    number: z.number().int().positive().max(999),
  })
  .strict()
  .refine((r) => r.actionRef === undefined || r.state === 'taken-forward', {
    message: 'a recommendation with an actionRef must be in state taken-forward',
    path: ['state'],
  });

export const OWN_ROW_SCHEMAS = {
  agencies: AgencyRow,
  members: MemberRow,
  ocgs: OcgRow,
  gaps: GapRow,
  actions: ActionRow,
  recommendations: RecommendationRow,
} as const;

export type OwnRow = {
  agencies: z.infer<typeof AgencyRow>;
  members: z.infer<typeof MemberRow>;
  ocgs: z.infer<typeof OcgRow>;
  gaps: z.infer<typeof GapRow>;
  actions: z.infer<typeof ActionRow>;
  recommendations: z.infer<typeof RecommendationRow>;
};

/**
 * A socio-economic indicator for a district from the documented indicators CSV
 * (indicator, district, value, source, date): fuel poverty, unemployment, school exclusions, …
 */
export const IndicatorRow = z
  .object({
    indicator: boundedText(120),
    district: Slug,
    value: z.number({ invalid_type_error: 'must be a number' }).finite(),
    source: boundedText(120),
    date: z.string().regex(/^\d{4}(-\d{2}(-\d{2})?)?$/, 'must be a year or date: YYYY, YYYY-MM or YYYY-MM-DD'),
  })
  .strict();
export type IndicatorRow = z.infer<typeof IndicatorRow>;

/** A slug for an indicator or source named in free text: "Fuel poverty (%)" → "fuel-poverty". */
export function slugOf(text: string): string {
  return (
    text
      .toLowerCase()
      .normalize('NFKD')
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64) || 'x'
  );
}
