/**
 * Delivery profiles of the demo teams. Each says how often a service deploys, how long its
 * changes wait, how often a deploy breaks production and how long a repair takes.
 */
export interface DemoProfile {
  /** Chance of deploying on a weekday, and at most how many deploys that day. */
  weekdayDeployChance: number;
  maxDeploysPerDay: number;
  /** Lead time range per commit, in hours (log-uniform). */
  leadTimeHours: [number, number];
  commitsPerDeploy: [number, number];
  /** Chance that a production deploy breaks production (an incident, if reported; a repair). */
  badDeployChance: number;
  /** Time to restore range, in hours (log-uniform). */
  restoreHours: [number, number];
  /** Chance that a failing deploy is repaired by a rollback (else a hotfix, or nothing). */
  rollbackChance: number;
  hotfixChance: number;
  /** Chance that a pipeline run fails before deploying (stored, never counted). */
  pipelineFailureChance: number;
  /** Whether incidents are reported at all (a team without incident tooling). */
  reportsIncidents: boolean;
  /** Share of resolved incidents that get a postmortem link. */
  postmortemChance: number;
  /** No deploys in this many most recent days (a stalled service). */
  quietDays?: number;
}

export const DEMO_PROFILES: Record<string, DemoProfile> = {
  elite: {
    weekdayDeployChance: 0.95,
    maxDeploysPerDay: 4,
    leadTimeHours: [0.1, 0.9],
    commitsPerDeploy: [1, 3],
    badDeployChance: 0.03,
    restoreHours: [0.1, 0.9],
    rollbackChance: 0.7,
    hotfixChance: 0.2,
    pipelineFailureChance: 0.05,
    reportsIncidents: true,
    postmortemChance: 0.9,
  },
  high: {
    weekdayDeployChance: 0.45,
    maxDeploysPerDay: 2,
    leadTimeHours: [6, 96],
    commitsPerDeploy: [2, 6],
    badDeployChance: 0.12,
    restoreHours: [1, 18],
    rollbackChance: 0.5,
    hotfixChance: 0.3,
    pipelineFailureChance: 0.08,
    reportsIncidents: true,
    postmortemChance: 0.6,
  },
  medium: {
    weekdayDeployChance: 0.1,
    maxDeploysPerDay: 1,
    leadTimeHours: [72, 900],
    commitsPerDeploy: [4, 12],
    badDeployChance: 0.25,
    restoreHours: [20, 120],
    rollbackChance: 0.3,
    hotfixChance: 0.4,
    pipelineFailureChance: 0.12,
    reportsIncidents: true,
    postmortemChance: 0.3,
  },
  low: {
    weekdayDeployChance: 0.025,
    maxDeploysPerDay: 1,
    leadTimeHours: [1500, 5000],
    commitsPerDeploy: [10, 30],
    badDeployChance: 0.5,
    restoreHours: [170, 400],
    rollbackChance: 0.1,
    hotfixChance: 0.6,
    pipelineFailureChance: 0.25,
    reportsIncidents: true,
    postmortemChance: 0.1,
  },
  'no-incident-tooling': {
    weekdayDeployChance: 0.4,
    maxDeploysPerDay: 2,
    leadTimeHours: [4, 72],
    commitsPerDeploy: [1, 5],
    badDeployChance: 0.08,
    restoreHours: [1, 2],
    rollbackChance: 0.6,
    hotfixChance: 0,
    pipelineFailureChance: 0.1,
    reportsIncidents: false,
    postmortemChance: 0,
  },
  stalled: {
    weekdayDeployChance: 0.06,
    maxDeploysPerDay: 1,
    leadTimeHours: [900, 3000],
    commitsPerDeploy: [8, 25],
    badDeployChance: 0.5,
    restoreHours: [100, 300],
    rollbackChance: 0.2,
    hotfixChance: 0.5,
    pipelineFailureChance: 0.3,
    reportsIncidents: true,
    postmortemChance: 0,
    quietDays: 100,
  },
};
