/** Milliseconds in a day. @public */
export const DAY_MS = 86_400_000;

/** A half-open time window `[from, to)` in epoch milliseconds. @public */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Start (epoch ms) of the UTC day that contains `ms`. @public */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Start (epoch ms) of the UTC week, starting Monday, that contains `ms`. @public */
export function utcWeekStart(ms: number): number {
  const day = utcDayStart(ms);
  // getUTCDay: Sunday = 0; Monday-based offset is (day + 6) % 7
  const offset = (new Date(day).getUTCDay() + 6) % 7;
  return day - offset * DAY_MS;
}

/** Start (epoch ms) of the UTC calendar month that contains `ms`. @public */
export function utcMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

function nextMonthStart(monthStart: number): number {
  const d = new Date(monthStart);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** A calendar bucket (week or month), clipped to the window it was cut from. @public */
export interface Bucket {
  /** Start of the whole calendar bucket. */
  start: number;
  /** The part of the window inside this bucket. */
  window: TimeWindow;
}

/** Reporting intervals for trends. @public */
export type TrendInterval = 'week' | 'month';

/**
 * The weeks (Monday to Monday, UTC) or calendar months that intersect the window, in order.
 * Partial first and last buckets are included, clipped to the window.
 * @public
 */
export function bucketsOf(
  window: TimeWindow,
  interval: TrendInterval,
): Bucket[] {
  const buckets: Bucket[] = [];
  if (window.to <= window.from) return buckets;
  let start =
    interval === 'week'
      ? utcWeekStart(window.from)
      : utcMonthStart(window.from);
  while (start < window.to) {
    const end =
      interval === 'week' ? start + 7 * DAY_MS : nextMonthStart(start);
    buckets.push({
      start,
      window: {
        from: Math.max(start, window.from),
        to: Math.min(end, window.to),
      },
    });
    start = end;
  }
  return buckets;
}

/** Parses an ISO-8601 instant to epoch ms, or throws naming the field. @public */
export function parseInstant(value: string, field = 'time'): number {
  const ms = Date.parse(value);
  if (!Number.isFinite(ms)) {
    throw new TypeError(`${field} is not an ISO-8601 date-time: ${value}`);
  }
  return ms;
}
