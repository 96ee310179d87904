import { describe, expect, it } from 'vitest';
import {
  POLICE_UK_CRIME_TYPES,
  SEVERITY_METHOD,
  categoryWeights,
  median,
  rankBySeverity,
  severityScore,
  crimeRate,
  crimesCounted,
  type OffenceWeight,
} from '../../src/domain/crime-severity.js';
import { ValidationError } from '../../src/domain/errors.js';
import { Severity } from '../../src/domain/profile.js';

/** One offence per notifiable category at weight 1, so a test can vary only what it is about. */
function baseline(): OffenceWeight[] {
  return POLICE_UK_CRIME_TYPES.filter((t) => t !== 'Anti-social behaviour').map((t, i) => ({
    offenceCode: `X${i}`,
    offence: `only offence of ${t}`,
    weight: 1,
    policeUkCategory: t,
  }));
}

function withCategory(category: string, weights: [code: string, weight: number][]): OffenceWeight[] {
  return [
    ...baseline().filter((o) => o.policeUkCategory.toLowerCase() !== category.toLowerCase()),
    ...weights.map(([offenceCode, weight]) => ({
      offenceCode,
      offence: offenceCode,
      weight,
      policeUkCategory: category,
    })),
  ];
}

describe('category weights', () => {
  it('takes the median, so one extreme offence does not carry the category', () => {
    const w = categoryWeights(
      withCategory('Violence and sexual offences', [
        ['105A', 13.51],
        ['8N', 189.15],
        ['1', 7973.39],
      ]),
    );
    expect(w['Violence and sexual offences'].weight).toBe(189.15);
    expect(w['Violence and sexual offences']).toMatchObject({ offences: 3, min: 13.51, max: 7973.39 });
  });

  it('averages the middle two of an even number of offences', () => {
    const w = categoryWeights(
      withCategory('Drugs', [
        ['92E', 1.77],
        ['92D', 8.08],
        ['92C', 9.06],
        ['92A', 512.96],
      ]),
    );
    expect(w.Drugs.weight).toBeCloseTo((8.08 + 9.06) / 2, 10);
  });

  it('counts an offence the join lists twice only once', () => {
    const w = categoryWeights(
      withCategory('Burglary', [
        ['30C', 123.02],
        ['30C', 123.02],
        ['28E', 465.38],
      ]),
    );
    // With the repeat counted the median would be 123.02.
    expect(w.Burglary).toMatchObject({ weight: (123.02 + 465.38) / 2, offences: 2 });
  });

  it('matches the join spelling ("Violence and Sexual Offences") to police.uk\'s', () => {
    const w = categoryWeights(withCategory('Violence and Sexual Offences', [['8N', 189.15]]));
    expect(w['Violence and sexual offences'].weight).toBe(189.15);
  });

  it('gives anti-social behaviour no weight', () => {
    expect(categoryWeights(baseline())['Anti-social behaviour'].weight).toBe(0);
  });

  it('refuses a category police.uk does not have, one with no offences, and one offence with two weights', () => {
    expect(() =>
      categoryWeights([...baseline(), { offenceCode: 'Z', offence: 'z', weight: 1, policeUkCategory: 'Fraud' }]),
    ).toThrow(ValidationError);
    expect(() => categoryWeights(baseline().filter((o) => o.policeUkCategory !== 'Robbery'))).toThrow(/Robbery/);
    expect(() =>
      categoryWeights(
        withCategory('Robbery', [
          ['34A', 799.63],
          ['34A', 800],
        ]),
      ),
    ).toThrow(/two different weights/);
  });
});

describe('severity score', () => {
  const weights = categoryWeights(withCategory('Robbery', [['34B', 800]]));

  it("is Σ(count × weight) ÷ residents, on ONS's scale, anti-social behaviour adding nothing", () => {
    const counts = [
      { crimeType: 'Robbery', count: 3 },
      { crimeType: 'Drugs', count: 10 },
      { crimeType: 'Anti-social behaviour', count: 500 },
    ];
    // (3 × 800 + 10 × 1) ÷ 8,000 residents = 0.30125 (it was × 1,000: 301.25, not ONS's scale)
    expect(severityScore(counts, weights, 8000)).toBe(0.30125);
  });

  it('is rounded to 5 decimals', () => {
    // 1 × 1 ÷ 3,000 = 0.000333…
    expect(severityScore([{ crimeType: 'Drugs', count: 1 }], weights, 3000)).toBe(0.00033);
  });

  it('is not computed for a district with no residents', () => {
    expect(severityScore([{ crimeType: 'Robbery', count: 3 }], weights, 0)).toBeUndefined();
  });

  it('refuses a crime type it has no weight for, rather than scoring it 0', () => {
    expect(() => severityScore([{ crimeType: 'Fraud', count: 1 }], weights, 100)).toThrow(/Fraud/);
  });

  it('says how it was computed in a sentence that fits the profile', () => {
    expect(SEVERITY_METHOD).toMatch(/divided by residents \(ONS mid-2015 population estimate\)/);
    expect(SEVERITY_METHOD).toMatch(/ONS's Crime Severity Score scale/);
    expect(SEVERITY_METHOD).toMatch(/estimated from police\.uk categories/);
    expect(SEVERITY_METHOD).toMatch(/population/);
    expect(() =>
      Severity.parse({
        score: 1,
        period: { from: '2019-10', to: '2019-12' },
        rank: 1,
        outOf: 1,
        method: SEVERITY_METHOD,
      }),
    ).not.toThrow();
  });
});

describe('ranking', () => {
  it('ranks the highest score 1 and gives equal scores the same rank, skipping the next (1, 2, 2, 4)', () => {
    const ranked = rankBySeverity([
      { districtId: 'd', score: 10 },
      { districtId: 'c', score: 50 },
      { districtId: 'b', score: 50 },
      { districtId: 'a', score: 90 },
    ]);
    expect(ranked.map((r) => [r.districtId, r.rank])).toEqual([
      ['a', 1],
      ['b', 2],
      ['c', 2],
      ['d', 4],
    ]);
  });

  it('comes out the same whatever order the districts arrive in', () => {
    const rows = [
      { districtId: 'E05000001', score: 7 },
      { districtId: 'E05000003', score: 7 },
      { districtId: 'E05000002', score: 7 },
      { districtId: 'E05000004', score: 12.5 },
    ];
    const once = rankBySeverity(rows);
    expect(rankBySeverity([...rows].reverse())).toEqual(once);
    expect(once.map((r) => r.rank)).toEqual([1, 2, 2, 2]);
    expect(once.map((r) => r.districtId)).toEqual(['E05000004', 'E05000001', 'E05000002', 'E05000003']);
  });

  it('ranks nothing when there is nothing to rank', () => {
    expect(rankBySeverity([])).toEqual([]);
  });
});

describe('median', () => {
  it('needs at least one value', () => {
    expect(() => median([])).toThrow(RangeError);
    expect(median([4])).toBe(4);
    expect(median([5, 1, 3])).toBe(3);
  });
});

describe('crime rate', () => {
  it('is crimes per 1,000 residents to 1 decimal, anti-social behaviour not counted', () => {
    const counts = [
      { crimeType: 'Robbery', count: 3 },
      { crimeType: 'Drugs', count: 10 },
      { crimeType: 'Anti-social behaviour', count: 500 },
    ];
    // 13 crimes × 1,000 ÷ 8,000 = 1.625 → 1.6
    expect(crimeRate(counts, 8000)).toBe(1.6);
    expect(crimesCounted(counts)).toBe(13);
    expect(crimeRate(counts, 0)).toBeUndefined();
  });
});
