/**
 * The devops-maturity backend plugin: deployment and incident intake, the DORA engine keyed
 * by catalog ownership, and the scorecard read API.
 *
 * @packageDocumentation
 */
export { devopsMaturityPlugin as default } from './plugin';
