import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/domain/seeded-random.js';

const draw = (key: string, n = 20) => {
  const r = seededRandom(key);
  return Array.from({ length: n }, () => r.next());
};

describe('seeded random', () => {
  it('gives the same sequence for the same key, and a different one for another key', () => {
    expect(draw('E05000936:gaps')).toEqual(draw('E05000936:gaps'));
    expect(draw('E05000936:gaps')).not.toEqual(draw('E05000891:gaps'));
  });

  it('stays inside the bounds it is asked for', () => {
    const r = seededRandom('bounds');
    const ints = Array.from({ length: 2000 }, () => r.int(3, 5));
    expect(new Set(ints)).toEqual(new Set([3, 4, 5]));
    const sample = r.sample(['a', 'b', 'c', 'd'], 3);
    expect(new Set(sample).size).toBe(3);
    expect(r.sample(['a'], 5)).toEqual(['a']);
  });
});
