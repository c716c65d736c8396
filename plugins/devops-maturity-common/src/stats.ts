/**
 * Percentile by linear interpolation between the closest ranks, as SQL's
 * PERCENTILE_CONT: for p = 0.5 and an even count, the mean of the two middle values.
 * Returns null for an empty list. `sorted` must be ascending.
 * @internal
 */
export function percentileOfSorted(
  sorted: ArrayLike<number>,
  p: number,
): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

/** Interpolated percentile of unsorted values (copied before sorting). @internal */
export function percentile(
  values: readonly number[],
  p: number,
): number | null {
  return percentileOfSorted(
    sortedNumbers(values, v => v),
    p,
  );
}

/** Interpolated median; null for an empty list. @internal */
export function median(values: readonly number[]): number | null {
  return percentile(values, 0.5);
}

/** Arithmetic mean; null for an empty list. @internal */
export function mean(values: ArrayLike<number>): number | null {
  if (values.length === 0) return null;
  let sum = 0;
  for (let i = 0; i < values.length; i++) sum += values[i];
  return sum / values.length;
}

/**
 * A number of each item that passes `keep`, ascending, in a typed array. Why: a busy
 * service's year has 150,000 lead times and more, and a typed array sorts numbers natively,
 * several times faster than `Array.prototype.sort` with a comparator, with no boxed numbers
 * for the collector.
 * @internal
 */
export function sortedNumbers<T>(
  items: readonly T[],
  value: (item: T) => number,
  keep: (v: number) => boolean = () => true,
): Float64Array {
  const out = new Float64Array(items.length);
  let n = 0;
  for (const item of items) {
    const v = value(item);
    if (keep(v)) out[n++] = v;
  }
  return out.subarray(0, n).sort();
}
