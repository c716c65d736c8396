import { screen } from '@testing-library/react';
import { renderInTestApp, TestApiProvider } from '@backstage/test-utils';
import { UnmatchedEventItem } from '@devops-maturity/backstage-plugin-common';
import {
  devopsMaturityApiRef,
  DevopsMaturityApi,
} from '../../api/DevopsMaturityApi';
import { UnmatchedEvents } from './UnmatchedEvents';

describe('UnmatchedEvents', () => {
  it('shows each event with what it named and why it is unmatched', async () => {
    const items: UnmatchedEventItem[] = [
      {
        eventType: 'deployment',
        source: 'github',
        id: 'd-old',
        identity: {
          entityRef: 'component:default/payments',
          'github.com/project-slug': 'acme/payments',
        },
        reason: 'no longer in the catalog',
        payload: {},
        receivedAt: Date.parse('2026-11-27T10:00:00Z'),
      },
      {
        eventType: 'incident',
        source: 'pagerduty',
        id: 'i-new',
        identity: { 'pagerduty.com/service-id': 'P123' },
        reason: 'no catalog entity carries these annotations',
        payload: {},
        receivedAt: Date.parse('2026-11-26T08:30:00Z'),
      },
    ];
    const api: Partial<DevopsMaturityApi> = {
      getUnmatched: jest.fn(async () => ({ items, totalCount: 2 })),
    };
    await renderInTestApp(
      <TestApiProvider apis={[[devopsMaturityApiRef, api]]}>
        <UnmatchedEvents />
      </TestApiProvider>,
    );
    const departed = (await screen.findByText('d-old')).closest('tr')!;
    expect(departed).toHaveTextContent('no longer in the catalog');
    expect(departed).toHaveTextContent(
      'entityRef: component:default/payments, github.com/project-slug: acme/payments',
    );
    expect(departed).toHaveTextContent('2026-11-27 10:00');
    const never = screen.getByText('i-new').closest('tr')!;
    expect(never).toHaveTextContent(
      'no catalog entity carries these annotations',
    );
    expect(api.getUnmatched).toHaveBeenCalledWith({ limit: 10, offset: 0 });
    // The count of all that wait, above the paged list.
    expect(await screen.findByTestId('unmatched-count')).toHaveTextContent(
      '2 events waiting',
    );
  });
});
