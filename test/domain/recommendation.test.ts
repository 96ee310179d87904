import { describe, expect, it } from 'vitest';
import { findRecommendation, Recommendation } from '../../src/domain/profile.js';
import { composeRecommendationBlock } from '../../src/domain/recommendation-view.js';

describe('Recommendation', () => {
  it('reads a recommendation stored before numbers and states: numbered by its place, open', () => {
    const stored = [
      Recommendation.parse({ text: 'Share the licensing picture', strand: 'pursue' }),
      Recommendation.parse({ text: 'Offer diversion sessions', classification: 'OFFICIAL' }),
    ];
    expect(findRecommendation(stored, 2)).toMatchObject({
      index: 1,
      recommendation: { text: 'Offer diversion sessions' },
    });
    const block = composeRecommendationBlock({
      districtId: 'd',
      districtName: 'Everton',
      recommendations: stored,
      viewer: { clearance: 'OFFICIAL', conversation: 'channel' },
      agencyNames: new Map(),
      canAct: true,
      limit: 5,
    });
    expect(block.items.map((i) => [i.number, i.stateText, i.canAct])).toEqual([
      ['1', 'open', true],
      ['2', 'open', true],
    ]);
  });

  it('refuses a link to an action on a recommendation that is not taken forward', () => {
    expect(Recommendation.safeParse({ text: 'Share it', state: 'open', actionRef: 'PREV-2' }).success).toBe(false);
    expect(Recommendation.safeParse({ text: 'Share it', state: 'taken-forward', actionRef: 'PREV-2' }).success).toBe(
      true,
    );
    expect(Recommendation.safeParse({ text: 'Share it', state: 'taken-forward', actionRef: 'G-2' }).success).toBe(
      false,
    );
  });
});
