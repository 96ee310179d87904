import type { Store } from '../../src/store/store.js';

/** The real store, counting every repository call (what a cheap path must spare). */
export function countingStore(store: Store, count: (call: string) => void): Store {
  const wrap = <T extends object>(repo: T, name: string): T =>
    new Proxy(repo, {
      get(target, key) {
        const value = Reflect.get(target, key) as unknown;
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          count(`${name}.${String(key)}`);
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
  return new Proxy(store, {
    get(target, key) {
      const value = Reflect.get(target, key) as unknown;
      if (typeof value === 'function') return (value as (...a: unknown[]) => unknown).bind(target);
      return value && typeof value === 'object' ? wrap(value, String(key)) : value;
    },
  });
}
