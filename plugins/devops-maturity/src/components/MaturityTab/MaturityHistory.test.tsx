import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityMaturityHistory } from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import { MaturityHistory } from './MaturityHistory';

const REF = 'component:default/svc';

const history = (days: number): EntityMaturityHistory => ({
  entityRef: REF,
  window: { days },
  points: [
    { day: '2026-09-01', level: 1, calms: null },
    { day: '2026-10-01', level: 2, calms: 48 },
    { day: '2026-11-20', level: 3, calms: 61 },
  ],
  changes: [
    {
      day: '2026-10-01',
      checkId: 'ci',
      title: 'CI configured',
      from: 'fail',
      to: 'pass',
    },
    {
      day: '2026-11-20',
      checkId: 'runbook',
      title: 'Runbook',
      from: 'pass',
      to: 'fail',
    },
  ],
});

async function render(api: Partial<DevopsMaturityApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[devopsMaturityApiRef, api]]}>
      <MaturityHistory entityRef={REF} />
    </TestApiProvider>,
  );
}

describe('MaturityHistory', () => {
  it('draws the recorded days, lists the criteria that changed, and asks again for another window', async () => {
    const getEntityMaturityHistory = jest.fn(
      async (_ref: string, q?: { days?: number }) => history(q?.days ?? 90),
    );
    await render({ getEntityMaturityHistory });
    const chart = await screen.findByTestId('maturity-history-chart');
    expect(getEntityMaturityHistory).toHaveBeenCalledWith(REF, { days: 90 });
    expect(chart).toHaveAttribute('data-points', '3');
    expect(chart).toHaveAttribute('data-days', '90');
    const rows = screen.getAllByTestId('maturity-history-point');
    expect(
      rows.map(r => [
        r.getAttribute('data-day'),
        r.getAttribute('data-level'),
        r.getAttribute('data-calms'),
      ]),
    ).toEqual([
      ['2026-09-01', '1', ''],
      ['2026-10-01', '2', '48'],
      ['2026-11-20', '3', '61'],
    ]);
    expect(within(rows[1]).getByText('48')).toBeInTheDocument();
    // Newest first, with the check's title and from -> to.
    const changes = screen.getAllByTestId('maturity-history-change');
    expect(changes.map(c => c.textContent)).toEqual([
      '2026-11-20: Runbook pass → fail',
      '2026-10-01: CI configured fail → pass',
    ]);

    await userEvent.click(screen.getByRole('button', { name: '365 days' }));
    await waitFor(() =>
      expect(screen.getByTestId('maturity-history-chart')).toHaveAttribute(
        'data-days',
        '365',
      ),
    );
    expect(getEntityMaturityHistory).toHaveBeenLastCalledWith(REF, {
      days: 365,
    });
    expect(screen.getByRole('button', { name: '365 days' })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  });

  it('says so when nothing is recorded yet', async () => {
    await render({
      getEntityMaturityHistory: async () => ({
        ...history(90),
        points: [],
        changes: [],
      }),
    });
    expect(
      await screen.findByText(
        'No history yet: it is recorded each day the rankings are computed',
      ),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('maturity-history-chart')).toBeNull();
  });

  it('shows progress while loading, then the error', async () => {
    let fail: (e: Error) => void = () => {};
    await render({
      getEntityMaturityHistory: () =>
        new Promise((_, reject) => {
          fail = reject;
        }),
    });
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
    fail(new Error('history unavailable'));
    expect(
      await screen.findByText('Error: history unavailable'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('progress')).toBeNull();
  });
});
