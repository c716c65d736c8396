/** The DORA performance tiers, best first. @public */
export type DoraTier = 'elite' | 'high' | 'medium' | 'low';

/** Tiers from worst to best: the index is the tier's score (low = 0 ... elite = 3). @public */
export const TIERS_WORST_FIRST: readonly DoraTier[] = [
  'low',
  'medium',
  'high',
  'elite',
];

/** The score of a tier: elite = 3, high = 2, medium = 1, low = 0. @public */
export function tierScore(tier: DoraTier): number {
  return TIERS_WORST_FIRST.indexOf(tier);
}

/** The tier of a score; fractions round down. @internal */
export function tierOfScore(score: number): DoraTier {
  return TIERS_WORST_FIRST[Math.max(0, Math.min(3, Math.floor(score)))];
}

/**
 * What a deployment-frequency tier asks for: at least `atLeast` of one measure.
 * - `weeklyDeployDays`: W, the median over the window's weeks of deploy-days per week;
 * - `monthlyDeployDays`: M, the same per calendar month;
 * - `deployments`: the number of deployments in the window.
 * @public
 */
export interface DeploymentFrequencyRule {
  measure: 'weeklyDeployDays' | 'monthlyDeployDays' | 'deployments';
  atLeast: number;
}

/** The bounds of the three better tiers; whatever misses `medium` is low. @public */
export interface TierBounds<T> {
  elite: T;
  high: T;
  medium: T;
}

/**
 * A benchmark profile: the thresholds that turn metric values into tiers.
 * Lead time and time to restore use strict "less than" bounds in seconds; change failure
 * rate uses "at most" bounds as a fraction (0.15 = 15%).
 * @public
 */
export interface DoraProfile {
  id: string;
  title: string;
  deploymentFrequency: TierBounds<DeploymentFrequencyRule>;
  leadTimeSeconds: TierBounds<number>;
  changeFailureRate: TierBounds<number>;
  timeToRestoreSeconds: TierBounds<number>;
}

const HOUR = 3600;
const DAY = 24 * HOUR;

/** The table quoted most in the DevOps literature (State of DevOps 2021). @public */
export const DORA_2021: DoraProfile = {
  id: 'dora-2021',
  title: 'DORA 2021 (State of DevOps 2021)',
  deploymentFrequency: {
    elite: { measure: 'weeklyDeployDays', atLeast: 5 },
    high: { measure: 'monthlyDeployDays', atLeast: 1 },
    medium: { measure: 'deployments', atLeast: 1 },
  },
  leadTimeSeconds: { elite: HOUR, high: 7 * DAY, medium: 180 * DAY },
  changeFailureRate: { elite: 0.15, high: 0.2, medium: 0.3 },
  timeToRestoreSeconds: { elite: HOUR, high: DAY, medium: 7 * DAY },
};

/** The State of DevOps 2023 cluster table. @public */
export const DORA_2023: DoraProfile = {
  id: 'dora-2023',
  title: 'DORA 2023 (State of DevOps 2023)',
  deploymentFrequency: {
    elite: { measure: 'weeklyDeployDays', atLeast: 5 },
    high: { measure: 'weeklyDeployDays', atLeast: 1 },
    medium: { measure: 'monthlyDeployDays', atLeast: 1 },
  },
  leadTimeSeconds: { elite: DAY, high: 7 * DAY, medium: 30 * DAY },
  changeFailureRate: { elite: 0.05, high: 0.1, medium: 0.15 },
  timeToRestoreSeconds: { elite: HOUR, high: DAY, medium: 7 * DAY },
};

/** The built-in profiles by id. @public */
export const BUILT_IN_PROFILES: Readonly<Record<string, DoraProfile>> = {
  [DORA_2021.id]: DORA_2021,
  [DORA_2023.id]: DORA_2023,
};

/** The profile used when none is asked for or configured. @public */
export const DEFAULT_PROFILE_ID = DORA_2021.id;

const BETTER_FIRST = ['elite', 'high', 'medium'] as const;

/** Tier of a "lower is better" value with strict `<` bounds (lead time, time to restore). @internal */
export function tierBelow(value: number, bounds: TierBounds<number>): DoraTier {
  for (const tier of BETTER_FIRST) if (value < bounds[tier]) return tier;
  return 'low';
}

/** Tier of a "lower is better" value with `<=` bounds (change failure rate). @internal */
export function tierAtMost(
  value: number,
  bounds: TierBounds<number>,
): DoraTier {
  for (const tier of BETTER_FIRST) if (value <= bounds[tier]) return tier;
  return 'low';
}

/** The measures a deployment-frequency rule can read. @public */
export interface DeploymentFrequencyMeasures {
  weeklyDeployDays: number;
  monthlyDeployDays: number;
  deployments: number;
}

/** Tier of deployment frequency: the best tier whose rule the measures meet, else low. @public */
export function deploymentFrequencyTier(
  measures: DeploymentFrequencyMeasures,
  bounds: TierBounds<DeploymentFrequencyRule>,
): DoraTier {
  for (const tier of BETTER_FIRST) {
    const rule = bounds[tier];
    if (measures[rule.measure] >= rule.atLeast) return tier;
  }
  return 'low';
}

/**
 * The overall tier: the median of the metric tiers present (elite = 3 ... low = 0),
 * rounded down; undefined when none is present.
 * @public
 */
export function overallTier(
  tiers: ReadonlyArray<DoraTier | null>,
): DoraTier | null {
  const scores = tiers
    .filter((t): t is DoraTier => t !== null)
    .map(tierScore)
    .sort((a, b) => a - b);
  if (scores.length === 0) return null;
  const mid = (scores.length - 1) / 2;
  return tierOfScore((scores[Math.floor(mid)] + scores[Math.ceil(mid)]) / 2);
}

/** The next better tier and the bound to reach it, for "what it takes" hints. @public */
export function nextTier(tier: DoraTier): DoraTier | null {
  const i = tierScore(tier);
  return i >= 3 ? null : TIERS_WORST_FIRST[i + 1];
}

/** A partial profile, as app-config gives it (thresholds already in seconds and fractions). @public */
export interface DoraProfileOverride {
  title?: string;
  deploymentFrequency?: Partial<TierBounds<DeploymentFrequencyRule>>;
  leadTimeSeconds?: Partial<TierBounds<number>>;
  changeFailureRate?: Partial<TierBounds<number>>;
  timeToRestoreSeconds?: Partial<TierBounds<number>>;
}

/** A profile with some thresholds replaced. @public */
export function overrideProfile(
  base: DoraProfile,
  id: string,
  override: DoraProfileOverride,
): DoraProfile {
  return {
    id,
    title: override.title ?? (id === base.id ? base.title : id),
    deploymentFrequency: {
      ...base.deploymentFrequency,
      ...override.deploymentFrequency,
    },
    leadTimeSeconds: { ...base.leadTimeSeconds, ...override.leadTimeSeconds },
    changeFailureRate: {
      ...base.changeFailureRate,
      ...override.changeFailureRate,
    },
    timeToRestoreSeconds: {
      ...base.timeToRestoreSeconds,
      ...override.timeToRestoreSeconds,
    },
  };
}
