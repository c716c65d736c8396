import { ConfigReader } from '@backstage/config';
import { DAY_MS, DoraOptions } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { readSettings } from '../config';
import { generateDemoEvents } from '../demo/seedDemoData';
import { sortRows } from './ranking';
import { servicesAt } from '../__testUtils__/services';
import { deployment } from '../__testUtils__/events';
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

/** Stores one production deployment of component:default/a (ENTITY), finished a day before NOW. */
const deployToA = (
  stores: Awaited<ReturnType<typeof createTestStore>>['stores'],
  options: DoraOptions,
  id: string,
) =>
  stores.events.writeBatch(
    {
      deployments: [deployment(id, new Date(NOW - DAY_MS).toISOString())],
      incidents: [],
      unmatched: [],
    },
    options,
  );

describe.each(databaseIds(databases))('ScorecardService on %p', databaseId => {
  it('ranks from precomputed rows exactly as a live computation does, and sees new events at once', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const settings = readSettings(new ConfigReader({}));
    const { dora, scorecards, ingest } = servicesAt(stores, settings, NOW);
    const services = profiles.map((p, i) => ({
      entityRef: `component:default/${p}`,
      profile: p,
      owner: `group:default/team-${i % 2}`,
    }));
    await stores.catalog.replaceCatalog(
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

  it('answers the rows as they are when a recomputation fails, and recovers at the next read', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const settings = readSettings(new ConfigReader({}));
    const { scorecards } = servicesAt(stores, settings, NOW);
    await stores.catalog.replaceCatalog(
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
    const deploy = (id: string) => deployToA(stores, settings.options, id);
    const readFacts = jest.spyOn(stores.facts, 'readFacts');
    await deploy('d');
    readFacts.mockRejectedValueOnce(new Error('database unavailable'));
    // The failed recomputation does not fail the read: the rows as they were, said to lag.
    const failed = await scorecards.rank(query);
    expect(failed.updating).toBe(true);
    expect(failed.items[0].deploymentFrequency.deployments).toBe(0);
    const page = await scorecards.rank(query);
    expect(page.items[0].deploymentFrequency.deployments).toBe(1);

    // The golden-path matrix's rows follow the same rule.
    await deploy('d2');
    readFacts.mockRejectedValueOnce(new Error('database unavailable'));
    const lagging = await scorecards.maturityRows(30, 'dora-2021');
    expect(lagging.updating).toBe(true);
    expect(lagging.rows.map(r => r.entityRef)).toEqual(['component:default/a']);
    expect(await scorecards.maturityRows(30, 'dora-2021')).not.toHaveProperty(
      'updating',
    );
  });

  it('shares one flush among the reads that arrive while another runs, and each sees what came before it', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const settings = readSettings(new ConfigReader({}));
    const { scorecards } = servicesAt(stores, settings, NOW);
    await stores.catalog.replaceCatalog(
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
    const deploy = async (id: string) => {
      await deployToA(stores, settings.options, id);
      await scorecards.markDirty(['component:default/a']);
    };
    const deployments = (page: any) =>
      page.items[0].deploymentFrequency.deployments;

    await deploy('d1');
    // The first flush is held inside its recomputation until released.
    let release!: () => void;
    const held = new Promise<void>(resolve => {
      release = resolve;
    });
    const readFacts = stores.facts.readFacts.bind(stores.facts);
    const readStale = jest.spyOn(stores.rankings, 'readStale');
    jest
      .spyOn(stores.facts, 'readFacts')
      .mockImplementationOnce(async (...args) => {
        await held;
        return readFacts(...args);
      });
    const first = scorecards.rank(query);
    while (readStale.mock.calls.length === 0)
      await new Promise(resolve => setImmediate(resolve));

    // Stored while the first flush runs: the reads from now on must see it.
    await deploy('d2');
    const later = Array.from({ length: 20 }, () => scorecards.rank(query));
    release();

    expect(deployments(await first)).toBeGreaterThanOrEqual(1);
    for (const page of await Promise.all(later))
      expect(deployments(page)).toBe(2);
    // One flush for the first read, one shared by the twenty; each reads the marks twice,
    // before and after the time it computes at.
    expect(readStale).toHaveBeenCalledTimes(4);
  });

  it('answers at once, saying updating, when many entities wait for recomputation; and recomputes only the teams above the ones touched', async () => {
    const { stores } = await createTestStore(databases, databaseId);
    const settings = readSettings(new ConfigReader({}));
    const { scorecards } = servicesAt(stores, settings, NOW);
    const names = Array.from({ length: 60 }, (_, i) => `s${i}`);
    await stores.catalog.replaceCatalog(
      names.map((name, i) => ({
        entityRef: `component:default/${name}`,
        kind: 'Component',
        namespace: 'default',
        name,
        ownerRef: `group:default/team-${i % 3}`,
        identities: [],
      })),
      [0, 1, 2].map(t => ({ groupRef: `group:default/team-${t}` })),
    );
    await scorecards.refreshAll();
    const query = (subjectType: 'entity' | 'owner') => ({
      subjectType,
      windowDays: 30,
      profile: 'dora-2021',
      sort: 'name',
      order: 'asc' as const,
      limit: 100,
      offset: 0,
    });
    const deploy = async (refs: string[]) => {
      await stores.events.writeBatch(
        {
          deployments: refs.map(ref => ({
            id: `d-${ref}`,
            source: 'api',
            entityRef: ref,
            environment: 'production',
            status: 'success',
            finishedAt: new Date(NOW - DAY_MS).toISOString(),
            commits: [],
            kind: 'normal' as const,
          })),
          incidents: [],
          unmatched: [],
        },
        settings.options,
      );
    };
    const counted = (page: any) =>
      page.items.reduce(
        (n: number, r: any) => n + r.deploymentFrequency.deployments,
        0,
      );

    // 50 entities marked: the read waits and counts them all.
    await deploy(names.slice(0, 50).map(n => `component:default/${n}`));
    const waited = await scorecards.rank(query('entity'));
    expect(waited).not.toHaveProperty('updating');
    expect(counted(waited)).toBe(50);

    // 10 more: with the team marks of the first 50, still there, 70 marks wait for the team
    // ranking, over the limit: it answers the rows as they are, then they catch up.
    await deploy(names.slice(50).map(n => `component:default/${n}`));
    const early = await scorecards.rank(query('owner'));
    expect(early.updating).toBe(true);
    expect(counted(early)).toBeLessThan(60);
    let page: any = early;
    while (page.updating) page = await scorecards.rank(query('owner'));
    expect(counted(page)).toBe(60);

    // One entity of team-1 touched: only team-1's rows are recomputed.
    const upsert = jest.spyOn(stores.rankings, 'upsertScorecards');
    await deploy(['component:default/s1']);
    await scorecards.rank(query('owner'));
    const recomputed = new Set(
      upsert.mock.calls.flatMap(([rows]) =>
        rows.filter(r => r.subjectType === 'owner').map(r => r.subjectRef),
      ),
    );
    expect([...recomputed]).toEqual(['group:default/team-1']);
  });
});
