import { describe, expect, it } from 'vitest';
import { mergeImported, newProfile } from '../../src/domain/imported-profile.js';
import type { CrimePeriod, Indicator, Profile } from '../../src/domain/profile.js';
import { markReviewed } from '../../src/domain/review.js';

const NOW = new Date('2026-03-02T09:00:00Z');
const period = (from: string, rank: number, score: number): CrimePeriod => ({
  period: { from, to: from },
  counts: [{ crimeType: 'Robbery', count: 1 }],
  severity: { score, rank, outOf: 3 },
});
const indicator = (key: string, value: number, sourceId: string): Indicator => ({
  key,
  label: key,
  value,
  display: String(value),
  sourceId,
  asOf: '2019',
  classification: 'OFFICIAL',
});
const source = (id: string) => ({ id, name: id, publisher: id, licence: 'OGL', asOf: '2019' });

function stored(): Profile {
  const p = newProfile('mersey', 'E05000961', NOW);
  return mergeImported(
    {
      ...p,
      recommendations: [{ text: 'Share the licensing picture', classification: 'OFFICIAL' }],
      classification: 'OFFICIAL-SENSITIVE',
    },
    {
      crime: [period('2019-04', 3, 349.31)],
      indicators: [indicator('fuel-poverty', 14.2, 'beis'), indicator('imd-average-rank', 9000, 'iod')],
      sources: [source('beis'), source('iod')],
      ocgs: [{ ref: 'OCG-31', morileScore: 455, classification: 'OFFICIAL' }],
    },
    'method',
  );
}

describe('a profile after an import', () => {
  it('keeps what people put there, and the indicators and sources of other origins', () => {
    const merged = mergeImported(
      stored(),
      {
        crime: [period('2019-10', 1, 2537.7)],
        indicators: [indicator('imd-average-rank', 8000, 'iod')],
        sources: [source('iod')],
      },
      'method',
    );
    expect(merged.classification).toBe('OFFICIAL-SENSITIVE');
    expect(merged.recommendations).toHaveLength(1);
    expect(merged.threat.ocgs.map((o) => o.ref)).toEqual(['OCG-31']);
    expect(merged.vulnerabilities.map((v) => [v.key, v.value])).toEqual([
      ['imd-average-rank', 8000],
      ['fuel-poverty', 14.2],
    ]);
    expect(merged.dataSources.map((s) => s.id)).toEqual(['iod', 'beis']);
    expect(merged.threat.severity).toMatchObject({
      score: 2537.7,
      rank: 1,
      rankAtLastReview: 3,
      scoreAtLastReview: 349.31,
    });
  });

  it('replaces the OCG list when the import gives one for the district', () => {
    const merged = mergeImported(
      stored(),
      { indicators: [], sources: [], ocgs: [{ ref: 'OCG-40', morileScore: 100, classification: 'OFFICIAL' }] },
      'm',
    );
    expect(merged.threat.ocgs.map((o) => o.ref)).toEqual(['OCG-40']);
    expect(merged.threat.crime).toEqual(stored().threat.crime);
  });

  it('after a recorded review, measures the change from the rank the coordinator reviewed', () => {
    const reviewed = markReviewed(stored(), 'cccccccc-1111-2222-3333-444444444444', NOW);
    const later = mergeImported(reviewed, { crime: [period('2019-07', 2, 900)], indicators: [], sources: [] }, 'm');
    // The history has no period six months before July, but the review recorded rank 3.
    expect(later.threat.severity).toMatchObject({ rank: 2, rankAtLastReview: 3, scoreAtLastReview: 349.31 });
    expect(later.review.lastReviewedAt).toBe(NOW.toISOString());
  });
});
