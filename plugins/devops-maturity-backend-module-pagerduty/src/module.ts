import {
  coreServices,
  createBackendFeatureLoader,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';
import { devopsMaturityEventsExtensionPoint } from '@devops-maturity/backstage-plugin-node';
import {
  incidentFromWebhook,
  isSignedByPagerDuty,
  PagerDutyWebhook,
  SERVICE_ID,
} from './mapping';

const TOPIC = 'pagerduty';

/**
 * Adds `POST /api/events/http/pagerduty` to the events backend, taking only webhooks signed
 * with one of `devopsMaturity.pagerduty.webhookSecrets`. Without secrets, no endpoint is added.
 * @public
 */
export const eventsModulePagerDutyWebhook = createBackendModule({
  pluginId: 'events',
  moduleId: 'devops-maturity-pagerduty-webhook',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        logger: coreServices.logger,
        events: eventsExtensionPoint,
      },
      async init({ config, logger, events }) {
        const secrets =
          config.getOptionalStringArray(
            'devopsMaturity.pagerduty.webhookSecrets',
          ) ?? [];
        if (secrets.length === 0) {
          logger.warn(
            'No devopsMaturity.pagerduty.webhookSecrets configured: PagerDuty webhooks are not taken',
          );
          return;
        }
        events.addHttpPostIngress({
          topic: TOPIC,
          async validator(request, context) {
            if (
              !isSignedByPagerDuty(
                request.raw.body,
                request.headers['x-pagerduty-signature'],
                secrets,
              )
            ) {
              context.reject({
                status: 401,
                payload: {
                  message: 'invalid or missing X-PagerDuty-Signature',
                },
              });
            }
          },
        });
      },
    });
  },
});

/**
 * Turns PagerDuty incident webhooks into incidents of the entity whose
 * `pagerduty.com/service-id` annotation names the incident's service.
 * @public
 */
export const devopsMaturityModulePagerDuty = createBackendModule({
  pluginId: 'devops-maturity',
  moduleId: 'pagerduty',
  register(env) {
    env.registerInit({
      deps: {
        logger: coreServices.logger,
        events: eventsServiceRef,
        devopsMaturity: devopsMaturityEventsExtensionPoint,
      },
      async init({ logger, events, devopsMaturity }) {
        devopsMaturity.addIdentityAnnotation(SERVICE_ID);
        devopsMaturity.addEventSource({
          id: 'pagerduty',
          async connect(sink) {
            await events.subscribe({
              id: 'devops-maturity-pagerduty',
              topics: [TOPIC],
              async onEvent({ eventPayload }) {
                try {
                  const webhook = eventPayload as PagerDutyWebhook;
                  // PagerDuty resends an event it could not deliver with the same id.
                  await sink.handleOnce(webhook.event?.id, async () => {
                    const item = incidentFromWebhook(webhook);
                    if (item) await sink.pushIncidents([item]);
                  });
                } catch (error) {
                  logger.warn(`Could not take a PagerDuty webhook: ${error}`);
                }
              },
            });
          },
        });
      },
    });
  },
});

/** Both modules: the signed ingress on the events backend and the incident source. @public */
export default createBackendFeatureLoader({
  *loader() {
    yield eventsModulePagerDutyWebhook;
    yield devopsMaturityModulePagerDuty;
  },
});
