import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  mockApis,
  renderInTestApp,
  TestApiProvider,
} from '@backstage/test-utils';
import { storageApiRef } from '@backstage/core-plugin-api';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import { ResponseError } from '@backstage/errors';
import {
  EntityScorecard,
  GoldenPathHealth,
} from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import { metricsFrom } from '../../__testUtils__/metrics';
import { RankingSummary } from './RankingSummary';
import { ServicesTable } from './ServicesTable';

const health: GoldenPathHealth = {
  window: { days: 90 },
  profile: 'dora-2021',
  checks: [
    { id: 'runbook', title: 'Runbook', pillar: 'culture' },
    { id: 'ci', title: 'CI configured', pillar: 'automation' },
  ],
  levels: [
    { level: 1, name: 'Initial' },
    { level: 2, name: 'Managed' },
  ],
  organisation: {
    entities: 5,
    levels: { '0': 1, '1': 3, '2': 1 },
    // 3 of 5 and 1 of 3: 4 of 8 pass, 50%.
    checks: {
      runbook: { passed: 3, applicable: 5 },
      ci: { passed: 1, applicable: 3 },
    },
  },
  teams: [],
};

function apiWith(unmatched: () => Promise<number>): Partial<DevopsMaturityApi> {
  return {
    getScorecards: jest.fn(async () => ({
      window: { from: '', to: '' },
      profile: 'dora-2021',
      totalCount: 12,
      distribution: { elite: 2, high: 4, medium: 3, low: 1, none: 2 },
      items: [],
    })),
    getGoldenPathHealth: jest.fn(async () => health),
    getUnmatched: jest.fn(async () => ({
      items: [],
      totalCount: await unmatched(),
    })),
  };
}

function renderSummary(api: Partial<DevopsMaturityApi>, onTier = jest.fn()) {
  return renderInTestApp(
    <TestApiProvider apis={[[devopsMaturityApiRef, api]]}>
      <RankingSummary
        days={90}
        onTierSelect={onTier}
        goldenPathLink="/dm/golden-path"
        unmatchedLink="/dm/unmatched"
      />
    </TestApiProvider>,
  );
}

describe('RankingSummary', () => {
  it('tells where the organisation stands: tiers, levels, golden path, unmatched', async () => {
    const onTier = jest.fn();
    const api = apiWith(async () => 7);
    await renderSummary(api, onTier);
    expect(await screen.findByTestId('summary-tiers')).toHaveTextContent(
      '12 services by overall DORA tier',
    );
    expect(screen.getByTestId('summary-tier-high')).toHaveAttribute(
      'data-count',
      '4',
    );
    expect(screen.getByTestId('summary-tier-none')).toHaveTextContent(
      'No data 2',
    );
    expect(await screen.findByTestId('summary-level-1')).toHaveTextContent(
      '1 Initial 3',
    );
    expect(screen.getByTestId('summary-level-0')).toHaveTextContent(
      'Unrated 1',
    );
    const golden = screen.getByTestId('summary-golden-path');
    expect(golden).toHaveTextContent('50%');
    expect(golden).toHaveTextContent('4 of 8 checks that apply');
    expect(within(golden).getByText('See the gaps')).toHaveAttribute(
      'href',
      '/dm/golden-path',
    );
    expect(await screen.findByTestId('summary-unmatched')).toHaveTextContent(
      '7events name no catalog entity',
    );
    // The summary is the unfiltered whole: one page of one row is enough for the distribution.
    expect(api.getScorecards).toHaveBeenCalledWith({ days: 90, limit: 1 });
    fireEvent.click(
      within(screen.getByTestId('summary-tier-low')).getByRole('button'),
    );
    expect(onTier).toHaveBeenCalledWith('low');
  });

  it('shows no unmatched tile to a reader who may not read the queue', async () => {
    const forbidden = await ResponseError.fromResponse(
      new Response(JSON.stringify({ error: { name: 'NotAllowedError' } }), {
        status: 403,
      }) as any,
    );
    await renderSummary(
      apiWith(async () => {
        throw forbidden;
      }),
    );
    await screen.findByTestId('summary-level-1');
    await waitFor(() =>
      expect(screen.queryByTestId('summary-unmatched')).not.toBeInTheDocument(),
    );
  });
});

describe('ServicesTable', () => {
  const row: EntityScorecard = {
    ...metricsFrom({}, 'component:default/svc'),
    title: 'Svc',
    ownerRef: 'group:default/team-a',
    systemRef: 'system:default/shop',
  } as EntityScorecard;

  async function renderTable() {
    const storage = mockApis.storage();
    await storage
      .forBucket('devops-maturity')
      .set('ranking.services.hiddenColumns', ['system']);
    await renderInTestApp(
      <TestApiProvider apis={[[storageApiRef, storage]]}>
        <ServicesTable
          onExportCsv={jest.fn()}
          data={async () => ({ data: [row], page: 0, totalCount: 1 })}
        />
      </TestApiProvider>,
      { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
    );
    await screen.findByText('Svc');
    return storage;
  }

  it('hides the columns the user hid before, and keeps their dense-rows choice', async () => {
    const storage = await renderTable();
    const headers = screen.getAllByRole('columnheader').map(h => h.textContent);
    expect(headers).toContain('Owner');
    expect(headers).not.toContain('System');
    const bucket = storage.forBucket('devops-maturity');
    expect(bucket.snapshot('ranking.denseRows').value).toBeUndefined();
    fireEvent.click(screen.getByTestId('dense-rows'));
    expect(bucket.snapshot('ranking.denseRows').value).toBe(false);
  });
});
