/**
 * Percentile by linear interpolation between the closest ranks, as SQL's
 * PERCENTILE_CONT: for p = 0.5 and an even count, the mean of the two middle values.
 * Returns null for an empty list. `sorted` must be ascending.
 * @public
 */
export function percentileOfSorted(
  sorted: readonly number[],
  p: number,
): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

/** Interpolated percentile of unsorted values (copied before sorting). @public */
export function percentile(
  values: readonly number[],
  p: number,
): number | null {
  return percentileOfSorted(
    [...values].sort((a, b) => a - b),
    p,
  );
}

/** Interpolated median; null for an empty list. @public */
export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** Arithmetic mean; null for an empty list. @public */
export function mean(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}
