import {
  coreServices,
  createBackendModule,
  createServiceFactory,
  LoggerService,
  RootLoggerService,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { EventsService, eventsServiceRef } from '@backstage/plugin-events-node';
import request from 'supertest';
import { testComponent } from '@devops-maturity/backstage-plugin-node/testUtils';
import devopsMaturityPlugin from '@devops-maturity/backstage-plugin-backend';
import { devopsMaturityModuleGithub } from '../module';

/** A line the backend logged. */
export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

/** A root logger that keeps what is logged, for a test to read what an operator would. */
function keptLogger(lines: LoggedLine[]): RootLoggerService {
  const logger: LoggerService = {
    error: message => void lines.push({ level: 'error', message }),
    warn: message => void lines.push({ level: 'warn', message }),
    info: message => void lines.push({ level: 'info', message }),
    debug: message => void lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return logger;
}

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
      createServiceFactory({
        service: coreServices.rootLogger,
        deps: {},
        factory: () => keptLogger(logged),
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
