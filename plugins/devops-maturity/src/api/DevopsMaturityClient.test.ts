/**
 * @jest-environment node
 */
import { setupServer } from 'msw/node';
import { http, HttpResponse } from 'msw';
import { ResponseError } from '@backstage/errors';
import { DevopsMaturityClient } from './DevopsMaturityClient';

const server = setupServer();
const baseUrl = 'http://backstage.test/api/devops-maturity';
const client = new DevopsMaturityClient({
  discoveryApi: { getBaseUrl: async () => baseUrl },
  fetchApi: { fetch: (input, init) => fetch(input, init) },
});

describe('DevopsMaturityClient', () => {
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
  afterEach(() => server.resetHandlers());
  afterAll(() => server.close());

  it("reads an entity's metrics by its encoded, lower-cased ref with window and profile", async () => {
    let seen: URL | undefined;
    server.use(
      http.get(
        `${baseUrl}/entities/component/default/my%20svc/dora`,
        ({ request }) => {
          seen = new URL(request.url);
          return HttpResponse.json({
            entityRef: 'component:default/my svc',
            overallTier: 'high',
          });
        },
      ),
    );
    const result = await client.getEntityDora('Component:default/My Svc', {
      days: 30,
      profile: 'dora-2023',
    });
    expect(result).toMatchObject({ overallTier: 'high' });
    expect(seen?.searchParams.get('days')).toBe('30');
    expect(seen?.searchParams.get('profile')).toBe('dora-2023');
  });

  it('sends list filters as repeated parameters and skips empty ones', async () => {
    let seen: URL | undefined;
    server.use(
      http.get(`${baseUrl}/scorecards`, ({ request }) => {
        seen = new URL(request.url);
        return HttpResponse.json({ items: [], totalCount: 0 });
      }),
    );
    await client.getScorecards({
      owner: ['group:default/a', 'group:default/b'],
      tier: ['low'],
      q: '',
      sort: 'leadTime',
      order: 'asc',
    });
    expect(seen?.searchParams.getAll('owner')).toEqual([
      'group:default/a',
      'group:default/b',
    ]);
    expect(seen?.searchParams.getAll('tier')).toEqual(['low']);
    expect(seen?.searchParams.has('q')).toBe(false);
    expect(seen?.searchParams.get('sort')).toBe('leadTime');
  });

  it("throws a ResponseError carrying the backend's message", async () => {
    server.use(
      http.get(`${baseUrl}/entities/component/default/nope/dora`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotFoundError',
              message: 'No catalog entity component:default/nope',
            },
            response: { statusCode: 404 },
          },
          { status: 404 },
        ),
      ),
    );
    const error = await client
      .getEntityDora('component:default/nope')
      .catch(e => e);
    expect(error).toBeInstanceOf(ResponseError);
    expect(error.response.status).toBe(404);
    expect(error.cause.message).toBe(
      'No catalog entity component:default/nope',
    );
  });

  it('downloads the ranking as CSV', async () => {
    server.use(
      http.get(`${baseUrl}/scorecards`, ({ request }) =>
        new URL(request.url).searchParams.get('format') === 'csv'
          ? new HttpResponse(
              'entityRef,overallTier\ncomponent:default/a,elite\n',
              { headers: { 'content-type': 'text/csv' } },
            )
          : HttpResponse.json({}),
      ),
    );
    expect(await client.getScorecardsCsv()).toContain(
      'component:default/a,elite',
    );
  });

  it("reads an entity's maturity history for the days asked", async () => {
    let seen: URL | undefined;
    server.use(
      http.get(
        `${baseUrl}/entities/component/default/my%20svc/maturity/history`,
        ({ request }) => {
          seen = new URL(request.url);
          return HttpResponse.json({ window: { days: 180 }, points: [] });
        },
      ),
    );
    const result = await client.getEntityMaturityHistory(
      'Component:default/My Svc',
      { days: 180 },
    );
    expect(result).toMatchObject({ window: { days: 180 } });
    expect(seen?.searchParams.get('days')).toBe('180');
  });

  it("reads a team's history by its encoded, lower-cased group ref", async () => {
    let seen: URL | undefined;
    server.use(
      http.get(
        `${baseUrl}/owners/group/default/my%20team/history`,
        ({ request }) => {
          seen = new URL(request.url);
          return HttpResponse.json({ ownerRef: 'group:default/my team' });
        },
      ),
    );
    const result = await client.getOwnerHistory('My Team', {
      days: 365,
      profile: 'dora-2023',
    });
    expect(result).toMatchObject({ ownerRef: 'group:default/my team' });
    expect(seen?.searchParams.get('days')).toBe('365');
    expect(seen?.searchParams.get('profile')).toBe('dora-2023');
  });

  it('asks for the profiles once, and again after a failure', async () => {
    let calls = 0;
    server.use(
      http.get(`${baseUrl}/profiles`, () => {
        calls++;
        return calls === 1
          ? HttpResponse.json(
              { error: { name: 'Error', message: 'down' } },
              { status: 503 },
            )
          : HttpResponse.json({ defaultProfile: 'dora-2021', profiles: [] });
      }),
    );
    const fresh = new DevopsMaturityClient({
      discoveryApi: { getBaseUrl: async () => baseUrl },
      fetchApi: { fetch: (input, init) => fetch(input, init) },
    });
    await expect(fresh.getProfiles()).rejects.toBeInstanceOf(ResponseError);
    await fresh.getProfiles();
    await fresh.getProfiles();
    expect(calls).toBe(2);
  });
});
