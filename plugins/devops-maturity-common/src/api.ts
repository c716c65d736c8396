import { DeploymentEvent, IncidentEvent } from './events';
import { DoraMetrics } from './dora/metrics';
import { DoraTier } from './dora/tiers';
import { DoraTrendPoint } from './dora/trend';
import { TrendInterval } from './time';
import { DoraProfile } from './dora/tiers';

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
}

/** An event kept because no catalog entity matched it: `GET /unmatched`. @public */
export interface UnmatchedEventItem {
  eventType: 'deployment' | 'incident';
  source: string;
  id: string;
  /** What the event named: an entity ref or annotations. */
  identity: Record<string, string>;
  reason: string;
  /** The event as it came. */
  payload: unknown;
  /** Epoch ms of its first arrival. */
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
  | 'reworkRate';
