import { DeploymentEvent, DeploymentStatus, IncidentEvent } from './events';
import { DoraMetrics } from './dora/metrics';
import { DoraTier } from './dora/tiers';
import { DoraTrendPoint } from './dora/trend';
import { TrendInterval } from './time';
import { DoraProfile } from './dora/tiers';
import { CalmsAssessment, CalmsPillar, CalmsQuestion } from './maturity/calms';
import { CheckResult } from './maturity/checks';
import { CalmsScores } from './maturity/scores';
import { MaturityResult } from './maturity/levels';
import { CheckStatusChange } from './maturity/history';
import { WeeklyLevelMix } from './maturity/levelMix';

/** The shapes the backend's read API answers with (see its OpenAPI spec). */

/** An entity's metrics: `GET /entities/:kind/:namespace/:name/dora`. @public */
export interface EntityDoraResponse extends DoraMetrics {
  entityRef: string;
}

/** `GET /entities/:kind/:namespace/:name/dora/trend`. @public */
export interface DoraTrendResponse {
  entityRef: string;
  interval: TrendInterval;
  window: { from: string; to: string };
  profile: string;
  points: DoraTrendPoint[];
}

/** A page of a list. @public */
export interface Page<T> {
  items: T[];
  totalCount: number;
}

/** A deployment as listed on an entity page. @public */
export interface DeploymentListItem extends DeploymentEvent {
  /** Successful and to production: counts in DORA metrics. */
  counts: boolean;
  /** An incident or a later rollback/hotfix marks it failed. */
  failed: boolean;
  /** Incidents that name this deployment as their cause. */
  causedIncidents: Array<{ source: string; id: string }>;
}

/** An incident as listed on an entity page. @public */
export interface IncidentListItem extends IncidentEvent {
  /** The deployment this incident made failed, if any. */
  causeDeployment: { source: string; id: string } | null;
  restoreSeconds: number | null;
}

/** An entity's row in the ranking. @public */
export interface EntityScorecard extends DoraMetrics {
  entityRef: string;
  title?: string;
  kind: string;
  type?: string;
  lifecycle?: string;
  ownerRef?: string;
  systemRef?: string;
  /** The entity's maturity for this window and profile (absent in rows computed before it existed). */
  maturity?: ScorecardMaturity;
}

/** The maturity columns of a ranking row. @public */
export interface ScorecardMaturity {
  level: number;
  name: string;
  /** Mean of the CALMS pillar scores, 0-100. */
  calms: number | null;
  pillars: Record<CalmsPillar, number | null>;
  basis: CalmsScores['basis'];
  checks: Record<string, CheckResult['status']>;
}

/** `GET /entities/:kind/:namespace/:name/maturity`. @public */
export interface EntityMaturity extends MaturityResult {
  entityRef: string;
  computedAt: string;
  window: { from: string; to: string };
  profile: string;
  checks: CheckResult[];
  calms: CalmsScores;
  overallTier: DoraTier | null;
  /** Per UTC day, newest first: the level and how many checks passed and failed. */
  history: Array<{
    day: string;
    level: number;
    passed: number;
    failed: number;
  }>;
}

/** One recorded day of an entity's maturity history. @public */
export interface EntityMaturityHistoryPoint {
  /** The UTC day, `YYYY-MM-DD`. */
  day: string;
  /** The level that day, 0 (unrated) to 5. */
  level: number;
  /** The CALMS overall score that day, 0-100; null when unscored or recorded before it was kept. */
  calms: number | null;
}

/** A day a golden-path check started or stopped passing, with the check's title. @public */
export interface EntityMaturityHistoryChange extends CheckStatusChange {
  /** The check's title; its id when the check is no longer in force. */
  title: string;
}

/**
 * `GET /entities/:kind/:namespace/:name/maturity/history`: the days recorded in the window
 * (one per UTC day the rankings were computed), oldest first. @public
 */
export interface EntityMaturityHistory {
  /** The entity, as a full ref. */
  entityRef: string;
  /** The last `days` UTC days, today included. */
  window: { days: number };
  /** One per recorded day, oldest first. */
  points: EntityMaturityHistoryPoint[];
  /** Oldest first. A change on the window's first day is measured against the day before it. */
  changes: EntityMaturityHistoryChange[];
}

/** `GET /entities/:kind/:namespace/:name/calms/assessment`. @public */
export interface EntityAssessment {
  entityRef: string;
  /** The newest assessment, stale or not. */
  current: CalmsAssessment | null;
  stale: boolean;
  staleAfterDays: number;
  /** Newest first, the current one included. */
  history: CalmsAssessment[];
  questions: CalmsQuestion[];
}

/** Golden-path health of one team or of the organisation. @public */
export interface GoldenPathHealthRow {
  /** The group, or undefined for the whole organisation. */
  ownerRef?: string;
  title?: string;
  entities: number;
  /** How many entities are at each level (key: level number, 0 for unrated). */
  levels: Record<string, number>;
  /** Per check: entities that passed, and those where it applied. */
  checks: Record<string, { passed: number; applicable: number }>;
}

/** `GET /golden-path`. @public */
export interface GoldenPathHealth {
  window: { days: number };
  profile: string;
  checks: Array<{ id: string; title: string; pillar: CalmsPillar }>;
  levels: Array<{ level: number; name: string }>;
  organisation: GoldenPathHealthRow;
  teams: GoldenPathHealthRow[];
  /**
   * Present when answered before the entities' rows caught up with the latest events (many
   * services had new events; their rows are recomputed within seconds), as the rankings say.
   */
  updating?: true;
}

/** A service that fails a golden-path check, with what the check found. @public */
export interface GoldenPathFailure {
  /** The service, as a full ref. */
  entityRef: string;
  /** The service's title in the catalog, when it has one. */
  title?: string;
  /** The service's own owner (a team, or a sub-team of the team asked for). */
  ownerRef?: string;
  /** That owner's title in the catalog, when it has one. */
  ownerTitle?: string;
  /** The service's maturity level in the window and profile; 0 unrated. */
  level: number;
  /**
   * What the check finds today, in words a developer can verify. The listing itself follows
   * the golden-path matrix's precomputed results, so it counts what the matrix counts.
   */
  evidence: string;
  /**
   * The check's status evaluated now. It can already be `pass` where the matrix, computed
   * earlier (hourly, or on the next read after an event), still counts a failure. Absent for
   * an entity no longer in the catalog.
   */
  statusNow?: CheckResult['status'];
}

/** `GET /golden-path/failing`: the services behind a cell (or a column) of the matrix. @public */
export interface GoldenPathFailing {
  /** The preset window of the matrix: the last `days` days ending now. */
  window: { days: number };
  /** The benchmark profile the levels were computed under. */
  profile: string;
  /** The check, with what to do when it fails. */
  check: Pick<
    CheckResult,
    'id' | 'title' | 'pillar' | 'description' | 'howToFix' | 'docsUrl'
  >;
  /** The team asked for (its sub-teams included, as in the matrix); absent for everyone. */
  owner?: { ownerRef: string; title?: string };
  /** Services where the check applies, passing or not: the matrix cell's denominator. */
  applicable: number;
  /** Sorted by team name (owner title, else ref), then service name; unowned last. */
  items: GoldenPathFailure[];
  /**
   * Present when answered before the entities' rows caught up with the latest events (many
   * services had new events; their rows are recomputed within seconds), as the rankings say.
   */
  updating?: true;
}

/** A team's row in the ranking: figures pooled over every entity it owns. @public */
export interface OwnerScorecard extends DoraMetrics {
  ownerRef: string;
  title?: string;
  parentRef?: string;
  /** Entities whose events were pooled. */
  entityRefs: string[];
  includeChildren: boolean;
}

/** A team's pooled DORA tiers over one week. @public */
export interface OwnerHistoryDoraTiers {
  /** The overall tier, as the owner's DORA figures compute it. */
  overallTier: DoraTier | null;
  /** The tier of the week's deployment frequency. */
  deploymentFrequency: DoraTier | null;
  /** The tier of the week's median lead time for changes. */
  leadTime: DoraTier | null;
  /** The tier of the week's change failure rate. */
  changeFailureRate: DoraTier | null;
  /** The tier of the week's median time to restore. */
  timeToRestore: DoraTier | null;
}

/** One week of a team's history. @public */
export interface OwnerHistoryWeek extends WeeklyLevelMix {
  /** Present on the current week only: its figures cover it up to now, not a whole week. */
  partial?: true;
  /**
   * The tiers of the week's part of the window, from the events of every entity in
   * `entityRefs` pooled (as the owner's DORA figures are); null where the week has no data.
   */
  dora: OwnerHistoryDoraTiers;
}

/**
 * `GET /owners/:kind/:namespace/:name/history`: a team's weekly maturity level mix and pooled
 * DORA tiers over the last 90, 180 or 365 days, for the entities it (and, by default, its
 * sub-teams) owns today that the reader may see. @public
 */
export interface OwnerHistory {
  /** The team, as a full ref. */
  ownerRef: string;
  /** The team's title in the catalog, when it has one. */
  title?: string;
  /**
   * `[from, to)`: the last `days` days ending now, in whole weeks: `from` is the first Monday
   * (00:00 UTC) on or after `now - days`.
   */
  window: { from: string; to: string };
  /** The window asked for: 90, 180 or 365. */
  days: number;
  /** The benchmark profile of the tiers. */
  profile: string;
  /** Whether the sub-teams' entities are counted with the team's. */
  includeChildren: boolean;
  /** The entities counted and pooled, every week alike. */
  entityRefs: string[];
  /** Monday-based UTC weeks, oldest first; only the last (the current one) is partial. */
  weeks: OwnerHistoryWeek[];
}

/** A ranking page: `GET /scorecards` and `GET /scorecards/owners`. @public */
export interface ScorecardsResponse<T> {
  window: { from: string; to: string };
  profile: string;
  /** Rows matching the filters (before paging). */
  totalCount: number;
  /** Overall tiers across the filtered rows, before the tier filter. */
  distribution: Record<DoraTier | 'none', number>;
  items: T[];
  /**
   * Present while the stored facts are rebuilt after a change of the rules they are derived
   * under (production environments, incident linking): the figures may still follow the old
   * rules.
   */
  rebuilding?: true;
  /**
   * Present when the rows were answered before they caught up with the latest events: many
   * services had new events, and their rows are being recomputed (within seconds). Absent,
   * the rows count every event stored before the request.
   */
  updating?: true;
}

/**
 * An event kept because no catalog entity matched it, or an event of an entity that left the
 * catalog (reason `no longer in the catalog`): `GET /unmatched`. @public
 */
export interface UnmatchedEventItem {
  eventType: 'deployment' | 'incident';
  source: string;
  id: string;
  /**
   * What the event named: an entity ref or annotations. For an entity that left the catalog,
   * its ref and the annotations it was known by.
   */
  identity: Record<string, string>;
  reason: string;
  /** The event as it came; for an entity that left the catalog, the event as stored. */
  payload: unknown;
  /** Epoch ms of its first arrival; for an entity that left the catalog, when it left. */
  receivedAt: number;
}

/** `GET /profiles`. @public */
export interface ProfilesResponse {
  defaultProfile: string;
  profiles: DoraProfile[];
}

/** The columns the rankings sort by. @public */
export type ScorecardSortKey =
  | 'name'
  | 'owner'
  | 'system'
  | 'overallTier'
  | 'deploymentFrequency'
  | 'leadTime'
  | 'changeFailureRate'
  | 'timeToRestore'
  | 'reworkRate'
  | 'maturityLevel'
  | 'calms';

/**
 * `GET /deployments/base`: where a pipeline's next deployment of an entity starts, so that it
 * can report the deployment's commits as `git log <previous.sha>..HEAD`. @public
 */
export interface DeploymentBaseResponse {
  /** The entity asked about, as a full ref (lower case, as refs compare). */
  entityRef: string;
  /**
   * The entity's latest successful production deployment before the reference point, other
   * than the one asked about (by finish time, then source, then id, in byte order); null when
   * there is none.
   */
  previous: {
    source: string;
    id: string;
    environment: string;
    /** The commit it deployed; null when its sender did not say. */
    sha: string | null;
    version?: string;
    startedAt?: string;
    finishedAt: string;
  } | null;
  /**
   * The deployment asked about (`source`, `id`) as stored for this entity; null when it is not
   * stored or no `id` was given. A retried report can reuse its times and send the same copy.
   */
  stored: {
    environment: string;
    status: DeploymentStatus;
    sha: string | null;
    startedAt?: string;
    finishedAt: string;
  } | null;
}

/**
 * `GET /incidents/stored`: an incident as stored, so that a pipeline reporting it again (a
 * resolve after an open) keeps what it said before. @public
 */
export interface StoredIncidentResponse {
  /** The entity asked about, as a full ref (lower case, as refs compare). */
  entityRef: string;
  /** The incident (`source`, `id`) as stored for this entity; null when it is not. */
  stored: IncidentEvent | null;
}
