import {
  mockCredentials,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import request from 'supertest';
import { eventually } from '@devops-maturity/backstage-plugin-node/testUtils';
import { startGitlabBackend } from './__testUtils__/backend';
import { deploymentFromEvent } from './mapping';
// GitLab's documented deployment event example.
import deployment from './__fixtures__/deployment.json';

jest.setTimeout(30_000);

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// The example's deployment 15, in a production-tier environment: `success` at 21:50 +0200.
const success = { ...deployment, environment_tier: 'production' };
// The same deployment's `failed`, a minute older, delivered after the success: the example
// edited in its status and time.
const lateFailure = {
  ...success,
  status: 'failed',
  status_changed_at: '2021-04-28 21:49:00 +0200',
};

async function startBackend(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  const { server } = await startGitlabBackend({
    knex,
    eventsKnex: await databases.init(databaseId),
  });
  const handled = async (key: string) =>
    (await knex('dm_deliveries')
      .where({ source: 'gitlab', delivery_id: key })
      .first()) !== undefined;
  /** Posts a delivery as GitLab does and answers once the plugin has taken it. */
  const deliver = async (key: string, body: object) => {
    const res = await request(server)
      .post('/api/events/http/gitlab')
      .set('content-type', 'application/json')
      .set('x-gitlab-token', 'gl-token')
      .set('x-gitlab-event', 'Deployment Hook')
      // A new X-Gitlab-Event-UUID on every execution, a retry included.
      .set('x-gitlab-event-uuid', crypto.randomUUID())
      .set('idempotency-key', key)
      .send(JSON.stringify(body));
    expect(res.status).toBe(202);
    await eventually(async () => expect(await handled(key)).toBe(true));
  };
  const deployments = async () =>
    (
      await request(server)
        .get(
          '/api/devops-maturity/entities/component/default/webhooks/deployments',
        )
        .set('authorization', mockCredentials.user.header())
    ).body.items;
  return { deliver, deployments, handled };
}

describe.each(databases.eachSupportedId())(
  'GitLab deliveries late and twice, on %p',
  databaseId => {
    it('orders deployment events by their status_changed_at', () => {
      expect(deploymentFromEvent(success as any)?.updatedAt).toBe(
        '2021-04-28T21:50:00+0200',
      );
    });

    it('keeps a successful deployment successful when an older failed event arrives after it', async () => {
      const { deliver, deployments } = await startBackend(databaseId);
      await deliver('f5e5f430-f57b-4e6e-9fac-d9128cd7232f', success);
      await deliver('0b7c4c33-3c8e-4c1d-8a0e-2b1f1b6f8f11', lateFailure);
      expect(await deployments()).toEqual([
        expect.objectContaining({
          id: '15',
          status: 'success',
          counts: true,
          updatedAt: '2021-04-28T19:50:00.000Z',
        }),
      ]);
    });

    it('takes a retry with the same Idempotency-Key once', async () => {
      const { deliver, deployments, handled } = await startBackend(databaseId);
      const key = 'f5e5f430-f57b-4e6e-9fac-d9128cd7232f';
      await deliver(key, success);
      const before = await deployments();
      // A retry carries the same body; this one says `failed` at the same time, which only the
      // Idempotency-Key can stop from replacing the success.
      await deliver(key, { ...success, status: 'failed' });
      expect(await handled(key)).toBe(true);
      expect(await deployments()).toEqual(before);
    });
  },
);
