/** Numbers as a UK reader expects them: 14,020; 1.5; "3rd". */
export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-GB');
}

// toLocaleString with options builds a new formatter on every call (about 13 µs); the same
// formatter, built once, gives the same text.
const decimalFormats = new Map<number, Intl.NumberFormat>();

export function formatDecimal(n: number, digits = 1): string {
  let format = decimalFormats.get(digits);
  if (!format) {
    format = new Intl.NumberFormat('en-GB', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    decimalFormats.set(digits, format);
  }
  return format.format(n);
}

export function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  switch (n % 10) {
    case 1:
      return `${n}st`;
    case 2:
      return `${n}nd`;
    case 3:
      return `${n}rd`;
    default:
      return `${n}th`;
  }
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${formatCount(n)} ${n === 1 ? one : many}`;
}

export type Trend = 'up' | 'down' | 'same' | 'new';

/** "+12 (+8%)", "−3 (−20%)", "no change", "new": the change from a previous count. */
export function changeText(latest: number, previous: number | undefined): { text: string; trend: Trend } {
  if (previous === undefined) return { text: 'new', trend: 'new' };
  const diff = latest - previous;
  if (diff === 0) return { text: 'no change', trend: 'same' };
  const sign = diff > 0 ? '+' : '−';
  const pct = previous === 0 ? '' : ` (${sign}${Math.round((Math.abs(diff) / previous) * 100)}%)`;
  return { text: `${sign}${formatCount(Math.abs(diff))}${pct}`, trend: diff > 0 ? 'up' : 'down' };
}

/** Text people typed, cut to a length a card can show in full. */
export function clip(s: string, max: number): string {
  const chars = Array.from(s);
  return chars.length <= max ? s : `${chars.slice(0, max - 1).join('')}…`;
}
