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
import { GithubCompare } from './compare';
import {
  deploymentFromStatus,
  DeploymentStatusPayload,
  incidentFromIssue,
  IssuesPayload,
  PROJECT_SLUG,
  pushFromPayload,
  PushPayload,
  repositoryUrl,
} from './mapping';

/**
 * Takes GitHub webhooks from Backstage's events backend (with
 * `@backstage/plugin-events-backend-module-github` validating their signatures):
 * `deployment_status` for deployments, `push` for commit times, and issues labelled as
 * incidents. With a GitHub integration configured, change sets come from GitHub's compare API.
 * @public
 */
export const devopsMaturityModuleGithub = createBackendModule({
  pluginId: 'devops-maturity',
  moduleId: 'github',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsServiceRef,
        devopsMaturity: devopsMaturityEventsExtensionPoint,
      },
      async init({ config, logger, events, devopsMaturity }) {
        const incidentLabels = config.getOptionalStringArray(
          'devopsMaturity.github.incidentLabels',
        ) ?? ['incident'];
        // Change sets from GitHub's compare API where `integrations.github` gives a token.
        const compare = GithubCompare.fromConfig(config);
        devopsMaturity.addIdentityAnnotation(PROJECT_SLUG);
        devopsMaturity.addEventSource({
          id: 'github',
          async connect(sink) {
            await events.subscribe({
              id: 'devops-maturity-github',
              topics: [
                'github.push',
                'github.deployment_status',
                'github.issues',
              ],
              async onEvent({ topic, eventPayload, metadata }) {
                try {
                  // GitHub's "Redeliver" sends the same X-GitHub-Delivery again.
                  const delivery = deliveryHeader(
                    metadata,
                    'x-github-delivery',
                  );
                  await sink.handleOnce(delivery, async () => {
                    if (topic === 'github.push') {
                      const pushed = pushFromPayload(
                        eventPayload as PushPayload,
                      );
                      if (pushed)
                        await sink.commits.recordPush(
                          pushed.repository,
                          pushed.push,
                        );
                    } else if (topic === 'github.deployment_status') {
                      const payload = eventPayload as DeploymentStatusPayload;
                      const item = deploymentFromStatus(payload);
                      if (item)
                        await pushDeploymentOfSha(
                          sink,
                          {
                            repository: payload.repository.full_name,
                            sha: payload.deployment.sha,
                          },
                          item,
                          {
                            compare: range =>
                              compare.commits(
                                repositoryUrl(payload.repository),
                                range,
                              ),
                            logger,
                          },
                        );
                    } else if (topic === 'github.issues') {
                      const item = incidentFromIssue(
                        eventPayload as IssuesPayload,
                        incidentLabels,
                      );
                      if (item) await sink.pushIncidents([item]);
                    }
                  });
                } catch (error) {
                  // A bad or unexpected payload must not stop the next event from being taken.
                  logger.warn(`Could not take GitHub event ${topic}: ${error}`);
                }
              },
            });
          },
        });
      },
    });
  },
});
