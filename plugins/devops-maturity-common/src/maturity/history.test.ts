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

  it('names a check new to a day with from null, and takes a dropped check for no change', () => {
    expect(
      checkStatusChanges([
        day('2026-01-01', { ci: 'pass', old: 'fail' }),
        day('2026-01-02', { ci: 'pass', added: 'pass' }),
      ]),
    ).toEqual([
      { day: '2026-01-02', checkId: 'added', from: null, to: 'pass' },
    ]);
  });

  it('has no changes for no days, or one', () => {
    expect(checkStatusChanges([])).toEqual([]);
    expect(checkStatusChanges([day('2026-01-01', { ci: 'pass' })])).toEqual([]);
  });
});
