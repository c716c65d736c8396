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

const svc = {
  entityRef: 'component:default/svc',
  kind: 'Component',
  namespace: 'default',
  name: 'svc',
  identities: [{ annotation: 'pagerduty.com/service-id', value: 'PX' }],
};

/** Copies of one PagerDuty incident, as its webhook and a team's push send them. */
const copy = (extra: Record<string, unknown>) => ({
  id: 'p1',
  source: 'pagerduty',
  annotations: { 'pagerduty.com/service-id': 'PX' },
  openedAt: '2026-06-01T10:00:00Z',
  ...extra,
});
const POSTMORTEM = 'https://wiki.example.com/postmortems/p1';

describe.each(databaseIds(databases))('A postmortem URL on %p', databaseId => {
  async function setUp() {
    const { stores } = await createTestStore(databases, databaseId);
    await stores.catalog.replaceCatalog([svc], []);
    const ingest = new IngestService(
      stores,
      DEFAULT_DORA_OPTIONS,
      mockServices.logger.mock(),
    );
    const push = (...items: object[]) =>
      ingest.ingestIncidents(parseBatch(incidentItemSchema, { items }));
    const stored = async () =>
      (
        await stores.events.listIncidents(svc.entityRef, {
          limit: 10,
          offset: 0,
        })
      ).items;
    return { stores, push, stored };
  }

  it('is kept when a later copy of the incident carries none', async () => {
    const { stores, push, stored } = await setUp();
    // The webhook opens it, the team pushes the postmortem, the webhook's later event
    // (which knows no postmortem) resolves it.
    await push(copy({ updatedAt: '2026-06-01T10:00:00Z' }));
    await push(
      copy({
        resolvedAt: '2026-06-01T11:00:00Z',
        updatedAt: '2026-06-02T09:00:00Z',
        postmortemUrl: POSTMORTEM,
      }),
    );
    expect(
      await push(
        copy({
          resolvedAt: '2026-06-01T11:30:00Z',
          updatedAt: '2026-06-02T10:00:00Z',
        }),
      ),
    ).toMatchObject({ updated: 1, stale: 0 });
    expect(await stored()).toEqual([
      expect.objectContaining({
        resolvedAt: '2026-06-01T11:30:00.000Z', // the later copy's other fields win
        postmortemUrl: POSTMORTEM,
      }),
    ]);
    // ... and postmortem coverage still counts it.
    const signals = await stores.maturity.readCheckSignals(
      [svc.entityRef],
      Date.parse('2026-06-10T00:00:00Z'),
    );
    expect(signals.get(svc.entityRef)).toMatchObject({
      resolvedIncidents: 1,
      resolvedWithPostmortem: 1,
    });
  });

  it('is replaced by a later copy that names another', async () => {
    const { push, stored } = await setUp();
    await push(
      copy({ updatedAt: '2026-06-02T09:00:00Z', postmortemUrl: POSTMORTEM }),
    );
    await push(
      copy({
        updatedAt: '2026-06-03T09:00:00Z',
        postmortemUrl: `${POSTMORTEM}-v2`,
      }),
    );
    expect(await stored()).toEqual([
      expect.objectContaining({ postmortemUrl: `${POSTMORTEM}-v2` }),
    ]);
  });

  it('is not taken from a copy older than the stored one', async () => {
    const { push, stored } = await setUp();
    await push(copy({ updatedAt: '2026-06-03T09:00:00Z' }));
    expect(
      await push(
        copy({ updatedAt: '2026-06-02T09:00:00Z', postmortemUrl: POSTMORTEM }),
      ),
    ).toMatchObject({ stale: 1 });
    expect((await stored())[0].postmortemUrl).toBeUndefined();
  });
});
