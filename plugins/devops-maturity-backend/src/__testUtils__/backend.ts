import { Knex } from 'knex';
import { Entity } from '@backstage/catalog-model';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createServiceFactory } from '@backstage/backend-plugin-api';
import {
  CatalogService,
  catalogServiceRef,
} from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { devopsMaturityPlugin } from '../plugin';

/**
 * The plugin in Backstage's real test backend on a test database, with a catalog of `entities`
 * mirrored once during start-up (the mirror task runs at once), so a test starts from it.
 */
export async function startPluginBackend(options: {
  knex: Knex;
  entities: Entity[];
  features?: Parameters<typeof startTestBackend>[0]['features'];
  /** A catalog the test changes between mirror runs, instead of one of `entities`. */
  catalog?: CatalogService;
  /** More of `devopsMaturity` in app-config. */
  config?: Record<string, unknown>;
  /** More app-config at its root, e.g. `backend.auth`. */
  appConfig?: Record<string, unknown>;
}) {
  const { server } = await startTestBackend({
    features: [
      devopsMaturityPlugin,
      options.catalog
        ? createServiceFactory({
            service: catalogServiceRef,
            deps: {},
            factory: () => options.catalog!,
          })
        : catalogServiceMock.factory({ entities: options.entities }),
      mockServices.database.factory({ knex: options.knex }),
      mockServices.scheduler.factory({
        includeInitialDelayedTasksOnStartup: true,
      }),
      mockServices.rootConfig.factory({
        data: {
          ...options.appConfig,
          devopsMaturity: {
            ...options.config,
            catalog: {
              schedule: {
                frequency: { hours: 1 },
                timeout: { minutes: 1 },
                initialDelay: { seconds: 0 },
              },
            },
          },
        },
      }),
      ...(options.features ?? []),
    ],
  });
  return server;
}
