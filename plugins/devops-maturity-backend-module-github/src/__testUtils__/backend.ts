import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import {
  keptRootLoggerFactory,
  LoggedLine,
  testComponent,
} from '@devops-maturity/backstage-plugin-node/testUtils';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { devopsMaturityModuleGithub } from '../module';

/**
 * The plugin with this module on a fresh backend, with `config` as app-config (beside the
 * incident label `bug`), on `knex`'s database if given; its catalog holds
 * `component:default/hello-world` of GitHub's example repository.
 */
export async function startGithubBackend(
  options: {
    config?: NonNullable<Parameters<typeof mockServices.rootConfig>[0]>['data'];
    knex?: Awaited<ReturnType<TestDatabases['init']>>;
  } = {},
) {
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
  const logged: LoggedLine[] = [];
  const backend = await startTestBackend({
    features: [
      devopsMaturityPlugin,
      devopsMaturityModuleGithub,
      capture,
      mockServices.rootConfig.factory({
        data: {
          devopsMaturity: { github: { incidentLabels: ['bug'] } },
          ...options.config,
        },
      }),
      keptRootLoggerFactory(logged),
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
      ...(options.knex
        ? [mockServices.database.factory({ knex: options.knex })]
        : []),
    ],
  });
  const get = (path: string) =>
    request(backend.server)
      .get(
        `/api/devops-maturity/entities/component/default/hello-world/${path}`,
      )
      .set('authorization', mockCredentials.user.header());
  /** Delivers a GitHub event as the events backend would, on topic `github.<topic>`. */
  const send = (topic: string, eventPayload: unknown) =>
    events!.publish({ topic: `github.${topic}`, eventPayload });
  return { backend, events: events!, get, send, logged };
}
