import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import {
  createGitlabTokenValidator,
  GitlabEventRouter,
} from '@backstage/plugin-events-backend-module-gitlab';
import { eventsServiceRef } from '@backstage/plugin-events-node';
import { eventsExtensionPoint } from '@backstage/plugin-events-node/alpha';

/**
 * What @backstage/plugin-events-backend-module-gitlab's default export adds, from its own
 * validator and router (its feature loader imports them dynamically, which Jest cannot): the
 * token-checked `POST /api/events/http/gitlab` and the `gitlab.<event>` topics.
 */
export const gitlabEventsModule = createBackendModule({
  pluginId: 'events',
  moduleId: 'test-gitlab',
  register(env) {
    env.registerInit({
      deps: {
        config: coreServices.rootConfig,
        ingress: eventsExtensionPoint,
        events: eventsServiceRef,
      },
      async init({ config, ingress, events }) {
        ingress.addHttpPostIngress({
          topic: 'gitlab',
          validator: createGitlabTokenValidator(config),
        });
        await new GitlabEventRouter({ events }).subscribe();
      },
    });
  },
});
