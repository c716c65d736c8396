import { mockCredentials } from '@backstage/backend-test-utils';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-07-01T00:00:00Z');
const H = 3_600_000;
const at = (hoursBeforeNow: number) =>
  new Date(NOW - hoursBeforeNow * H).toISOString();
const entities = [group('team-a'), component('a1', 'team-a')];

/** The entity's figures over the 30 days before NOW, as the ranking computes them. */
async function figuresOfA1(server: any) {
  const res = await request(server)
    .get(
      `/api/devops-maturity/scorecards?to=${encodeURIComponent(
        new Date(NOW).toISOString(),
      )}&days=30`,
    )
    .set('authorization', mockCredentials.user.header());
  expect(res.status).toBe(200);
  return res.body;
}

/** Polls (no sleeps in between but the request itself) until the rebuild is done. */
async function untilRebuilt(server: any) {
  for (;;) {
    const body = await figuresOfA1(server);
    if (!body.rebuilding) return body.items[0];
  }
}

describe.each(databaseIds(databases))(
  'a restart under changed rules, on %p',
  databaseId => {
    it('rebuilds the stored facts: prod-eu deployments count and bring their changes', async () => {
      const knex = await databases.init(databaseId);
      const before = await startPluginBackend({ knex, entities });
      const pushed = await request(before)
        .post('/api/devops-maturity/deployments')
        .set('authorization', mockCredentials.service.header())
        .send({
          items: [
            ['d1', 'prod-eu', 50, 'c1', 52],
            ['d2', 'production', 30, 'c2', 40],
            ['d3', 'prod-eu', 10, 'c3', 14],
          ].map(([id, environment, finished, sha, committed]) => ({
            id,
            entityRef: 'component:default/a1',
            environment,
            status: 'success',
            finishedAt: at(finished as number),
            commits: [{ sha, committedAt: at(committed as number) }],
          })),
        });
      expect(pushed.status).toBe(200);
      const old = await untilRebuilt(before);
      expect(old.changeFailureRate.deployments).toBe(1);
      expect(old.leadTime.medianSeconds).toBe(10 * 3600);

      // Another backend on the same database, configured with prod-eu as production.
      const after = await startPluginBackend({
        knex,
        entities,
        config: { productionEnvironments: ['production', 'prod-eu'] },
      });
      const rebuilt = await untilRebuilt(after);
      expect(rebuilt.changeFailureRate.deployments).toBe(3);
      // Lead times 2 h, 10 h and 4 h: the median is 4 h.
      expect(rebuilt.leadTime.medianSeconds).toBe(4 * 3600);
    });
  },
);
