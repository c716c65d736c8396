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

/** The CALMS tab: radar, evidence, the team's self-assessment. @alpha */
const entityCalmsContent = EntityContentBlueprint.make({
  name: 'calms',
  params: {
    path: 'calms',
    title: 'CALMS',
    filter: { kind: 'component' },
    loader: () =>
      import('../components/CalmsTab/EntityCalmsContent').then(m => (
        <m.EntityCalmsContent />
      )),
  },
});

/** The DevOps maturity tab: level ladder, next steps, golden-path checks. @alpha */
const entityMaturityContent = EntityContentBlueprint.make({
  name: 'maturity',
  params: {
    path: 'maturity',
    title: 'DevOps maturity',
    filter: { kind: 'component' },
    loader: () =>
      import('../components/MaturityTab/EntityDevOpsMaturityContent').then(
        m => <m.EntityDevOpsMaturityContent />,
      ),
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
    entityCalmsContent,
    entityMaturityContent,
    entityDevOpsMaturityCard,
    devopsMaturityPage,
  ],
  routes: { root: rootRouteRef },
});
