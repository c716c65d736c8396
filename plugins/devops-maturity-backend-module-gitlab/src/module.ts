import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import {
  deliveryHeader,
  devopsMaturityEventsExtensionPoint,
  pushDeploymentOfSha,
} from '@devops-maturity/backstage-plugin-node';
import {
  deployedSha,
  deploymentFromEvent,
  DeploymentEvent,
  PipelineEvent,
  PROJECT_SLUG,
  PushEvent,
  pushFromEvent,
  pushFromPipeline,
} from './mapping';

/**
 * Takes GitLab webhooks from Backstage's events backend (with
 * `@backstage/plugin-events-backend-module-gitlab` checking their token): deployment events for
 * deployments, push and pipeline events for commit times.
 * @public
 */
export const devopsMaturityModuleGitlab = createBackendModule({
  pluginId: 'devops-maturity',
  moduleId: 'gitlab',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        events: eventsServiceRef,
        devopsMaturity: devopsMaturityEventsExtensionPoint,
      },
      async init({ logger, events, devopsMaturity }) {
        devopsMaturity.addIdentityAnnotation(PROJECT_SLUG);
        devopsMaturity.addEventSource({
          id: 'gitlab',
          async connect(sink) {
            await events.subscribe({
              id: 'devops-maturity-gitlab',
              topics: ['gitlab.push', 'gitlab.pipeline', 'gitlab.deployment'],
              async onEvent({ topic, eventPayload, metadata }) {
                try {
                  // The same on every retry of a delivery (GitLab 17.4 and later); not
                  // X-Gitlab-Event-UUID, which a retry does not keep and different events
                  // of one webhook-triggered request share.
                  const delivery = deliveryHeader(metadata, 'idempotency-key');
                  await sink.handleOnce(delivery, async () => {
                    if (
                      topic === 'gitlab.push' ||
                      topic === 'gitlab.pipeline'
                    ) {
                      const pushed =
                        topic === 'gitlab.push'
                          ? pushFromEvent(eventPayload as PushEvent)
                          : pushFromPipeline(eventPayload as PipelineEvent);
                      if (pushed)
                        await sink.commits.recordPush(
                          pushed.project,
                          pushed.push,
                        );
                      return;
                    }
                    const event = eventPayload as DeploymentEvent;
                    const item = deploymentFromEvent(event);
                    if (item)
                      await pushDeploymentOfSha(
                        sink,
                        {
                          repository: event.project.path_with_namespace,
                          sha: deployedSha(event),
                        },
                        item,
                      );
                  });
                } catch (error) {
                  // A bad or unexpected payload must not stop the next event from being taken.
                  logger.warn(`Could not take GitLab event ${topic}: ${error}`);
                }
              },
            });
          },
        });
      },
    });
  },
});
