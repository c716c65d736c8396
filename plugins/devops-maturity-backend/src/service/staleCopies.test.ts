import { mockServices } from '@backstage/backend-test-utils';
import { DEFAULT_DORA_OPTIONS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { IngestService } from './IngestService';
import { incidentItemSchema, parseBatch } from './validation';

jest.setTimeout(60_000);

const databases = createTestDatabases();

const item = (extra: Record<string, unknown>) => ({
  id: 'p1',
  source: 'pagerduty',
  annotations: { 'pagerduty.com/service-id': 'PX' },
  openedAt: '2026-06-01T10:00:00Z',
  ...extra,
});
const triggered = item({ updatedAt: '2026-06-01T10:00:00Z' });
// The same instant as 10:45Z, written with an offset.
const resolved = item({
  resolvedAt: '2026-06-01T12:45:00+02:00',
  updatedAt: '2026-06-01T12:45:00+02:00',
});

describe('updatedAt', () => {
  it('is validated like the other times', () => {
    expect(() =>
      parseBatch(incidentItemSchema, {
        items: [item({ updatedAt: '2026-06-01 10:00' })],
      }),
    ).toThrow(/items\[0\]\.updatedAt: must be an ISO-8601 date-time/);
  });
});

describe.each(databaseIds(databases))('Stale copies on %p', databaseId => {
  async function setUp() {
    const { stores } = await createTestStore(databases, databaseId);
    const ingest = new IngestService(
      stores,
      DEFAULT_DORA_OPTIONS,
      mockServices.logger.mock(),
    );
    const push = (...items: object[]) =>
      ingest.ingestIncidents(parseBatch(incidentItemSchema, { items }));
    const listed = async () =>
      (
        await stores.events.listIncidents('component:default/svc', {
          limit: 10,
          offset: 0,
        })
      ).items;
    return { stores, ingest, push, listed };
  }

  const svc = {
    entityRef: 'component:default/svc',
    kind: 'Component',
    namespace: 'default',
    name: 'svc',
    identities: [{ annotation: 'pagerduty.com/service-id', value: 'PX' }],
  };

  it('counts copies older than the stored one as stale, across pushes and within one', async () => {
    const { stores, push, listed } = await setUp();
    await stores.catalog.replaceCatalog([svc], []);
    expect(await push(resolved)).toEqual({
      accepted: 1,
      updated: 0,
      unmatched: 0,
      stale: 0,
    });
    expect(await push(triggered)).toEqual({
      accepted: 0,
      updated: 0,
      unmatched: 0,
      stale: 1,
    });
    // In one push, in either order, the newest copy is stored. A copy replaced by a later one
    // of the same push counts as updated, one older than an earlier one as stale.
    expect(await push(resolved, triggered)).toEqual({
      accepted: 0,
      updated: 1,
      unmatched: 0,
      stale: 1,
    });
    expect(await push(triggered, resolved)).toEqual({
      accepted: 0,
      updated: 2,
      unmatched: 0,
      stale: 0,
    });
    expect(await listed()).toEqual([
      expect.objectContaining({
        resolvedAt: '2026-06-01T10:45:00.000Z',
        updatedAt: '2026-06-01T10:45:00.000Z',
        restoreSeconds: 45 * 60,
      }),
    ]);
  });

  it('replays the newest unmatched copy once the entity appears', async () => {
    const { stores, ingest, push, listed } = await setUp();
    expect(await push(resolved)).toMatchObject({ unmatched: 1, stale: 0 });
    expect(await push(triggered)).toMatchObject({ unmatched: 0, stale: 1 });
    await stores.catalog.replaceCatalog([svc], []);
    expect(await ingest.replayUnmatched()).toMatchObject({
      matched: 1,
      remaining: 0,
    });
    expect(await listed()).toEqual([
      expect.objectContaining({ restoreSeconds: 45 * 60 }),
    ]);
  });
});
