/**
 * Extension points and types for backend modules that bring deployments, incidents and entity
 * identities into the devops-maturity plugin.
 *
 * @packageDocumentation
 */
export * from './extensions';
export * from './deliveries';
export * from './commitHistory';
export * from './pushDeploymentOfSha';
