import { createPermission } from '@backstage/plugin-permission-common';

/**
 * Read DORA figures, scorecards and rankings: a resource permission on catalog entities, so a
 * policy may allow it for some entities only, with the catalog's conditions (e.g.
 * `isEntityOwner`). A reader sees an entity's figures only where this allows it and the
 * catalog shows the reader the entity. A service (another plugin, a static token) is not
 * asked of the policy: its `accessRestrictions` decide, and without this permission it gets
 * 403. A user the policy denies it sees no entity: lists are empty, entity routes answer 404.
 * @public
 */
export const devopsMaturityReadPermission = createPermission({
  name: 'devops-maturity.scorecard.read',
  attributes: { action: 'read' },
  resourceType: 'catalog-entity',
});

/**
 * Push deployments and incidents (`POST /deployments`, `POST /incidents`), and ask where a
 * deployment's change set starts (`GET /deployments/base`) and read back an incident to report
 * it again (`GET /incidents/stored`). Service principals only: give a CI
 * pipeline's static token this permission alone, with the external-access `accessRestrictions`,
 * and it can push but read nothing else.
 * @public
 */
export const devopsMaturityEventsCreatePermission = createPermission({
  name: 'devops-maturity.events.create',
  attributes: { action: 'create' },
});

/** See events that matched no catalog entity (an admin view). @public */
export const devopsMaturityUnmatchedReadPermission = createPermission({
  name: 'devops-maturity.unmatched.read',
  attributes: { action: 'read' },
});

/**
 * Submit the CALMS self-assessment of a catalog entity. A resource permission on the entity,
 * so a policy can grant it to the entity's owners with the catalog's `isEntityOwner` rule.
 * @public
 */
export const devopsMaturityAssessmentSubmitPermission = createPermission({
  name: 'devops-maturity.assessment.submit',
  attributes: { action: 'update' },
  resourceType: 'catalog-entity',
});

/** Submit any entity's self-assessment, owner or not (platform administrators). @public */
export const devopsMaturityAssessmentAdminPermission = createPermission({
  name: 'devops-maturity.assessment.admin',
  attributes: { action: 'update' },
});

/** All permissions of the plugin, for the permission integration router. @public */
export const devopsMaturityPermissions = [
  devopsMaturityReadPermission,
  devopsMaturityEventsCreatePermission,
  devopsMaturityUnmatchedReadPermission,
  devopsMaturityAssessmentSubmitPermission,
  devopsMaturityAssessmentAdminPermission,
];
