import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import {
  EntityProvider,
  entityRouteRef,
} from '@backstage/plugin-catalog-react';
import { permissionApiRef } from '@backstage/plugin-permission-react';
import { Entity } from '@backstage/catalog-model';
import {
  CALMS_QUESTIONS,
  CalmsAssessment,
  devopsMaturityAssessmentSubmitPermission,
  EntityAssessment,
} from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import { maturityFrom, NOW } from '../../__testUtils__/metrics';
import { EntityCalmsContent } from './EntityCalmsContent';

// usePermission caches decisions per permission and resource for the page's life, so each
// test looks at its own entity.
const entity = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'team-a', lifecycle: 'production' },
});

function api(assessment?: CalmsAssessment) {
  const state: EntityAssessment = {
    entityRef: 'component:default/svc',
    current: assessment ?? null,
    stale: false,
    staleAfterDays: 180,
    history: assessment ? [assessment] : [],
    questions: CALMS_QUESTIONS,
  };
  return {
    getEntityMaturity: jest.fn(async () =>
      maturityFrom(
        { ownerRef: 'group:default/team-a', description: 'x' },
        { deploymentsLast30Days: 3 },
        state.current ?? undefined,
      ),
    ),
    getEntityAssessment: jest.fn(async () => state),
    submitEntityAssessment: jest.fn(async (_ref: string, answers: any) => {
      const saved = {
        entityRef: 'component:default/svc',
        answers,
        author: 'user:default/me',
        submittedAt: new Date(NOW).toISOString(),
      };
      state.current = saved;
      state.history = [saved, ...state.history];
      return saved;
    }),
  } satisfies Partial<DevopsMaturityApi>;
}

/** The permission API as the backend's policy would answer: owners may submit. */
const permissions = (owner: boolean) => ({
  authorize: jest.fn(async (request: any) => ({
    result:
      owner &&
      request.permission.name === devopsMaturityAssessmentSubmitPermission.name
        ? ('ALLOW' as const)
        : ('DENY' as const),
  })),
});

async function render(a: ReturnType<typeof api>, owner: boolean, name: string) {
  await renderInTestApp(
    <TestApiProvider
      apis={[
        [devopsMaturityApiRef, a],
        [permissionApiRef, permissions(owner)],
      ]}
    >
      <EntityProvider entity={entity(name)}>
        <EntityCalmsContent />
      </EntityProvider>
    </TestApiProvider>,
    // the history links to its authors, as in an app with the catalog
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
}

// One test clicks through every question, a render each: on a busy 2-core CI machine that took
// over Jest's default 5 s while the backend suites ran beside it.
jest.setTimeout(30_000);

describe('EntityCalmsContent', () => {
  it('shows signals-only scores and a read-only questionnaire to a non-owner', async () => {
    await render(api(), false, 'not-ours');
    expect(await screen.findByTestId('calms-basis')).toHaveTextContent(
      'No self-assessment yet: the scores are from automated signals only.',
    );
    expect(
      await screen.findByTestId('assessment-read-only'),
    ).toBeInTheDocument();
    const question = screen.getByTestId('question-lean.wip-limits');
    for (const radio of within(question).getAllByRole('radio'))
      expect(radio).toBeDisabled();
    expect(screen.queryByRole('button', { name: 'Submit assessment' })).toBe(
      null,
    );
    // Culture: owned by a team passes, on-call fails -> 50 from signals
    expect(screen.getByTestId('pillar-score-culture')).toHaveTextContent('50');
  });

  it('lets an owner answer every question and submit, then shows the new basis', async () => {
    const a = api();
    await render(a, true, 'ours');
    const submit = await screen.findByRole('button', {
      name: 'Submit assessment',
    });
    expect(submit).toBeDisabled();
    expect(
      screen.getByText(`${CALMS_QUESTIONS.length} questions left`),
    ).toBeInTheDocument();
    for (const q of CALMS_QUESTIONS) {
      await userEvent.click(
        within(screen.getByTestId(`question-${q.id}`)).getByLabelText('Agree'),
      );
    }
    expect(submit).toBeEnabled();
    await userEvent.click(submit);
    await waitFor(() =>
      expect(a.submitEntityAssessment).toHaveBeenCalledWith(
        'component:default/ours',
        Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, 4])),
      ),
    );
    await waitFor(() =>
      expect(screen.getByTestId('calms-basis')).toHaveTextContent(
        'by user:default/me counts',
      ),
    );
    // (50 signals + 75 assessment) / 2, rounded
    expect(screen.getByTestId('pillar-score-culture')).toHaveTextContent('63');
    expect(screen.getByTestId('assessment-history')).toHaveTextContent(
      '2026-11-21',
    );
  });
});
