import { screen, waitFor } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import {
  computeDoraTrend,
  DORA_2021,
  emptyFacts,
} from '@devops-maturity/backstage-plugin-common';
import { EntityDoraContent } from './EntityDoraContent';
import {
  eliteFacts,
  metricsFrom,
  PROFILES,
  WINDOW,
} from '../../__testUtils__/metrics';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', namespace: 'default' },
  spec: { type: 'service', owner: 'team', lifecycle: 'production' },
};

function apiFor(
  facts: ReturnType<typeof eliteFacts>,
  overrides: Partial<DevopsMaturityApi> = {},
): Partial<DevopsMaturityApi> {
  return {
    getProfiles: async () => PROFILES,
    getEntityDora: jest.fn(async () => metricsFrom(facts)),
    getEntityTrend: async () => ({
      entityRef: 'component:default/svc',
      interval: 'week' as const,
      window: { from: '', to: '' },
      profile: 'dora-2021',
      points: computeDoraTrend(
        { ...emptyFacts(), ...facts },
        WINDOW,
        'week',
        DORA_2021,
      ),
    }),
    getEntityDeployments: async () => ({ items: [], totalCount: 0 }),
    getEntityIncidents: async () => ({ items: [], totalCount: 0 }),
    ...overrides,
  };
}

async function render(api: Partial<DevopsMaturityApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[devopsMaturityApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityDoraContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityDoraContent', () => {
  it('shows each metric in human units with its tier and what the next tier asks', async () => {
    const api = apiFor(eliteFacts());
    await render(api);
    expect(
      await screen.findByText('Lead time for changes'),
    ).toBeInTheDocument();
    const lead = screen.getByTestId('metric-Lead time for changes');
    expect(lead).toHaveTextContent('20 min');
    expect(lead).toHaveTextContent('Elite');
    expect(lead).toHaveTextContent('Elite: median under 1 h');
    const frequency = screen.getByTestId('metric-Deployment frequency');
    expect(frequency).toHaveTextContent(/deploys\/(day|week)/);
    const cfr = screen.getByTestId('metric-Change failure rate');
    expect(cfr).toHaveTextContent(/1 of \d+ deployments failed/);
    expect(screen.getByTestId('overall-tier')).toHaveTextContent('Elite');
    expect(api.getEntityDora).toHaveBeenCalledWith('component:default/svc', {
      days: 90,
      profile: undefined,
    });
  });

  it('shows the reason and what to wire up for every metric without data, never a zero', async () => {
    await render(apiFor({}));
    await waitFor(() =>
      expect(
        screen.getByTestId('metric-Time to restore service'),
      ).toHaveTextContent('No data'),
    );
    expect(
      screen.getByTestId('metric-Time to restore service'),
    ).toHaveTextContent('No incidents reported.');
    expect(
      screen.getByTestId('metric-Time to restore service'),
    ).toHaveTextContent('Connect PagerDuty');
    expect(screen.getByTestId('metric-Deployment frequency')).toHaveTextContent(
      'No production deployments reported.',
    );
    expect(
      screen.getByTestId('metric-Deployment frequency'),
    ).not.toHaveTextContent('0 deploys');
    expect(screen.getByTestId('overall-tier')).toHaveTextContent('No data');
  });

  it('says when lead time rests on part of the deployments', async () => {
    const elite = eliteFacts();
    // Every third deployment could not tell all the commits it brought.
    const deployments = elite.deployments!.map((d, i) => ({
      ...d,
      commitsComplete: i % 3 !== 0,
    }));
    const complete = deployments.filter(d => d.commitsComplete).length;
    const listed = (id: string, commits: number, commitsComplete: boolean) => ({
      id,
      source: 'api',
      entityRef: 'component:default/svc',
      environment: 'production',
      status: 'success' as const,
      finishedAt: '2026-11-20T10:00:00.000Z',
      kind: 'normal' as const,
      commits: Array.from({ length: commits }, (_, n) => ({
        sha: `${id}-${n}`,
        committedAt: '2026-11-20T09:00:00.000Z',
      })),
      commitsComplete,
      counts: true,
      failed: false,
      causedIncidents: [],
    });
    await render(
      apiFor(
        { ...elite, deployments },
        {
          getEntityDeployments: async () => ({
            items: [
              listed('told-all', 3, true),
              listed('told-some', 2, false),
              listed('told-none', 0, false),
            ],
            totalCount: 3,
          }),
        },
      ),
    );
    await waitFor(() =>
      expect(
        screen.getByTestId('metric-Lead time for changes'),
      ).toHaveTextContent(
        `lead time from ${complete} of ${deployments.length} deployments with all their commits known`,
      ),
    );
    const row = async (id: string) =>
      (await screen.findByText(id)).closest('tr')!;
    expect(await row('told-all')).toHaveTextContent(/3api$/);
    expect(await row('told-some')).toHaveTextContent('2+ (not all known)');
    expect(await row('told-none')).toHaveTextContent('unknown');
  });

  it('explains a lead time without data when no deployment told its commits', async () => {
    const elite = eliteFacts();
    await render(
      apiFor({
        ...elite,
        changes: [],
        deployments: elite.deployments!.map(d => ({
          ...d,
          commitsComplete: false,
        })),
      }),
    );
    await waitFor(() =>
      expect(
        screen.getByTestId('metric-Lead time for changes'),
      ).toHaveTextContent(
        'No deployment in window reported the commits it brought.',
      ),
    );
    expect(
      screen.getByTestId('metric-Lead time for changes'),
    ).toHaveTextContent('connect GitHub or GitLab push webhooks');
  });

  it("shows the backend's error", async () => {
    await render(
      apiFor(
        {},
        {
          getEntityDora: async () => {
            throw new Error('the backend is down');
          },
        },
      ),
    );
    expect(
      await screen.findByText(
        'Error: the backend is down',
        {},
        { timeout: 20_000 },
      ),
    ).toBeInTheDocument();
  });
});
