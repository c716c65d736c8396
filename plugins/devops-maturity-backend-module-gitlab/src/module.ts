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
import { GitlabCompare } from './compare';
import {
  deployedSha,
  deploymentFromEvent,
  DeploymentEvent,
  PipelineEvent,
  PROJECT_SLUG,
  projectUrl,
  PushEvent,
  pushFromEvent,
  pushFromPipeline,
} from './mapping';

/**
 * Takes GitLab webhooks from Backstage's events backend (with
 * `@backstage/plugin-events-backend-module-gitlab` checking their token): deployment events for
 * deployments, push and pipeline events for commit times. With a GitLab integration configured,
 * change sets come from GitLab's compare API.
 * @public
 */
export const devopsMaturityModuleGitlab = createBackendModule({
  pluginId: 'devops-maturity',
  moduleId: 'gitlab',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
        devopsMaturity: devopsMaturityEventsExtensionPoint,
      },
      async init({ config, logger, events, devopsMaturity }) {
        // Change sets from GitLab's compare API where `integrations.gitlab` gives a token.
        const compare = GitlabCompare.fromConfig(config);
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
                        {
                          compare: range =>
                            compare.commits(
                              projectUrl(event),
                              event.project.path_with_namespace,
                              range,
                            ),
                          logger,
                        },
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
