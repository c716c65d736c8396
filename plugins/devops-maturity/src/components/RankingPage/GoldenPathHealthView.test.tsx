import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { entityRouteRef } from '@backstage/plugin-catalog-react';
import {
  GoldenPathFailing,
  GoldenPathFailure,
  GoldenPathHealth,
} from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
  GoldenPathFailingQuery,
} from '../../api/DevopsMaturityApi';
import { GoldenPathHealthView } from './GoldenPathHealthView';

const CATALOG = 'group:default/product-catalog';
const CHECKOUT = 'group:default/checkout';

const row = (
  ownerRef: string | undefined,
  title: string | undefined,
  runbook: { passed: number; applicable: number },
) => ({
  ownerRef,
  title,
  entities: runbook.applicable,
  levels: { '2': runbook.applicable },
  checks: {
    runbook,
    'golden-path-template': { passed: 0, applicable: runbook.applicable },
  },
});

const health: GoldenPathHealth = {
  window: { days: 90 },
  profile: 'dora-2021',
  checks: [
    { id: 'runbook', title: 'Runbook', pillar: 'sharing' },
    {
      id: 'golden-path-template',
      title: 'Created from a template',
      pillar: 'automation',
    },
  ],
  levels: [
    { level: 1, name: 'Initial' },
    { level: 2, name: 'Managed' },
  ],
  organisation: row(undefined, undefined, { passed: 3, applicable: 6 }),
  teams: [
    row(CHECKOUT, 'Checkout', { passed: 2, applicable: 2 }),
    row(CATALOG, 'Product Catalog', { passed: 1, applicable: 4 }),
  ],
};

const failure = (
  name: string,
  ownerRef: string,
  ownerTitle: string,
): GoldenPathFailure => ({
  entityRef: `component:default/${name}`,
  title: name.replace(/-/g, ' '),
  ownerRef,
  ownerTitle,
  level: 2,
  evidence: `no link of type or title "runbook" (${name})`,
});

/** What the backend answers: the failing services of a team, or of everyone sorted by team. */
const FAILING: Record<string, GoldenPathFailure[]> = {
  [CATALOG]: [
    failure('inventory-sync', CATALOG, 'Product Catalog'),
    // Fixed since the matrix was computed: still listed, and said to pass now.
    {
      ...failure('pricing-service', CATALOG, 'Product Catalog'),
      statusNow: 'pass',
    },
    failure('search-indexer', CATALOG, 'Product Catalog'),
  ],
  [CHECKOUT]: [],
  all: [
    failure('hackathon-bot', 'group:default/labs', 'Labs'),
    failure('inventory-sync', CATALOG, 'Product Catalog'),
    failure('pricing-service', CATALOG, 'Product Catalog'),
  ],
};

function api(options: { fail?: boolean; updating?: true } = {}) {
  return {
    getGoldenPathHealth: jest.fn(async () =>
      options.updating ? { ...health, updating: options.updating } : health,
    ),
    getGoldenPathFailing: jest.fn(
      async (q: GoldenPathFailingQuery): Promise<GoldenPathFailing> => {
        if (options.fail) throw new Error('the backend is down');
        return {
          window: { days: 90 },
          profile: 'dora-2021',
          check: {
            id: q.check,
            title: 'Runbook',
            pillar: 'sharing',
            description:
              'A runbook lets any on-call engineer handle known failure modes.',
            howToFix:
              'Add a link with `type: runbook` (or "Runbook" in its title) to `metadata.links`.',
            docsUrl: 'https://docs.example.com/runbooks',
          },
          owner: q.owner ? { ownerRef: q.owner } : undefined,
          applicable: 4,
          items: FAILING[q.owner ?? 'all'],
        };
      },
    ),
    getGoldenPathFailingCsv: jest.fn(async () => 'entityRef\n'),
  } satisfies Partial<DevopsMaturityApi>;
}

async function render(a: ReturnType<typeof api>) {
  await renderInTestApp(
    <TestApiProvider apis={[[devopsMaturityApiRef, a]]}>
      <GoldenPathHealthView days={90} />
    </TestApiProvider>,
    { mountedRoutes: { '/catalog/:namespace/:kind/:name': entityRouteRef } },
  );
  await screen.findByTestId('golden-path-health');
}

/** The dialog's service rows, as a reader scans them: service, team, evidence. */
const listed = (dialog: HTMLElement) =>
  within(within(dialog).getByTestId('failing-list'))
    .getAllByRole('row')
    .slice(1)
    .map(r =>
      within(r)
        .getAllByRole('cell')
        .map(c => c.textContent),
    );

jest.setTimeout(30_000);

describe('GoldenPathHealthView', () => {
  it("lists a cell's failing services with evidence, the fix and a link to their maturity tab", async () => {
    const a = api();
    await render(a);
    await userEvent.click(screen.getByTestId(`cell-${CATALOG}-runbook`));
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('failing-list');
    expect(a.getGoldenPathFailing).toHaveBeenCalledWith({
      check: 'runbook',
      owner: CATALOG,
      days: 90,
      profile: undefined,
    });
    expect(dialog).toHaveTextContent(
      'Runbook: services of Product Catalog failing it',
    );
    expect(within(dialog).getByTestId('failing-fix')).toHaveTextContent(
      'How to fix: Add a link with type: runbook (or "Runbook" in its title) to metadata.links.',
    );
    expect(
      within(dialog).getByRole('link', { name: /read more/i }),
    ).toHaveAttribute('href', 'https://docs.example.com/runbooks');
    expect(listed(dialog).map(r => r.slice(0, 4))).toEqual([
      [
        'inventory sync',
        'Product Catalog',
        '2 Managed',
        'no link of type or title "runbook" (inventory-sync)',
      ],
      [
        'pricing service',
        'Product Catalog',
        '2 Managed',
        'no link of type or title "runbook" (pricing-service)Passes now; the matrix catches up at its next computation.',
      ],
      [
        'search indexer',
        'Product Catalog',
        '2 Managed',
        'no link of type or title "runbook" (search-indexer)',
      ],
    ]);
    const maturityLinks = within(dialog)
      .getAllByRole('link', { name: 'Maturity tab' })
      .map(l => l.getAttribute('href'));
    expect(maturityLinks).toEqual([
      '/catalog/default/component/inventory-sync/maturity',
      '/catalog/default/component/pricing-service/maturity',
      '/catalog/default/component/search-indexer/maturity',
    ]);

    // The same list as CSV: the same query.
    const createObjectURL = jest.fn(() => 'blob:csv');
    Object.assign(URL, { createObjectURL, revokeObjectURL: jest.fn() });
    await userEvent.click(
      within(dialog).getByRole('button', { name: /download csv/i }),
    );
    await waitFor(() => expect(createObjectURL).toHaveBeenCalled());
    expect(a.getGoldenPathFailingCsv).toHaveBeenCalledWith({
      check: 'runbook',
      owner: CATALOG,
      days: 90,
      profile: undefined,
    });
  });

  it("lists every service failing a check, by team, from the check's title", async () => {
    const a = api();
    await render(a);
    await userEvent.click(
      screen.getByTestId('check-header-golden-path-template'),
    );
    const dialog = await screen.findByRole('dialog');
    await within(dialog).findByTestId('failing-list');
    expect(a.getGoldenPathFailing).toHaveBeenCalledWith({
      check: 'golden-path-template',
      owner: undefined,
      days: 90,
      profile: undefined,
    });
    expect(dialog).toHaveTextContent(
      'Created from a template: every service failing it, by team',
    );
    expect(listed(dialog).map(r => [r[0], r[1]])).toEqual([
      ['hackathon bot', 'Labs'],
      ['inventory sync', 'Product Catalog'],
      ['pricing service', 'Product Catalog'],
    ]);
  });

  it('says so when no service of the team fails the check', async () => {
    await render(api());
    await userEvent.click(screen.getByTestId(`cell-${CHECKOUT}-runbook`));
    expect(await screen.findByTestId('failing-empty')).toHaveTextContent(
      'No service of Checkout fails Runbook.',
    );
    expect(
      screen.getByRole('button', { name: /download csv/i }),
    ).toBeDisabled();
    await userEvent.click(screen.getByRole('button', { name: 'Close' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());

    await userEvent.click(screen.getByTestId(`cell-${CATALOG}-runbook`));
    expect(await screen.findByTestId('failing-list')).toBeInTheDocument();
  });

  it('says the matrix may lag when the backend answered before it caught up', async () => {
    await render(api({ updating: true }));
    expect(screen.getByTestId('golden-path-updating')).toHaveTextContent(
      'this matrix may lag them by a few seconds',
    );
  });

  it('says nothing of a lag when the matrix is up to date', async () => {
    await render(api());
    expect(screen.queryByTestId('golden-path-updating')).toBeNull();
  });

  it('shows the error when the list cannot be had', async () => {
    await render(api({ fail: true }));
    await userEvent.click(screen.getByTestId(`cell-${CATALOG}-runbook`));
    const dialog = await screen.findByRole('dialog');
    await waitFor(() =>
      expect(dialog).toHaveTextContent('Error: the backend is down'),
    );
    expect(within(dialog).queryByTestId('failing-list')).toBeNull();
  });

  it('keeps the team column in place while the checks scroll inside the card', async () => {
    await render(api());
    const scroll = screen.getByTestId('golden-path-scroll');
    expect(getComputedStyle(scroll).overflow).toBe('auto');
    const team = within(screen.getByTestId(`health-${CATALOG}`)).getAllByRole(
      'cell',
    )[0];
    expect(team).toHaveTextContent('Product Catalog');
    expect(getComputedStyle(team).position).toBe('sticky');
    expect(getComputedStyle(team).left).toBe('0px');
    // Every check column is there to scroll to, its title clickable.
    for (const c of health.checks)
      expect(screen.getByTestId(`check-header-${c.id}`)).toHaveTextContent(
        c.title,
      );
  });
});
