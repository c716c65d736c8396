import { checkStatusChanges } from './history';

const day = (d: string, statuses: Record<string, string>) => ({
  day: d,
  results: Object.entries(statuses).map(([id, status]) => ({ id, status })),
});

describe('checkStatusChanges', () => {
  it('reports the days a check started or stopped passing, the first day being the baseline', () => {
    expect(
      checkStatusChanges([
        day('2026-01-01', { ci: 'fail', docs: 'pass', pm: 'not-applicable' }),
        day('2026-01-02', { ci: 'fail', docs: 'pass', pm: 'not-applicable' }),
        day('2026-01-03', { ci: 'pass', docs: 'pass', pm: 'fail' }),
        day('2026-01-04', { ci: 'pass', docs: 'fail', pm: 'pass' }),
      ]),
    ).toEqual([
      { day: '2026-01-03', checkId: 'ci', from: 'fail', to: 'pass' },
      { day: '2026-01-03', checkId: 'pm', from: 'not-applicable', to: 'fail' },
      { day: '2026-01-04', checkId: 'docs', from: 'pass', to: 'fail' },
      { day: '2026-01-04', checkId: 'pm', from: 'fail', to: 'pass' },
    ]);
  });

  it('measures against the previous recorded day across gaps, whatever the input order', () => {
    expect(
      checkStatusChanges([
        day('2026-03-10', { ci: 'pass' }),
        day('2026-01-01', { ci: 'fail' }),
        day('2026-02-01', { ci: 'fail' }),
      ]),
    ).toEqual([{ day: '2026-03-10', checkId: 'ci', from: 'fail', to: 'pass' }]);
  });

  it('takes the day a check appears for its baseline, and a dropped check for no change', () => {
    expect(
      checkStatusChanges([
        day('2026-01-01', { ci: 'pass', old: 'fail' }),
        // An upgrade adds checks: their first day is no change, whatever their status.
        day('2026-01-02', { ci: 'pass', added: 'fail', other: 'pass' }),
        day('2026-01-03', { ci: 'pass', added: 'pass', other: 'pass' }),
      ]),
    ).toEqual([
      { day: '2026-01-03', checkId: 'added', from: 'fail', to: 'pass' },
    ]);
  });

  it('has no changes for no days, or one', () => {
    expect(checkStatusChanges([])).toEqual([]);
    expect(checkStatusChanges([day('2026-01-01', { ci: 'pass' })])).toEqual([]);
  });
});
