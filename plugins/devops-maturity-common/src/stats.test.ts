import { mean, median, percentile, sortedNumbers } from './stats';

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

describe('sortedNumbers', () => {
  it('answers the kept values ascending, numerically', () => {
    const items = [{ v: 10 }, { v: -1 }, { v: 9 }, { v: 100 }, { v: 0 }];
    expect([
      ...sortedNumbers(
        items,
        i => i.v,
        v => v > 0,
      ),
    ]).toEqual([9, 10, 100]);
    expect([...sortedNumbers(items, i => i.v)]).toEqual([-1, 0, 9, 10, 100]);
    expect(sortedNumbers([], (i: number) => i)).toHaveLength(0);
  });
});
