import { AuthService, LoggerService } from '@backstage/backend-plugin-api';
import { CatalogService } from '@backstage/plugin-catalog-node';
import { DEMO_PROFILES } from './profiles';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { CalmsAssessment } from '@devops-maturity/backstage-plugin-common';
import { MaturityStore } from '../database/types';
import { DEMO_ASSESSMENT_ANNOTATION, demoAssessment } from './assessments';
import { DemoToday, seedDemoHistory } from './history';
import { IngestService } from '../service/IngestService';
import {
  defaultEventTimeRange,
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
      store: MaturityStore;
      logger: LoggerService;
      /** Where a service stands today, for the backfilled history to lead to. */
      today?: (entityRef: string) => Promise<DemoToday | undefined>;
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
    const now = (this.deps.clock ?? Date.now)();
    const events = generateDemoEvents(services, now);
    // The demo's times are relative to its own clock: so is the range they are checked against.
    const range = defaultEventTimeRange(now);
    await pushDemoEvents(events, {
      deployments: body =>
        ingest.ingestDeployments(parseBatch(deploymentItemSchema, body, range)),
      incidents: body =>
        ingest.ingestIncidents(parseBatch(incidentItemSchema, body, range)),
    });
    services.forEach(s => this.seeded.add(s.entityRef));
    const assessments = await this.seedAssessments(items);
    // After the events and assessments: today's standing is computed from them.
    const histories = this.deps.today
      ? await seedDemoHistory({
          store: this.deps.store,
          entityRefs: services
            .filter(
              s => s.profile !== 'none' && s.entityRef.startsWith('component:'),
            )
            .map(s => s.entityRef),
          today: this.deps.today,
          now,
        })
      : 0;
    logger.info(
      `Seeded ${events.deployments.length} deployments, ${events.incidents.length} incidents, ` +
        `${assessments} CALMS assessments and ${histories} year-long maturity histories for ${
          services.length
        } demo services in ${Date.now() - started} ms`,
    );
    return services.length;
  }

  /** Seeds the annotated assessments of entities that have none yet (a restart adds none). */
  private async seedAssessments(entities: Entity[]): Promise<number> {
    const now = (this.deps.clock ?? Date.now)();
    const wanted = entities
      .map(e =>
        demoAssessment(
          stringifyEntityRef(e).toLocaleLowerCase('en-US'),
          e.metadata.annotations?.[DEMO_ASSESSMENT_ANNOTATION] ?? '',
          now,
        ),
      )
      .filter((a): a is CalmsAssessment => !!a);
    const existing = await this.deps.store.latestAssessments(
      wanted.map(a => a.entityRef),
    );
    const fresh = wanted.filter(a => !existing.has(a.entityRef));
    for (const a of fresh) await this.deps.store.insertAssessment(a);
    return fresh.length;
  }
}
