/**
 * Helpers for testing source modules of the devops-maturity plugin.
 *
 * @packageDocumentation
 */
import {
  coreServices,
  createServiceFactory,
  DatabaseService,
  LoggerService,
} from '@backstage/backend-plugin-api';
import { Entity } from '@backstage/catalog-model';

/**
 * A catalog Component as the catalog would return it, owned by `group:default/team`, with the
 * annotations that identify it to a source.
 * @public
 */
export function testComponent(
  name: string,
  annotations: Record<string, string> = {},
): Entity {
  return {
    apiVersion: 'backstage.io/v1alpha1',
    kind: 'Component',
    metadata: { name, namespace: 'default', annotations },
    spec: { type: 'service', owner: 'team', lifecycle: 'production' },
    relations: [{ type: 'ownedBy', targetRef: 'group:default/team' }],
  };
}

/**
 * Retries an assertion until it holds or `timeoutMs` passes, for effects that happen after an
 * answer (the events backend answers 202 before it delivers): a condition, not a sleep.
 * @public
 */
export async function eventually(
  assertion: () => Promise<void>,
  timeoutMs = 5000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await assertion();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}

/**
 * A line a test backend logged.
 * @public
 */
export interface LoggedLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

/**
 * A root logger for `startTestBackend` that keeps every line in `lines` (plugin loggers are its
 * children), so that a test can read what an operator would see in the logs.
 * @public
 */
export function keptRootLoggerFactory(lines: LoggedLine[]) {
  const logger: LoggerService = {
    error: message => void lines.push({ level: 'error', message }),
    warn: message => void lines.push({ level: 'warn', message }),
    info: message => void lines.push({ level: 'info', message }),
    debug: message => void lines.push({ level: 'debug', message }),
    child: () => logger,
  };
  return createServiceFactory({
    service: coreServices.rootLogger,
    deps: {},
    factory: () => logger,
  });
}

/** A database client as Backstage's database service hands it out (knex). @public */
export type DatabaseClient = Awaited<ReturnType<DatabaseService['getClient']>>;

/**
 * A database service that gives each plugin the database `clientFor` answers for its id.
 * With one database for all, the events backend's migrations and the plugin's would share
 * knex's migration table, and on PostgreSQL each would refuse the other's migrations; so a
 * webhook test gives the plugin the test database and the events backend one of its own.
 * @public
 */
export function databasePerPluginFactory(
  clientFor: (pluginId: string) => Promise<DatabaseClient>,
) {
  return createServiceFactory({
    service: coreServices.database,
    deps: { plugin: coreServices.pluginMetadata },
    async factory({ plugin }): Promise<DatabaseService> {
      const client = await clientFor(plugin.getId());
      return { getClient: async () => client };
    },
  });
}
