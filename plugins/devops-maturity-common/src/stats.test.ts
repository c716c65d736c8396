import { mean, median, numbersOf, percentile, percentilesOf } from './stats';

/** PERCENTILE_CONT of ascending values, by its definition: the oracle for `percentilesOf`. */
function percentileOfSorted(sorted: number[], p: number): number | null {
  if (sorted.length === 0) return null;
  const rank = p * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (rank - lo) * (sorted[hi] - sorted[lo]);
}

describe('stats', () => {
  it('interpolates the median of an even count like PERCENTILE_CONT(0.5)', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([10, 20])).toBe(15);
  });

  it('takes the middle value of an odd count', () => {
    expect(median([7, 1, 3])).toBe(3);
  });

  it('interpolates p90 between the closest ranks', () => {
    // rank = 0.9 * (5 - 1) = 3.6: 40 + 0.6 * (50 - 40)
    expect(percentile([10, 20, 30, 40, 50], 0.9)).toBeCloseTo(46);
    expect(percentile([5], 0.9)).toBe(5);
  });

  it('has no value for no data, never 0', () => {
    expect(median([])).toBeNull();
    expect(percentile([], 0.9)).toBeNull();
    expect(mean([])).toBeNull();
  });

  it('computes the mean', () => {
    expect(mean([1, 2, 6])).toBe(3);
  });
});

describe('numbersOf', () => {
  it('answers the kept values in the items order', () => {
    const items = [{ v: 10 }, { v: -1 }, { v: 9 }, { v: 100 }, { v: 0 }];
    expect([
      ...numbersOf(
        items,
        i => i.v,
        v => v > 0,
      ),
    ]).toEqual([10, 9, 100]);
    expect([...numbersOf(items, i => i.v)]).toEqual([10, -1, 9, 100, 0]);
    expect(numbersOf([], (i: number) => i)).toHaveLength(0);
  });
});

describe('percentilesOf', () => {
  /** A deterministic sequence of pseudo-random integers below `max` (an LCG). */
  function seeded(seed: number) {
    let x = seed;
    return (max: number) => {
      x = (Math.imul(x, 1103515245) + 12345) >>> 0;
      return (x >>> 8) % max;
    };
  }
  const ps = [0, 0.1, 0.5, 0.5, 0.9, 0.95, 1];
  const bySorting = (values: number[], p: number) =>
    percentileOfSorted(
      [...values].sort((a, b) => a - b),
      p,
    );
  const orders: Record<
    string,
    (n: number, r: (m: number) => number) => number[]
  > = {
    random: (n, r) => Array.from({ length: n }, () => r(1000) / 7),
    'few distinct values': (n, r) => Array.from({ length: n }, () => r(3)),
    ascending: n => Array.from({ length: n }, (_, i) => i),
    descending: n => Array.from({ length: n }, (_, i) => n - i),
    'all equal': n => Array.from({ length: n }, () => 42),
    'organ pipe': n =>
      Array.from({ length: n }, (_, i) => Math.min(i, n - 1 - i)),
  };

  it.each(Object.keys(orders))(
    'answers what sorting answers, to the bit, for values in %s order',
    name => {
      const r = seeded(name.length);
      for (const n of [1, 2, 3, 4, 5, 10, 11, 64, 101, 1000, 4096]) {
        const values = orders[name](n, r);
        const expected = ps.map(p => bySorting(values, p));
        const copy = Float64Array.from(values);
        expect(percentilesOf(copy, ps)).toEqual(expected);
        // the same values, reordered
        expect([...copy].sort((a, b) => a - b)).toEqual(
          [...values].sort((a, b) => a - b),
        );
      }
    },
  );

  it('answers the same when a selection gives up and sorts the rest', () => {
    const r = seeded(7);
    for (const rounds of [0, 1, 2]) {
      for (const n of [1, 2, 5, 100, 1001]) {
        const values = Array.from({ length: n }, () => r(50));
        expect(percentilesOf(Float64Array.from(values), ps, rounds)).toEqual(
          ps.map(p => bySorting(values, p)),
        );
      }
    }
  });

  it('answers each percentile in the order asked', () => {
    expect(
      percentilesOf(Float64Array.from([5, 1, 4, 2, 3]), [0.9, 0.5, 0]),
    ).toEqual([4.6, 3, 1]);
  });

  it('answers null for each percentile of no values', () => {
    expect(percentilesOf(new Float64Array(0), [0.5, 0.9])).toEqual([
      null,
      null,
    ]);
  });
});
