import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const service = mockCredentials.service.header();

/**
 * What a pipeline reads before it reports an incident again (a resolve after an open): the
 * stored copy, through the plugin's real routes.
 */
describe.each(databaseIds(databases))(
  'GET /incidents/stored on %p',
  databaseId => {
    let server: any;
    beforeAll(async () => {
      server = await startPluginBackend({
        knex: await databases.init(databaseId),
        entities: [
          group('team-a'),
          component('checkout-api', 'team-a'),
          component('payments-api', 'team-a'),
        ],
      });
      const pushed = await request(server)
        .post('/api/devops-maturity/incidents')
        .set('authorization', service)
        .send({
          items: [
            {
              id: 'INC-1',
              source: 'cli',
              entityRef: 'component:default/checkout-api',
              openedAt: '2026-06-01T10:00:00+02:00',
              severity: 'SEV2',
              title: 'Checkout errors',
              url: 'https://status.example.com/INC-1',
              deploymentId: 'run-7',
            },
          ],
        });
      if (pushed.body.accepted !== 1)
        throw new Error(`push failed: ${JSON.stringify(pushed.body)}`);
    });

    const stored = (query: string) =>
      request(server)
        .get(`/api/devops-maturity/incidents/stored?${query}`)
        .set('authorization', service);

    it('answers the stored copy whole, times in UTC', async () => {
      const answer = await stored('entityRef=Checkout-API&source=cli&id=INC-1');
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({
        entityRef: 'component:default/checkout-api',
        stored: {
          id: 'INC-1',
          source: 'cli',
          entityRef: 'component:default/checkout-api',
          openedAt: '2026-06-01T08:00:00.000Z',
          severity: 'SEV2',
          title: 'Checkout errors',
          url: 'https://status.example.com/INC-1',
          deploymentId: 'run-7',
        },
      });
    });

    it('answers null for another source, another entity, an unknown entity or id', async () => {
      for (const query of [
        'entityRef=checkout-api&id=INC-1',
        'entityRef=payments-api&source=cli&id=INC-1',
        'entityRef=no-such-service&source=cli&id=INC-1',
        'entityRef=checkout-api&source=cli&id=INC-2',
      ]) {
        const answer = await stored(query);
        expect(answer.status).toBe(200);
        expect(answer.body.stored).toBeNull();
      }
    });

    it('names a missing or unknown parameter', async () => {
      const missing = await stored('entityRef=checkout-api');
      expect(missing.status).toBe(400);
      expect(missing.body.error.message).toContain('id');
      const unknown = await stored('entityRef=checkout-api&id=INC-1&since=1');
      expect(unknown.status).toBe(400);
      expect(unknown.body.error.message).toContain('since');
    });
  },
);
