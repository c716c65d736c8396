import {
  LoggerService,
  RootConfigService,
  SchedulerService,
} from '@backstage/backend-plugin-api';
import { readSchedule } from '../config';
import { ScorecardService } from '../service/ScorecardService';
import { scheduleLoggedTask } from './scheduleLoggedTask';

/** One id for the job and for the log lines of the rankings, wherever they are written. */
export const RANKINGS_TASK = 'devops-maturity-rankings';

/** The preset windows end "now", so every ranking row is recomputed as time moves on. */
export function scheduleRankingsTask(deps: {
  scheduler: SchedulerService;
  logger: LoggerService;
  config: RootConfigService;
  scorecards: ScorecardService;
}) {
  return scheduleLoggedTask({
    ...deps,
    id: RANKINGS_TASK,
    schedule: readSchedule(deps.config, 'devopsMaturity.scorecards.schedule', {
      frequency: { hours: 1 },
      timeout: { minutes: 30 },
      initialDelay: { minutes: 5 },
    }),
    // refreshAll logs what it recomputed.
    run: async () => {
      await deps.scorecards.refreshAll();
    },
    failure: 'Recomputing the rankings failed',
  });
}
