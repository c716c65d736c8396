import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import AssessmentIcon from '@material-ui/icons/Assessment';
import { devopsMaturityApiRef } from '../api/DevopsMaturityApi';
import { DevopsMaturityClient } from '../api/DevopsMaturityClient';
import { rootRouteRef } from '../routes';

const devopsMaturityApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: devopsMaturityApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new DevopsMaturityClient({ discoveryApi, fetchApi }),
    }),
});

/** The DORA tab, on Components (the kinds that have deployments). @alpha */
const entityDoraContent = EntityContentBlueprint.make({
  name: 'dora',
  params: {
    path: 'dora',
    title: 'DORA',
    filter: { kind: 'component' },
    loader: () =>
      import('../components/DoraTab/EntityDoraContent').then(m => (
        <m.EntityDoraContent />
      )),
  },
});

/** The summary card for the overview. @alpha */
const entityDevOpsMaturityCard = EntityCardBlueprint.make({
  name: 'summary',
  params: {
    filter: { kind: 'component' },
    loader: () =>
      import('../components/Card/EntityDevOpsMaturityCard').then(m => (
        <m.EntityDevOpsMaturityCard />
      )),
  },
});

/** The ranking page, with its nav item. @alpha */
const devopsMaturityPage = PageBlueprint.make({
  params: {
    path: '/devops-maturity',
    routeRef: rootRouteRef,
    title: 'DevOps maturity',
    icon: <AssessmentIcon fontSize="inherit" />,
    loader: () =>
      import('../components/RankingPage/DevOpsMaturityPage').then(m => (
        <m.DevOpsMaturityPage />
      )),
  },
});

/**
 * The devops-maturity plugin for the new frontend system.
 * @alpha
 */
export default createFrontendPlugin({
  pluginId: 'devops-maturity',
  title: 'DevOps maturity',
  icon: <AssessmentIcon fontSize="inherit" />,
  extensions: [
    devopsMaturityApi,
    entityDoraContent,
    entityDevOpsMaturityCard,
    devopsMaturityPage,
  ],
  routes: { root: rootRouteRef },
});
