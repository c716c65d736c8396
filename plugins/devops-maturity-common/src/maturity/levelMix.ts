import { bucketsOf, TimeWindow, utcDayStart, utcWeekStart } from '../time';

/** An entity's maturity level on one recorded UTC day. @public */
export interface LevelDay {
  /** The entity, as a full ref. */
  entityRef: string;
  /** Start of the UTC day, epoch ms. */
  day: number;
  /** The level recorded that day, 0 (none reached) to 5. */
  level: number;
}

/** How many of a set of entities stood at each maturity level in one week. @public */
export interface WeeklyLevelMix {
  /** Start of the calendar week (Monday, UTC), ISO-8601. */
  start: string;
  /**
   * Entities per level (keys are the level numbers), each on the last day of the week that
   * recorded it. Every level asked for is present, with 0 when no entity stood there.
   */
  levels: Record<string, number>;
  /** Entities of the set that have no record in the week (new, or not evaluated then). */
  unrecorded: number;
}

/**
 * The level mix of `entityRefs` per week (Monday-based, UTC) of the window, as the weeks of
 * `computeDoraTrend` cut it: each entity counts once a week, at the level of the last day of
 * that week that has a record; one without a record in the week counts as unrecorded, never
 * as level 0 (nothing says how it would have fared). Records of the window's first day count
 * whatever the hour the window starts at; records of other entities or outside the window are
 * ignored.
 * @public
 */
export function weeklyLevelMix(
  days: LevelDay[],
  entityRefs: string[],
  window: TimeWindow,
  levels: number[],
): WeeklyLevelMix[] {
  const members = new Set(entityRefs);
  const firstDay = utcDayStart(window.from);
  // week start -> entity -> the latest recorded day and its level
  const latest = new Map<number, Map<string, LevelDay>>();
  for (const d of days) {
    if (!members.has(d.entityRef) || d.day < firstDay || d.day >= window.to)
      continue;
    const week = utcWeekStart(d.day);
    let byEntity = latest.get(week);
    if (!byEntity) latest.set(week, (byEntity = new Map()));
    const seen = byEntity.get(d.entityRef);
    if (!seen || d.day > seen.day) byEntity.set(d.entityRef, d);
  }
  return bucketsOf(window, 'week').map(bucket => {
    const counts: Record<string, number> = {};
    for (const level of levels) counts[String(level)] = 0;
    const recorded = latest.get(bucket.start) ?? new Map<string, LevelDay>();
    for (const { level } of recorded.values())
      counts[String(level)] = (counts[String(level)] ?? 0) + 1;
    return {
      start: new Date(bucket.start).toISOString(),
      levels: counts,
      unrecorded: members.size - recorded.size,
    };
  });
}
