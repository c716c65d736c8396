/**
 * Isomorphic types and math of the devops-maturity plugins: the DORA metrics, their tiers and
 * trends, and the plugin's permissions. Shared by the backend and the frontend.
 *
 * @packageDocumentation
 */
export * from './events';
export * from './time';
export * from './stats';
export * from './dora/tiers';
export * from './dora/facts';
export * from './dora/metrics';
export * from './dora/attribution';
export * from './dora/derive';
export * from './dora/trend';
export * from './permissions';
export * from './api';
export * from './maturity/calms';
export * from './maturity/checks';
export * from './maturity/scores';
export * from './maturity/levels';
