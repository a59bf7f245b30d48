// Latency figures shared by every phase of the benchmark.

export interface LatencySummary {
  requests: number;
  errors: number;
  /** Completed requests per second over the whole phase. */
  perSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** Percentile by linear interpolation between closest ranks (the median of an even count is the mean of the middle two). */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low] + (sorted[high] - sorted[low]) * (rank - low);
}

export function summarize(latenciesMs: readonly number[], errors: number, elapsedMs: number): LatencySummary {
  return {
    requests: latenciesMs.length,
    errors,
    perSecond: round1(latenciesMs.length / (elapsedMs / 1000)),
    p50Ms: round1(percentile(latenciesMs, 50)),
    p99Ms: round1(percentile(latenciesMs, 99)),
    maxMs: round1(latenciesMs.length ? Math.max(...latenciesMs) : NaN),
  };
}

export const round1 = (value: number): number => Math.round(value * 10) / 10;

/** "12.3 req/s, p50 45.6 ms, p99 78.9 ms" for progress lines. */
export function describe(summary: LatencySummary): string {
  const errors = summary.errors ? `, ${summary.errors} errors` : '';
  return `${summary.perSecond} req/s, p50 ${summary.p50Ms} ms, p99 ${summary.p99Ms} ms${errors}`;
}
