/** Milliseconds in a day. @internal */
export const DAY_MS = 86_400_000;

/** A half-open time window `[from, to)` in epoch milliseconds. @public */
export interface TimeWindow {
  from: number;
  to: number;
}

/** Start (epoch ms) of the UTC day that contains `ms`. @internal */
export function utcDayStart(ms: number): number {
  return Math.floor(ms / DAY_MS) * DAY_MS;
}

/** Start (epoch ms) of the UTC week, starting Monday, that contains `ms`. @internal */
export function utcWeekStart(ms: number): number {
  const day = utcDayStart(ms);
  // getUTCDay: Sunday = 0; Monday-based offset is (day + 6) % 7
  const offset = (new Date(day).getUTCDay() + 6) % 7;
  return day - offset * DAY_MS;
}

/** Start (epoch ms) of the UTC calendar month that contains `ms`. @internal */
export function utcMonthStart(ms: number): number {
  const d = new Date(ms);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
}

/** Start (epoch ms) of the UTC calendar month after the one that starts at `monthStart`. @internal */
export function nextMonthStart(monthStart: number): number {
  const d = new Date(monthStart);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** A calendar bucket (week or month), clipped to the window it was cut from. @internal */
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
 * @internal
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

// Date, `T`, hh:mm[:ss[.fraction]], then the offset: Z, ±hh:mm, ±hhmm or ±hh. Date.parse is
// not used: it refuses ±hh, and reads a time without an offset as the server's local time.
const INSTANT =
  /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(?:[Zz]|([+-])(\d{2})(?::?(\d{2}))?)$/;

/**
 * Reads an ISO-8601 date-time as the instant it names, in epoch ms, or returns undefined if
 * it is not one. The offset is required and may take any ISO-8601 form: `Z`, `+05:30`,
 * `+0530` or `+05` (or `-`); a time without one names no instant. Fractions of a second
 * finer than a millisecond are cut off; impossible dates (`02-30`, `24:00`) are refused.
 * @internal
 */
export function readInstant(value: string): number | undefined {
  const m = INSTANT.exec(value);
  if (!m) return undefined;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number);
  const second = Number(m[6] ?? 0);
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const offsetHours = Number(m[9] ?? 0);
  const offsetMinutes = Number(m[10] ?? 0);
  if (hour > 23 || minute > 59 || second > 59) return undefined;
  if (offsetHours > 23 || offsetMinutes > 59) return undefined;
  // setUTCFullYear, unlike Date.UTC, does not read years 0-99 as 1900-1999.
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) {
    return undefined;
  }
  const local =
    date.getTime() + ((hour * 60 + minute) * 60 + second) * 1000 + millis;
  const offset = (offsetHours * 60 + offsetMinutes) * 60_000;
  return m[8] === '-' ? local + offset : local - offset;
}

/**
 * Reads an ISO-8601 date-time with an offset (see `readInstant`) to epoch ms, or throws
 * naming the field.
 * @internal
 */
export function parseInstant(value: string, field = 'time'): number {
  const ms = readInstant(value);
  if (ms === undefined) {
    throw new TypeError(
      `${field} is not an ISO-8601 date-time with an offset (Z, +hh:mm, +hhmm or +hh): ${value}`,
    );
  }
  return ms;
}
