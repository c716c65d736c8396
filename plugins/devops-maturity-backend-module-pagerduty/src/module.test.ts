import { createHmac } from 'crypto';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import request from 'supertest';
import {
  databasePerPluginFactory,
  eventually,
  testComponent,
} from '@devops-maturity/backstage-plugin-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { eventsServiceFactory } from '@backstage/plugin-events-node';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import pagerDutyModules from './module';
import { incidentFromWebhook, isSignedByPagerDuty } from './mapping';
import example from './__fixtures__/incident.triggered.json';

/**
 * PagerDuty's documented V3 `incident.triggered` example as another event of the same
 * incident, edited only in its id, type, time and status. (The example's own `occurred_at`
 * is months after the incident's `created_at`; the trigger here happens at `created_at`.)
 */
const pagerDutyEvent = (
  eventType: string,
  id: string,
  occurredAt: string,
  status: string,
) => ({
  event: {
    ...example.event,
    id,
    event_type: eventType,
    occurred_at: occurredAt,
    data: { ...example.event.data, status },
  },
});
const triggered = pagerDutyEvent(
  'incident.triggered',
  '01BZ8KSEJ1XRFJ0Z7W0IBEMABD',
  '2020-04-09T15:16:27Z',
  'triggered',
);
const resolved = pagerDutyEvent(
  'incident.resolved',
  '01BZ8KSEJ1XRFJ0Z7W0IBEMABE',
  '2020-04-09T16:01:27Z',
  'resolved',
);
const reopened = pagerDutyEvent(
  'incident.reopened',
  '01BZ8KSEJ1XRFJ0Z7W0IBEMABF',
  '2020-04-09T16:30:00Z',
  'triggered',
);
const resolvedAgain = pagerDutyEvent(
  'incident.resolved',
  '01BZ8KSEJ1XRFJ0Z7W0IBEMABG',
  '2020-04-09T17:00:00Z',
  'resolved',
);
const SECRET = 'whsec-test';

const sign = (body: string, secret = SECRET) =>
  `v1=${createHmac('sha256', secret).update(body).digest('hex')}`;

jest.setTimeout(30_000);

type Knex = Awaited<ReturnType<TestDatabases['init']>>;

/**
 * The plugin, this module and the real events backend; if given, the plugin on `knex`'s
 * database and the events backend on `eventsKnex`'s.
 */
async function startBackend(knex?: Knex, eventsKnex?: Knex) {
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
      ...(knex && eventsKnex
        ? [
            databasePerPluginFactory(async pluginId =>
              pluginId === 'devops-maturity' ? knex : eventsKnex,
            ),
          ]
        : []),
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
  const get = (path: string) =>
    request(server)
      .get(`/api/devops-maturity/entities/component/default/api/${path}`)
      .set('authorization', mockCredentials.user.header());
  return { server, post, incidents: () => get('incidents'), get };
}

describe('PagerDuty webhooks', () => {
  it('maps triggered and resolved incidents, and ignores other events', () => {
    expect(incidentFromWebhook(triggered)).toEqual({
      id: 'PGR0VU2',
      source: 'pagerduty',
      annotations: { 'pagerduty.com/service-id': 'PF9KMXH' },
      openedAt: '2020-04-09T15:16:27Z',
      resolvedAt: null,
      updatedAt: '2020-04-09T15:16:27Z',
      title: 'A little bump in the road',
      url: 'https://acme.pagerduty.com/incidents/PGR0VU2',
      severity: 'P1',
    });
    expect(incidentFromWebhook(resolved)?.resolvedAt).toBe(
      '2020-04-09T16:01:27Z',
    );
    // A reopen opens it again, still from its first open; its time orders it after the resolve.
    expect(incidentFromWebhook(reopened)).toMatchObject({
      openedAt: '2020-04-09T15:16:27Z',
      resolvedAt: null,
      updatedAt: '2020-04-09T16:30:00Z',
    });
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
    const { post, incidents } = await startBackend();

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

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

describe.each(databases.eachSupportedId())(
  'PagerDuty webhooks late and twice, on %p',
  (databaseId: TestDatabaseId) => {
    it('keeps the incident as its newest event says, takes each delivery once, and restores at the last resolve', async () => {
      const knex = await databases.init(databaseId);
      const { post, get } = await startBackend(
        knex,
        await databases.init(databaseId),
      );
      /** Posts a signed delivery; answers once the plugin has taken it. */
      const deliver = async (
        payload: object,
        body = JSON.stringify(payload),
      ) => {
        expect((await post(payload, sign(body))).status).toBe(202);
        await eventually(async () =>
          expect(
            await knex('dm_deliveries')
              .where({
                source: 'pagerduty',
                delivery_id: (payload as typeof triggered).event.id,
              })
              .first(),
          ).toBeDefined(),
        );
      };
      // April 2020, ending well after the incident.
      const restore = async () =>
        (await get('dora?from=2020-04-01T00:00:00Z&to=2020-05-01T00:00:00Z'))
          .body.timeToRestore;

      // Resolved delivered before triggered: the trigger is older and changes nothing.
      await deliver(resolved);
      await deliver(triggered);
      expect(await restore()).toMatchObject({
        restoredIncidents: 1,
        medianSeconds: 45 * 60, // 15:16:27 to 16:01:27
        openIncidents: 0,
      });

      // The same signed delivery again (a retry): skipped as handled, and older anyway.
      expect(
        (await post(triggered, sign(JSON.stringify(triggered)))).status,
      ).toBe(202);
      expect(await restore()).toMatchObject({
        restoredIncidents: 1,
        openIncidents: 0,
      });
      // A reopen newer than the resolve opens it again.
      await deliver(reopened);
      expect(await restore()).toMatchObject({
        restoredIncidents: 0,
        medianSeconds: null,
        openIncidents: 1,
        // open since its first open, 2020-04-09T15:16:27Z, at the window's end
        oldestOpenSeconds: 21 * 86400 + 8 * 3600 + 43 * 60 + 33,
      });

      // Resolved again: restored at the last resolve, measured from the first open.
      await deliver(resolvedAgain);
      expect(await restore()).toMatchObject({
        restoredIncidents: 1,
        medianSeconds: 3600 + 43 * 60 + 33, // 15:16:27 to 17:00:00
        openIncidents: 0,
      });
      // Deliveries are known by their event ids, in the plugin's database.
      expect(
        await knex('dm_deliveries')
          .where({ source: 'pagerduty' })
          .orderBy('delivery_id')
          .pluck('delivery_id'),
      ).toEqual([
        '01BZ8KSEJ1XRFJ0Z7W0IBEMABD',
        '01BZ8KSEJ1XRFJ0Z7W0IBEMABE',
        '01BZ8KSEJ1XRFJ0Z7W0IBEMABF',
        '01BZ8KSEJ1XRFJ0Z7W0IBEMABG',
      ]);
    });
  },
);
