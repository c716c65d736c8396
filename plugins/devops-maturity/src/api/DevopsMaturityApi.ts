import { createApiRef } from '@backstage/core-plugin-api';
import {
  DeploymentListItem,
  DoraTrendResponse,
  EntityDoraResponse,
  EntityScorecard,
  IncidentListItem,
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
  getScorecards(
    query?: ScorecardQuery,
  ): Promise<ScorecardsResponse<EntityScorecard>>;
  getOwnerScorecards(
    query?: ScorecardQuery,
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
  /** The questionnaire, the newest self-assessment and its history. */
  getEntityAssessment(entityRef: string): Promise<EntityAssessment>;
  /** Submits a self-assessment (members of the owning team only). */
  submitEntityAssessment(
    entityRef: string,
    answers: CalmsAnswers,
  ): Promise<CalmsAssessment>;
  /** Levels and check pass rates per team and for the organisation. */
  getGoldenPathHealth(query?: DoraQuery): Promise<GoldenPathHealth>;
}

/** The reference to the plugin's API client, for `useApi`. @public */
export const devopsMaturityApiRef = createApiRef<DevopsMaturityApi>({
  id: 'plugin.devops-maturity.service',
});
