import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import {
  AuthService,
  createBackendModule,
  createServiceFactory,
  coreServices,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import {
  AuthorizeResult,
  isPermission,
  isResourcePermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import { devopsMaturityReadPermission } from '@devops-maturity/backstage-plugin-common';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
import { devopsMaturityPlugin } from './plugin';

jest.setTimeout(60_000);

/**
 * Backstage's mock auth, but a plugin's request on behalf of a user arrives as the user with
 * that plugin as actor, as with Backstage's real auth service (the mock drops the actor). The
 * permission backend answers a user's conditional queries only through a plugin: without
 * this, the catalog could not list entities for a user under a conditional policy.
 */
const authWithActors = createServiceFactory({
  service: coreServices.auth,
  deps: { plugin: coreServices.pluginMetadata },
  factory({ plugin }): AuthService {
    const mock = mockServices.auth({ pluginId: plugin.getId() });
    return Object.assign(Object.create(mock), {
      async authenticate(token: string, options?: any) {
        const credentials = await mock.authenticate(token, options);
        const obo = token.startsWith('mock-service-token:')
          ? JSON.parse(token.slice('mock-service-token:'.length)).obo
          : undefined;
        return obo
          ? mockCredentials.user(obo, { actor: { subject: 'plugin:test' } })
          : credentials;
      },
    });
  },
});

const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';

/**
 * The policy of an organisation with a restricted service: `secret` (label `restricted`) is
 * hidden in the catalog from everyone but its owner, Bob; `quiet` is in the catalog for all,
 * but its scorecards are shown only to its owner (label `scorecards-private`).
 */
const policyModule = createBackendModule({
  pluginId: 'permission',
  moduleId: 'test-policy',
  register(env) {
    env.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy({
          async handle(
            query: PolicyQuery,
            user?: PolicyQueryUser,
          ): Promise<PolicyDecision> {
            const claims = user?.info.ownershipEntityRefs ?? [];
            if (
              isResourcePermission(query.permission, 'catalog-entity') &&
              query.permission.name === 'catalog.entity.read'
            ) {
              return createCatalogConditionalDecision(query.permission, {
                anyOf: [
                  catalogConditions.isEntityOwner({ claims }),
                  {
                    not: catalogConditions.hasLabel({ label: 'restricted' }),
                  },
                ],
              });
            }
            if (isPermission(query.permission, devopsMaturityReadPermission)) {
              return createCatalogConditionalDecision(query.permission as any, {
                anyOf: [
                  catalogConditions.isEntityOwner({ claims }),
                  {
                    not: catalogConditions.hasLabel({
                      label: 'scorecards-private',
                    }),
                  },
                ],
              });
            }
            return { result: AuthorizeResult.ALLOW };
          },
        });
      },
    });
  },
});

const component = (
  name: string,
  owner: string,
  labels: Record<string, string> = {},
) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, labels },
  spec: { type: 'service', lifecycle: 'production', owner },
});

/** An API entity of Bob's: a kind the plugin does not score. */
const api = (name: string, labels: Record<string, string> = {}) => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'API',
  metadata: {
    name,
    labels,
    annotations: { 'pagerduty.com/service-id': `P-${name}` },
  },
  spec: {
    type: 'openapi',
    lifecycle: 'production',
    owner: BOB,
    definition: 'openapi: 3.0.0',
  },
});

function catalogFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-read-access-'));
  const file = path.join(dir, 'catalog.yaml');
  const docs = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-a' },
      spec: { type: 'team', children: [] },
    },
    ...['alice', 'bob'].map(name => ({
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'User',
      metadata: { name },
      spec: { memberOf: [] },
    })),
    component('open', 'group:default/team-a'),
    component('secret', BOB, { restricted: 'true' }),
    component('quiet', BOB, { 'scorecards-private': 'true' }),
    // A kind the plugin does not score: events naming it wait as unmatched.
    api('internal-api', { restricted: 'true' }),
    api('public-api'),
  ];
  fs.writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return file;
}

// The backend's windows end now: events are placed relative to it.
const NOW = Date.now();
const at = (hours: number) => new Date(NOW - hours * 3_600_000).toISOString();

describe('reads through the real catalog and permission backends', () => {
  let server: any;
  const as = (user: string) => mockCredentials.user.header(user);
  const get = (user: string, p: string) =>
    request(server)
      .get(`/api/devops-maturity/${p}`)
      .set('authorization', as(user));

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        devopsMaturityPlugin,
        catalogPlugin,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        schedulerServiceFactory,
        authWithActors,
        httpAuthServiceFactory,
        mockServices.rootLogger.factory({ level: 'warn' }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'API', 'Group', 'User'] }],
              locations: [{ type: 'file', target: catalogFile() }],
              processingInterval: { seconds: 1 },
            },
            devopsMaturity: {
              catalog: {
                schedule: {
                  frequency: { seconds: 1 },
                  timeout: { minutes: 1 },
                  initialDelay: { seconds: 0 },
                },
              },
            },
          },
        }),
      ],
    }));
    // Events for every service, then wait until the catalog processed the file and the
    // mirror took it in: Bob, the owner of both restricted services, sees three; the catalog
    // has both APIs.
    const pushed = await request(server)
      .post('/api/devops-maturity/deployments')
      .set('authorization', mockCredentials.service.header())
      .send({
        items: ['open', 'secret', 'quiet'].flatMap((name, i) =>
          [1, 2].map(n => ({
            id: `${name}-${n}`,
            entityRef: `component:default/${name}`,
            environment: 'production',
            status: 'success',
            finishedAt: at(10 * n + i),
            commits: [{ sha: `${name}${n}`, committedAt: at(10 * n + i + 2) }],
          })),
        ),
      });
    if (pushed.status !== 200)
      throw new Error(`push answered ${pushed.status}`);
    const unmatched = await request(server)
      .post('/api/devops-maturity/deployments')
      .set('authorization', mockCredentials.service.header())
      .send({
        items: [
          'api:default/internal-api',
          'api:default/public-api',
          // The same hidden entity as a sender may spell it.
          'API:default/Internal-API',
        ]
          .map((entityRef, n) => ({
            id: `api-${n}`,
            entityRef,
            environment: 'production',
            status: 'success',
            finishedAt: at(1),
          }))
          // Named by an annotation the hidden entity carries: its reason names the entity.
          .concat({
            id: 'api-by-annotation',
            annotations: { 'pagerduty.com/service-id': 'P-internal-api' },
            environment: 'production',
            status: 'success',
            finishedAt: at(1),
          } as any),
      });
    if (unmatched.status !== 200)
      throw new Error(`push answered ${unmatched.status}`);
    for (;;) {
      const ranking = await get(BOB, 'scorecards?days=30');
      const apis = await request(server)
        .get('/api/catalog/entities?filter=kind=API')
        .set('authorization', mockCredentials.service.header());
      if (
        ranking.status === 200 &&
        ranking.body.totalCount === 3 &&
        apis.body.length === 2
      )
        break;
      await new Promise(resolve => setTimeout(resolve, 200));
    }
  });

  it('answers 404 on every entity route for an entity the catalog hides from the reader', async () => {
    for (const name of ['secret', 'quiet']) {
      for (const route of [
        'dora',
        'dora/trend',
        'deployments',
        'incidents',
        'maturity',
        'maturity/history',
        'calms',
        'calms/assessment',
      ]) {
        const hidden = await get(
          ALICE,
          `entities/component/default/${name}/${route}`,
        );
        expect({ route, name, status: hidden.status }).toEqual({
          route,
          name,
          status: 404,
        });
        // The very answer of an entity that does not exist.
        const absent = await get(
          ALICE,
          `entities/component/default/nope/${route}`,
        );
        expect(hidden.body.error.message).toBe(
          absent.body.error.message.replace('nope', name),
        );
        expect(
          (await get(BOB, `entities/component/default/${name}/${route}`))
            .status,
        ).toBe(200);
      }
    }
    expect(
      (await get(ALICE, 'entities/component/default/open/dora')).status,
    ).toBe(200);
  });

  it('leaves hidden entities out of the rankings, their CSV, team figures and golden-path health', async () => {
    const refs = (body: any) => body.items.map((i: any) => i.entityRef).sort();
    for (const q of ['days=30', 'days=45']) {
      // Precomputed (30 days) and computed on request (45 days).
      const alice = await get(ALICE, `scorecards?${q}`);
      expect(refs(alice.body)).toEqual(['component:default/open']);
      expect(alice.body.totalCount).toBe(1);
      expect(refs((await get(BOB, `scorecards?${q}`)).body)).toEqual([
        'component:default/open',
        'component:default/quiet',
        'component:default/secret',
      ]);
      // Bob's figures, as Alice sees them: over nothing she may not see.
      const bobForAlice = await get(ALICE, `scorecards/owners?${q}`);
      // Bob owns nothing Alice may see: no row for him, none of his refs.
      expect(bobForAlice.body.items.map((i: any) => i.ownerRef)).not.toContain(
        BOB,
      );
      expect(JSON.stringify(bobForAlice.body)).not.toMatch(/secret|quiet/);
    }
    const csv = await request(server)
      .get('/api/devops-maturity/scorecards?days=30')
      .set('authorization', as(ALICE))
      .set('accept', 'text/csv');
    expect(csv.text).toContain('component:default/open');
    expect(csv.text).not.toContain('secret');
    expect(csv.text).not.toContain('quiet');

    // To Alice, Bob owns nothing (Bob is no group): as for an owner that does not exist.
    const owner = await get(ALICE, `owners/user/default/bob/dora?days=30`);
    expect(owner.status).toBe(404);
    const absentOwner = await get(
      ALICE,
      `owners/user/default/nobody/dora?days=30`,
    );
    expect(owner.body.error.message).toBe(
      absentOwner.body.error.message.replace('nobody', 'bob'),
    );
    const ownerForBob = await get(BOB, `owners/user/default/bob/dora?days=30`);
    expect(ownerForBob.body.entityRefs).toEqual([
      'component:default/quiet',
      'component:default/secret',
    ]);
    expect(ownerForBob.body.changeFailureRate.deployments).toBe(4);

    const health = await get(ALICE, 'golden-path?days=30');
    expect(health.body.organisation.entities).toBe(1);
    expect(health.body.teams.map((t: any) => t.ownerRef)).not.toContain(BOB);
    const healthForBob = await get(BOB, 'golden-path?days=30');
    expect(healthForBob.body.organisation.entities).toBe(3);
  });

  it('leaves out of the unmatched events those naming an entity the catalog hides from the reader', async () => {
    const named = async (user: string) =>
      (await get(user, 'unmatched')).body.items
        .map((i: any) => i.identity.entityRef)
        .sort();
    expect(await named(ALICE)).toEqual(['api:default/public-api']);
    // Filtered before counting and paging: the count is what the reader may see.
    expect((await get(ALICE, 'unmatched')).body.totalCount).toBe(1);
    expect((await get(ALICE, 'unmatched?limit=1')).body.items).toHaveLength(1);
    expect(JSON.stringify((await get(ALICE, 'unmatched')).body)).not.toMatch(
      /internal-api/i,
    );
    expect(await named(BOB)).toEqual([
      'API:default/Internal-API',
      'api:default/internal-api',
      'api:default/public-api',
      undefined,
    ]);
    expect((await get(BOB, 'unmatched')).body.totalCount).toBe(4);
  });
});
