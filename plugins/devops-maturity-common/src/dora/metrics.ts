import { DAY_MS, TimeWindow } from '../time';
import { mean, percentilesOf } from '../stats';
import { dayGridOf } from './dayGrid';
import { DoraFacts } from './facts';
import {
  hasFailedFlag,
  hasIncompleteFlag,
  hasReworkFlag,
  PackedFacts,
  packFacts,
} from './packedFacts';
import {
  deploymentFrequencyTier,
  DoraProfile,
  DoraTier,
  overallTier,
  tierAtMost,
  tierBelow,
} from './tiers';

/** Deployment frequency. @public */
export interface DeploymentFrequencyMetric {
  /** Successful production deployments in the window. */
  deployments: number;
  /** Distinct UTC days with a deployment. */
  deployDays: number;
  /** Deployments per day of the window; null when the entity never deployed. */
  perDay: number | null;
  /** W: median over the window's weeks of deploy-days per week. */
  medianDeployDaysPerWeek: number | null;
  /** M: median over the window's calendar months of deploy-days per month. */
  medianDeployDaysPerMonth: number | null;
  tier: DoraTier | null;
}

/** Lead time for changes. @public */
export interface LeadTimeMetric {
  medianSeconds: number | null;
  p90Seconds: number | null;
  /** Commits counted (first deployed in the window, positive lead time). */
  changes: number;
  /**
   * Lead-time coverage: of the window's deployments, those that reported every change they
   * brought. Fewer than `deployments` means the figures rest on part of the changes.
   */
  completeDeployments: number;
  /** The window's successful production deployments. */
  deployments: number;
  tier: DoraTier | null;
}

/** Change failure rate. @public */
export interface ChangeFailureRateMetric {
  /** Failed share of the window's deployments, 0..1. */
  value: number | null;
  failedDeployments: number;
  deployments: number;
  tier: DoraTier | null;
}

/** Time to restore service. @public */
export interface TimeToRestoreMetric {
  medianSeconds: number | null;
  p90Seconds: number | null;
  meanSeconds: number | null;
  restoredIncidents: number;
  /** Incidents open at the window's end. */
  openIncidents: number;
  /** Age at the window's end of the oldest open incident. */
  oldestOpenSeconds: number | null;
  tier: DoraTier | null;
}

/** Rework rate (DORA 2024): no published tiers. @public */
export interface ReworkRateMetric {
  value: number | null;
  reworkDeployments: number;
}

/** The metric names, as keys of `reasons`. @public */
export type DoraMetricName =
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'timeToRestore'
  | 'reworkRate'
  | 'overall';

/** The five DORA metrics of one entity or owner over one window. @public */
export interface DoraMetrics {
  window: { from: string; to: string };
  profile: string;
  deploymentFrequency: DeploymentFrequencyMetric;
  leadTime: LeadTimeMetric;
  changeFailureRate: ChangeFailureRateMetric;
  timeToRestore: TimeToRestoreMetric;
  reworkRate: ReworkRateMetric;
  overallTier: DoraTier | null;
  /** Why a value is null, for every null metric. */
  reasons: Partial<Record<DoraMetricName, string>>;
}

/** Reason texts, stable so the UI can match them to setup hints. @public */
export const DORA_REASONS = {
  neverDeployed: 'no production deployments reported',
  noDeploymentsInWindow: 'no deployments in window',
  noChanges: 'no commits with a positive lead time first deployed in window',
  commitsUnknown: 'no deployment in window reported the commits it brought',
  noIncidentsEver: 'no incidents reported',
  noRestoresInWindow: 'no incidents resolved in window',
  noTiers: 'no metric has data',
} as const;

/**
 * Computes the five metrics from facts. Pure; the single place the DORA math lives.
 * @public
 */
export function computeDoraMetrics(
  facts: DoraFacts,
  window: TimeWindow,
  profile: DoraProfile,
): DoraMetrics {
  return withTiers(doraFigures(facts, window), profile);
}

/**
 * The metrics under each profile: the figures are counted once, only the tiers differ. The
 * rankings keep every profile's rows, and a team's year has hundreds of thousands of facts.
 * @internal
 */
export function computeDoraMetricsByProfile(
  facts: DoraFacts,
  window: TimeWindow,
  profiles: readonly DoraProfile[],
): DoraMetrics[] {
  const figures = doraFigures(facts, window);
  return profiles.map(profile => withTiers(figures, profile));
}

/**
 * The metrics under each profile of the packed facts inside `window`, as `restrictFacts` would
 * cut them: for facts that hold every event up to the window's end, e.g. read (or pooled) for
 * a longer window ending at the same time, or stored earlier with nothing since (the rankings
 * check that with stale marks and `valid_until`). Nothing is unpacked or copied but the
 * window's lead and restore times: a whole organisation's year is millions of facts, and the
 * rankings compute four windows of it.
 * @internal
 */
export function computePackedDoraMetricsByProfile(
  packed: PackedFacts,
  window: TimeWindow,
  profiles: readonly DoraProfile[],
): DoraMetrics[] {
  const figures = packedFigures(
    packed,
    window,
    true,
    packed.incidentsEverReported,
  );
  return profiles.map(profile => withTiers(figures, profile));
}

/** What the metrics count and measure, before any profile grades them. */
function doraFigures(facts: DoraFacts, window: TimeWindow) {
  return packedFigures(
    packFacts(facts),
    window,
    false,
    facts.incidentsEverReported,
  );
}

/**
 * The figures of packed facts: all of them, or with `cut` those inside the window (anything
 * deployed before it then counts as deployed before). The one place the figures are counted.
 */
function packedFigures(
  facts: PackedFacts,
  window: TimeWindow,
  cut: boolean,
  /** Kept apart from the packed flag: absent (not known) reads differently from false. */
  incidentsEverReported: boolean | undefined,
) {
  const reasons: DoraMetrics['reasons'] = {};
  const from = cut ? window.from : -Infinity;
  const to = cut ? window.to : Infinity;

  // One pass over the deployments: those inside, their days and flags; any before.
  let deployments = 0;
  let completeDeployments = 0;
  let failed = 0;
  let rework = 0;
  let deployedBefore = facts.deployedBefore;
  // Deploy-days: each day counts once, in the calendar week and month that contain it (not
  // the bucket clipped to the window, which would lose a rolling window's part-day start).
  const grid = dayGridOf(window);
  const seen = new Uint8Array(grid.days);
  const weekly = new Float64Array(grid.weeks);
  const monthly = new Float64Array(grid.months);
  let deployDays = 0;
  let daysOffGrid: Set<number> | undefined; // uncut facts outside the window's buckets
  for (let i = 0; i < facts.deployedAt.length; i++) {
    const t = facts.deployedAt[i];
    if (t < from) deployedBefore = true;
    if (t < from || t >= to) continue;
    const flags = facts.deploymentFlags[i];
    deployments++;
    const day = Math.floor(t / DAY_MS) - grid.firstDay;
    if (day >= 0 && day < grid.days) {
      if (!seen[day]) {
        seen[day] = 1;
        deployDays++;
        if (grid.weekOf[day] >= 0) weekly[grid.weekOf[day]]++;
        if (grid.monthOf[day] >= 0) monthly[grid.monthOf[day]]++;
      }
    } else {
      (daysOffGrid ??= new Set()).add(day);
    }
    if (!hasIncompleteFlag(flags)) completeDeployments++;
    if (hasFailedFlag(flags)) failed++;
    if (hasReworkFlag(flags)) rework++;
  }

  // Deployment frequency
  deployDays += daysOffGrid?.size ?? 0;
  const everDeployed = deployments > 0 || deployedBefore;
  const W = everDeployed ? percentilesOf(weekly, [0.5])[0] : null;
  const M = everDeployed ? percentilesOf(monthly, [0.5])[0] : null;
  const windowDays = (window.to - window.from) / DAY_MS;
  if (!everDeployed) reasons.deploymentFrequency = DORA_REASONS.neverDeployed;

  // Lead time for changes, and how many deployments told every change they brought
  const leads = valuesInside(
    facts.changeDeployedAt,
    facts.leadSeconds,
    from,
    to,
    s => s > 0,
  );
  const [leadMedian, leadP90] = percentilesOf(leads, [0.5, 0.9]);
  if (leadMedian === null) {
    if (deployments > 0)
      reasons.leadTime = completeDeployments
        ? DORA_REASONS.noChanges
        : DORA_REASONS.commitsUnknown;
    else
      reasons.leadTime = everDeployed
        ? DORA_REASONS.noDeploymentsInWindow
        : DORA_REASONS.neverDeployed;
  }

  // Change failure rate and rework rate share a denominator
  const cfr = deployments > 0 ? failed / deployments : null;
  const reworkRate = deployments > 0 ? rework / deployments : null;
  if (deployments === 0) {
    const why = everDeployed
      ? DORA_REASONS.noDeploymentsInWindow
      : DORA_REASONS.neverDeployed;
    reasons.changeFailureRate = why;
    reasons.reworkRate = why;
  }

  // Time to restore
  // Sorted, and the mean taken before the percentiles reorder them: summed in ascending order,
  // its last bit does not depend on the order the database answered in. Restores are few.
  const restores = valuesInside(
    facts.resolvedAt,
    facts.restoreSeconds,
    from,
    to,
  ).sort();
  const restoreMean = mean(restores);
  const [restoreMedian, restoreP90] = percentilesOf(restores, [0.5, 0.9]);
  if (restoreMedian === null) {
    const never =
      incidentsEverReported === false && facts.openIncidents.count === 0;
    reasons.timeToRestore = never
      ? DORA_REASONS.noIncidentsEver
      : DORA_REASONS.noRestoresInWindow;
  }

  return {
    window,
    reasons,
    everDeployed,
    deployments,
    deployDays,
    W,
    M,
    windowDays,
    completeDeployments,
    leadMedian,
    leadP90,
    changes: leads.length,
    failed,
    rework,
    cfr,
    reworkRate,
    restoreMedian,
    restoreP90,
    restoreMean,
    restoredIncidents: restores.length,
    openIncidents: facts.openIncidents.count,
    oldestOpenedAt: facts.openIncidents.oldestOpenedAt,
  };
}

/** The values whose time is in [from, to) and that pass `keep`, in a typed array. */
function valuesInside(
  times: Float64Array,
  values: Float64Array,
  from: number,
  to: number,
  keep: (v: number) => boolean = () => true,
): Float64Array {
  const out = new Float64Array(values.length);
  let n = 0;
  for (let i = 0; i < values.length; i++) {
    const t = times[i];
    const v = values[i];
    if (t >= from && t < to && keep(v)) out[n++] = v;
  }
  return out.subarray(0, n);
}

/** The figures graded under a profile. */
function withTiers(
  figures: ReturnType<typeof doraFigures>,
  profile: DoraProfile,
): DoraMetrics {
  const {
    window,
    everDeployed,
    deployments,
    W,
    M,
    windowDays,
    leadMedian,
    leadP90,
    failed,
    rework,
    cfr,
    reworkRate,
    restoreMedian,
    restoreP90,
    restoreMean,
  } = figures;
  const reasons = { ...figures.reasons };
  const tiers = {
    deploymentFrequency: everDeployed
      ? deploymentFrequencyTier(
          { weeklyDeployDays: W ?? 0, monthlyDeployDays: M ?? 0, deployments },
          profile.deploymentFrequency,
        )
      : null,
    leadTime:
      leadMedian === null
        ? null
        : tierBelow(leadMedian, profile.leadTimeSeconds),
    changeFailureRate:
      cfr === null ? null : tierAtMost(cfr, profile.changeFailureRate),
    timeToRestore:
      restoreMedian === null
        ? null
        : tierBelow(restoreMedian, profile.timeToRestoreSeconds),
  };
  const overall = overallTier(Object.values(tiers));
  if (overall === null) reasons.overall = DORA_REASONS.noTiers;

  const oldest = figures.oldestOpenedAt;
  return {
    window: {
      from: new Date(window.from).toISOString(),
      to: new Date(window.to).toISOString(),
    },
    profile: profile.id,
    deploymentFrequency: {
      deployments,
      deployDays: figures.deployDays,
      perDay: everDeployed && windowDays > 0 ? deployments / windowDays : null,
      medianDeployDaysPerWeek: W,
      medianDeployDaysPerMonth: M,
      tier: tiers.deploymentFrequency,
    },
    leadTime: {
      medianSeconds: leadMedian,
      p90Seconds: leadP90,
      changes: figures.changes,
      completeDeployments: figures.completeDeployments,
      deployments,
      tier: tiers.leadTime,
    },
    changeFailureRate: {
      value: cfr,
      failedDeployments: failed,
      deployments,
      tier: tiers.changeFailureRate,
    },
    timeToRestore: {
      medianSeconds: restoreMedian,
      p90Seconds: restoreP90,
      meanSeconds: restoreMean,
      restoredIncidents: figures.restoredIncidents,
      openIncidents: figures.openIncidents,
      oldestOpenSeconds:
        oldest === null ? null : Math.max(0, (window.to - oldest) / 1000),
      tier: tiers.timeToRestore,
    },
    reworkRate: { value: reworkRate, reworkDeployments: rework },
    overallTier: overall,
    reasons,
  };
}
