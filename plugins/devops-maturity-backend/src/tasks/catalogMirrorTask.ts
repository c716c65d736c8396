import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readSchedule } from '../config';
import { CatalogMirror } from '../service/CatalogMirror';
import { scheduleLoggedTask } from './scheduleLoggedTask';

/** Keeps the catalog mirror, and so ownership and unmatched events, in step with the catalog. */
export function scheduleCatalogMirrorTask(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: RootConfigService;
  mirror: CatalogMirror;
}) {
  return scheduleLoggedTask({
    ...deps,
    id: 'devops-maturity-catalog-mirror',
    schedule: readSchedule(deps.config, 'devopsMaturity.catalog.schedule', {
      frequency: { minutes: 5 },
      timeout: { minutes: 5 },
      initialDelay: { seconds: 10 },
    }),
    run: async () => {
      const { entities, groups } = await deps.mirror.refresh();
      return `Mirrored ${entities} entities and ${groups} groups`;
    },
    failure: 'Catalog mirror refresh failed',
  });
}
