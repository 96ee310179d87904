import { z } from 'zod';
import { ActionRef } from './action.js';
import { Classification } from './classification.js';
import { workText } from './personal-data.js';
import { Strand } from './strand.js';
import { AadObjectId, IsoDate, IsoDateTime, Slug, YearMonth, boundedText } from './text.js';

/**
 * An organised crime group as the profile knows it: a reference and its MoRILE score, never a
 * person. No named individuals (suspects, victims, nominals) are held anywhere in the product.
 */
export const OcgRef = z.strictObject({
  ref: z.string().regex(/^OCG-\d{1,6}$/, 'must be an OCG reference such as OCG-14'),
  /** MoRILE (Management of Risk in Law Enforcement) harm score as the force scored it. */
  morileScore: z.number().nonnegative().max(100_000),
  /** The force's priority band for the score, where it uses one (e.g. "High"). */
  band: boundedText(40).optional(),
  classification: Classification.default('OFFICIAL'),
});
export type OcgRef = z.infer<typeof OcgRef>;

/** Months are inclusive: { from: '2019-10', to: '2019-12' } is October to December 2019. */
export const Period = z
  .strictObject({ from: YearMonth, to: YearMonth })
  .refine((p) => p.from <= p.to, 'a period must not end before it starts');
export type Period = z.infer<typeof Period>;

export const CrimeCount = z.strictObject({
  crimeType: boundedText(80),
  count: z.number().int().nonnegative(),
});
export type CrimeCount = z.infer<typeof CrimeCount>;

/**
 * What a district's rank was decided on: its crime severity score per resident (the default), or,
 * when the import had no population for the districts, the number of crimes.
 */
export const RankedBy = z.enum(['severity', 'crimes']);
export type RankedBy = z.infer<typeof RankedBy>;

/**
 * A period's severity score and its rank among the districts imported with it. With `rankedBy`
 * "crimes", `score` is the number of crimes (no residents to divide by).
 */
export const PeriodSeverity = z.strictObject({
  score: z.number().nonnegative(),
  rank: z.number().int().positive(),
  outOf: z.number().int().positive(),
  /** Crimes (anti-social behaviour not counted) per 1,000 residents; absent without a population. */
  crimeRate: z.number().nonnegative().optional(),
  rankedBy: RankedBy.optional(),
});
export type PeriodSeverity = z.infer<typeof PeriodSeverity>;

/** One period of the profile's crime history; `severity` is absent for a district without residents. */
export const CrimePeriod = z.strictObject({
  period: Period,
  counts: z.array(CrimeCount),
  severity: PeriodSeverity.optional(),
});
export type CrimePeriod = z.infer<typeof CrimePeriod>;

/**
 * Crime severity for the latest period and the partnership rank it gives (1 = most harm), as
 * West Yorkshire does (guidance section 4). `rankAtLastReview` is the rank recorded at the last
 * six-monthly review, so the card can say whether harm is rising or falling in relative terms.
 */
export const Severity = z.strictObject({
  score: z.number().nonnegative(),
  period: Period,
  rank: z.number().int().positive(),
  outOf: z.number().int().positive(),
  rankAtLastReview: z.number().int().positive().optional(),
  scoreAtLastReview: z.number().nonnegative().optional(),
  crimeRate: z.number().nonnegative().optional(),
  /** Absent: ranked by severity score. */
  rankedBy: RankedBy.optional(),
  /** How the score was computed, in a sentence (weights, denominator); shown on request. */
  method: boundedText(400),
});
export type Severity = z.infer<typeof Severity>;

export const DataSource = z.strictObject({
  id: Slug,
  name: boundedText(200),
  publisher: boundedText(120),
  licence: boundedText(120),
  url: z.string().url().optional(),
  /** The date or period the data describes (e.g. "2019-10/2019-12", "2019", "mid-2015"). */
  asOf: boundedText(40),
  /** When the partnership last took this data in. */
  retrievedAt: IsoDate.optional(),
});
export type DataSource = z.infer<typeof DataSource>;

/** A vulnerability indicator (guidance principle 3): deprivation, fuel poverty, employment, … */
export const Indicator = z.strictObject({
  key: Slug,
  label: boundedText(120),
  value: z.number(),
  /** How to show the value: "decile 1 of 10", "15%", "12,345". */
  display: boundedText(60),
  sourceId: Slug,
  asOf: boundedText(40),
  classification: Classification.default('OFFICIAL'),
});
export type Indicator = z.infer<typeof Indicator>;

/** Where a recommendation stands: open, taken forward (as a 4P action) or declined by the board. */
export const RecommendationState = z.enum(['open', 'taken-forward', 'declined']);
export type RecommendationState = z.infer<typeof RecommendationState>;

/**
 * A recommendation of the profile, for a named agency to take forward (guidance 2.1). `number` is
 * how the board refers to it; records from before numbering have none and are numbered by their
 * place in the list (recommendationNumber). `actionRef` is the 4P action it was taken forward as.
 * The fields alone are also an import row's (src/domain/import-rows.ts), with its district.
 */
export const RecommendationFields = z.strictObject({
  number: z.number().int().positive().max(999).optional(),
  text: workText(500),
  strand: Strand.optional(),
  agencyId: Slug.optional(),
  /** Absent on records from before states: open. */
  state: RecommendationState.optional(),
  actionRef: ActionRef.optional(),
  classification: Classification.default('OFFICIAL'),
});

export const Recommendation = RecommendationFields.refine(
  (r) => r.actionRef === undefined || r.state === 'taken-forward',
  {
    message: 'a recommendation linked to an action must be taken-forward',
    path: ['state'],
  },
);
export type Recommendation = z.infer<typeof Recommendation>;

export function stateOf(r: Recommendation): RecommendationState {
  return r.state ?? 'open';
}

/** The number a recommendation is known by: its own, else its place in the profile's list (from 1). */
export function recommendationNumber(list: readonly Recommendation[], index: number): number {
  return list[index]?.number ?? index + 1;
}

/** The recommendation of that number, with its place in the list. */
export function findRecommendation(
  list: readonly Recommendation[],
  number: number,
): { index: number; recommendation: Recommendation } | undefined {
  const index = list.findIndex((_, i) => recommendationNumber(list, i) === number);
  return index < 0 ? undefined : { index, recommendation: list[index]! };
}

/**
 * Review state (guidance principle 6): a substantive refresh every 12 months and, after West
 * Yorkshire, a crime-severity review every 6 months.
 */
export const Review = z.strictObject({
  lastRefreshedAt: IsoDateTime,
  nextRefreshDue: IsoDate,
  csiReviewDue: IsoDate,
  lastReviewedAt: IsoDateTime.optional(),
  lastReviewedBy: AadObjectId.optional(),
  /**
   * When data was last imported into the profile ("data as of"). An import of more data is not a
   * refresh: it moves this, never the 12-month refresh date.
   */
  dataUpdatedAt: IsoDateTime.optional(),
});
export type Review = z.infer<typeof Review>;

export const Profile = z.strictObject({
  partnershipId: Slug,
  districtId: Slug,
  classification: Classification.default('OFFICIAL'),
  threat: z.strictObject({
    ocgs: z.array(OcgRef).default([]),
    /** Latest period first; the import keeps at most MAX_CRIME_PERIODS (severity-history.ts). */
    crime: z.array(CrimePeriod).default([]),
    severity: Severity.optional(),
  }),
  vulnerabilities: z.array(Indicator).default([]),
  dataSources: z.array(DataSource).default([]),
  recommendations: z.array(Recommendation).default([]),
  review: Review,
});
export type Profile = z.infer<typeof Profile>;
