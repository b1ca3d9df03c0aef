/**
 * Latency summaries. Hand-written because it is a dozen lines: the nearest-rank percentile over a
 * sorted copy is exact for the few thousand samples a benchmark takes, where a histogram library
 * would trade exactness for memory we do not need to save.
 */
export interface LatencySummary {
  count: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentile (p in 0..100) of values sorted ascending; NaN for no values. */
export function percentile(sortedAscending: readonly number[], p: number): number {
  if (p < 0 || p > 100 || Number.isNaN(p)) throw new RangeError(`percentile must be between 0 and 100, got ${p}`);
  if (sortedAscending.length === 0) return Number.NaN;
  const rank = Math.max(1, Math.ceil((p / 100) * sortedAscending.length));
  return sortedAscending[rank - 1] as number;
}

const round = (value: number, digits = 2): number => Number(value.toFixed(digits));

/** p50/p95/p99/max/mean in milliseconds, rounded to 0.01 ms; zeros when nothing was measured. */
export function summarizeLatency(samplesMs: readonly number[]): LatencySummary {
  if (samplesMs.length === 0) return { count: 0, p50: 0, p95: 0, p99: 0, max: 0, mean: 0 };
  const sorted = [...samplesMs].sort((a, b) => a - b);
  const total = sorted.reduce((sum, value) => sum + value, 0);
  return {
    count: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1] as number),
    mean: round(total / sorted.length),
  };
}

/** records (or rows, orders) per second, whole numbers; 0 when nothing took measurable time */
export function perSecond(count: number, elapsedMs: number): number {
  return elapsedMs > 0 ? Math.round((count * 1000) / elapsedMs) : 0;
}

/** a / b rounded to `digits`, or null when b is 0 (a ratio of nothing is not a number to report) */
export function ratio(a: number, b: number, digits = 3): number | null {
  return b === 0 ? null : round(a / b, digits);
}
