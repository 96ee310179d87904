/**
 * Card verbs: the one list shared by the templates in cards/ and the routes that answer them
 * (a test checks that every verb a template uses is here and has a route). A verb names the intent.
 */
export const VERB = {
  /** Action.Submit { districtId }: a district's summary card, as a new message. */
  districtSummary: 'district.summary',
  /** Action.Submit { districtId }: the district's intelligence gaps. */
  districtGaps: 'district.gaps',
  /** Action.Submit { districtId }: the district's 4P plan. */
  districtPlan: 'district.plan',
  /** Action.Execute { districtId, etag }: record the six-monthly review; the card refreshes in place. */
  profileReview: 'profile.review',
  /** Action.Submit { text }: run a suggested command as if it had been typed. */
  commandRun: 'command.run',
} as const;

export type Verb = (typeof VERB)[keyof typeof VERB];
