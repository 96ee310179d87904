import { addMonths, dueState, toIsoDate, type DueState } from './dates.js';
import type { Profile, Review } from './profile.js';

/** Guidance principle 6: a substantive refresh every 12 months. */
export const REFRESH_MONTHS = 12;
/** West Yorkshire revisits the crime severity score every six months (guidance section 4). */
export const CSI_REVIEW_MONTHS = 6;

export function reviewAfterRefresh(refreshedAt: Date, previous?: Review): Review {
  const at = refreshedAt.toISOString();
  return {
    ...previous,
    lastRefreshedAt: at,
    nextRefreshDue: addMonths(at, REFRESH_MONTHS),
    csiReviewDue: previous?.csiReviewDue ?? addMonths(at, CSI_REVIEW_MONTHS),
  };
}

/**
 * A coordinator records the review: who and when, and the rank and score it saw, so the next card
 * can show the change since this review. A recorded review is also the profile's refresh: it
 * moves the 12-month date (an import of more data does not).
 */
export function markReviewed(profile: Profile, reviewer: string, now: Date): Profile {
  const at = now.toISOString();
  const severity = profile.threat.severity;
  return {
    ...profile,
    threat: {
      ...profile.threat,
      severity: severity && { ...severity, rankAtLastReview: severity.rank, scoreAtLastReview: severity.score },
    },
    review: {
      ...profile.review,
      lastRefreshedAt: at,
      nextRefreshDue: addMonths(at, REFRESH_MONTHS),
      lastReviewedAt: at,
      lastReviewedBy: reviewer,
      csiReviewDue: addMonths(toIsoDate(now), CSI_REVIEW_MONTHS),
    },
  };
}

export interface ReviewStatus {
  refresh: DueState;
  csiReview: DueState;
  anyOverdue: boolean;
}

export function reviewStatus(review: Review, now: Date): ReviewStatus {
  const refresh = dueState(review.nextRefreshDue, now);
  const csiReview = dueState(review.csiReviewDue, now);
  return { refresh, csiReview, anyOverdue: refresh === 'overdue' || csiReview === 'overdue' };
}
