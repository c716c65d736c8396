import { createRouteRef } from '@backstage/core-plugin-api';

/** The ranking page. @public */
export const rootRouteRef = createRouteRef({ id: 'devops-maturity' });
