import { describe, expect, it } from 'vitest';
import { actionStatusSeries, crimeComparisonSeries, scoredHistory, severitySeries } from '../../src/domain/charts.js';
import type { CrimePeriod } from '../../src/domain/profile.js';

const period = (from: string, to: string, score?: number, rankedBy?: 'severity' | 'crimes'): CrimePeriod => ({
  period: { from, to },
  counts: [
    { crimeType: 'Drugs', count: 10 },
    { crimeType: 'Burglary', count: 4 },
  ],
  ...(score !== undefined && { severity: { score, rank: 1, outOf: 2, ...(rankedBy && { rankedBy }) } }),
});

describe('chart data', () => {
  it('draws severity oldest first, as stored, skipping unscored periods and any ranked on another measure', () => {
    // Latest first, as the profile keeps it.
    const history = [
      period('2019-10', '2019-12', 38.17625),
      period('2019-07', '2019-09'),
      period('2019-04', '2019-06', 30.28369),
      period('2019-01', '2019-03', 120, 'crimes'),
    ];
    expect(severitySeries('Central', history)).toEqual({
      legend: 'Central',
      values: [
        { x: 'Apr–Jun 2019', y: 30.28369 },
        { x: 'Oct–Dec 2019', y: 38.17625 },
      ],
    });
    expect(scoredHistory([period('2019-10', '2019-12')])).toEqual([]);
  });

  it('puts the earlier period first in the crime comparison, 0 for a type it did not have', () => {
    const latest = period('2019-10', '2019-12');
    const previous = { ...period('2019-04', '2019-06'), counts: [{ crimeType: 'Drugs', count: 7 }] };
    const [before, after] = crimeComparisonSeries([latest, previous], ['Drugs', 'Burglary']);
    expect(before!.legend).toBe('Apr–Jun 2019');
    expect(before!.values).toEqual([
      { x: 'Drugs', y: 7 },
      { x: 'Burglary', y: 0 },
    ]);
    expect(after!.values.map((v) => v.y)).toEqual([10, 4]);
    expect(crimeComparisonSeries([latest], ['Drugs'])).toHaveLength(1);
  });

  it('stacks actions by status over every strand, with a series only for the statuses present', () => {
    const series = actionStatusSeries([
      { strand: 'pursue', status: 'done' },
      { strand: 'pursue', status: 'planned' },
      { strand: 'protect', status: 'planned' },
    ]);
    expect(series.map((s) => s.legend)).toEqual(['Planned', 'Done']);
    expect(series[0]!.values).toEqual([
      { x: 'Prepare', y: 0 },
      { x: 'Pursue', y: 1 },
      { x: 'Prevent', y: 0 },
      { x: 'Protect', y: 1 },
    ]);
    expect(actionStatusSeries([])).toEqual([]);
  });
});
