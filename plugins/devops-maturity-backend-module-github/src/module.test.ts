import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import examples from '@octokit/webhooks-examples';
import request from 'supertest';
import { testComponent } from '@devops-maturity/backstage-plugin-node/testUtils';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { devopsMaturityModuleGithub } from './module';

const example = (name: string, pick: (e: any) => boolean) =>
  (examples as any[]).find(e => e.name === name)!.examples.find(pick);

const databases = TestDatabases.create({ ids: ['SQLITE_3'] });

/** The plugin with this module on a fresh backend; on `knex`'s database if given. */
async function startBackend(knex?: Awaited<ReturnType<TestDatabases['init']>>) {
  let events: EventsService | undefined;
  const capture = createBackendModule({
    pluginId: 'devops-maturity',
    moduleId: 'test-capture-events',
    register(env) {
      env.registerInit({
        deps: { e: eventsServiceRef },
        async init({ e }) {
          events = e;
        },
      });
    },
  });
  const backend = await startTestBackend({
    features: [
      devopsMaturityPlugin,
      devopsMaturityModuleGithub,
      capture,
      mockServices.rootConfig.factory({
        data: { devopsMaturity: { github: { incidentLabels: ['bug'] } } },
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
      ...(knex ? [mockServices.database.factory({ knex })] : []),
    ],
  });
  const get = (path: string) =>
    request(backend.server)
      .get(
        `/api/devops-maturity/entities/component/default/hello-world/${path}`,
      )
      .set('authorization', mockCredentials.user.header());
  return { backend, events: events!, get };
}

describe('devopsMaturityModuleGithub', () => {
  it('stores deployments, commit times and incident issues delivered by the events backend', async () => {
    const { events, get } = await startBackend();
    await events.publish({
      topic: 'github.push',
      eventPayload: example('push', e => e.ref === 'refs/heads/master'),
    });
    await events.publish({
      topic: 'github.deployment_status',
      eventPayload: example(
        'deployment_status',
        e => e.deployment_status.state === 'success',
      ),
    });
    await events.publish({
      topic: 'github.issues',
      eventPayload: example('issues', e => e.action === 'labeled'),
    });

    const deployments = await get('deployments');
    expect(deployments.body.items).toEqual([
      expect.objectContaining({
        id: '145988746',
        source: 'github',
        status: 'success',
        environment: 'production',
      }),
    ]);
    // The example push and deployment ship different shas, so no commit time is known for it.
    expect(deployments.body.items[0].commits).toEqual([]);
    const incidents = await get('incidents');
    expect(incidents.body.items).toEqual([
      expect.objectContaining({
        id: 'Codertocat/Hello-World#1',
        openedAt: '2019-05-15T15:20:18.000Z',
        restoreSeconds: null,
        causeDeployment: null,
      }),
    ]);
  });

  it('remembers pushed commits across a restart, in the database', async () => {
    const knex = await databases.init('SQLITE_3');
    const status = example(
      'deployment_status',
      e => e.deployment_status.state === 'success',
    );
    const push = example('push', e => e.ref === 'refs/heads/master');
    // A push whose commit is the one the deployment ships.
    const shipped = { ...push.commits[0], id: status.deployment.sha };
    const pushOfShipped = {
      ...push,
      commits: [shipped],
      head_commit: shipped,
    };

    const first = await startBackend(knex);
    await first.events.publish({
      topic: 'github.push',
      eventPayload: pushOfShipped,
    });
    await first.backend.stop();

    const second = await startBackend(knex);
    await second.events.publish({
      topic: 'github.deployment_status',
      eventPayload: status,
    });
    const deployments = await second.get('deployments');
    expect(deployments.body.items[0].commits).toEqual([
      {
        sha: status.deployment.sha,
        committedAt: new Date(shipped.timestamp).toISOString(),
      },
    ]);
  });
});
