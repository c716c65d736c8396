import { createPermission } from '@backstage/plugin-permission-common';

/** Read DORA figures, scorecards and rankings. @public */
export const devopsMaturityReadPermission = createPermission({
  name: 'devops-maturity.scorecard.read',
  attributes: { action: 'read' },
});

/** See events that matched no catalog entity (an admin view). @public */
export const devopsMaturityUnmatchedReadPermission = createPermission({
  name: 'devops-maturity.unmatched.read',
  attributes: { action: 'read' },
});

/** All permissions of the plugin, for the permission integration router. @public */
export const devopsMaturityPermissions = [
  devopsMaturityReadPermission,
  devopsMaturityUnmatchedReadPermission,
];
