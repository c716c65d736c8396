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
  devopsMaturityUnmatchedReadPermission,
} from '@devops-maturity/backstage-plugin-common';

/** Members of this group may submit any service's CALMS self-assessment. */
const ADMIN_GROUP = 'group:default/platform-admins';
/**
 * The demo's one user. It stands in for the platform team here, so it may see unmatched
 * events, which carry the full payloads of every event that matched no entity.
 */
const DEMO_GUEST = 'user:development/guest';

/**
 * The demo's policy: everything is allowed, except that a service's CALMS self-assessment may
 * be submitted only by members of the team that owns it (the catalog's isEntityOwner rule) or
 * by platform administrators, and that unmatched events are shown to platform administrators
 * (and the demo's guest) only. Adopters put the same rules into their own policy.
 */
class DemoPermissionPolicy implements PermissionPolicy {
  async handle(
    request: PolicyQuery,
    user?: PolicyQueryUser,
  ): Promise<PolicyDecision> {
    const claims = user?.info.ownershipEntityRefs ?? [];
    // Unmatched events are for platform administrators, not every signed-in user.
    if (
      isPermission(request.permission, devopsMaturityUnmatchedReadPermission)
    ) {
      return {
        result:
          claims.includes(ADMIN_GROUP) ||
          user?.info.userEntityRef === DEMO_GUEST
            ? AuthorizeResult.ALLOW
            : AuthorizeResult.DENY,
      };
    }
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
