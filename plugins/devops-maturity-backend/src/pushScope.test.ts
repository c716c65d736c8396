import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { permissionsServiceFactory } from '@backstage/backend-defaults/permissions';
import request from 'supertest';
import { startPluginBackend } from './__testUtils__/backend';
import { createTestDatabases } from './__testUtils__/databases';
import { component, group } from './__testUtils__/catalog';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const PUSH_ONLY = 'push-only-token-for-ci-0123456789';
const READ_ONLY = 'read-only-token-for-reports-0123456789';
const UNRESTRICTED = 'unrestricted-token-0123456789';

const deployment = {
  id: 'd1',
  entityRef: 'component:default/a1',
  environment: 'production',
  status: 'success',
  finishedAt: '2026-06-01T00:00:00Z',
};

/**
 * Static tokens as an adopter configures them (README, "Tokens for pushes"), checked by
 * Backstage's real auth, httpAuth and permissions services.
 */
describe('scoped tokens, through the real auth and permissions services', () => {
  let server: any;
  beforeAll(async () => {
    server = await startPluginBackend({
      knex: await databases.init('SQLITE_3'),
      entities: [group('team-a'), component('a1', 'team-a')],
      features: [
        authServiceFactory,
        httpAuthServiceFactory,
        permissionsServiceFactory,
      ],
      appConfig: {
        backend: {
          baseUrl: 'http://localhost:7007',
          auth: {
            externalAccess: [
              {
                type: 'static',
                options: { token: PUSH_ONLY, subject: 'ci' },
                accessRestrictions: [
                  {
                    plugin: 'devops-maturity',
                    permission: 'devops-maturity.events.create',
                  },
                ],
              },
              {
                type: 'static',
                options: { token: READ_ONLY, subject: 'reports' },
                accessRestrictions: [
                  {
                    plugin: 'devops-maturity',
                    permission: 'devops-maturity.scorecard.read',
                  },
                ],
              },
              {
                type: 'static',
                options: { token: UNRESTRICTED, subject: 'other-plugin' },
              },
            ],
          },
        },
        permission: { enabled: true },
      },
    });
  });

  const push = (token?: string) => {
    const req = request(server).post('/api/devops-maturity/deployments');
    if (token) req.set('authorization', `Bearer ${token}`);
    return req.send({ items: [deployment] });
  };
  const base = (token?: string) => {
    const req = request(server).get(
      '/api/devops-maturity/deployments/base?entityRef=component:default/a1&id=d1',
    );
    return token ? req.set('authorization', `Bearer ${token}`) : req;
  };
  const read = (token: string) =>
    request(server)
      .get('/api/devops-maturity/entities/component/default/a1/dora')
      .set('authorization', `Bearer ${token}`);

  it('lets a token restricted to pushes push, and read nothing', async () => {
    const pushed = await push(PUSH_ONLY);
    expect(pushed.status).toBe(200);
    expect(pushed.body.accepted + pushed.body.updated).toBe(1);
    const denied = await read(PUSH_ONLY);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'devops-maturity.scorecard.read',
    );
    const ranking = await request(server)
      .get('/api/devops-maturity/scorecards')
      .set('authorization', `Bearer ${PUSH_ONLY}`);
    expect(ranking.status).toBe(403);
  });

  it("lets a token restricted to pushes ask for a deployment's base, as a pipeline does before it pushes", async () => {
    await push(PUSH_ONLY);
    const answer = await base(PUSH_ONLY);
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      entityRef: 'component:default/a1',
      stored: { finishedAt: '2026-06-01T00:00:00.000Z' },
    });
    const denied = await base(READ_ONLY);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'devops-maturity.events.create',
    );
    expect((await base()).status).toBe(401);
    expect((await base(UNRESTRICTED)).status).toBe(200);
  });

  it('lets a token restricted to pushes read back an incident it pushed, and no other token without the push permission', async () => {
    const incident = (token?: string) => {
      const req = request(server).get(
        '/api/devops-maturity/incidents/stored?entityRef=a1&source=cli&id=i1',
      );
      return token ? req.set('authorization', `Bearer ${token}`) : req;
    };
    const pushed = await request(server)
      .post('/api/devops-maturity/incidents')
      .set('authorization', `Bearer ${PUSH_ONLY}`)
      .send({
        items: [
          {
            id: 'i1',
            source: 'cli',
            entityRef: 'component:default/a1',
            openedAt: '2026-06-01T01:00:00Z',
            title: 'Checkout down',
          },
        ],
      });
    expect(pushed.status).toBe(200);
    const answer = await incident(PUSH_ONLY);
    expect(answer.status).toBe(200);
    expect(answer.body.stored).toMatchObject({
      id: 'i1',
      openedAt: '2026-06-01T01:00:00.000Z',
      title: 'Checkout down',
    });
    expect((await incident(READ_ONLY)).status).toBe(403);
    expect((await incident()).status).toBe(401);
  });

  it('lets a token restricted to reads read, and not push', async () => {
    expect((await read(READ_ONLY)).status).toBe(200);
    const denied = await push(READ_ONLY);
    expect(denied.status).toBe(403);
    expect(denied.body.error.message).toContain(
      'devops-maturity.events.create',
    );
  });

  it('lets an unrestricted service token do both, and refuses a push without a token', async () => {
    expect((await push(UNRESTRICTED)).status).toBe(200);
    expect((await read(UNRESTRICTED)).status).toBe(200);
    expect((await push()).status).toBe(401);
    expect((await push('not-a-configured-token-0123')).status).toBe(401);
  });
});
