import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  createGitlabTokenValidator,
  GitlabEventRouter,
} from '@backstage/plugin-events-backend-module-gitlab';
import {
  eventsServiceFactory,
  eventsServiceRef,
} from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import {
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import eventsPlugin from '@backstage/plugin-events-backend';
import {
  databasePerPluginFactory,
  keptRootLoggerFactory,
  LoggedLine,
  testComponent,
} from '@devops-maturity/backstage-plugin-node/testUtils';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { devopsMaturityModuleGitlab } from '../module';

/**
 * What @backstage/plugin-events-backend-module-gitlab's default export adds, from its own
 * validator and router (its feature loader imports them dynamically, which Jest cannot): the
 * token-checked `POST /api/events/http/gitlab` and the `gitlab.<event>` topics.
 */
const gitlabEventsModule = createBackendModule({
  pluginId: 'events',
  moduleId: 'test-gitlab',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        ingress: eventsExtensionPoint,
        events: eventsServiceRef,
      },
      async init({ config, ingress, events }) {
        ingress.addHttpPostIngress({
          topic: 'gitlab',
          validator: createGitlabTokenValidator(config),
        });
        await new GitlabEventRouter({ events }).subscribe();
      },
    });
  },
});

/**
 * A backend with the events backend taking GitLab webhooks (token `gl-token`), the plugin and
 * this module, and a catalog holding `component:default/webhooks` of GitLab's example project;
 * with `config` added to app-config and, if given, on `knex`'s database (the events backend on
 * `eventsKnex`'s). `logged` keeps what it
 * logs.
 */
export async function startGitlabBackend(
  options: {
    config?: NonNullable<Parameters<typeof mockServices.rootConfig>[0]>['data'];
    knex?: Awaited<ReturnType<TestDatabases['init']>>;
    /** The events backend's own database, beside `knex` (see databasePerPluginFactory). */
    eventsKnex?: Awaited<ReturnType<TestDatabases['init']>>;
  } = {},
) {
  const { knex, eventsKnex } = options;
  const logged: LoggedLine[] = [];
  const backend = await startTestBackend({
    features: [
      eventsPlugin,
      gitlabEventsModule,
      eventsServiceFactory,
      devopsMaturityModuleGitlab,
      devopsMaturityPlugin,
      mockServices.rootConfig.factory({
        data: {
          // One process: deliver in-process, without the events bus's long polling.
          events: {
            useEventBus: 'never',
            modules: { gitlab: { webhookSecret: 'gl-token' } },
          },
          ...options.config,
        },
      }),
      keptRootLoggerFactory(logged),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      catalogServiceMock.factory({
        entities: [
          testComponent('webhooks', {
            'gitlab.com/project-slug': 'root/test-deployment-webhooks',
          }),
        ],
      }),
      ...(knex && eventsKnex
        ? [
            databasePerPluginFactory(async pluginId =>
              pluginId === 'devops-maturity' ? knex : eventsKnex,
            ),
          ]
        : []),
    ],
  });
  return { server: backend.server, logged };
}
