import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { devopsMaturityEventsExtensionPoint } from '@devops-maturity/backstage-plugin-node';
import {
  commitFromPipeline,
  commitsFromPush,
  deployedSha,
  deploymentFromEvent,
  DeploymentEvent,
  PipelineEvent,
  PROJECT_SLUG,
  PushEvent,
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
              async onEvent({ topic, eventPayload }) {
                try {
                  if (topic === 'gitlab.push') {
                    const { project, commits } = commitsFromPush(
                      eventPayload as PushEvent,
                    );
                    await sink.pendingCommits.add(project, commits);
                    return;
                  }
                  if (topic === 'gitlab.pipeline') {
                    const { project, commits } = commitFromPipeline(
                      eventPayload as PipelineEvent,
                    );
                    await sink.pendingCommits.add(project, commits);
                    return;
                  }
                  const event = eventPayload as DeploymentEvent;
                  const commits =
                    event.status === 'success'
                      ? await sink.pendingCommits.takeUpTo(
                          event.project.path_with_namespace,
                          deployedSha(event),
                        )
                      : [];
                  const item = deploymentFromEvent(event, commits);
                  if (item) await sink.pushDeployments([item]);
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
