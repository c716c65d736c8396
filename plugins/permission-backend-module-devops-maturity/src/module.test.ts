import fs from 'fs';
import os from 'os';
import path from 'path';
import request from 'supertest';
import {
  AuthService,
  coreServices,
  createServiceFactory,
} from '@backstage/backend-plugin-api';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { schedulerServiceFactory } from '@backstage/backend-defaults/scheduler';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import catalogPlugin from '@backstage/plugin-catalog-backend';
import permissionPlugin from '@backstage/plugin-permission-backend';
// The plugin whose permissions this module decides, started as an adopter's backend would.
// eslint-disable-next-line @backstage/no-mixed-plugin-imports
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { eventually } from '@devops-maturity/backstage-plugin-node/testUtils';
import { CALMS_QUESTIONS } from '@devops-maturity/backstage-plugin-common';
import policyModule from './index';

jest.setTimeout(60_000);

/**
 * Backstage's mock auth, but a plugin's request on behalf of a user arrives as the user with
 * that plugin as actor, as with the real auth service (the mock drops the actor), so that the
 * catalog answers the plugin's reads for a user (as in the backend's readAccess.test.ts).
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

/** Who is a member of what, as the catalog's sign-in resolvers would claim it. */
const MEMBERSHIPS: Record<string, string[]> = {
  'user:default/alice': ['group:default/team-a'],
  'user:default/ada': ['group:default/platform-team'],
};
const userInfo = createServiceFactory({
  service: coreServices.userInfo,
  deps: {},
  factory: () => ({
    async getUserInfo(credentials: any) {
      const ref = credentials.principal.userEntityRef;
      return {
        userEntityRef: ref,
        ownershipEntityRefs: [ref, ...(MEMBERSHIPS[ref] ?? [])],
      };
    },
  }),
});

function catalogFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dm-policy-'));
  const file = path.join(dir, 'catalog.yaml');
  const docs = [
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Group',
      metadata: { name: 'team-a' },
      spec: { type: 'team', children: [] },
    },
    {
      apiVersion: 'backstage.io/v1alpha1',
      kind: 'Component',
      metadata: { name: 'shop' },
      spec: { type: 'website', lifecycle: 'production', owner: 'team-a' },
    },
  ];
  fs.writeFileSync(file, docs.map(d => JSON.stringify(d)).join('\n---\n'));
  return file;
}

describe('the devops-maturity policy module, with the real catalog and permission backends', () => {
  let server: any;
  const as = (user: string) => mockCredentials.user.header(user);
  const submit = (user: string) =>
    request(server)
      .put(
        '/api/devops-maturity/entities/component/default/shop/calms/assessment',
      )
      .set('authorization', as(user))
      .send({
        answers: Object.fromEntries(CALMS_QUESTIONS.map(q => [q.id, 3])),
      });

  beforeAll(async () => {
    ({ server } = await startTestBackend({
      features: [
        devopsMaturityPlugin,
        catalogPlugin,
        permissionPlugin,
        policyModule,
        permissionsServiceFactory,
        schedulerServiceFactory,
        httpAuthServiceFactory,
        authWithActors,
        userInfo,
        mockServices.rootLogger.factory({ level: 'warn' }),
        mockServices.rootConfig.factory({
          data: {
            permission: { enabled: true },
            catalog: {
              rules: [{ allow: ['Component', 'Group'] }],
              locations: [{ type: 'file', target: catalogFile() }],
              processingInterval: { seconds: 1 },
            },
            devopsMaturity: {
              permissions: {
                admins: ['platform-team'],
                unmatchedReaders: ['user:default/carol'],
              },
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
    // Until the catalog processed the file and the plugin mirrored it.
    await eventually(async () => {
      const res = await request(server)
        .get('/api/devops-maturity/entities/component/default/shop/maturity')
        .set('authorization', as('user:default/alice'));
      if (res.status !== 200)
        throw new Error(`not mirrored yet: ${res.status}`);
    }, 30_000);
  });

  it('refuses an assessment from a user who is neither in the owning team nor an admin (403)', async () => {
    const res = await submit('user:default/bob');
    expect(res.status).toBe(403);
    expect(res.body.error.message).toBe(
      'Only members of the team that owns component:default/shop may submit its assessment',
    );
  });

  it("takes an assessment from the owning team's members and from admins", async () => {
    expect((await submit('user:default/alice')).status).toBe(200);
    expect((await submit('user:default/ada')).status).toBe(200);
    const current = await request(server)
      .get(
        '/api/devops-maturity/entities/component/default/shop/calms/assessment',
      )
      .set('authorization', as('user:default/bob'));
    expect(current.body.current.author).toBe('user:default/ada');
  });

  it('shows the unmatched events to admins and configured readers only', async () => {
    const unmatched = (user: string) =>
      request(server)
        .get('/api/devops-maturity/unmatched')
        .set('authorization', as(user));
    expect((await unmatched('user:default/ada')).status).toBe(200);
    expect((await unmatched('user:default/carol')).status).toBe(200);
    expect((await unmatched('user:default/alice')).status).toBe(403);
  });

  it('leaves every other permission allowed, as the allow-all policy it replaces', async () => {
    const res = await request(server)
      .get('/api/devops-maturity/entities/component/default/shop/dora')
      .set('authorization', as('user:default/bob'));
    expect(res.status).toBe(200);
  });
});
