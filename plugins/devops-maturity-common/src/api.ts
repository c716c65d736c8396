import { DeploymentEvent, IncidentEvent } from './events';
import { DoraMetrics } from './dora/metrics';
import { DoraTier } from './dora/tiers';
import { DoraTrendPoint } from './dora/trend';
import { TrendInterval } from './time';
import { DoraProfile } from './dora/tiers';
import { CalmsAssessment, CalmsPillar, CalmsQuestion } from './maturity/calms';
import { CheckResult } from './maturity/checks';
import { CalmsScores } from './maturity/scores';
import { MaturityResult } from './maturity/levels';

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
