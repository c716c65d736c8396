import { LoggerService, SchedulerService } from '@backstage/backend-plugin-api';
import { FactsRebuild } from '../service/FactsRebuild';
import { scheduleLoggedTask } from './scheduleLoggedTask';

export const FACTS_REBUILD_TASK = 'devops-maturity-facts-rebuild';

/**
 * Stored facts follow the configured rules: after a config change, one replica derives them
 * again from the stored events. Config changes need a restart, so the check soon after start
 * is the one that matters; later ones retry a rebuild cut short.
 */
export function scheduleFactsRebuildTask(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  rebuild: FactsRebuild;
}) {
  return scheduleLoggedTask({
    ...deps,
    id: FACTS_REBUILD_TASK,
    schedule: {
      frequency: { minutes: 10 },
      timeout: { hours: 3 },
      initialDelay: { seconds: 5 },
    },
    // The rebuild logs its own progress.
    run: async () => {
      await deps.rebuild.runIfNeeded();
    },
    failure: 'Rebuilding the stored facts failed; the next run starts over',
  });
}
