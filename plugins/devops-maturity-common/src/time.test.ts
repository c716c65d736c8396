import {
  bucketsOf,
  parseInstant,
  readInstant,
  utcMonthStart,
  utcWeekStart,
} from './time';

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

  describe('parseInstant', () => {
    // Each form names 2026-06-30T23:00:00Z, the instant 01:00 on July 1st at +02:00 is.
    it.each([
      ['2026-06-30T23:00:00Z'],
      ['2026-06-30T23:00:00z'],
      ['2026-06-30t23:00:00Z'],
      ['2026-07-01T01:00:00+02:00'],
      ['2026-07-01T01:00:00+0200'],
      ['2026-07-01T01:00:00+02'],
      ['2026-07-01T04:30:00+05:30'],
      ['2026-07-01T04:30:00+0530'],
      ['2026-06-30T21:00:00-02:00'],
      ['2026-06-30T21:00:00-0200'],
      ['2026-06-30T21:00:00-02'],
      ['2026-06-30T19:30:00-03:30'],
      ['2026-06-30T23:00:00-00:00'],
      ['2026-07-01T01:00+02:00'],
    ])('reads %s as the instant it names', value => {
      expect(iso(parseInstant(value))).toBe('2026-06-30T23:00:00.000Z');
    });

    it('keeps fractions of a second to the millisecond', () => {
      expect(iso(parseInstant('2026-07-01T01:00:00.5+02'))).toBe(
        '2026-06-30T23:00:00.500Z',
      );
      expect(iso(parseInstant('2026-07-01T04:30:00.123456789+0530'))).toBe(
        '2026-06-30T23:00:00.123Z',
      );
      expect(iso(parseInstant('2026-06-30T23:00:00,25Z'))).toBe(
        '2026-06-30T23:00:00.250Z',
      );
    });

    it('crosses days, months and years with the offset', () => {
      expect(iso(parseInstant('2027-01-01T00:30:00+01'))).toBe(
        '2026-12-31T23:30:00.000Z',
      );
      expect(iso(parseInstant('2028-02-28T23:00:00-0130'))).toBe(
        '2028-02-29T00:30:00.000Z',
      );
    });

    it.each([
      ['2026-07-01T01:00:00', 'no offset'],
      ['2026-07-01', 'a date only'],
      ['2026-07-01 01:00:00Z', 'a space for T'],
      ['2026-07-01T01:00:00 +02:00', 'a space before the offset'],
      ['2026-07-01T01:00:00+2', 'a one-digit offset'],
      ['2026-07-01T01:00:00+02:0', 'a three-digit offset'],
      ['2026-07-01T01:00:00+24:00', 'an offset of 24 hours'],
      ['2026-07-01T01:00:00+02:60', 'an offset minute of 60'],
      ['2026-02-30T01:00:00Z', 'February 30th'],
      ['2026-13-01T01:00:00Z', 'month 13'],
      ['2026-07-01T24:00:00Z', 'hour 24'],
      ['2026-07-01T01:00:60Z', 'second 60'],
      ['1782867600000', 'epoch milliseconds'],
      ['', 'nothing'],
    ])('refuses %s (%s), naming the field', value => {
      expect(readInstant(value)).toBeUndefined();
      expect(() => parseInstant(value, 'finishedAt')).toThrow(
        `finishedAt is not an ISO-8601 date-time with an offset (Z, +hh:mm, +hhmm or +hh): ${value}`,
      );
    });

    it('reads years before 100 as they are written', () => {
      expect(iso(parseInstant('0099-12-31T23:59:59Z'))).toBe(
        '0099-12-31T23:59:59.000Z',
      );
    });
  });
});
