/**
 * Orders rows sorted here rather than by Cosmos DB (cross-partition lists, where an ORDER BY
 * would need the SDK's query-plan merge for a handful of rows). Compares by UTF-16 code unit, as
 * Cosmos DB and SQLite order ASCII text; later keys break ties.
 */
export function byText<T>(...keys: ((row: T) => string)[]): (a: T, b: T) => number {
  return (a, b) => {
    for (const key of keys) {
      const x = key(a);
      const y = key(b);
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
}
