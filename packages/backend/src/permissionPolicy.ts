import { createBackendModule } from '@backstage/backend-plugin-api';
import {
  AuthorizeResult,
  isPermission,
  PolicyDecision,
} from '@backstage/plugin-permission-common';
import {
  PermissionPolicy,
  PolicyQuery,
  PolicyQueryUser,
} from '@backstage/plugin-permission-node';
import { policyExtensionPoint } from '@backstage/plugin-permission-node/alpha';
import {
  catalogConditions,
  createCatalogConditionalDecision,
} from '@backstage/plugin-catalog-backend/alpha';
import {
  devopsMaturityAssessmentAdminPermission,
  devopsMaturityAssessmentSubmitPermission,
} from '@devops-maturity/backstage-plugin-common';

/** Members of this group may submit any service's CALMS self-assessment. */
const ADMIN_GROUP = 'group:default/platform-admins';

/**
 * The demo's policy: everything is allowed, except that a service's CALMS self-assessment may
 * be submitted only by members of the team that owns it (the catalog's isEntityOwner rule) or
 * by platform administrators. Adopters put the same two rules into their own policy.
 */
class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    if (
      isPermission(request.permission, devopsMaturityAssessmentAdminPermission)
    ) {
      return {
        result: claims.includes(ADMIN_GROUP)
          ? AuthorizeResult.ALLOW
          : AuthorizeResult.DENY,
      };
    }
    if (
      isPermission(request.permission, devopsMaturityAssessmentSubmitPermission)
    ) {
      return createCatalogConditionalDecision(
        request.permission,
        catalogConditions.isEntityOwner({ claims }),
      );
    }
    return { result: AuthorizeResult.ALLOW };
  }
}

export default createBackendModule({
  pluginId: 'permission',
  moduleId: 'demo-policy',
  register(reg) {
    reg.registerInit({
      deps: { policy: policyExtensionPoint },
      async init({ policy }) {
        policy.setPolicy(new DemoPermissionPolicy());
      },
    });
  },
});
