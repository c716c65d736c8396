import { screen } from '@testing-library/react';
import { renderTestApp } from '@backstage/frontend-test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  computeDoraMetrics,
  DORA_2021,
  emptyFacts,
} from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../api/DevopsMaturityApi';
import { PROFILES, WINDOW, eliteFacts } from '../__testUtils__/metrics';
import devopsMaturityPlugin from './index';

const row = {
  entityRef: 'component:default/checkout-api',
  title: 'Checkout API',
  kind: 'Component',
  ownerRef: 'group:default/team-checkout',
  ...computeDoraMetrics(
    { ...emptyFacts(), ...eliteFacts() },
    WINDOW,
    DORA_2021,
  ),
};

const api: Partial<DevopsMaturityApi> = {
  getProfiles: async () => PROFILES,
  getScorecards: async () => ({
    window: row.window,
    profile: 'dora-2021',
    totalCount: 1,
    distribution: { elite: 1, high: 0, medium: 0, low: 0, none: 0 },
    items: [row],
  }),
  getOwnerScorecards: async () => ({
    window: row.window,
    profile: 'dora-2021',
    totalCount: 0,
    distribution: { elite: 0, high: 0, medium: 0, low: 0, none: 0 },
    items: [],
  }),
  getGoldenPathHealth: async () => ({
    window: { days: 90 },
    profile: 'dora-2021',
    checks: [{ id: 'ci', title: 'CI configured', pillar: 'automation' }],
    levels: [{ level: 1, name: 'Initial' }],
    organisation: {
      entities: 1,
      levels: { '1': 1 },
      checks: { ci: { passed: 1, applicable: 1 } },
    },
    teams: [],
  }),
  getUnmatched: async () => ({ items: [], totalCount: 0 }),
};

// The page and its chunks load lazily: on a busy 2-core CI machine that took over 4 s. Waits are
// on conditions, so a generous bound costs nothing when the machine is fast.
const WAIT = 20_000;
jest.setTimeout(60_000);

describe('the new frontend system plugin', () => {
  it('serves the ranking page at /devops-maturity with data from the API', async () => {
    renderTestApp({
      features: [devopsMaturityPlugin],
      initialRouteEntries: ['/devops-maturity'],
      // The rows link to entities, as in an app with the catalog.
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [[devopsMaturityApiRef, api]],
    });
    expect(
      await screen.findByText(
        'DORA, CALMS and maturity scorecards of every service and team',
        {},
        { timeout: WAIT },
      ),
    ).toBeInTheDocument();
    expect(
      await screen.findByText('Checkout API', {}, { timeout: WAIT }),
    ).toBeInTheDocument();
    // The summary row, with the storage API the new system's app provides by default.
    expect(
      await screen.findByTestId('summary-tiers', {}, { timeout: WAIT }),
    ).toHaveTextContent('1 service by overall DORA tier');
    expect(
      await screen.findByTestId('summary-golden-path', {}, { timeout: WAIT }),
    ).toHaveTextContent('100%');
  });

  it('says the ranking may be stale while stored facts are rebuilt under new rules', async () => {
    renderTestApp({
      features: [devopsMaturityPlugin],
      initialRouteEntries: ['/devops-maturity'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [
          devopsMaturityApiRef,
          {
            ...api,
            getScorecards: async () => ({
              ...(await api.getScorecards!()),
              rebuilding: true as const,
            }),
          },
        ],
      ],
    });
    expect(
      await screen.findByTestId('rankings-rebuilding', {}, { timeout: WAIT }),
    ).toHaveTextContent('being recomputed under the new rules');
  });

  it('says the ranking may lag when it was answered before its rows caught up', async () => {
    renderTestApp({
      features: [devopsMaturityPlugin],
      initialRouteEntries: ['/devops-maturity'],
      mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef },
      apis: [
        [
          devopsMaturityApiRef,
          {
            ...api,
            getScorecards: async () => ({
              ...(await api.getScorecards!()),
              updating: true as const,
            }),
          },
        ],
      ],
    });
    expect(
      await screen.findByTestId('rankings-updating', {}, { timeout: WAIT }),
    ).toHaveTextContent('may lag them by a few seconds');
  });
});
