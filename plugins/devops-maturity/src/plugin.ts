import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { devopsMaturityApiRef } from './api/DevopsMaturityApi';
import { DevopsMaturityClient } from './api/DevopsMaturityClient';
import { rootRouteRef } from './routes';
import type { EntityDevOpsMaturityCardProps } from './components/Card/EntityDevOpsMaturityCard';
import type { EntityDevOpsMaturityContentProps } from './components/MaturityTab/EntityDevOpsMaturityContent';

/** The devops-maturity frontend plugin (legacy frontend system). @public */
export const devopsMaturityPlugin = createPlugin({
  id: 'devops-maturity',
  apis: [
    createApiFactory({
      api: devopsMaturityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevopsMaturityClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The DORA tab of an entity page; use it in an `EntityLayout.Route`. @public */
export const EntityDoraContent: () => JSX.Element =
  devopsMaturityPlugin.provide(
    createComponentExtension({
      name: 'EntityDoraContent',
      component: {
        lazy: () =>
          import('./components/DoraTab/EntityDoraContent').then(
            m => m.EntityDoraContent,
          ),
      },
    }),
  );

/** The CALMS tab of an entity page: radar, evidence and the self-assessment. @public */
export const EntityCalmsContent: () => JSX.Element =
  devopsMaturityPlugin.provide(
    createComponentExtension({
      name: 'EntityCalmsContent',
      component: {
        lazy: () =>
          import('./components/CalmsTab/EntityCalmsContent').then(
            m => m.EntityCalmsContent,
          ),
      },
    }),
  );

/** The DevOps maturity tab of an entity page: level, next steps and checks. @public */
export const EntityDevOpsMaturityContent: (
  props: EntityDevOpsMaturityContentProps,
) => JSX.Element = devopsMaturityPlugin.provide(
  createComponentExtension({
    name: 'EntityDevOpsMaturityContent',
    component: {
      lazy: () =>
        import('./components/MaturityTab/EntityDevOpsMaturityContent').then(
          m => m.EntityDevOpsMaturityContent,
        ),
    },
  }),
);

/** A summary card for the entity overview page. @public */
export const EntityDevOpsMaturityCard: (
  props: EntityDevOpsMaturityCardProps,
) => JSX.Element = devopsMaturityPlugin.provide(
  createComponentExtension({
    name: 'EntityDevOpsMaturityCard',
    component: {
      lazy: () =>
        import('./components/Card/EntityDevOpsMaturityCard').then(
          m => m.EntityDevOpsMaturityCard,
        ),
    },
  }),
);

/** The ranking page of every service and team; mount it at `/devops-maturity`. @public */
export const DevOpsMaturityPage: () => JSX.Element =
  devopsMaturityPlugin.provide(
    createRoutableExtension({
      name: 'DevOpsMaturityPage',
      component: () =>
        import('./components/RankingPage/DevOpsMaturityPage').then(
          m => m.DevOpsMaturityPage,
        ),
      mountPoint: rootRouteRef,
    }),
  );
