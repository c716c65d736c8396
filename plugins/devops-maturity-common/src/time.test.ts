import { bucketsOf, utcMonthStart, utcWeekStart } from './time';

const t = (iso: string) => Date.parse(iso);
const iso = (ms: number) => new Date(ms).toISOString();

describe('time', () => {
  it('starts weeks on Monday, in UTC', () => {
    // 2026-11-22 is a Sunday: its week began Monday 2026-11-16.
    expect(iso(utcWeekStart(t('2026-11-22T23:59:59Z')))).toBe(
      '2026-11-16T00:00:00.000Z',
    );
    expect(iso(utcWeekStart(t('2026-11-23T00:00:00Z')))).toBe(
      '2026-11-23T00:00:00.000Z',
    );
    // An offset is an instant: 01:00+02:00 on Monday is still Sunday in UTC.
    expect(iso(utcWeekStart(t('2026-11-23T01:00:00+02:00')))).toBe(
      '2026-11-16T00:00:00.000Z',
    );
  });

  it('finds the calendar month', () => {
    expect(iso(utcMonthStart(t('2026-02-28T12:00:00Z')))).toBe(
      '2026-02-01T00:00:00.000Z',
    );
  });

  it('counts partial first and last weeks as weeks, clipped to the window', () => {
    // Wed 2026-11-04 to Wed 2026-11-18 (exclusive): weeks of Nov 2, Nov 9, Nov 16.
    const buckets = bucketsOf(
      { from: t('2026-11-04T00:00:00Z'), to: t('2026-11-18T00:00:00Z') },
      'week',
    );
    expect(buckets.map(b => iso(b.start))).toEqual([
      '2026-11-02T00:00:00.000Z',
      '2026-11-09T00:00:00.000Z',
      '2026-11-16T00:00:00.000Z',
    ]);
    expect(iso(buckets[0].window.from)).toBe('2026-11-04T00:00:00.000Z');
    expect(iso(buckets[2].window.to)).toBe('2026-11-18T00:00:00.000Z');
  });

  it('does not add a bucket that starts exactly at the window end', () => {
    const buckets = bucketsOf(
      { from: t('2026-10-15T00:00:00Z'), to: t('2026-11-01T00:00:00Z') },
      'month',
    );
    expect(buckets.map(b => iso(b.start))).toEqual([
      '2026-10-01T00:00:00.000Z',
    ]);
  });
});
