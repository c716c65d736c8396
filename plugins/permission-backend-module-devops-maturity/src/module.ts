import {
  coreServices,
  createBackendModule,
} from '@backstage/backend-plugin-api';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import { createDevopsMaturityPolicy } from './policy';
import { readDevopsMaturityPolicyOptions } from './config';

/**
 * The permission backend's policy for an installation whose only policy needs are the
 * devops-maturity plugin's: its permissions decided as `createDevopsMaturityPolicy` does, every
 * other permission allowed. It takes the place of Backstage's allow-all policy module.
 * @public
 */
export const permissionModuleDevopsMaturityPolicy = createBackendModule({
  pluginId: 'permission',
  moduleId: 'devops-maturity-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint, config: coreServices.rootConfig },
      async init({ policy, config }) {
        policy.setPolicy(
          createDevopsMaturityPolicy(readDevopsMaturityPolicyOptions(config)),
        );
      },
    });
  },
});
