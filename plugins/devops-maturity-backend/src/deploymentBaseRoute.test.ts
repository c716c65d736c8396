import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const service = mockCredentials.service.header();
const user = mockCredentials.user.header();
const REF = 'component:default/checkout-api';

const deployment = (extra: object) => ({
  entityRef: REF,
  environment: 'production',
  status: 'success',
  ...extra,
});

/**
 * What a pipeline does before and after it reports a deployment: asks for its base, then
 * pushes it with the sha it deployed; through the plugin's real routes.
 */
describe.each(databaseIds(databases))(
  'GET /deployments/base and the deployed sha on %p',
  databaseId => {
    let server: any;
    beforeAll(async () => {
      server = await startPluginBackend({
        knex: await databases.init(databaseId),
        entities: [group('team-a'), component('checkout-api', 'team-a')],
      });
    });

    const push = (items: object[]) =>
      request(server)
        .post('/api/devops-maturity/deployments')
        .set('authorization', service)
        .send({ items });
    const base = (query: string, authorization = service) =>
      request(server)
        .get(`/api/devops-maturity/deployments/base?${query}`)
        .set('authorization', authorization);

    it('stores the sha a deployment deployed, lists it, and answers it as the next one’s base', async () => {
      // Nothing yet: the first deployment has no base.
      expect((await base('entityRef=checkout-api&source=cli')).body).toEqual({
        entityRef: REF,
        previous: null,
        stored: null,
      });
      const pushed = await push([
        deployment({
          id: 'run-1',
          source: 'cli',
          sha: 'a'.repeat(40),
          version: '1.0.0',
          startedAt: '2026-06-01T08:00:00Z',
          finishedAt: '2026-06-01T10:05:00+02:00',
        }),
        deployment({
          id: 'run-2',
          source: 'cli',
          environment: 'staging',
          sha: 'b'.repeat(40),
          finishedAt: '2026-06-02T10:00:00Z',
        }),
      ]);
      expect(pushed.body).toMatchObject({ accepted: 2 });
      const listed = await request(server)
        .get(
          '/api/devops-maturity/entities/component/default/checkout-api/deployments',
        )
        .set('authorization', user);
      expect(
        listed.body.items.map((d: { id: string; sha: string }) => [
          d.id,
          d.sha,
        ]),
      ).toEqual([
        ['run-2', 'b'.repeat(40)],
        ['run-1', 'a'.repeat(40)],
      ]);

      // Refs compare as the push API's: case-insensitively, kind and namespace defaulted.
      const next = await base('entityRef=Checkout-API&source=cli&id=run-3');
      expect(next.status).toBe(200);
      expect(next.body).toEqual({
        entityRef: REF,
        previous: {
          source: 'cli',
          id: 'run-1',
          environment: 'production',
          sha: 'a'.repeat(40),
          version: '1.0.0',
          startedAt: '2026-06-01T08:00:00.000Z',
          finishedAt: '2026-06-01T08:05:00.000Z',
        },
        stored: null,
      });
      // `before` bounds it, read as every time is.
      expect(
        (
          await base(
            `entityRef=${REF}&source=cli&before=${encodeURIComponent(
              '2026-06-01T10:05:00+02:00',
            )}`,
          )
        ).body.previous,
      ).toBeNull();
    });

    it('answers a retried report its stored copy, and the base before it, with the push API’s default source', async () => {
      await push([
        deployment({ id: 'api-1', finishedAt: '2026-06-03T10:00:00Z' }),
        deployment({
          id: 'api-2',
          sha: 'c'.repeat(40),
          finishedAt: '2026-06-04T10:00:00Z',
        }),
      ]);
      const retry = await base(`entityRef=${REF}&id=api-2`);
      expect(retry.body).toEqual({
        entityRef: REF,
        previous: {
          source: 'api',
          id: 'api-1',
          environment: 'production',
          sha: null,
          finishedAt: '2026-06-03T10:00:00.000Z',
        },
        stored: {
          environment: 'production',
          status: 'success',
          sha: 'c'.repeat(40),
          finishedAt: '2026-06-04T10:00:00.000Z',
        },
      });
      // A later copy replaces the sha, as every other field.
      await push([
        deployment({
          id: 'api-2',
          sha: 'd'.repeat(40),
          finishedAt: '2026-06-04T10:00:00Z',
        }),
      ]);
      expect((await base(`entityRef=${REF}&id=api-2`)).body.stored.sha).toBe(
        'd'.repeat(40),
      );
    });

    it('answers nothing, not 404, for an entity the catalog does not have', async () => {
      const res = await base('entityRef=component:default/nobody&id=x');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        entityRef: 'component:default/nobody',
        previous: null,
        stored: null,
      });
    });

    it('refuses a bad query with 400 naming the parameter', async () => {
      const cases: Array<[string, string]> = [
        [`entityRef=${REF}&dayz=3`, "'dayz'"],
        [`entityRef=${REF}&before=yesterday`, 'before: must be an ISO-8601'],
        [`entityRef=${REF}&before=2026-06-01T10:00:00`, 'before:'],
        ['source=cli', 'entityRef:'],
        [`entityRef=${REF}&id=`, 'id: must not be empty'],
        [`entityRef=${REF}&id=a&id=b`, 'id:'],
        [`entityRef=${REF}&source=${'s'.repeat(101)}`, 'source:'],
      ];
      for (const [query, message] of cases) {
        const res = await base(query);
        expect({ query, status: res.status }).toEqual({ query, status: 400 });
        expect(res.body.error.message).toContain(message);
      }
      const long = await push([
        deployment({
          id: 'x',
          sha: 's'.repeat(101),
          finishedAt: '2026-06-01T00:00:00Z',
        }),
      ]);
      expect(long.status).toBe(400);
      expect(long.body.error.message).toContain('items[0].sha');
    });

    // Tokens restricted to one permission, and none at all: pushScope.test.ts.
    it('refuses users, as the pushes do', async () => {
      const res = await base(`entityRef=${REF}`, user);
      expect(res.status).toBe(403);
    });
  },
);
