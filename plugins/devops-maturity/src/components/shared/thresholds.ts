import {
  DeploymentFrequencyRule,
  DoraProfile,
  DoraTier,
  nextTier,
} from '@devops-maturity/backstage-plugin-common';
import { formatDuration, formatPercent, TIER_LABELS } from './format';

export type TieredMetric =
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'timeToRestore';

function ruleText(rule: DeploymentFrequencyRule): string {
  switch (rule.measure) {
    case 'weeklyDeployDays':
      return `deploys on ${rule.atLeast}+ days a week (median week)`;
    case 'monthlyDeployDays':
      return `deploys on ${rule.atLeast}+ day${
        rule.atLeast === 1 ? '' : 's'
      } a month (median month)`;
    default:
      return `${rule.atLeast}+ deploy${
        rule.atLeast === 1 ? '' : 's'
      } in the window`;
  }
}

/** What the metric must reach for a tier under the profile, in words. */
export function tierRequirement(
  metric: TieredMetric,
  tier: Exclude<DoraTier, 'low'>,
  profile: DoraProfile,
): string {
  switch (metric) {
    case 'deploymentFrequency':
      return ruleText(profile.deploymentFrequency[tier]);
    case 'leadTime':
      return `median under ${formatDuration(profile.leadTimeSeconds[tier])}`;
    case 'changeFailureRate':
      return `at most ${formatPercent(profile.changeFailureRate[tier])} failed`;
    default:
      return `median under ${formatDuration(
        profile.timeToRestoreSeconds[tier],
      )}`;
  }
}

/** "Next: High — median under 7 d", or what keeps the tier at elite. */
export function nextTierHint(
  metric: TieredMetric,
  tier: DoraTier | null,
  profile: DoraProfile | undefined,
): string | undefined {
  if (!profile || !tier) return undefined;
  const next = nextTier(tier);
  if (!next) return `Elite: ${tierRequirement(metric, 'elite', profile)}`;
  return `Next: ${TIER_LABELS[next]} at ${tierRequirement(
    metric,
    next as Exclude<DoraTier, 'low'>,
    profile,
  )}`;
}
