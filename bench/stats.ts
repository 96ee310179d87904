/** Latency figures of one phase, in milliseconds, and its throughput. */
export interface PhaseStats {
  requests: number;
  concurrency: number;
  p50: number;
  p95: number;
  p99: number;
  mean: number;
  max: number;
  /** Completed requests per second of wall time. */
  throughput: number;
  failures: number;
}

/** Nearest-rank percentile of sorted values (q in 0..1). */
export function percentile(sorted: ArrayLike<number>, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil(q * sorted.length)));
  return sorted[rank - 1]!;
}

export function phaseStats(
  latencies: Float64Array,
  elapsedMs: number,
  concurrency: number,
  failures: number,
): PhaseStats {
  const sorted = Float64Array.from(latencies).sort();
  const sum = sorted.reduce((s, v) => s + v, 0);
  return {
    requests: sorted.length,
    concurrency,
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    mean: sum / Math.max(1, sorted.length),
    max: sorted[sorted.length - 1] ?? Number.NaN,
    throughput: (sorted.length * 1000) / elapsedMs,
    failures,
  };
}

export const ms = (v: number) => (v >= 100 ? v.toFixed(0) : v >= 10 ? v.toFixed(1) : v.toFixed(2));
export const int = (v: number) => Math.round(v).toLocaleString('en-GB');
export const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;

/** Left column left-aligned, the rest right-aligned, each as wide as its widest cell. */
export function table(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => (r[c] ?? '').length)));
  return rows
    .map((r) =>
      r
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('   ')
        .trimEnd(),
    )
    .join('\n');
}
