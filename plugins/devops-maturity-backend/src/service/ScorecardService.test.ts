import { ConfigReader } from '@backstage/config';
import { DAY_MS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { readSettings } from '../config';
import { generateDemoEvents } from '../demo/seedDemoData';
import { sortRows } from './ranking';
import { servicesAt } from '../__testUtils__/services';
import {
  deploymentItemSchema,
  incidentItemSchema,
  parseBatch,
} from './validation';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-11-21T08:00:00Z');
const profiles = [
  'elite',
  'high',
  'medium',
  'low',
  'stalled',
  'no-incident-tooling',
  'none',
];

describe.each(databaseIds(databases))('ScorecardService on %p', databaseId => {
  it('ranks from precomputed rows exactly as a live computation does, and sees new events at once', async () => {
    const { store } = await createTestStore(databases, databaseId);
    const settings = readSettings(new ConfigReader({}));
    const { dora, scorecards, ingest } = servicesAt(store, settings, NOW);
    const services = profiles.map((p, i) => ({
      entityRef: `component:default/${p}`,
      profile: p,
      owner: `group:default/team-${i % 2}`,
    }));
    await store.replaceCatalog(
      services.map(s => ({
        entityRef: s.entityRef,
        kind: 'Component',
        namespace: 'default',
        name: s.profile,
        ownerRef: s.owner,
        identities: [],
      })),
      [
        { groupRef: 'group:default/team-0', parentRef: 'group:default/dept' },
        { groupRef: 'group:default/team-1', parentRef: 'group:default/dept' },
        { groupRef: 'group:default/dept' },
      ],
    );
    const events = generateDemoEvents(services, NOW);
    for (let i = 0; i < events.deployments.length; i += 1000) {
      await ingest.ingestDeployments(
        parseBatch(deploymentItemSchema, {
          items: events.deployments.slice(i, i + 1000),
        }),
      );
    }
    await ingest.ingestIncidents(
      parseBatch(incidentItemSchema, { items: events.incidents }),
    );
    await scorecards.refreshAll();

    for (const days of [30, 90, 365]) {
      const window = { from: NOW - days * DAY_MS, to: NOW };
      for (const sort of [
        'overallTier',
        'leadTime',
        'timeToRestore',
        'owner',
      ] as const) {
        const live = sortRows(
          await dora.entityScorecards(window, dora.profile('dora-2023')),
          sort,
          'asc',
        );
        const ranked = await scorecards.rank({
          subjectType: 'entity',
          windowDays: days,
          profile: 'dora-2023',
          sort,
          order: 'asc',
          limit: 100,
          offset: 0,
        });
        // Maturity columns exist for preset windows only; the DORA figures match exactly.
        expect(
          ranked.items.map(({ maturity: _m, ...figures }) => figures),
        ).toEqual(live);
        expect(
          ranked.items.every(i => typeof i.maturity?.level === 'number'),
        ).toBe(true);
        expect(ranked.totalCount).toBe(services.length);
      }
      const liveTeams = sortRows(
        await dora.ownerScorecards(window, dora.profile('dora-2021')),
        'leadTime',
        'desc',
      );
      const rankedTeams = await scorecards.rank({
        subjectType: 'owner',
        windowDays: days,
        profile: 'dora-2021',
        sort: 'leadTime',
        order: 'desc',
        limit: 100,
        offset: 0,
      });
      expect(rankedTeams.items).toEqual(liveTeams);
    }

    // Filters, paging and the distribution.
    const lowOrNone = await scorecards.rank({
      subjectType: 'entity',
      windowDays: 90,
      profile: 'dora-2021',
      tiers: ['low', 'none'],
      ownerRefs: ['group:default/team-0'],
      sort: 'name',
      order: 'asc',
      limit: 1,
      offset: 0,
    });
    // team-0 owns elite, medium, stalled (low) and none: two match, the first by name is none.
    expect(lowOrNone.totalCount).toBe(2);
    expect(lowOrNone.items.map(i => i.entityRef)).toEqual([
      'component:default/none',
    ]);
    expect(
      Object.values(lowOrNone.distribution).reduce(
        (a: number, b: any) => a + b,
        0,
      ),
    ).toBe(4);

    // New events for the service without data show in the next ranking read.
    await ingest.ingestDeployments(
      parseBatch(deploymentItemSchema, {
        items: [
          {
            id: 'x',
            entityRef: 'component:default/none',
            environment: 'production',
            status: 'success',
            finishedAt: new Date(NOW - DAY_MS).toISOString(),
          },
        ],
      }),
    );
    const after = await scorecards.rank({
      subjectType: 'entity',
      windowDays: 30,
      profile: 'dora-2021',
      q: 'none',
      sort: 'name',
      order: 'asc',
      limit: 10,
      offset: 0,
    });
    expect(after.items[0].deploymentFrequency.deployments).toBe(1);
    const team = await scorecards.rank({
      subjectType: 'owner',
      windowDays: 30,
      profile: 'dora-2021',
      q: 'team-0',
      sort: 'name',
      order: 'asc',
      limit: 10,
      offset: 0,
    });
    const live = await dora.ownerMetrics(
      'group:default/team-0',
      undefined,
      { from: NOW - 30 * DAY_MS, to: NOW },
      dora.profile('dora-2021'),
    );
    expect(team.items[0]).toEqual(live);
  });

  it('recovers from a failed recomputation at the next ranking read', async () => {
    const { store } = await createTestStore(databases, databaseId);
    const settings = readSettings(new ConfigReader({}));
    const { scorecards } = servicesAt(store, settings, NOW);
    await store.replaceCatalog(
      [
        {
          entityRef: 'component:default/a',
          kind: 'Component',
          namespace: 'default',
          name: 'a',
          identities: [],
        },
      ],
      [],
    );
    await scorecards.refreshAll();
    const query = {
      subjectType: 'entity' as const,
      windowDays: 30,
      profile: 'dora-2021',
      sort: 'name',
      order: 'asc' as const,
      limit: 10,
      offset: 0,
    };
    await store.writeBatch(
      {
        deployments: [
          {
            id: 'd',
            source: 'api',
            entityRef: 'component:default/a',
            environment: 'production',
            status: 'success',
            finishedAt: new Date(NOW - DAY_MS).toISOString(),
            commits: [],
            kind: 'normal',
          },
        ],
        incidents: [],
        unmatched: [],
      },
      settings.options,
    );
    scorecards.markDirty(['component:default/a']);
    jest
      .spyOn(store, 'readFacts')
      .mockRejectedValueOnce(new Error('database unavailable'));
    await expect(scorecards.rank(query)).rejects.toThrow(
      'database unavailable',
    );
    const page = await scorecards.rank(query);
    expect(page.items[0].deploymentFrequency.deployments).toBe(1);
  });
});
