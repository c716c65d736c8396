import { weeklyLevelMix } from './levelMix';

const day = (iso: string) => Date.parse(`${iso}T00:00:00Z`);
const row = (entityRef: string, iso: string, level: number) => ({
  entityRef,
  day: day(iso),
  level,
});

describe('weeklyLevelMix', () => {
  // Wednesday 4 Nov 2026, noon, to Wednesday 25 Nov 2026, 06:00: four Monday-based weeks,
  // the first and the last partial.
  const window = {
    from: Date.parse('2026-11-04T12:00:00Z'),
    to: Date.parse('2026-11-25T06:00:00Z'),
  };
  const levels = [0, 1, 2, 3];

  it('counts each entity once a week, at its last recorded day of the week', () => {
    const mix = weeklyLevelMix(
      [
        // a: level 1 on Thursday, level 3 on Sunday of the first week: counts at 3
        row('a', '2026-11-05', 1),
        row('a', '2026-11-08', 3),
        // b: given out of order; its last day of week two (Saturday) says 2
        row('b', '2026-11-14', 2),
        row('b', '2026-11-09', 0),
        row('a', '2026-11-10', 2),
        // week three: only a, twice the same day is impossible, once is enough
        row('a', '2026-11-20', 2),
        // week four: the window's last day counts, though it ends at 06:00
        row('b', '2026-11-25', 1),
      ],
      ['a', 'b', 'c'],
      window,
      levels,
    );
    expect(mix).toEqual([
      {
        start: '2026-11-02T00:00:00.000Z',
        levels: { '0': 0, '1': 0, '2': 0, '3': 1 },
        unrecorded: 2,
      },
      {
        start: '2026-11-09T00:00:00.000Z',
        levels: { '0': 0, '1': 0, '2': 2, '3': 0 },
        unrecorded: 1,
      },
      {
        start: '2026-11-16T00:00:00.000Z',
        levels: { '0': 0, '1': 0, '2': 1, '3': 0 },
        unrecorded: 2,
      },
      {
        start: '2026-11-23T00:00:00.000Z',
        levels: { '0': 0, '1': 1, '2': 0, '3': 0 },
        unrecorded: 2,
      },
    ]);
  });

  it('ignores other entities and days outside the window, and keeps unknown levels', () => {
    const mix = weeklyLevelMix(
      [
        row('a', '2026-11-03', 3), // before the window's first day
        row('a', '2026-11-04', 1), // the window's first day, though it starts at noon
        row('x', '2026-11-05', 2), // not one of the team's
        row('a', '2026-11-26', 3), // after the window
        row('b', '2026-11-24', 7), // a level the ladder no longer has
      ],
      ['a', 'b'],
      window,
      levels,
    );
    expect(mix.map(w => [w.levels, w.unrecorded])).toEqual([
      [{ '0': 0, '1': 1, '2': 0, '3': 0 }, 1],
      [{ '0': 0, '1': 0, '2': 0, '3': 0 }, 2],
      [{ '0': 0, '1': 0, '2': 0, '3': 0 }, 2],
      [{ '0': 0, '1': 0, '2': 0, '3': 0, '7': 1 }, 1],
    ]);
  });

  it('answers every week, all unrecorded, when nothing is recorded', () => {
    const mix = weeklyLevelMix([], ['a'], window, [0, 1]);
    expect(mix).toHaveLength(4);
    expect(mix.every(w => w.unrecorded === 1 && w.levels['0'] === 0)).toBe(
      true,
    );
  });
});
