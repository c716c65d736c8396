import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_DORA_OPTIONS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { IngestService } from './IngestService';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';

const databases = createTestDatabases();

const entity = (name: string, slug?: string) => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  ownerRef: 'group:default/team',
  identities: slug
    ? [{ annotation: 'github.com/project-slug', value: slug }]
    : [],
});

describe.each(databaseIds(databases))('IngestService on %p', databaseId => {
  it('keeps events for unknown entities and matches them when the catalog gains the entity', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const ingest = new IngestService(
      stores,
      DEFAULT_DORA_OPTIONS,
      mockServices.logger.mock(),
      () => 42,
    );
    await stores.catalog.replaceCatalog([entity('old')], []);

    const deployments = parseBatch(deploymentItemSchema, {
      items: [
        {
          id: 'd1',
          annotations: { 'github.com/project-slug': 'acme/new' },
          environment: 'production',
          status: 'success',
          finishedAt: '2026-06-01T10:00:00Z',
        },
        {
          id: 'd2',
          entityRef: 'component:default/new',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-06-02T10:00:00Z',
          sha: '9f2c1e7',
        },
      ],
    });
    expect(await ingest.ingestDeployments(deployments)).toEqual({
      accepted: 0,
      updated: 0,
      unmatched: 2,
      stale: 0,
    });
    const incidents = parseBatch(incidentItemSchema, {
      items: [
        {
          id: 'i1',
          entityRef: 'new',
          openedAt: '2026-06-02T12:00:00Z',
          resolvedAt: '2026-06-02T13:00:00Z',
        },
      ],
    });
    expect(await ingest.ingestIncidents(incidents)).toEqual({
      accepted: 0,
      updated: 0,
      unmatched: 1,
      stale: 0,
    });
    // A resend of an unmatched event stays one unmatched event.
    await ingest.ingestDeployments(deployments.slice(0, 1));
    const before = await stores.unmatched.listUnmatched({
      limit: 10,
      offset: 0,
    });
    expect(before.totalCount).toBe(3);
    expect(before.items.every(u => u.receivedAt === 42)).toBe(true);

    // Nothing to match yet: replays change nothing.
    expect(await ingest.replayUnmatched()).toMatchObject({
      matched: 0,
      remaining: 3,
    });

    await stores.catalog.replaceCatalog(
      [entity('old'), entity('new', 'acme/new')],
      [],
    );
    expect(await ingest.replayUnmatched()).toMatchObject({
      matched: 3,
      remaining: 0,
    });
    expect(
      (await stores.unmatched.listUnmatched({ limit: 10, offset: 0 }))
        .totalCount,
    ).toBe(0);
    const listed = await stores.events.listDeployments(
      'component:default/new',
      {
        limit: 10,
        offset: 0,
      },
    );
    expect(listed.items.map(d => d.id)).toEqual(['d2', 'd1']);
    // What a deployment deployed waits with it.
    expect(listed.items.map(d => d.sha)).toEqual(['9f2c1e7', undefined]);
    // The incident was replayed after the deployments, so it links to d2.
    expect(listed.items[0].causedIncidents).toEqual([
      { source: 'api', id: 'i1' },
    ]);
  });
  it('moves the events of a renamed entity before replaying, and has its rankings redone', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const stored: string[] = [];
    const ingest = new IngestService(
      stores,
      DEFAULT_DORA_OPTIONS,
      mockServices.logger.mock(),
      () => 42,
      refs => {
        stored.push(...refs);
      },
    );
    await stores.catalog.replaceCatalog([entity('old', 'acme/svc')], []);
    await ingest.ingestDeployments(
      parseBatch(deploymentItemSchema, {
        items: [
          {
            id: 'd1',
            annotations: { 'github.com/project-slug': 'acme/svc' },
            environment: 'production',
            status: 'success',
            finishedAt: '2026-06-01T10:00:00Z',
          },
        ],
      }),
    );
    stored.length = 0;

    await stores.catalog.replaceCatalog([entity('new', 'acme/svc')], []);
    expect(await ingest.replayUnmatched()).toMatchObject({
      matched: 0,
      remaining: 0,
    });
    expect(stored).toEqual(['component:default/new']);
    const listed = await stores.events.listDeployments(
      'component:default/new',
      {
        limit: 10,
        offset: 0,
      },
    );
    expect(listed.items.map(d => d.id)).toEqual(['d1']);
  });
});
