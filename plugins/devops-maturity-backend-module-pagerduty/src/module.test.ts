import { createHmac } from 'crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  eventually,
  testComponent,
} from '@devops-maturity/backstage-plugin-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import pagerDutyModules from './module';
import { incidentFromWebhook, isSignedByPagerDuty } from './mapping';
import triggered from './__fixtures__/incident.triggered.json';

// The fixture is PagerDuty's documented V3 `incident.triggered` example.
const resolved = {
  event: {
    ...triggered.event,
    id: '01BZ8KSEJ1XRFJ0Z7W0IBEMABE',
    event_type: 'incident.resolved',
    occurred_at: '2020-04-09T16:01:27Z',
    data: { ...triggered.event.data, status: 'resolved' },
  },
};
const SECRET = 'whsec-test';

const sign = (body: string, secret = SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

jest.setTimeout(30_000);

describe('PagerDuty webhooks', () => {
  it('maps triggered and resolved incidents, and ignores other events', () => {
    expect(incidentFromWebhook(triggered)).toEqual({
      id: 'PGR0VU2',
      source: 'pagerduty',
      annotations: { 'pagerduty.com/service-id': 'PF9KMXH' },
      openedAt: '2020-04-09T15:16:27Z',
      resolvedAt: null,
      title: 'A little bump in the road',
      url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      severity: 'P1',
    });
    expect(incidentFromWebhook(resolved)?.resolvedAt).toBe(
      '2020-04-09T16:01:27Z',
    );
    expect(
      incidentFromWebhook({
        event: { ...triggered.event, event_type: 'incident.acknowledged' },
      }),
    ).toBeUndefined();
  });

  it('checks the signature against every secret and every signature of a rotation', () => {
    const body = Buffer.from(JSON.stringify(triggered));
    expect(isSignedByPagerDuty(body, sign(body.toString()), [SECRET])).toBe(
      true,
    );
    expect(
      isSignedByPagerDuty(body, `v1=00ff, ${sign(body.toString(), 'new')}`, [
        'old',
        'new',
      ]),
    ).toBe(true);
    expect(
      isSignedByPagerDuty(body, sign(body.toString(), 'other'), [SECRET]),
    ).toBe(false);
    expect(isSignedByPagerDuty(body, undefined, [SECRET])).toBe(false);
  });

  it('takes signed webhooks at the events backend and stores them as incidents of the service', async () => {
    const { server } = await startTestBackend({
      features: [
        eventsPlugin,
        // The real events service, one bus for all plugins (the test default is one per plugin).
        eventsServiceFactory,
        pagerDutyModules,
        devopsMaturityPlugin,
        mockServices.rootConfig.factory({
          // One process: deliver in-process, without the events bus's long polling.
          data: {
            events: { useEventBus: 'never' },
            devopsMaturity: { pagerduty: { webhookSecrets: [SECRET] } },
          },
        }),
        mockServices.scheduler.factory({
          includeInitialDelayedTasksOnStartup: true,
        }),
        catalogServiceMock.factory({
          entities: [
            testComponent('api', { 'pagerduty.com/service-id': 'PF9KMXH' }),
          ],
        }),
      ],
    });
    const post = (payload: object, signature?: string) => {
      const body = JSON.stringify(payload);
      const r = request(server)
        .post('/api/events/http/pagerduty')
        .set('content-type', 'application/json');
      return (signature ? r.set('x-pagerduty-signature', signature) : r).send(
        body,
      );
    };
    const incidents = () =>
      request(server)
        .get('/api/devops-maturity/entities/component/default/api/incidents')
        .set('authorization', mockCredentials.user.header());

    expect((await post(triggered)).status).toBe(401);
    expect((await post(triggered, sign('tampered'))).status).toBe(401);
    expect((await incidents()).body.totalCount).toBe(0);

    expect(
      (await post(triggered, sign(JSON.stringify(triggered)))).status,
    ).toBe(202);
    // The events backend answers 202 on receipt and delivers to subscribers after: wait for it.
    await eventually(async () =>
      expect((await incidents()).body.totalCount).toBe(1),
    );
    expect((await incidents()).body.items).toEqual([
      expect.objectContaining({
        id: 'PGR0VU2',
        source: 'pagerduty',
        severity: 'P1',
        restoreSeconds: null,
      }),
    ]);
    expect((await post(resolved, sign(JSON.stringify(resolved)))).status).toBe(
      202,
    );
    await eventually(async () =>
      expect((await incidents()).body.items[0].resolvedAt).toBeDefined(),
    );
    expect((await incidents()).body.items).toEqual([
      expect.objectContaining({
        id: 'PGR0VU2',
        resolvedAt: '2020-04-09T16:01:27.000Z',
        restoreSeconds: 45 * 60,
      }),
    ]);
  });
});
