/**
 * GitLab deployments and commit times for the devops-maturity plugin.
 *
 * @packageDocumentation
 */
export { devopsMaturityModuleGitlab as default } from './module';
