import { bucketsOf, DAY_MS, utcMonthStart, utcWeekStart } from '../time';
import { dayGridOf } from './dayGrid';

describe('dayGridOf', () => {
  const at = (iso: string) => Date.parse(iso);
  const windows = {
    'a rolling year, ending mid-day': {
      from: at('2025-11-27T13:45:00Z'),
      to: at('2026-11-27T13:45:00Z'),
    },
    'a leap February, to the day': {
      from: at('2024-02-01T00:00:00Z'),
      to: at('2024-03-01T00:00:00Z'),
    },
    'across a year end, starting on a Sunday': {
      from: at('2023-12-31T06:00:00Z'),
      to: at('2024-01-09T00:00:00Z'),
    },
    'less than a day': {
      from: at('2026-03-04T01:00:00Z'),
      to: at('2026-03-04T02:00:00Z'),
    },
  };

  it.each(Object.keys(windows))(
    'gives every day the week and month bucketsOf gives it: %s',
    name => {
      const window = windows[name as keyof typeof windows];
      const grid = dayGridOf(window);
      const weekStarts = bucketsOf(window, 'week').map(b => b.start);
      const monthStarts = bucketsOf(window, 'month').map(b => b.start);
      expect(grid.weeks).toBe(weekStarts.length);
      expect(grid.months).toBe(monthStarts.length);
      // Every day of every bucket is on the grid, and every grid day is placed as the
      // calendar places it: in no bucket when its week or month is not the window's.
      const gridDays = new Set<number>();
      for (let d = 0; d < grid.days; d++) {
        const ms = (grid.firstDay + d) * DAY_MS;
        gridDays.add(ms);
        expect(grid.weekOf[d]).toBe(weekStarts.indexOf(utcWeekStart(ms)));
        expect(grid.monthOf[d]).toBe(monthStarts.indexOf(utcMonthStart(ms)));
      }
      for (const start of [...weekStarts, ...monthStarts]) {
        expect(gridDays.has(start)).toBe(true);
      }
      const lastMonthDay =
        Date.UTC(
          new Date(monthStarts[monthStarts.length - 1]).getUTCFullYear(),
          new Date(monthStarts[monthStarts.length - 1]).getUTCMonth() + 1,
          1,
        ) - DAY_MS;
      expect(gridDays.has(lastMonthDay)).toBe(true);
      expect(gridDays.has(weekStarts[weekStarts.length - 1] + 6 * DAY_MS)).toBe(
        true,
      );
    },
  );

  it('has no days for an empty window', () => {
    const t = at('2026-01-01T00:00:00Z');
    expect(dayGridOf({ from: t, to: t })).toMatchObject({
      days: 0,
      weeks: 0,
      months: 0,
    });
  });

  it('answers the same grid for the same window', () => {
    const window = windows['a rolling year, ending mid-day'];
    expect(dayGridOf({ ...window })).toBe(dayGridOf({ ...window }));
  });
});
