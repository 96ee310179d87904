import { describe, expect, it } from 'vitest';
import type { CrimePeriod } from '../../src/domain/profile.js';
import {
  MAX_CRIME_PERIODS,
  mergeCrimeHistory,
  periodsOfMonths,
  quarterOf,
  reviewBaseline,
  severityFromHistory,
} from '../../src/domain/severity-history.js';

const scored = (from: string, to: string, rank: number, score = 100): CrimePeriod => ({
  period: { from, to },
  counts: [{ crimeType: 'Robbery', count: rank }],
  severity: { score, rank, outOf: 10 },
});

describe('periods of the months imported', () => {
  it('groups months by calendar quarter', () => {
    expect(['2019-03', '2019-04', '2019-12'].map(quarterOf)).toEqual(['2019-Q1', '2019-Q2', '2019-Q4']);
    expect(periodsOfMonths(['2019-12', '2019-10', '2019-11', '2019-04', '2019-05', '2019-06'])).toEqual({
      periods: [
        { from: '2019-04', to: '2019-06' },
        { from: '2019-10', to: '2019-12' },
      ],
      gaps: [],
    });
  });

  it('takes a partial quarter as the months it has, and names a month missing inside one', () => {
    expect(periodsOfMonths(['2019-10', '2019-11']).periods).toEqual([{ from: '2019-10', to: '2019-11' }]);
    expect(periodsOfMonths(['2019-10', '2019-12']).gaps).toEqual(['2019-11']);
  });
});

describe('the history a profile keeps', () => {
  it('puts the latest period first and replaces a period imported again', () => {
    const stored = [scored('2019-04', '2019-06', 5)];
    const merged = mergeCrimeHistory(stored, [scored('2019-10', '2019-12', 2), scored('2019-04', '2019-06', 4)]);
    expect(merged.map((c) => [c.period.from, c.severity?.rank])).toEqual([
      ['2019-10', 2],
      ['2019-04', 4],
    ]);
    expect(mergeCrimeHistory(merged, merged)).toEqual(merged);
  });

  it('replaces a partial quarter with the whole one when the rest of its months arrive', () => {
    const merged = mergeCrimeHistory([scored('2019-10', '2019-11', 3)], [scored('2019-10', '2019-12', 6)]);
    expect(merged.map((c) => c.period)).toEqual([{ from: '2019-10', to: '2019-12' }]);
  });

  it(`keeps at most ${MAX_CRIME_PERIODS} periods, dropping the oldest`, () => {
    const quarters = Array.from({ length: 15 }, (_, i) => {
      const year = 2015 + Math.floor(i / 4);
      const m = String((i % 4) * 3 + 1).padStart(2, '0');
      return scored(`${year}-${m}`, `${year}-${m}`, i + 1);
    });
    const merged = mergeCrimeHistory([], quarters);
    expect(merged).toHaveLength(MAX_CRIME_PERIODS);
    expect(merged[0]!.period.from).toBe('2018-07');
    expect(merged.at(-1)!.period.from).toBe('2015-10');
  });
});

describe('the change since the last six-monthly review', () => {
  it('compares with the latest period that ended six months or more before the latest', () => {
    const history = [scored('2020-01', '2020-03', 1), scored('2019-10', '2019-12', 2), scored('2019-07', '2019-09', 7)];
    expect(reviewBaseline(history)?.period).toEqual({ from: '2019-07', to: '2019-09' });
    expect(severityFromHistory(history, 'method')).toMatchObject({
      rank: 1,
      rankAtLastReview: 7,
      period: { from: '2020-01', to: '2020-03' },
    });
  });

  it('has nothing to compare with until a period six months back is held', () => {
    const history = [scored('2020-01', '2020-03', 1), scored('2019-10', '2019-12', 2)];
    expect(reviewBaseline(history)).toBeUndefined();
    expect(severityFromHistory(history, 'method')?.rankAtLastReview).toBeUndefined();
  });

  it('gives no severity when the latest period has no score (no residents)', () => {
    expect(severityFromHistory([{ period: { from: '2019-10', to: '2019-12' }, counts: [] }], 'm')).toBeUndefined();
  });
});
