import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEMO_PROFILES } from './profiles';
import { stringifyEntityRef } from '@backstage/catalog-model';
import { IngestService } from '../service/IngestService';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from '../service/validation';
import {
  DEMO_PROFILE_ANNOTATION,
  generateDemoEvents,
  pushDemoEvents,
} from './seedDemoData';

/** `none` marks a demo service that gets no history: the empty states. */
const PROFILE_NAMES = [...Object.keys(DEMO_PROFILES), 'none'];

/**
 * Fills the demo's history for every catalog entity that carries the demo profile annotation,
 * through the push API's validation and ingest. Turned on by `devopsMaturity.demo.seed`.
 */
export class DemoSeeder {
  private readonly seeded = new Set<string>();

  constructor(
    private readonly deps: {
      catalog: CatalogService;
      auth: AuthService;
      ingest: IngestService;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {}

  /** Seeds the annotated services not seeded yet by this process. */
  async seedNewServices(): Promise<number> {
    const { catalog, auth, ingest, logger } = this.deps;
    const { items } = await catalog.getEntities(
      {
        filter: {
          [`metadata.annotations.${DEMO_PROFILE_ANNOTATION}`]: [
            ...PROFILE_NAMES,
          ],
        },
      },
      { credentials: await auth.getOwnServiceCredentials() },
    );
    const services = items
      .map(e => ({
        entityRef: stringifyEntityRef(e).toLocaleLowerCase('en-US'),
        profile: e.metadata.annotations![DEMO_PROFILE_ANNOTATION],
      }))
      .filter(s => !this.seeded.has(s.entityRef));
    if (services.length === 0) return 0;
    const started = Date.now();
    const events = generateDemoEvents(
      services,
      (this.deps.clock ?? Date.now)(),
    );
    await pushDemoEvents(events, {
      deployments: body =>
        ingest.ingestDeployments(parseBatch(deploymentItemSchema, body)),
      incidents: body =>
        ingest.ingestIncidents(parseBatch(incidentItemSchema, body)),
    });
    services.forEach(s => this.seeded.add(s.entityRef));
    logger.info(
      `Seeded ${events.deployments.length} deployments and ${events.incidents.length} incidents ` +
        `for ${services.length} demo services in ${Date.now() - started} ms`,
    );
    return services.length;
  }
}
