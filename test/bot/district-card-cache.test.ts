import type { AdaptiveCard } from '@microsoft/teams-ai';
import { describe, expect, it } from 'vitest';
import { DistrictCardCache } from '../../src/bot/district-card-cache.js';
import { withNotice, withRefresh } from '../../src/bot/card-refresh.js';
import { Partnership } from '../../src/domain/partnership.js';

const partnership = Partnership.parse({
  id: 'merseyside',
  name: 'Merseyside SOC board',
  force: 'Merseyside Police',
  createdAt: '2026-01-05T09:00:00.000Z',
});
const day = new Date('2026-11-30T10:00:00.000Z');
const cleared1to1 = { conversation: 'personal', clearance: 'OFFICIAL-SENSITIVE' } as const;

function summaryCard(): AdaptiveCard {
  return {
    type: 'AdaptiveCard',
    version: '1.5',
    body: [{ type: 'TextBlock', text: 'Central: severity rank 3 of 105' }],
    actions: [
      { type: 'Action.Execute', title: 'Mark reviewed', verb: 'profile.review', data: { districtId: 'E05000001' } },
    ],
  } as AdaptiveCard;
}

// A kept card is served as it is, without a copy: whoever builds on it must not change what the
// next person is sent.
describe('a kept district card', () => {
  it('is served to the next turn exactly as it was made, whatever the turn before did with it', () => {
    const cache = new DistrictCardCache();
    const key = cache.key('summary', partnership, 'E05000001', cleared1to1, day);
    cache.set(key, '7', summaryCard());

    const first = cache.get(key, '7')!;
    // What the routes do with a kept card: a refresh for the asker, a notice above it.
    withNotice(withRefresh(first, 'summary', 'E05000001', '7', ['29:asker']), 'Changed since you opened it', 'accent');
    // A careless change in place is refused rather than passed on to everyone served next.
    expect(() => {
      (first as unknown as { body: unknown[] }).body.push({ type: 'TextBlock', text: 'only for one person' });
    }).toThrow(TypeError);
    expect(() => {
      (first as unknown as { actions: { title: string }[] }).actions[0]!.title = 'Changed';
    }).toThrow(TypeError);

    expect(cache.get(key, '7')).toEqual(summaryCard());
    expect(cache.get(key, '7')).not.toHaveProperty('refresh');
  });

  it('holds about its byte budget, dropping the least recently used card first', () => {
    const size = JSON.stringify(summaryCard()).length;
    const cache = new DistrictCardCache(60_000, size * 2.5);
    const key = (id: string) => cache.key('summary', partnership, id, cleared1to1, day);
    cache.set(key('a'), '1', summaryCard());
    cache.set(key('b'), '1', summaryCard());
    expect(cache.get(key('a'), '1')).toBeDefined(); // a is now used more recently than b
    cache.set(key('c'), '1', summaryCard());
    expect(cache.size).toBe(2);
    expect(cache.get(key('b'), '1')).toBeUndefined();
    expect(cache.get(key('a'), '1')).toEqual(summaryCard());
    expect(cache.get(key('c'), '1')).toEqual(summaryCard());
  });
});
