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
    await render(apiFor({ ...elite, deployments }));
    await waitFor(() =>
      expect(
        screen.getByTestId('metric-Lead time for changes'),
      ).toHaveTextContent(
        `lead time from ${complete} of ${deployments.length} deployments with all their commits known`,
      ),
    );
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
        { timeout: 4000 },
      ),
    ).toBeInTheDocument();
  });
});
