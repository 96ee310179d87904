import { describe, expect, it } from 'vitest';
import { addMonths, dueState, formatDay, formatPeriod } from '../../src/domain/dates.js';
import type { Profile } from '../../src/domain/profile.js';
import { markReviewed, reviewAfterRefresh, reviewStatus } from '../../src/domain/review.js';

describe('dates', () => {
  it('adds calendar months, clamping to the end of a shorter month', () => {
    expect(addMonths('2026-01-31', 1)).toBe('2026-02-28');
    expect(addMonths('2024-01-31', 1)).toBe('2024-02-29');
    expect(addMonths('2026-08-31T10:00:00Z', 6)).toBe('2027-02-28');
    expect(addMonths('2026-03-15', 12)).toBe('2027-03-15');
  });

  it('is overdue from the day after it falls due, and due soon within 30 days', () => {
    const now = new Date('2026-11-25T23:59:00Z');
    expect(dueState('2026-11-25', now)).toBe('due-soon');
    expect(dueState('2026-11-24', now)).toBe('overdue');
    expect(dueState('2026-12-25', now)).toBe('due-soon');
    expect(dueState('2026-12-26', now)).toBe('ok');
  });

  it('writes days and periods for a UK reader', () => {
    expect(formatDay('2026-03-05')).toBe('5 Mar 2026');
    expect(formatPeriod({ from: '2019-10', to: '2019-12' })).toBe('Oct–Dec 2019');
    expect(formatPeriod({ from: '2019-12', to: '2020-02' })).toBe('Dec 2019 – Feb 2020');
    expect(formatPeriod({ from: '2019-10', to: '2019-10' })).toBe('Oct 2019');
  });
});

describe('review (guidance principle 6)', () => {
  const refreshed = new Date('2026-02-10T09:00:00Z');
  const review = reviewAfterRefresh(refreshed);

  it('puts the substantive refresh 12 months and the severity review 6 months after a refresh', () => {
    expect(review).toEqual({
      lastRefreshedAt: '2026-02-10T09:00:00.000Z',
      nextRefreshDue: '2027-02-10',
      csiReviewDue: '2026-08-10',
    });
  });

  it('warns when either falls overdue', () => {
    expect(reviewStatus(review, new Date('2026-06-01T00:00:00Z'))).toMatchObject({ anyOverdue: false });
    expect(reviewStatus(review, new Date('2026-08-11T00:00:00Z'))).toEqual({
      refresh: 'ok',
      csiReview: 'overdue',
      anyOverdue: true,
    });
    expect(reviewStatus(review, new Date('2027-02-11T00:00:00Z')).refresh).toBe('overdue');
  });

  it('records who reviewed, when, and the rank it saw; the next review is six months on, the next refresh twelve', () => {
    const profile = {
      partnershipId: 'p',
      districtId: 'd',
      classification: 'OFFICIAL',
      threat: {
        ocgs: [],
        crime: [],
        severity: {
          score: 12.5,
          period: { from: '2019-10', to: '2019-12' },
          rank: 3,
          outOf: 105,
          rankAtLastReview: 9,
          scoreAtLastReview: 8.1,
          method: 'test',
        },
      },
      vulnerabilities: [],
      dataSources: [],
      recommendations: [],
      review,
    } satisfies Profile;
    const now = new Date('2026-09-01T12:00:00Z');
    const after = markReviewed(profile, 'aad-id', now);
    expect(after.review).toMatchObject({
      lastReviewedAt: now.toISOString(),
      lastReviewedBy: 'aad-id',
      csiReviewDue: '2027-03-01',
    });
    expect(after.threat.severity).toMatchObject({ rank: 3, rankAtLastReview: 3, scoreAtLastReview: 12.5 });
    // A recorded review is the profile's refresh: the 12-month date moves with it (issue 14).
    expect(after.review).toMatchObject({ lastRefreshedAt: now.toISOString(), nextRefreshDue: '2027-09-01' });
  });
});
