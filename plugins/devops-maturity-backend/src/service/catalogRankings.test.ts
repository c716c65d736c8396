import { ConfigReader } from '@backstage/config';
import { DAY_MS } from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
  describePostgres,
} from '../__testUtils__/databases';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import { servicesAt } from '../__testUtils__/services';
import { readSettings } from '../config';
import { ScorecardService } from './ScorecardService';
import { MirroredEntity, MirroredGroup } from '../database/types';
import { holdCatalogExclusively } from '../database/catalogLock';
import { advisoryLockAwaited, until } from '../__testUtils__/until';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-11-21T08:00:00Z');
const ref = (name: string) => `component:default/${name}`;
const team = (name: string) => `group:default/${name}`;

const entity = (name: string, owner: string, title?: string) =>
  ({
    entityRef: ref(name),
    kind: 'Component',
    namespace: 'default',
    name,
    title,
    ownerRef: team(owner),
    identities: [],
  } as MirroredEntity);

/** The first page of a 30-day ranking, by name. */
const firstPage = (subjectType: 'entity' | 'owner') => ({
  subjectType,
  windowDays: 30,
  profile: 'dora-2021',
  sort: 'name' as const,
  order: 'asc' as const,
  limit: 100,
  offset: 0,
});

// org > platform > (team-1, team-2); team-3 under org.
const GROUPS: MirroredGroup[] = [
  { groupRef: team('org') },
  { groupRef: team('platform'), parentRef: team('org') },
  { groupRef: team('team-1'), parentRef: team('platform') },
  { groupRef: team('team-2'), parentRef: team('platform') },
  { groupRef: team('team-3'), parentRef: team('org') },
];

/** The catalog above with five deployments, every row computed; a refresh and a read of rows. */
async function setUp(databaseId: TestDatabaseId, includeChildGroups: boolean) {
  const { knex, stores } = await createTestStore(databases, databaseId);
  const settings = readSettings(
    new ConfigReader({
      devopsMaturity: { owners: { includeChildGroups } },
    }),
  );
  const { scorecards } = servicesAt(stores, settings, NOW);
  const catalog = [
    entity('a', 'team-1'),
    entity('b', 'team-1'),
    entity('c', 'team-2'),
    entity('d', 'team-3'),
  ];
  await stores.catalog.replaceCatalog(catalog, GROUPS);
  await stores.events.writeBatch(
    {
      deployments: ['a', 'a', 'b', 'c', 'd'].map((name, i) => ({
        id: `d${i}`,
        source: 'api',
        entityRef: ref(name),
        environment: 'production',
        status: 'success',
        finishedAt: new Date(NOW - (i + 1) * DAY_MS).toISOString(),
        commits: [],
        kind: 'normal' as const,
      })),
      incidents: [],
      unmatched: [],
    },
    settings.options,
  );
  await scorecards.refreshAll();
  const upsert = jest.spyOn(stores.rankings, 'upsertScorecards');
  /** Replaces the catalog, recomputes what it marked: the subjects recomputed, by type. */
  const refresh = async (entities: MirroredEntity[], groups = GROUPS) => {
    upsert.mockClear();
    await stores.catalog.replaceCatalog(entities, groups);
    await scorecards.flush('owner');
    const of = (type: string) =>
      [
        ...new Set(
          upsert.mock.calls.flatMap(([rows]) =>
            rows.filter(r => r.subjectType === type).map(r => r.subjectRef),
          ),
        ),
      ].sort();
    return { entities: of('entity'), owners: of('owner') };
  };
  const rows = async (subjectType: 'entity' | 'owner') => {
    const page = await scorecards.rank(firstPage(subjectType));
    expect(page).not.toHaveProperty('updating');
    // An entity's row names its owner; a group's, its parent.
    return Object.fromEntries(
      page.items.map((r: any) =>
        subjectType === 'entity'
          ? [
              r.entityRef,
              {
                deployments: r.deploymentFrequency.deployments,
                owner: r.ownerRef,
              },
            ]
          : [
              r.ownerRef,
              {
                deployments: r.deploymentFrequency.deployments,
                owner: r.parentRef,
              },
            ],
      ),
    );
  };
  return { knex, stores, settings, catalog, refresh, rows };
}

describe.each(databaseIds(databases))(
  'A catalog refresh and the rankings on %p',
  databaseId => {
    it('keeps no row that a recomputation writes after its subject left the catalog', async () => {
      const { stores, catalog, refresh, rows } = await setUp(databaseId, true);
      const upsert = jest.spyOn(stores.rankings, 'upsertScorecards');
      // d moves to team-2: its rows and team-3's are recomputed; kept, as a replica that read
      // the mirror before the next refresh would write them after it.
      const moved = [...catalog.slice(0, 3), entity('d', 'team-2')];
      await refresh(moved);
      const late = upsert.mock.calls.flatMap(([written]) => written);
      expect(late.map(r => r.subjectRef)).toEqual(
        expect.arrayContaining([ref('d'), team('team-3')]),
      );

      await refresh(
        catalog.slice(0, 3),
        GROUPS.filter(g => g.groupRef !== team('team-3')),
      );
      await stores.rankings.upsertScorecards(late);
      expect(Object.keys(await rows('entity'))).toEqual([
        ref('a'),
        ref('b'),
        ref('c'),
      ]);
      expect(Object.keys(await rows('owner'))).not.toContain(team('team-3'));
      expect(Object.keys(await rows('owner'))).toContain(team('team-2'));
    });

    it('pools the stored facts of the entities it does not recompute, and reads the events of those with none stored', async () => {
      const { knex, stores, catalog, refresh, rows } = await setUp(
        databaseId,
        true,
      );
      const read = jest.spyOn(stores.facts, 'readFacts');
      const readRefs = () => read.mock.calls.flatMap(([refs]) => refs).sort();
      await refresh([entity('a', 'team-3'), ...catalog.slice(1)]);
      // org, platform, team-1 and team-3 pool b, c and d without reading their events.
      expect(readRefs()).toEqual([ref('a')]);
      expect(await rows('owner')).toMatchObject({
        [team('org')]: { deployments: 5 },
        [team('platform')]: { deployments: 2 },
        [team('team-1')]: { deployments: 1 },
        [team('team-3')]: { deployments: 3 },
      });

      // Facts stored in another layout (an older version's) are not used: b's events are read.
      await knex('dm_entity_facts')
        .where('entity_ref', ref('b'))
        .update({ facts: Buffer.from('an older layout') });
      read.mockClear();
      await refresh(catalog);
      expect(readRefs()).toEqual([ref('a'), ref('b')]);
      expect(await rows('owner')).toMatchObject({
        [team('org')]: { deployments: 5 },
        [team('platform')]: { deployments: 4 },
        [team('team-1')]: { deployments: 3 },
        [team('team-3')]: { deployments: 1 },
      });
    });

    it('gives a group, from stored facts computed days before, the rows its events give', async () => {
      const { knex, stores, settings, catalog } = await setUp(databaseId, true);
      // Computed at NOW; pooled 26.5 days later, when the 30-day window has lost the
      // deployments of c and d (4 and 5 days before NOW), not those of a and b (1 to 3).
      const later = servicesAt(
        stores,
        settings,
        NOW + 26.5 * DAY_MS,
      ).scorecards;
      const ownerRows = async () =>
        Object.fromEntries(
          (
            await knex('dm_scorecards')
              .where('subject_type', 'owner')
              // The groups the move made stale; team-2's rows stay as computed at NOW.
              .whereNot('subject_ref', team('team-2'))
              .orderBy(['subject_ref', 'window_days', 'profile'])
          ).map(r => [
            `${r.subject_ref} ${r.window_days} ${r.profile}`,
            typeof r.metrics === 'string' ? JSON.parse(r.metrics) : r.metrics,
          ]),
        );
      const read = jest.spyOn(stores.facts, 'readFacts');
      await stores.catalog.replaceCatalog(
        [entity('a', 'team-3'), ...catalog.slice(1)],
        GROUPS,
      );
      await later.flush('owner');
      expect(read.mock.calls.flatMap(([refs]) => refs)).toEqual([ref('a')]);
      const pooled = await ownerRows();
      expect(
        pooled[`${team('org')} 30 dora-2021`].deploymentFrequency.deployments,
      ).toBe(3);

      // Every row again, from the events.
      await knex('dm_entity_facts').delete();
      await later.refreshAll();
      expect(await ownerRows()).toEqual(pooled);
    });

    it('reads the events of an entity whose stored facts lack one stamped ahead of them', async () => {
      const { stores, settings, catalog } = await setUp(databaseId, true);
      // Stored with c's facts: a deployment stamped 12 hours ahead (clocks run ahead; up to a
      // day is accepted), then c's rows and facts recomputed at NOW, without it.
      await stores.events.writeBatch(
        {
          deployments: [
            {
              id: 'ahead',
              source: 'api',
              entityRef: ref('c'),
              environment: 'production',
              status: 'success',
              finishedAt: new Date(NOW + 12 * 3_600_000).toISOString(),
              commits: [],
              kind: 'normal' as const,
            },
          ],
          incidents: [],
          unmatched: [],
        },
        settings.options,
      );
      await servicesAt(stores, settings, NOW).scorecards.flush('owner');
      const read = jest.spyOn(stores.facts, 'readFacts');
      const readRefs = () => read.mock.calls.flatMap(([refs]) => refs).sort();
      const teamTwo = async (scorecards: ScorecardService) =>
        (await scorecards.rank(firstPage('owner'))).items.find(
          (r: any) => r.ownerRef === team('team-2'),
        ).deploymentFrequency.deployments;

      // Six hours later a move makes team-2 stale: c's stored facts still hold every event.
      const sixHours = servicesAt(stores, settings, NOW + 6 * 3_600_000);
      await stores.catalog.replaceCatalog(
        [...catalog.slice(0, 3), entity('d', 'team-2')],
        GROUPS,
      );
      await sixHours.scorecards.flush('owner');
      expect(readRefs()).toEqual([ref('d')]);
      expect(await teamTwo(sixHours.scorecards)).toBe(2);

      // A day later the deployment is in the window, and c's stored facts lack it.
      read.mockClear();
      const dayLater = servicesAt(stores, settings, NOW + 24 * 3_600_000);
      await stores.catalog.replaceCatalog(catalog, GROUPS);
      await dayLater.scorecards.flush('owner');
      expect(readRefs()).toEqual([ref('c'), ref('d')]);
      expect(await teamTwo(dayLater.scorecards)).toBe(2);
    });

    it('recomputes only the entity that moved and the groups it left and joined, with the groups above them', async () => {
      const { catalog, refresh, rows } = await setUp(databaseId, true);
      expect(await refresh(catalog)).toEqual({ entities: [], owners: [] });

      const moved = [entity('a', 'team-3'), ...catalog.slice(1)];
      expect(await refresh(moved)).toEqual({
        entities: [ref('a')],
        owners: [team('org'), team('platform'), team('team-1'), team('team-3')],
      });
      expect(await rows('owner')).toEqual({
        [team('org')]: { deployments: 5, owner: undefined },
        [team('platform')]: { deployments: 2, owner: team('org') },
        [team('team-1')]: { deployments: 1, owner: team('platform') },
        [team('team-2')]: { deployments: 1, owner: team('platform') },
        [team('team-3')]: { deployments: 3, owner: team('org') },
      });
      expect((await rows('entity'))[ref('a')]).toEqual({
        deployments: 2,
        owner: team('team-3'),
      });

      // A new title changes the entity's rows; its team's hold only its events and ref.
      expect(
        await refresh([entity('a', 'team-3', 'A'), ...catalog.slice(1)]),
      ).toEqual({ entities: [ref('a')], owners: [] });
    });

    it('with child groups counted, recomputes the groups above a removed group, old and new', async () => {
      const { catalog, refresh, rows } = await setUp(databaseId, true);
      // team-1 leaves; its entities move to team-2. team-3 moves from org to platform.
      const groups = GROUPS.filter(g => g.groupRef !== team('team-1')).map(g =>
        g.groupRef === team('team-3')
          ? { ...g, parentRef: team('platform') }
          : g,
      );
      await refresh(
        catalog.map(e =>
          e.ownerRef === team('team-1')
            ? { ...e, ownerRef: team('team-2') }
            : e,
        ),
        groups,
      );
      expect(await rows('owner')).toEqual({
        [team('org')]: { deployments: 5, owner: undefined },
        [team('platform')]: { deployments: 5, owner: team('org') },
        [team('team-2')]: { deployments: 4, owner: team('platform') },
        [team('team-3')]: { deployments: 1, owner: team('platform') },
      });
    });

    it('recomputes an entity of kind Group (a scored kind) like any other', async () => {
      const { stores, catalog, refresh, rows } = await setUp(databaseId, false);
      const squad = {
        ...entity('squad', 'team-3'),
        entityRef: team('squad'),
        kind: 'Group',
      };
      await refresh([...catalog, squad]);
      await stores.events.writeBatch(
        {
          deployments: [
            {
              id: 'g1',
              source: 'api',
              entityRef: team('squad'),
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
        readSettings(new ConfigReader({})).options,
      );
      expect((await rows('entity'))[team('squad')]).toEqual({
        deployments: 1,
        owner: team('team-3'),
      });
    });

    it('removes the rows of an entity or a group that left the catalog, and recomputes the groups that lose them', async () => {
      const { stores, catalog, refresh, rows } = await setUp(databaseId, false);
      const withoutB = catalog.filter(e => e.name !== 'b');
      expect(await refresh(withoutB)).toEqual({
        entities: [],
        owners: [team('team-1')],
      });
      expect(Object.keys(await rows('entity'))).toEqual([
        ref('a'),
        ref('c'),
        ref('d'),
      ]);
      expect((await rows('owner'))[team('team-1')]).toEqual({
        deployments: 2,
        owner: team('platform'),
      });

      // team-2 leaves, its entity moves to team-3; team-3 moves under platform.
      const groups = GROUPS.filter(g => g.groupRef !== team('team-2')).map(g =>
        g.groupRef === team('team-3')
          ? { ...g, parentRef: team('platform') }
          : g,
      );
      expect(
        await refresh(
          [entity('a', 'team-1'), entity('c', 'team-3'), entity('d', 'team-3')],
          groups,
        ),
      ).toEqual({
        entities: [ref('c')],
        // Without child groups, org and platform own nothing directly: recomputed all the
        // same, as the groups above one that changed (cheap, and their rows stay right).
        owners: [team('org'), team('platform'), team('team-3')],
      });
      const owners = await rows('owner');
      expect(Object.keys(owners)).not.toContain(team('team-2'));
      expect(owners[team('team-3')]).toEqual({
        deployments: 2,
        owner: team('platform'),
      });
      expect(await stores.rankings.countStale()).toEqual({
        entities: 0,
        teams: 0,
      });
    });
  },
);

// SQLite runs one writer at a time: no write starts while a replacement is open.
describePostgres(databases)('A catalog replacement on %p', databaseId => {
  it('makes a ranking write wait for a catalog replacement in progress, then drops the rows of the subjects it removed', async () => {
    const { knex, stores, catalog, refresh } = await setUp(databaseId, true);
    const upsert = jest.spyOn(stores.rankings, 'upsertScorecards');
    await refresh([...catalog.slice(0, 3), entity('d', 'team-2')]);
    const late = upsert.mock.calls
      .flatMap(([written]) => written)
      .filter(r => r.subjectRef === ref('d'));
    expect(late.length).toBeGreaterThan(0);
    const rowsOfD = async () =>
      Number(
        (
          await knex('dm_scorecards')
            .where('subject_ref', ref('d'))
            .count({ n: '*' })
        )[0].n,
      );

    // Another replica replaces the mirror without d and has not committed yet.
    const replacement = await knex.transaction();
    await holdCatalogExclusively(replacement);
    await replacement('dm_entities').where('entity_ref', ref('d')).delete();
    const write = stores.rankings.upsertScorecards(late);
    const first = await Promise.race([
      write.then(() => 'written'),
      until(() => advisoryLockAwaited(knex)).then(() => 'waiting'),
    ]);
    expect(first).toBe('waiting');
    await replacement.commit();
    await write;
    expect(await rowsOfD()).toBe(0);
  });
});
