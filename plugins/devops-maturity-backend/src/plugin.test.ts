import { mockCredentials, mockServices } from '@backstage/backend-test-utils';
import request from 'supertest';
import {
  computeDoraMetrics,
  DEFAULT_DORA_OPTIONS,
  deriveDoraFacts,
  DORA_2021,
  poolFacts,
} from '@devops-maturity/backstage-plugin-common';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases, databaseIds } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';
import { deployment } from './__testUtils__/events';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-07-01T00:00:00Z');
const H = 3_600_000;
const at = (hoursBeforeNow: number) =>
  new Date(NOW - hoursBeforeNow * H).toISOString();
const service = mockCredentials.service.header();
const user = mockCredentials.user.header();

const entities = [
  group('dept'),
  group('team-a', 'dept'),
  group('team-b', 'dept'),
  component('a1', 'team-a', {
    system: 'shop',
    annotations: { 'github.com/project-slug': 'acme/a1' },
  }),
  component('a2', 'team-a', { system: 'shop' }),
  component('b1', 'team-b', {
    annotations: {
      'github.com/project-slug': 'acme/shared',
      'pagerduty.com/service-id': 'PB1',
    },
  }),
  component('b2', 'team-b', {
    annotations: { 'github.com/project-slug': 'acme/shared' },
  }),
  // Kinds the catalog has and the plugin does not score (by default it scores Components).
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'API',
    metadata: { name: 'payments', namespace: 'default' },
    spec: { type: 'openapi', lifecycle: 'production', owner: 'team-a' },
  },
  {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Resource',
    metadata: {
      name: 'db',
      namespace: 'default',
      annotations: { 'pagerduty.com/service-id': 'PDB' },
    },
    spec: { type: 'database', owner: 'team-b' },
  },
];

async function startBackend(databaseId: Parameters<typeof databases.init>[0]) {
  return startPluginBackend({
    knex: await databases.init(databaseId),
    entities,
    // Requests without a token are anonymous, as in a real backend (the mock's default is a user).
    features: [
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
    ],
  });
}

const post = (server: any, path: string, body: object, auth = service) =>
  request(server)
    .post(`/api/devops-maturity/${path}`)
    .set('authorization', auth)
    .send(body);
const get = (server: any, path: string) =>
  request(server)
    .get(`/api/devops-maturity/${path}`)
    .set('authorization', user);

describe.each(databaseIds(databases))(
  'devops-maturity backend on %p',
  databaseId => {
    let server: any;
    beforeAll(async () => {
      server = await startBackend(databaseId);
    });

    it('refuses writes without a token (401) and from users (403)', async () => {
      const body = {
        items: [
          {
            id: '1',
            entityRef: 'component:default/a1',
            environment: 'production',
            status: 'success',
            finishedAt: at(1),
          },
        ],
      };
      expect(
        (
          await request(server)
            .post('/api/devops-maturity/deployments')
            .send(body)
        ).status,
      ).toBe(401);
      expect((await post(server, 'deployments', body, user)).status).toBe(403);
      expect(
        (await request(server).get('/api/devops-maturity/scorecards')).status,
      ).toBe(401);
    });

    it('rejects a bad batch naming each bad item and field, and stores none of it', async () => {
      const res = await post(server, 'deployments', {
        items: [
          {
            id: 'ok',
            entityRef: 'component:default/a2',
            environment: 'production',
            status: 'success',
            finishedAt: at(3),
          },
          {
            id: 'bad',
            entityRef: 'component:default/a2',
            environment: 'production',
            status: 'done',
            finishedAt: '2026-06-01',
          },
          {
            id: 'bad2',
            environment: 'production',
            status: 'success',
            finishedAt: at(2),
            commits: [{ sha: 'x' }],
          },
        ],
      });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe('InputError');
      expect(res.body.error.message).toContain('items[1].status');
      expect(res.body.error.message).toContain('items[1].finishedAt');
      expect(res.body.error.message).toContain('items[2].entityRef');
      expect(res.body.error.message).toContain(
        'items[2].commits[0].committedAt',
      );
      const listed = await get(
        server,
        'entities/component/default/a2/deployments',
      );
      expect(listed.body.totalCount).toBe(0);

      expect((await post(server, 'incidents', { items: [] })).status).toBe(400);
      const tooLate = await post(server, 'incidents', {
        items: [
          { id: 'i', entityRef: 'a2', openedAt: at(1), resolvedAt: at(2) },
        ],
      });
      expect(tooLate.status).toBe(400);
      expect(tooLate.body.error.message).toContain(
        'items[0].resolvedAt: must not be before openedAt',
      );
    });

    it('takes pushes, resolves entities by ref or annotation, and keeps the unknown as unmatched', async () => {
      const first = await post(server, 'deployments', {
        items: [
          {
            id: 'd1',
            entityRef: 'Component:default/A1',
            environment: 'production',
            status: 'success',
            finishedAt: at(50),
            commits: [{ sha: 's1', committedAt: at(60) }],
          },
          {
            id: 'd2',
            annotations: { 'github.com/project-slug': 'acme/a1' },
            environment: 'prod',
            status: 'success',
            finishedAt: at(20),
            commits: [{ sha: 's2', committedAt: at(22) }],
          },
          {
            id: 'd3',
            annotations: { 'github.com/project-slug': 'acme/shared' },
            environment: 'production',
            status: 'success',
            finishedAt: at(20),
          },
          {
            id: 'd4',
            entityRef: 'component:default/unknown',
            environment: 'production',
            status: 'success',
            finishedAt: at(20),
          },
        ],
      });
      expect(first.status).toBe(200);
      expect(first.body).toEqual({
        accepted: 2,
        updated: 0,
        unmatched: 2,
        stale: 0,
      });
      const again = await post(server, 'deployments', {
        items: [
          {
            id: 'd1',
            entityRef: 'component:default/a1',
            environment: 'production',
            status: 'success',
            finishedAt: at(48),
            commits: [{ sha: 's1', committedAt: at(60) }],
          },
        ],
      });
      expect(again.body).toEqual({
        accepted: 0,
        updated: 1,
        unmatched: 0,
        stale: 0,
      });

      const unmatched = await get(server, 'unmatched');
      expect(
        unmatched.body.items.map((u: any) => [u.id, u.reason]).sort(),
      ).toEqual([
        [
          'd3',
          'github.com/project-slug=acme/shared is on 2 entities; send entityRef',
        ],
        ['d4', 'no catalog entity component:default/unknown'],
      ]);

      const incidents = await post(server, 'incidents', {
        items: [
          {
            id: 'i1',
            annotations: { 'pagerduty.com/service-id': 'PB1' },
            openedAt: at(10),
            resolvedAt: at(9),
          },
        ],
      });
      expect(incidents.body).toEqual({
        accepted: 1,
        updated: 0,
        unmatched: 0,
        stale: 0,
      });
    });

    it("answers an entity's DORA figures as the spec computes them from its events", async () => {
      const res = await get(
        server,
        `entities/component/default/a1/dora?to=${encodeURIComponent(
          new Date(NOW).toISOString(),
        )}&days=30`,
      );
      expect(res.status).toBe(200);
      const window = { from: NOW - 30 * 24 * H, to: NOW };
      const expected = computeDoraMetrics(
        deriveDoraFacts(
          [
            deployment('d1', at(48), {
              entityRef: 'component:default/a1',
              commits: [{ sha: 's1', committedAt: at(60) }],
            }),
            deployment('d2', at(20), {
              entityRef: 'component:default/a1',
              environment: 'prod',
              commits: [{ sha: 's2', committedAt: at(22) }],
            }),
          ],
          [],
          window,
          DEFAULT_DORA_OPTIONS,
        ),
        window,
        DORA_2021,
      );
      expect(res.body).toEqual({
        entityRef: 'component:default/a1',
        ...expected,
      });
      expect(res.body.leadTime.medianSeconds).toBe(7 * 3600); // 12 h and 2 h
      expect(res.body.reasons.timeToRestore).toBe('no incidents reported');
    });

    it("pools a team's events, with child groups by default, never averaging", async () => {
      await post(server, 'deployments', {
        items: [
          {
            id: 'e1',
            entityRef: 'component:default/b1',
            environment: 'production',
            status: 'success',
            finishedAt: at(30),
            commits: [
              { sha: 'x1', committedAt: at(31) },
              { sha: 'x2', committedAt: at(32) },
              { sha: 'x3', committedAt: at(40) },
            ],
          },
        ],
      });
      const q = `to=${encodeURIComponent(new Date(NOW).toISOString())}&days=30`;
      const dept = await get(server, `owners/group/default/dept/dora?${q}`);
      expect(dept.status).toBe(200);
      expect(dept.body.entityRefs.sort()).toEqual([
        'component:default/a1',
        'component:default/a2',
        'component:default/b1',
        'component:default/b2',
      ]);
      // Lead times 12 h, 2 h (a1) and 1, 2, 10 h (b1): the pooled median is 2 h; the mean of the
      // entity medians (7 h and 2 h) would be 4.5 h.
      expect(dept.body.leadTime.medianSeconds).toBe(2 * 3600);
      expect(dept.body.deploymentFrequency.deployments).toBe(3);
      expect(dept.body.changeFailureRate.failedDeployments).toBe(1); // b1's incident
      const alone = await get(
        server,
        `owners/group/default/dept/dora?${q}&includeChildren=false`,
      );
      expect(alone.body.entityRefs).toEqual([]);
      expect(alone.body.overallTier).toBeNull();
      const teamB = await get(server, `owners/group/default/team-b/dora?${q}`);
      const window = { from: NOW - 30 * 24 * H, to: NOW };
      expect(teamB.body.timeToRestore.medianSeconds).toBe(3600);
      expect(teamB.body.leadTime.medianSeconds).toBe(
        computeDoraMetrics(
          poolFacts([
            deriveDoraFacts(
              [
                deployment('e1', at(30), {
                  commits: [
                    { sha: 'x1', committedAt: at(31) },
                    { sha: 'x2', committedAt: at(32) },
                    { sha: 'x3', committedAt: at(40) },
                  ],
                }),
              ],
              [],
              window,
              DEFAULT_DORA_OPTIONS,
            ),
          ]),
          window,
          DORA_2021,
        ).leadTime.medianSeconds,
      );
    });

    it('ranks entities with sorting, filters and CSV, and teams on pooled figures', async () => {
      const q = `to=${encodeURIComponent(new Date(NOW).toISOString())}&days=30`;
      const byLead = await get(
        server,
        `scorecards?${q}&sort=leadTime&order=asc`,
      );
      expect(byLead.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/b1', // 2 h
        'component:default/a1', // 7 h
        'component:default/a2', // no data: last
        'component:default/b2',
      ]);
      expect(byLead.body.totalCount).toBe(4);
      const shop = await get(
        server,
        `scorecards?${q}&system=shop&owner=team-a`,
      );
      expect(shop.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/a1',
        'component:default/a2',
      ]);
      const none = await get(server, `scorecards?${q}&tier=none`);
      expect(none.body.items.map((i: any) => i.entityRef)).toEqual([
        'component:default/a2',
        'component:default/b2',
      ]);
      const badSort = await get(server, 'scorecards?sort=nonsense');
      expect(badSort.status).toBe(400);
      expect(badSort.body.error.message).toContain('sort');

      const csv = await request(server)
        .get(`/api/devops-maturity/scorecards?${q}&sort=name&order=asc`)
        .set('authorization', user)
        .set('accept', 'text/csv');
      expect(csv.headers['content-type']).toMatch(/text\/csv/);
      const lines = csv.text.trim().split('\n');
      expect(lines[0]).toMatch(
        /^entityRef,title,kind,type,lifecycle,ownerRef,systemRef,deployments,/,
      );
      expect(lines[1]).toMatch(
        /^component:default\/a1,,Component,service,production,group:default\/team-a,system:default\/shop,2,/,
      );

      const teams = await get(
        server,
        `scorecards/owners?${q}&sort=leadTime&order=asc`,
      );
      expect(
        teams.body.items.map((i: any) => [i.ownerRef, i.entityRefs.length]),
      ).toEqual([
        ['group:default/dept', 4],
        ['group:default/team-b', 2],
        ['group:default/team-a', 2],
      ]);
    });

    it('says when an event names a catalog entity of a kind that is not scored', async () => {
      const event = (id: string, entityRef: string) => ({
        id,
        entityRef,
        environment: 'production',
        status: 'success',
        finishedAt: at(5),
      });
      const deployments = await post(server, 'deployments', {
        items: [
          event('k1', 'api:default/payments'),
          event('k2', 'Resource:db'),
          event('k3', 'api:default/nope'),
          event('k4', 'component:default/nope'),
          {
            ...event('k6', ''),
            entityRef: undefined,
            annotations: { 'pagerduty.com/service-id': 'PDB' },
          },
          {
            ...event('k7', ''),
            entityRef: undefined,
            annotations: { 'pagerduty.com/service-id': 'PNONE' },
          },
        ],
      });
      expect(deployments.body).toMatchObject({ accepted: 0, unmatched: 6 });
      const incidents = await post(server, 'incidents', {
        items: [
          { id: 'k5', entityRef: 'resource:default/db', openedAt: at(4) },
        ],
      });
      expect(incidents.body).toMatchObject({ accepted: 0, unmatched: 1 });

      const unmatched = await get(server, 'unmatched');
      expect(
        unmatched.body.items
          .filter((u: any) => u.id.startsWith('k'))
          .map((u: any) => [u.id, u.reason])
          .sort(),
      ).toEqual([
        [
          'k1',
          'catalog entity api:default/payments is of kind API, which is not scored (devopsMaturity.catalog.kinds)',
        ],
        [
          'k2',
          'catalog entity resource:default/db is of kind Resource, which is not scored (devopsMaturity.catalog.kinds)',
        ],
        ['k3', 'no catalog entity api:default/nope'],
        ['k4', 'no catalog entity component:default/nope'],
        [
          'k5',
          'catalog entity resource:default/db is of kind Resource, which is not scored (devopsMaturity.catalog.kinds)',
        ],
        // Named by an annotation only the unscored entity carries.
        [
          'k6',
          'catalog entity resource:default/db is of kind Resource, which is not scored (devopsMaturity.catalog.kinds)',
        ],
        ['k7', 'no catalog entity carries these annotations'],
      ]);
    });
  },
);
