import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';

/**
 * Schedules one of the plugin's jobs on one replica at a time (`scope: 'global'`), under one
 * id for the scheduler and the log. A run that fails is logged with how long it ran, and
 * the next run tries again: a job never takes the backend down.
 */
export async function scheduleLoggedTask(options: {
  scheduler: SchedulerService;
  logger: LoggerService;
  id: string;
  schedule: SchedulerServiceTaskScheduleDefinition;
  /** The job; what it answers is logged on success. */
  run: () => Promise<string | void>;
  /** What the log says when a run fails. */
  failure: string;
}): Promise<void> {
  const logger = options.logger.child({ task: options.id });
  await options.scheduler.scheduleTask({
    id: options.id,
    scope: 'global',
    ...options.schedule,
    fn: async () => {
      const started = Date.now();
      try {
        const done = await options.run();
        if (done) logger.info(`${done} in ${Date.now() - started} ms`);
      } catch (error) {
        logger.error(
          `${options.failure} after ${Date.now() - started} ms`,
          error as Error,
        );
      }
    },
  });
}
