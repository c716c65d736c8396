import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const entities = [group('team-a'), component('a1', 'team-a')];
const at = (hoursAgo: number) =>
  new Date(Date.now() - hoursAgo * 3_600_000).toISOString();

const push = (server: any, id: string, hoursAgo: number) =>
  request(server)
    .post('/api/devops-maturity/deployments')
    .set('authorization', mockCredentials.service.header())
    .send({
      items: [
        {
          id,
          entityRef: 'component:default/a1',
          environment: 'production',
          status: 'success',
          finishedAt: at(hoursAgo),
        },
      ],
    });
const read = async (server: any, path: string) => {
  const res = await request(server)
    .get(`/api/devops-maturity/${path}`)
    .set('authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body;
};
/** An answer without the times a request computes on the spot (windows ending "now"). */
const withoutRequestTimes = (body: any): any =>
  JSON.parse(
    JSON.stringify(body, (key, value) =>
      key === 'window' || key === 'computedAt' ? undefined : value,
    ),
  );
const deploymentsIn = (ranking: any) =>
  ranking.items[0].changeFailureRate.deployments;

describe.each(databaseIds(databases))(
  'two replicas on one database, %p',
  databaseId => {
    it('each ranks what the other took, at once, and both answer alike', async () => {
      const knex = await databases.init(databaseId);
      const a = await startPluginBackend({ knex, entities });
      const b = await startPluginBackend({ knex, entities });
      // Both read their precomputed rows first, so that a stale row would be served.
      expect(deploymentsIn(await read(b, 'scorecards?days=30'))).toBe(0);
      expect(deploymentsIn(await read(a, 'scorecards?days=30'))).toBe(0);

      expect((await push(a, 'd1', 5)).status).toBe(200);
      expect(deploymentsIn(await read(b, 'scorecards?days=30'))).toBe(1);
      expect((await push(b, 'd2', 4)).status).toBe(200);
      expect(deploymentsIn(await read(a, 'scorecards?days=30'))).toBe(2);
      // Team rows too.
      const teams = await read(b, 'scorecards/owners?days=30');
      expect(teams.items[0].changeFailureRate.deployments).toBe(2);

      for (const path of [
        'scorecards?days=30',
        'scorecards/owners?days=30',
        'entities/component/default/a1/dora?days=30',
        'entities/component/default/a1/deployments',
        'golden-path?days=30',
      ]) {
        const [fromA, fromB] = [await read(a, path), await read(b, path)];
        expect({ path, body: withoutRequestTimes(fromB) }).toEqual({
          path,
          body: withoutRequestTimes(fromA),
        });
      }
    });
  },
);
