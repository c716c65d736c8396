/**
 * Isomorphic types and math of the devops-maturity plugins: the DORA metrics, their tiers and
 * trends, the maturity model, the API's answers and the plugin's permissions. Shared by the
 * backend and the frontend.
 *
 * Helpers the plugin's own packages share (statistics, time arithmetic, the attribution rules'
 * building blocks) carry the internal release tag: they are left out of the published type
 * declarations and may change in a minor release.
 *
 * @packageDocumentation
 */
export * from './events';
export * from './time';
export * from './stats';
export * from './dora/tiers';
export * from './dora/facts';
export * from './dora/packedFacts';
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
export * from './maturity/history';
export * from './maturity/levelMix';
