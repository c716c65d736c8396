import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabaseId,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import { GithubEventRouter } from '@backstage/plugin-events-backend-module-github';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import examples from '@octokit/webhooks-examples';
import request from 'supertest';
import {
  databasePerPluginFactory,
  eventually,
  testComponent,
} from '@devops-maturity/backstage-plugin-node/testUtils';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { devopsMaturityModuleGithub } from './module';

jest.setTimeout(30_000);

/**
 * What @backstage/plugin-events-backend-module-github adds, but its signature check: the
 * `github` ingress, whose subscribers get the request's headers as metadata, and its router
 * to `github.<X-GitHub-Event>` topics (its feature loader imports them dynamically, which Jest
 * cannot).
 */
const githubEventsModule = createBackendModule({
  pluginId: 'events',
  moduleId: 'test-github',
  register(env) {
    env.registerInit({
      deps: {
        ingress: eventsExtensionPoint,
        events: eventsServiceRef,
        logger: coreServices.logger,
      },
      async init({ ingress, events }) {
        ingress.addHttpPostIngress({ topic: 'github' });
        await new GithubEventRouter({ events }).subscribe();
      },
    });
  },
});

const databases = TestDatabases.create({ ids: ['SQLITE_3', 'POSTGRES_15'] });

// GitHub's example: deployment 145988746 of Codertocat/Hello-World to production, status
// `success` at 2019-05-15T15:20:55Z.
const success = (examples as any[])
  .find(e => e.name === 'deployment_status')!
  .examples.find((e: any) => e.deployment_status.state === 'success');
// A `failure` status of the same deployment, a second older, delivered after the success:
// the same payload, edited in its id, state and times.
const lateFailure = {
  ...success,
  deployment_status: {
    ...success.deployment_status,
    id: success.deployment_status.id - 1,
    state: 'failure',
    created_at: '2019-05-15T15:20:54Z',
    updated_at: '2019-05-15T15:20:54Z',
  },
};

async function startBackend(databaseId: TestDatabaseId) {
  const knex = await databases.init(databaseId);
  // The events backend gets a database of its own: its migrations and the plugin's would
  // refuse each other in one migration table.
  const eventsKnex = await databases.init(databaseId);
  const { server } = await startTestBackend({
    features: [
      eventsPlugin,
      eventsServiceFactory,
      githubEventsModule,
      devopsMaturityPlugin,
      devopsMaturityModuleGithub,
      mockServices.rootConfig.factory({
        // One process: deliver in-process, without the events bus's long polling.
        data: { events: { useEventBus: 'never' } },
      }),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({
        entities: [
          testComponent('hello-world', {
            'github.com/project-slug': 'Codertocat/Hello-World',
          }),
        ],
      }),
      databasePerPluginFactory(async pluginId =>
        pluginId === 'devops-maturity' ? knex : eventsKnex,
      ),
    ],
  });
  const handled = async (deliveryId: string) =>
    (await knex('dm_deliveries')
      .where({ source: 'github', delivery_id: deliveryId })
      .first()) !== undefined;
  /** Posts a delivery as GitHub does and answers once the plugin has taken it. */
  const deliver = async (event: string, deliveryId: string, body: object) => {
    const res = await request(server)
      .post('/api/events/http/github')
      .set('content-type', 'application/json')
      .set('x-github-event', event)
      .set('x-github-delivery', deliveryId)
      .send(JSON.stringify(body));
    expect(res.status).toBe(202);
    await eventually(async () => expect(await handled(deliveryId)).toBe(true));
  };
  const deployments = async () =>
    (
      await request(server)
        .get(
          '/api/devops-maturity/entities/component/default/hello-world/deployments',
        )
        .set('authorization', mockCredentials.user.header())
    ).body.items;
  return { deliver, deployments, handled };
}

describe.each(databases.eachSupportedId())(
  'GitHub deliveries late and twice, on %p',
  databaseId => {
    it('keeps a successful deployment successful when an older failure status arrives after it', async () => {
      const { deliver, deployments } = await startBackend(databaseId);
      await deliver(
        'deployment_status',
        '72d3162e-cc78-11e3-81ab-4c9367dc0958',
        success,
      );
      await deliver(
        'deployment_status',
        '8a0cf2a0-cc78-11e3-9d36-4c9367dc0958',
        lateFailure,
      );
      expect(await deployments()).toEqual([
        expect.objectContaining({
          id: '145988746',
          status: 'success',
          counts: true,
          updatedAt: '2019-05-15T15:20:55.000Z',
        }),
      ]);
    });

    it('takes a redelivery with the same X-GitHub-Delivery once', async () => {
      const { deliver, deployments, handled } = await startBackend(databaseId);
      const id = '72d3162e-cc78-11e3-81ab-4c9367dc0958';
      await deliver('deployment_status', id, success);
      const before = await deployments();
      // GitHub's "Redeliver": the same body and delivery id. Were it taken again, its time would
      // not stop it: only the delivery id does.
      await deliver('deployment_status', id, {
        ...success,
        deployment_status: { ...success.deployment_status, state: 'failure' },
      });
      expect(await handled(id)).toBe(true);
      expect(await deployments()).toEqual(before);
    });
  },
);
