import { describe, expect, it } from 'vitest';
import { TtlCache } from '../../src/services/ttl-cache.js';

describe('TtlCache', () => {
  it('makes one read for callers that miss together, and hands each the value', async () => {
    const cache = new TtlCache<string, number>(60_000);
    let reads = 0;
    let release!: (n: number) => void;
    const load = () => {
      reads += 1;
      return new Promise<number>((resolve) => (release = resolve));
    };
    const together = Promise.all([cache.get('p', load), cache.get('p', load), cache.get('p', load)]);
    release(7);
    expect(await together).toEqual([7, 7, 7]);
    expect(reads).toBe(1);
    expect(await cache.get('p', load)).toBe(7);
    expect(reads).toBe(1);
  });

  it('does not keep a value whose key was invalidated while it was being read, nor a failed read', async () => {
    const cache = new TtlCache<string, number>(60_000);
    let n = 0;
    const load = async () => ++n;
    const first = cache.get('p', load);
    cache.delete('p');
    expect(await first).toBe(1);
    expect(await cache.get('p', load)).toBe(2);
    const failing = cache.get('q', async () => {
      throw new Error('store down');
    });
    await expect(failing).rejects.toThrow('store down');
    expect(await cache.get('q', load)).toBe(3);
  });
});
