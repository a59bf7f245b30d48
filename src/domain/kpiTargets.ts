// Field targets for the program's KPIs (PRODUCT.md, "Numbers from the field", after kpidepot's
// definitions): what counts as good and excellent, so a number on the dashboard reads as a verdict.

export const KPI_RATINGS = ['excellent', 'good', 'needs_attention', 'no_data'] as const;
export type KpiRating = (typeof KPI_RATINGS)[number];

/** Share of registrations that ran into a conflict: under 10 % is good, under 5 % excellent. */
export const CONFLICT_RATE_TARGETS = { good: 0.1, excellent: 0.05 } as const;

/** Median time from a conflict case opening to its decision: under 48 h is good, under 24 h excellent. */
export const RESOLUTION_TIME_TARGETS_SECONDS = { good: 48 * 3600, excellent: 24 * 3600 } as const;

/** Lower is better: strictly under `excellent` is excellent, strictly under `good` is good. */
export function ratingOf(value: number | null, targets: { good: number; excellent: number }): KpiRating {
  if (value === null) return 'no_data';
  if (value < targets.excellent) return 'excellent';
  if (value < targets.good) return 'good';
  return 'needs_attention';
}
