/**
 * GitHub deployments, commit times and incident issues for the devops-maturity plugin.
 *
 * @packageDocumentation
 */
export { devopsMaturityModuleGithub as default } from './module';
