import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeploymentListItem,
  DoraTrendResponse,
  EntityDoraResponse,
  EntityScorecard,
  IncidentListItem,
  OwnerHistory,
  OwnerScorecard,
  Page,
  ProfilesResponse,
  ScorecardSortKey,
  ScorecardsResponse,
  TrendInterval,
  UnmatchedEventItem,
  CalmsAnswers,
  CalmsAssessment,
  EntityAssessment,
  EntityMaturity,
  EntityMaturityHistory,
  GoldenPathFailing,
  GoldenPathHealth,
} from '@devops-maturity/backstage-plugin-common';

/** The window and profile every read takes. @public */
export interface DoraQuery {
  /** Days ending now; default 90. */
  days?: number;
  profile?: string;
}

/** Sorting, filters and paging of the rankings. @public */
export interface ScorecardQuery extends DoraQuery {
  limit?: number;
  offset?: number;
  sort?: ScorecardSortKey;
  order?: 'asc' | 'desc';
  owner?: string[];
  system?: string[];
  lifecycle?: string[];
  tier?: string[];
  q?: string;
}

/**
 * The team ranking's query: the service ranking's without the filters of services, which the
 * team ranking refuses. @public
 */
export type OwnerScorecardQuery = Omit<
  ScorecardQuery,
  'owner' | 'system' | 'lifecycle'
>;

/** Which check, and whose services, to list as failing it. @public */
export interface GoldenPathFailingQuery extends DoraQuery {
  /** The check's id, as `GET /golden-path` lists it. */
  check: string;
  /** A group ref; absent for every service. */
  owner?: string;
}

/** The client of the devops-maturity backend's read API. @public */
export interface DevopsMaturityApi {
  getProfiles(): Promise<ProfilesResponse>;
  getEntityDora(
    entityRef: string,
    query?: DoraQuery,
  ): Promise<EntityDoraResponse>;
  getEntityTrend(
    entityRef: string,
    query?: DoraQuery & { interval?: TrendInterval },
  ): Promise<DoraTrendResponse>;
  getEntityDeployments(
    entityRef: string,
    page: { limit: number; offset: number },
  ): Promise<Page<DeploymentListItem>>;
  getEntityIncidents(
    entityRef: string,
    page: { limit: number; offset: number },
  ): Promise<Page<IncidentListItem>>;
  getOwnerDora(
    ownerRef: string,
    query?: DoraQuery & { includeChildren?: boolean },
  ): Promise<OwnerScorecard>;
  /** A team's weekly maturity level mix and pooled DORA tiers over 90, 180 or 365 days. */
  getOwnerHistory(
    ownerRef: string,
    query?: { days?: 90 | 180 | 365; profile?: string },
  ): Promise<OwnerHistory>;
  getScorecards(
    query?: ScorecardQuery,
  ): Promise<ScorecardsResponse<EntityScorecard>>;
  getOwnerScorecards(
    query?: OwnerScorecardQuery,
  ): Promise<ScorecardsResponse<OwnerScorecard>>;
  /** Events whose entity the catalog does not have yet (needs the unmatched-read permission). */
  getUnmatched(page: {
    limit: number;
    offset: number;
  }): Promise<Page<UnmatchedEventItem>>;
  /** The ranking as CSV (with the caller's filters). */
  getScorecardsCsv(query?: ScorecardQuery): Promise<string>;
  /** Level, checks, CALMS and next steps of an entity. */
  getEntityMaturity(
    entityRef: string,
    query?: DoraQuery,
  ): Promise<EntityMaturity>;
  /** Level and CALMS score per recorded day, and the days checks started or stopped passing. */
  getEntityMaturityHistory(
    entityRef: string,
    query?: { days?: 90 | 180 | 365 },
  ): Promise<EntityMaturityHistory>;
  /** The questionnaire, the newest self-assessment and its history. */
  getEntityAssessment(entityRef: string): Promise<EntityAssessment>;
  /** Submits a self-assessment (members of the owning team only). */
  submitEntityAssessment(
    entityRef: string,
    answers: CalmsAnswers,
  ): Promise<CalmsAssessment>;
  /** Levels and check pass rates per team and for the organisation. */
  getGoldenPathHealth(query?: DoraQuery): Promise<GoldenPathHealth>;
  /**
   * The services failing a check: a team's (with its sub-teams, as the golden-path matrix
   * counts them) or, without `owner`, the organisation's; sorted by owner.
   */
  getGoldenPathFailing(
    query: GoldenPathFailingQuery,
  ): Promise<GoldenPathFailing>;
  /** The same list as CSV. */
  getGoldenPathFailingCsv(query: GoldenPathFailingQuery): Promise<string>;
}

/** The reference to the plugin's API client, for `useApi`. @public */
export const devopsMaturityApiRef = createApiRef<DevopsMaturityApi>({
  id: 'plugin.devops-maturity.service',
});
