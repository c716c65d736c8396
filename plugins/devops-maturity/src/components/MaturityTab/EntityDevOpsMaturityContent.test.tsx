import { screen, within } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { EntityProvider } from '@backstage/plugin-catalog-react';
import { Entity } from '@backstage/catalog-model';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import { maturityFrom, PROFILES } from '../../__testUtils__/metrics';
import { EntityDevOpsMaturityContent } from './EntityDevOpsMaturityContent';

const entity: Entity = {
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name: 'svc', namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
};

async function render(api: Partial<DevopsMaturityApi>) {
  await renderInTestApp(
    <TestApiProvider apis={[[devopsMaturityApiRef, api]]}>
      <EntityProvider entity={entity}>
        <EntityDevOpsMaturityContent />
      </EntityProvider>
    </TestApiProvider>,
  );
}

describe('EntityDevOpsMaturityContent', () => {
  it('shows the level on the ladder, the next steps with how to fix, and the checks by pillar', async () => {
    // Owned by a team, described, with a lifecycle, but no CI: level 1, CI is the next step.
    const maturity = maturityFrom(
      {
        ownerRef: 'group:default/team-a',
        description: 'Takes payments',
        lifecycle: 'production',
      },
      {},
    );
    await render({
      getProfiles: async () => PROFILES,
      getEntityMaturity: async () => maturity,
      getEntityMaturityHistory: async () => ({
        entityRef: 'component:default/svc',
        window: { days: 90 },
        points: [],
        changes: [],
      }),
    });
    expect(await screen.findByText('Level 1: Initial')).toBeInTheDocument();
    expect(screen.getByTestId('level-1')).toHaveAttribute(
      'aria-current',
      'step',
    );
    expect(screen.getByTestId('level-2')).toHaveTextContent('3/4 criteria');
    const steps = screen.getByTestId('next-steps');
    expect(steps).toHaveTextContent('CI linked');
    expect(steps).toHaveTextContent('Now: no CI annotation');
    // and how to fix it
    expect(
      within(steps).getByText('github.com/project-slug', { exact: false }),
    ).toBeInTheDocument();
    const ci = screen.getByTestId('check-ci');
    expect(ci).toHaveTextContent('Fail');
    expect(screen.getByTestId('check-owned-by-group')).toHaveTextContent(
      'owned by group:default/team-a',
    );
    expect(screen.getByTestId('check-small-batches')).toHaveTextContent('N/A');
    expect(screen.getByTestId('checks-automation')).toHaveTextContent(
      'CI linked',
    );
    // The history card, with nothing recorded yet.
    expect(
      await screen.findByTestId('maturity-history-empty'),
    ).toBeInTheDocument();
  });

  it("shows the backend's error", async () => {
    await render({
      getProfiles: async () => PROFILES,
      getEntityMaturity: async () => {
        throw new Error('no such entity');
      },
    });
    expect(
      await screen.findByText('Error: no such entity', {}, { timeout: 20_000 }),
    ).toBeInTheDocument();
  });
});
