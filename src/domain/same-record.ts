/**
 * Whether two records hold the same values, keys in any order: a record read back from a store
 * compares equal to the one built from a file, so an import writes only what changed.
 */
export function sameRecord(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

export type Change = 'added' | 'changed' | 'unchanged';

export function changeOf<T>(before: T | undefined, after: T): Change {
  return before === undefined ? 'added' : sameRecord(before, after) ? 'unchanged' : 'changed';
}

function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );
}
