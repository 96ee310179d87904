/**
 * Examples in help and error messages are written with the demo's districts ("summary Everton").
 * A real partnership's people should read their own: "new action Kestrel Vale prevent: …". These
 * two names stand for the first and second example district wherever they appear.
 */
const FIRST = /\bEverton\b/g;
const SECOND = /\bAnfield\b/g;

export function withOwnDistricts(text: string, names: readonly string[]): string {
  const first = names[0] ?? '<district>';
  const second = names[1] ?? first;
  return text.replace(FIRST, first).replace(SECOND, second);
}

/**
 * Two of a partnership's district names to use in examples: the shortest without a comma (a
 * comma would read as a list in "subscribe A, B"), so that an example stays easy to type.
 */
export function exampleDistrictNames(names: readonly string[]): string[] {
  return [...new Set(names)]
    .filter((n) => !n.includes(','))
    .sort((a, b) => a.length - b.length || a.localeCompare(b))
    .slice(0, 2);
}
