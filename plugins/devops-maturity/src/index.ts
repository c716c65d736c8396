/**
 * DORA, CALMS and DevOps maturity tabs, an overview card and a ranking page for Backstage.
 *
 * @packageDocumentation
 */
export {
  devopsMaturityPlugin,
  EntityDoraContent,
  EntityCalmsContent,
  EntityDevOpsMaturityContent,
  EntityDevOpsMaturityCard,
  DevOpsMaturityPage,
} from './plugin';
export { rootRouteRef } from './routes';
export * from './api/DevopsMaturityApi';
export { DevopsMaturityClient } from './api/DevopsMaturityClient';
export { isDoraAvailable } from './filters';
export type { EntityDevOpsMaturityCardProps } from './components/Card/EntityDevOpsMaturityCard';
export type { EntityDevOpsMaturityContentProps } from './components/MaturityTab/EntityDevOpsMaturityContent';
