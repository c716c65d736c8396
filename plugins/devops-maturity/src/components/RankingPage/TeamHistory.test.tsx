import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { OwnerHistory } from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import { TeamHistory } from './TeamHistory';

const teams = [
  { ownerRef: 'group:default/commerce', title: 'Commerce' },
  { ownerRef: 'group:default/platform', title: 'Platform' },
];

const noTiers = {
  overallTier: null,
  deploymentFrequency: null,
  leadTime: null,
  changeFailureRate: null,
  timeToRestore: null,
};

function historyOf(ownerRef: string, recorded: boolean): OwnerHistory {
  return {
    ownerRef,
    window: {
      from: '2026-08-30T10:00:00.000Z',
      to: '2026-11-28T10:00:00.000Z',
    },
    days: 90,
    profile: 'dora-2021',
    includeChildren: true,
    entityRefs: ['component:default/a', 'component:default/b'],
    weeks: [
      {
        start: '2026-11-16T00:00:00.000Z',
        levels: { '0': 0, '1': recorded ? 1 : 0, '2': 0, '3': 0 },
        unrecorded: recorded ? 1 : 2,
        dora: recorded
          ? { ...noTiers, overallTier: 'high', leadTime: 'elite' }
          : noTiers,
      },
      {
        start: '2026-11-23T00:00:00.000Z',
        levels: { '0': 0, '1': 0, '2': 0, '3': recorded ? 2 : 0 },
        unrecorded: recorded ? 0 : 2,
        dora: noTiers,
      },
    ],
  };
}

async function renderWith(
  getOwnerHistory: DevopsMaturityApi['getOwnerHistory'],
  props: { days?: number; teams?: typeof teams } = {},
) {
  const api: Partial<DevopsMaturityApi> = {
    getOwnerHistory: jest.fn(getOwnerHistory),
  };
  await renderInTestApp(
    <TestApiProvider apis={[[devopsMaturityApiRef, api]]}>
      <TeamHistory
        teams={props.teams ?? teams}
        days={props.days}
        profile="dora-2023"
      />
    </TestApiProvider>,
  );
  return api.getOwnerHistory as jest.Mock;
}

describe('TeamHistory', () => {
  it("draws the first team's weeks, and asks for the team chosen", async () => {
    const get = await renderWith(async ref => historyOf(ref, true), {
      days: 30,
    });
    // The page's 30 days: the shortest history window that covers them.
    expect(get).toHaveBeenCalledWith('group:default/commerce', {
      days: 90,
      profile: 'dora-2023',
    });
    expect(await screen.findByTestId('team-history-chart')).toHaveAttribute(
      'data-owner',
      'group:default/commerce',
    );
    const rows = screen.getAllByTestId('team-history-week');
    expect(rows.map(r => r.getAttribute('data-start'))).toEqual([
      '2026-11-16T00:00:00.000Z',
      '2026-11-23T00:00:00.000Z',
    ]);
    expect(JSON.parse(rows[1].getAttribute('data-levels')!)).toEqual({
      '0': 0,
      '1': 0,
      '2': 0,
      '3': 2,
    });
    expect(rows[0]).toHaveTextContent('2026-11-16');
    expect(within(rows[0]).getAllByRole('cell')[1]).toHaveTextContent('1');
    expect(
      screen
        .getAllByTestId('team-history-tier-overallTier')
        .map(c => c.getAttribute('data-tier')),
    ).toEqual(['high', 'none']);

    await userEvent.click(screen.getByRole('button', { name: /Commerce/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: /Platform/ }),
    );
    await waitFor(() =>
      expect(get).toHaveBeenLastCalledWith('group:default/platform', {
        days: 90,
        profile: 'dora-2023',
      }),
    );
    await waitFor(() =>
      expect(screen.getByTestId('team-history-chart')).toHaveAttribute(
        'data-owner',
        'group:default/platform',
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: '365 days' }));
    await waitFor(() =>
      expect(get).toHaveBeenLastCalledWith('group:default/platform', {
        days: 365,
        profile: 'dora-2023',
      }),
    );
  });

  it('says so when the team has no recorded history yet', async () => {
    await renderWith(async ref => historyOf(ref, false));
    expect(await screen.findByTestId('team-history-empty')).toHaveTextContent(
      'No recorded history for this team yet',
    );
    expect(screen.queryByTestId('team-history-chart')).toBeNull();
  });

  it('shows the error of a failed request', async () => {
    await renderWith(async () => {
      throw new Error('the backend is down');
    });
    expect(
      await screen.findByText('Error: the backend is down'),
    ).toBeInTheDocument();
    expect(screen.queryByTestId('team-history-chart')).toBeNull();
  });

  it('asks for nothing without teams', async () => {
    const get = await renderWith(async ref => historyOf(ref, true), {
      teams: [],
    });
    expect(screen.getByTestId('team-history-no-teams')).toBeInTheDocument();
    expect(get).not.toHaveBeenCalled();
  });
});

describe('TeamHistory, its team chosen by the page', () => {
  async function renderControlled(props: {
    selected?: string;
    onSelect?: (ownerRef: string) => void;
    teamsLoading?: boolean;
    teamsError?: Error;
    teams?: typeof teams;
  }) {
    const get = jest.fn(async (ref: string) => historyOf(ref, true));
    await renderInTestApp(
      <TestApiProvider
        apis={[[devopsMaturityApiRef, { getOwnerHistory: get }]]}
      >
        <TeamHistory teams={props.teams ?? teams} {...props} />
      </TestApiProvider>,
    );
    return get;
  }

  it('shows the team the page chose, and hands a pick in its selector back to the page', async () => {
    const onSelect = jest.fn();
    const get = await renderControlled({
      selected: 'group:default/platform',
      onSelect,
    });
    await screen.findByTestId('team-history-chart');
    expect(get).toHaveBeenLastCalledWith('group:default/platform', {
      days: 90,
      profile: undefined,
    });
    await userEvent.click(screen.getByRole('button', { name: /Platform/ }));
    await userEvent.click(
      await screen.findByRole('option', { name: /Commerce/ }),
    );
    // The page owns the choice: a "History" on the same row later shows that row again.
    expect(onSelect).toHaveBeenCalledWith('group:default/commerce');
    expect(get).not.toHaveBeenCalledWith('group:default/commerce', {
      days: 90,
      profile: undefined,
    });
  });

  it('says the team list is loading, or why it failed, rather than "no teams"', async () => {
    await renderControlled({ teams: [], teamsLoading: true });
    expect(screen.queryByTestId('team-history-no-teams')).toBeNull();
    expect(await screen.findByTestId('progress')).toBeInTheDocument();
  });

  it('shows why the team list failed', async () => {
    await renderControlled({
      teams: [],
      teamsError: new Error('catalog down'),
    });
    expect(screen.queryByTestId('team-history-no-teams')).toBeNull();
    expect((await screen.findAllByText(/catalog down/)).length).toBeGreaterThan(
      0,
    );
  });
});
