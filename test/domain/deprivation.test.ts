import { describe, expect, it } from 'vitest';
import { deprivationIndicators, imdDecileOfRank, rollUpDeprivation } from '../../src/domain/deprivation.js';
import { Indicator } from '../../src/domain/profile.js';

describe('IMD decile of a rank', () => {
  it('splits the 32,844 LSOAs into tenths: ranks 1–3,284 are decile 1, 32,844 is decile 10', () => {
    expect(imdDecileOfRank(1)).toBe(1);
    expect(imdDecileOfRank(3284)).toBe(1);
    expect(imdDecileOfRank(3285)).toBe(2);
    expect(imdDecileOfRank(3284.9)).toBe(2);
    expect(imdDecileOfRank(16422)).toBe(5);
    expect(imdDecileOfRank(16423)).toBe(6);
    expect(imdDecileOfRank(32844)).toBe(10);
  });

  it('refuses a rank outside 1–32,844', () => {
    expect(() => imdDecileOfRank(0)).toThrow(RangeError);
    expect(() => imdDecileOfRank(32845)).toThrow(RangeError);
    expect(() => imdDecileOfRank(Number.NaN)).toThrow(RangeError);
  });
});

describe('deprivation roll-up to a ward', () => {
  // Two real Sefton LSOAs of Church ward (IoD 2019 Files 1 and 6): E01006956 and E01006957.
  const church = [
    { population: 1588, children0to15: 275, aged60plus: 256, imdRank: 5101, imdDecile: 2 },
    { population: 1494, children0to15: 169, aged60plus: 435, imdRank: 1498, imdDecile: 1 },
  ];

  it('weights ranks by population, so the larger LSOA counts for more', () => {
    const d = rollUpDeprivation(church)!;
    // (1588 × 5101 + 1494 × 1498) ÷ 3082 = 3354.41…
    expect(d.averageRank).toBeCloseTo((1588 * 5101 + 1494 * 1498) / 3082, 9);
    expect(d.averageRank).not.toBeCloseTo((5101 + 1498) / 2, 0);
    expect(d.averageRankDecile).toBe(2);
    expect(d.population).toBe(3082);
    expect(d.lsoas).toBe(2);
  });

  it("gives the share of residents in England's most deprived tenth, and of children and over-60s", () => {
    const d = rollUpDeprivation(church)!;
    expect(d.mostDeprived10PctShare).toBeCloseTo((100 * 1494) / 3082, 9);
    expect(d.children0to15Share).toBeCloseTo((100 * (275 + 169)) / 3082, 9);
    expect(d.aged60plusShare).toBeCloseTo((100 * (256 + 435)) / 3082, 9);
  });

  it('has nothing to say of a ward with no residents', () => {
    expect(rollUpDeprivation([])).toBeUndefined();
    expect(
      rollUpDeprivation([{ population: 0, children0to15: 0, aged60plus: 0, imdRank: 1, imdDecile: 1 }]),
    ).toBeUndefined();
  });

  it('becomes profile indicators that name their source and date, as a card shows them', () => {
    const indicators = deprivationIndicators(rollUpDeprivation(church)!, {
      imd: { sourceId: 'iod2019-imd', asOf: '2019' },
      population: { sourceId: 'iod2019-population', asOf: 'mid-2015' },
    });
    for (const i of indicators) expect(() => Indicator.parse(i)).not.toThrow();
    const byKey = new Map(indicators.map((i) => [i.key, i]));
    expect(byKey.get('imd-average-rank')).toMatchObject({
      value: 3354,
      display: '3,354 of 32,844',
      sourceId: 'iod2019-imd',
    });
    expect(byKey.get('imd-average-rank-decile')).toMatchObject({ value: 2, display: 'decile 2 of 10' });
    expect(byKey.get('imd-most-deprived-10pct-share')).toMatchObject({ value: 48.5, display: '48.5%' });
    expect(byKey.get('children-0-15-share')).toMatchObject({
      value: 14.4,
      sourceId: 'iod2019-population',
      asOf: 'mid-2015',
    });
  });
});
