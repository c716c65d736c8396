/**
 * The events the product takes in, after validation and normalisation.
 * Times are ISO-8601 strings in UTC (the backend converts any offset it is given).
 */

/** Whether a deployment succeeded; only successful production deployments count. @public */
export type DeploymentStatus = 'success' | 'failure';

/** A normal deployment, or an unplanned repair (rollback, hotfix) that counts as rework. @public */
export type DeploymentKind = 'normal' | 'rollback' | 'hotfix';

/** A change a deployment brings to production. @public */
export interface DeploymentCommit {
  /** The commit sha. */
  sha: string;
  /** When the change was committed (ISO-8601, UTC). */
  committedAt: string;
}

/** One attempt to put a version of one catalog entity into one environment. @public */
export interface DeploymentEvent {
  /** Unique within `source`; the idempotency key. */
  id: string;
  /** Where the event came from, e.g. `api`, `github`, `gitlab`. */
  source: string;
  /** The catalog entity deployed, as a full entity ref. */
  entityRef: string;
  /** The environment deployed to; only production environments count. */
  environment: string;
  /** `failure` is a pipeline that did not deploy: shown, never counted. */
  status: DeploymentStatus;
  /** When the deployment started, if known. */
  startedAt?: string;
  /** When the deployment finished: the deploy time. */
  finishedAt: string;
  /**
   * When the source last changed this deployment (ISO-8601, UTC). A copy older than the stored
   * one does not replace it; without it on either copy, the last write wins.
   */
  updatedAt?: string;
  /** The changes this deployment brings. */
  commits: DeploymentCommit[];
  /**
   * Whether `commits` is every change the deployment brings. False when the sender could not
   * tell (the push API item had no `commits`, or a source's history could not account for
   * them): the deployment then counts as partial lead-time coverage. Absent means true.
   */
  commitsComplete?: boolean;
  /** `rollback` and `hotfix` are unplanned repairs (rework). */
  kind: DeploymentKind;
  /** The id of a deployment or an incident this one repairs. */
  fixes?: string;
  /** The version deployed. */
  version?: string;
  /**
   * The commit deployed: the head of the revision that went out. No metric reads it; a
   * pipeline that reports `commits` from its git history asks for the previous production
   * deployment's sha (`GET /deployments/base`) as the start of the next deployment's changes.
   */
  sha?: string;
  /** A link to the pipeline run. */
  url?: string;
  /** Who or what deployed. */
  actor?: string;
  /** Free labels. */
  labels?: Record<string, string>;
}

/** A production failure of one catalog entity. @public */
export interface IncidentEvent {
  /** Unique within `source`; the idempotency key. */
  id: string;
  /** Where the event came from, e.g. `api`, `pagerduty`. */
  source: string;
  /** The catalog entity that failed, as a full entity ref. */
  entityRef: string;
  /** When the incident was opened. */
  openedAt: string;
  /** When service was restored; absent while the incident is open. */
  resolvedAt?: string;
  /**
   * When the source last changed this incident (ISO-8601, UTC). A copy older than the stored
   * one does not replace it; without it on either copy, the last write wins.
   */
  updatedAt?: string;
  /** Free-form severity, e.g. `SEV1`, `high`. */
  severity?: string;
  /** A short title. */
  title?: string;
  /** A link to the incident. */
  url?: string;
  /** A link to the postmortem. */
  postmortemUrl?: string;
  /** The id of the deployment that caused the incident, if known. */
  deploymentId?: string;
  /** A commit sha that caused the incident, if known. */
  causeSha?: string;
}
