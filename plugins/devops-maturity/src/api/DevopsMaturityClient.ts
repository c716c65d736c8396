import { DiscoveryApi, FetchApi } from '@backstage/core-plugin-api';
import { ResponseError } from '@backstage/errors';
import { parseEntityRef } from '@backstage/catalog-model';
import {
  DevopsMaturityApi,
  DoraQuery,
  GoldenPathFailingQuery,
  OwnerScorecardQuery,
  ScorecardQuery,
} from './DevopsMaturityApi';

type QueryValue = string | number | boolean | string[] | undefined;

function queryString(query: Record<string, QueryValue> = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === '') continue;
    if (Array.isArray(value)) value.forEach(v => params.append(key, v));
    else params.set(key, String(value));
  }
  const s = params.toString();
  return s ? `?${s}` : '';
}

/** A ref as the routes take it: `kind/namespace/name`, lower-cased and encoded. */
function refPath(ref: string, defaultKind: string): string {
  const { kind, namespace, name } = parseEntityRef(ref, {
    defaultKind,
    defaultNamespace: 'default',
  });
  return [kind, namespace, name]
    .map(p => encodeURIComponent(p.toLocaleLowerCase('en-US')))
    .join('/');
}

const entityPath = (entityRef: string) => refPath(entityRef, 'component');
const ownerPath = (ownerRef: string) => refPath(ownerRef, 'group');

/** The read API client, on discoveryApi and fetchApi. @public */
export class DevopsMaturityClient implements DevopsMaturityApi {
  private readonly discoveryApi: DiscoveryApi;
  private readonly fetchApi: FetchApi;
  private profiles?: Promise<any>;

  constructor(options: { discoveryApi: DiscoveryApi; fetchApi: FetchApi }) {
    this.discoveryApi = options.discoveryApi;
    this.fetchApi = options.fetchApi;
  }

  /** The profiles are configuration: asked for once per page load, by every picker and hint. */
  getProfiles() {
    this.profiles ??= this.request<any>('/profiles').catch(error => {
      this.profiles = undefined; // a failed request is tried again next time
      throw error;
    });
    return this.profiles;
  }

  getEntityDora(entityRef: string, query?: DoraQuery) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/dora${queryString({ ...query })}`,
    );
  }

  getEntityTrend(
    entityRef: string,
    query?: DoraQuery & { interval?: 'week' | 'month' },
  ) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/dora/trend${queryString({
        ...query,
      })}`,
    );
  }

  getEntityDeployments(
    entityRef: string,
    page: { limit: number; offset: number },
  ) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/deployments${queryString(page)}`,
    );
  }

  getEntityIncidents(
    entityRef: string,
    page: { limit: number; offset: number },
  ) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/incidents${queryString(page)}`,
    );
  }

  getOwnerDora(
    ownerRef: string,
    query?: DoraQuery & { includeChildren?: boolean },
  ) {
    return this.request<any>(
      `/owners/${ownerPath(ownerRef)}/dora${queryString({ ...query })}`,
    );
  }

  getOwnerHistory(
    ownerRef: string,
    query?: { days?: 90 | 180 | 365; profile?: string },
  ) {
    return this.request<any>(
      `/owners/${ownerPath(ownerRef)}/history${queryString({ ...query })}`,
    );
  }

  getScorecards(query?: ScorecardQuery) {
    return this.request<any>(`/scorecards${queryString({ ...query })}`);
  }

  getOwnerScorecards(query?: OwnerScorecardQuery) {
    return this.request<any>(`/scorecards/owners${queryString({ ...query })}`);
  }

  getUnmatched(page: { limit: number; offset: number }) {
    return this.request<any>(`/unmatched${queryString(page)}`);
  }

  getScorecardsCsv(query?: ScorecardQuery): Promise<string> {
    return this.fetchOk(
      `/scorecards${queryString({ ...query, format: 'csv' })}`,
    ).then(r => r.text());
  }

  getEntityMaturity(entityRef: string, query?: DoraQuery) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/maturity${queryString({ ...query })}`,
    );
  }

  getEntityMaturityHistory(entityRef: string, query?: { days?: number }) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/maturity/history${queryString({
        ...query,
      })}`,
    );
  }

  getEntityAssessment(entityRef: string) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/calms/assessment`,
    );
  }

  submitEntityAssessment(entityRef: string, answers: Record<string, number>) {
    return this.request<any>(
      `/entities/${entityPath(entityRef)}/calms/assessment`,
      {
        method: 'PUT',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ answers }),
      },
    );
  }

  getGoldenPathHealth(query?: DoraQuery) {
    return this.request<any>(`/golden-path${queryString({ ...query })}`);
  }

  getGoldenPathFailing(query: GoldenPathFailingQuery) {
    return this.request<any>(
      `/golden-path/failing${queryString({ ...query })}`,
    );
  }

  getGoldenPathFailingCsv(query: GoldenPathFailingQuery): Promise<string> {
    return this.fetchOk(
      `/golden-path/failing${queryString({ ...query, format: 'csv' })}`,
    ).then(r => r.text());
  }

  private async request<T>(path: string, init?: RequestInit): Promise<T> {
    return (await (await this.fetchOk(path, init)).json()) as T;
  }

  /** The backend's answer at `path`, or its error as a ResponseError. */
  private async fetchOk(path: string, init?: RequestInit): Promise<Response> {
    const url = `${await this.discoveryApi.getBaseUrl(
      'devops-maturity',
    )}${path}`;
    const response = await this.fetchApi.fetch(url, init);
    if (!response.ok) throw await ResponseError.fromResponse(response);
    return response;
  }
}
