import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
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
import {
  devopsMaturityAssessmentAdminPermission,
  devopsMaturityAssessmentSubmitPermission,
  devopsMaturityUnmatchedReadPermission,
} from '@devops-maturity/backstage-plugin-common';

/**
 * Who the devops-maturity policy trusts beyond an entity's owners.
 * @public
 */
export interface DevopsMaturityPolicyOptions {
  /**
   * Entity refs (groups or users, as in a user's ownership claims) that may submit any
   * entity's CALMS self-assessment and see the unmatched events. A ref without a kind is a
   * group, without a namespace `default`.
   */
  admins?: string[];
  /** Entity refs that may also see the unmatched events. */
  unmatchedReaders?: string[];
  /**
   * The policy that decides every other permission, the adopter's own. Without it, every
   * other permission is allowed, as Backstage's allow-all policy does.
   */
  delegate?: PermissionPolicy;
}

/**
 * The catalog's `isEntityOwner` rule, as the permission framework carries it. Written as data
 * so that this module does not pull in the whole catalog backend for one helper; the catalog
 * backend applies it, and the module's test runs it against the real one.
 */
const ownedBy = (claims: string[]): PolicyDecision => ({
  result: AuthorizeResult.CONDITIONAL,
  pluginId: 'catalog',
  resourceType: 'catalog-entity',
  conditions: {
    rule: 'IS_ENTITY_OWNER',
    resourceType: 'catalog-entity',
    params: { claims },
  },
});

/**
 * A ref as the catalog spells ownership claims, in lower case: a short `platform-team` is
 * `group:default/platform-team`. Throws on a string that is no entity ref.
 */
export function normalizeRef(ref: string): string {
  return stringifyEntityRef(
    parseEntityRef(ref, { defaultKind: 'group', defaultNamespace: 'default' }),
  ).toLocaleLowerCase('en-US');
}

const allowIf = (allowed: boolean): PolicyDecision => ({
  result: allowed ? AuthorizeResult.ALLOW : AuthorizeResult.DENY,
});

/**
 * A permission policy that decides the devops-maturity plugin's write and admin permissions
 * safely whatever the rest of the policy allows: an entity's owners submit its CALMS
 * self-assessment, `admins` submit any and see unmatched events, `unmatchedReaders` see
 * unmatched events. Every other permission, the scorecard read included, goes to `delegate`.
 * @public
 */
export function createDevopsMaturityPolicy(
  options: DevopsMaturityPolicyOptions = {},
): PermissionPolicy {
  const admins = new Set((options.admins ?? []).map(normalizeRef));
  const readers = new Set([
    ...admins,
    ...(options.unmatchedReaders ?? []).map(normalizeRef),
  ]);
  // A user's own ref and their ownership claims: custom sign-in resolvers do not always put
  // the user's own ref among the claims.
  const refsOf = (user?: PolicyQueryUser) =>
    [user?.info.userEntityRef, ...(user?.info.ownershipEntityRefs ?? [])]
      .filter((ref): ref is string => Boolean(ref))
      .map(ref => ref.toLocaleLowerCase('en-US'));
  const isIn = (refs: Set<string>, user?: PolicyQueryUser) =>
    refsOf(user).some(ref => refs.has(ref));

  return {
    async handle(
      request: PolicyQuery,
      user?: PolicyQueryUser,
    ): Promise<PolicyDecision> {
      const permission = request.permission;
      if (isPermission(permission, devopsMaturityAssessmentSubmitPermission)) {
        const claims = user?.info.ownershipEntityRefs ?? [];
        return claims.length ? ownedBy(claims) : allowIf(false);
      }
      if (isPermission(permission, devopsMaturityAssessmentAdminPermission)) {
        return allowIf(isIn(admins, user));
      }
      if (isPermission(permission, devopsMaturityUnmatchedReadPermission)) {
        return allowIf(isIn(readers, user));
      }
      if (options.delegate) return options.delegate.handle(request, user);
      return { result: AuthorizeResult.ALLOW };
    },
  };
}
