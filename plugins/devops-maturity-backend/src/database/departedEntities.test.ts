import { Knex } from 'knex';
import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  computeDoraMetrics,
  DAY_MS,
  DEFAULT_DORA_OPTIONS,
  DeploymentEvent,
  deriveDoraFacts,
  DORA_2021,
  IncidentEvent,
  TimeWindow,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { at, deployment, incident, T0 } from '../__testUtils__/events';
import { DoraStores } from './openStores';
import { MirroredEntity } from './types';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const options = DEFAULT_DORA_OPTIONS;
const window: TimeWindow = { from: T0, to: T0 + 30 * DAY_MS };
const SLUG = 'github.com/project-slug';
const ref = (name: string) => `component:default/${name}`;
const page = { limit: 50, offset: 0 };

function entity(name: string, slug?: string): MirroredEntity {
  return {
    entityRef: ref(name),
    kind: 'Component',
    namespace: 'default',
    name,
    ownerRef: 'group:default/team',
    identities: slug ? [{ annotation: SLUG, value: slug }] : [],
  };
}

const mirror = (stores: DoraStores, ...entities: MirroredEntity[]) =>
  stores.catalog.replaceCatalog(entities, []);

const write = (
  stores: DoraStores,
  deployments: DeploymentEvent[],
  incidents: IncidentEvent[] = [],
) =>
  stores.events.writeBatch({ deployments, incidents, unmatched: [] }, options);

async function storeMetrics(stores: DoraStores, entityRef: string) {
  const facts = (await stores.facts.readFacts([entityRef], window)).get(
    entityRef,
  )!;
  return computeDoraMetrics(facts, window, DORA_2021);
}

/** The figures the spec computes from raw events, all taken as `entityRef`'s. */
function referenceMetrics(
  entityRef: string,
  deployments: DeploymentEvent[],
  incidents: IncidentEvent[],
) {
  const facts = deriveDoraFacts(
    deployments.map(d => ({ ...d, entityRef })),
    incidents.map(i => ({ ...i, entityRef })),
    window,
    options,
  );
  return computeDoraMetrics(facts, window, DORA_2021);
}

const withCommits = (
  id: string,
  hours: number,
  name: string,
  shas: Array<[string, number]>,
  extra: Partial<DeploymentEvent> = {},
) =>
  deployment(id, at(hours), {
    entityRef: ref(name),
    commits: shas.map(([sha, h]) => ({ sha, committedAt: at(h) })),
    ...extra,
  });

/** A history with lead times, a rollback, linked and unlinked incidents. */
function historyOf(name: string) {
  const deployments = [
    withCommits(`${name}-1`, 10, name, [['a', 2]]),
    withCommits(`${name}-2`, 30, name, [['b', 20]]),
    withCommits(`${name}-3`, 40, name, [], {
      kind: 'rollback',
      fixes: `${name}-2`,
    }),
    withCommits(`${name}-4`, 50, name, [['c', 45]], {
      environment: 'staging',
    }),
  ];
  const incidents = [
    incident(`${name}-i1`, at(31), {
      entityRef: ref(name),
      resolvedAt: at(33),
    }),
    incident(`${name}-i2`, at(60), {
      entityRef: ref(name),
      causeSha: 'a',
      resolvedAt: at(70),
    }),
  ];
  return { deployments, incidents };
}

const MIGRATION = '20261127300000_departed_entities.js';
const migrationsDir = resolvePackagePath(
  '@devops-maturity/backstage-plugin-backend',
  'migrations',
);

async function departedRows(knex: Knex) {
  return (await knex('dm_departed_entities').orderBy('entity_ref')).map(r => ({
    entityRef: r.entity_ref,
    identities: JSON.parse(r.identities),
  }));
}

describe.each(databaseIds(databases))(
  'Entities that leave the catalog, on %p',
  databaseId => {
    it("lists a deleted service's events as no longer in the catalog, after newer arrivals", async () => {
      const { stores } = await createTestStore(databases, databaseId);
      await mirror(stores, entity('gone', 'acme/gone'), entity('quiet'));
      const { deployments, incidents } = historyOf('gone');
      await write(stores, deployments, incidents);
      await stores.events.writeBatch(
        {
          deployments: [],
          incidents: [],
          unmatched: [
            {
              eventType: 'deployment',
              source: 'api',
              id: 'never-matched',
              identity: { entityRef: 'component:default/nobody' },
              reason: 'no catalog entity component:default/nobody',
              payload: { id: 'never-matched' },
              receivedAt: 1000,
            },
          ],
        },
        options,
      );
      expect((await stores.unmatched.listUnmatched(page)).totalCount).toBe(1);

      const before = Date.now();
      await mirror(stores); // both leave; only the one with events is remembered
      const listed = await stores.unmatched.listUnmatched(page);
      expect(listed.totalCount).toBe(7);
      const departed = listed.items.slice(0, 6);
      expect(departed.map(u => `${u.eventType} ${u.id}`).sort()).toEqual([
        'deployment gone-1',
        'deployment gone-2',
        'deployment gone-3',
        'deployment gone-4',
        'incident gone-i1',
        'incident gone-i2',
      ]);
      for (const u of departed) {
        expect(u.reason).toBe('no longer in the catalog');
        expect(u.identity).toEqual({
          entityRef: ref('gone'),
          [SLUG]: 'acme/gone',
        });
        expect(u.receivedAt).toBeGreaterThanOrEqual(before);
      }
      // The event as the push API would take it again.
      expect(departed.find(u => u.id === 'gone-2')!.payload).toEqual({
        ...deployments[1],
        commitsComplete: true,
        finishedAt: new Date(at(30)).toISOString(),
        commits: [{ sha: 'b', committedAt: new Date(at(20)).toISOString() }],
      });
      expect(departed.find(u => u.id === 'gone-i2')!.payload).toEqual({
        ...incidents[1],
        openedAt: new Date(at(60)).toISOString(),
        resolvedAt: new Date(at(70)).toISOString(),
      });
      expect(listed.items[6].id).toBe('never-matched');
      // Pages follow the same order.
      const second = await stores.unmatched.listUnmatched({
        limit: 4,
        offset: 4,
      });
      expect(second.items.map(u => u.id)).toEqual(
        listed.items.slice(4).map(u => u.id),
      );
      expect(second.totalCount).toBe(7);

      // Nothing carries it: it stays listed, and its figures are nobody's.
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([]);
      expect((await stores.unmatched.listUnmatched(page)).totalCount).toBe(7);
    });

    it('moves the history of a service renamed with its annotation, in the same refresh; nothing moves twice', async () => {
      const { stores, knex } = await createTestStore(databases, databaseId);
      await mirror(stores, entity('old-name', 'acme/svc'));
      const { deployments, incidents } = historyOf('old-name');
      await write(stores, deployments, incidents);
      await stores.maturity.insertAssessment({
        entityRef: ref('old-name'),
        answers: { q: 3 } as any,
        author: 'user:default/me',
        submittedAt: at(5),
      });
      await stores.maturity.recordCheckHistory([
        {
          entityRef: ref('old-name'),
          day: T0,
          level: 2,
          calmsScore: 61,
          results: [],
        },
      ]);
      const before = await storeMetrics(stores, ref('old-name'));
      expect(before.deploymentFrequency.deployments).toBe(3);
      expect(before).toEqual(
        referenceMetrics(ref('old-name'), deployments, incidents),
      );
      const listedBefore = await stores.events.listDeployments(
        ref('old-name'),
        page,
      );

      await mirror(stores, entity('new-name', 'acme/svc'));
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([
        { from: ref('old-name'), to: ref('new-name') },
      ]);
      expect(await storeMetrics(stores, ref('new-name'))).toEqual(before);
      expect(
        (await stores.events.listDeployments(ref('new-name'), page)).items,
      ).toEqual(
        listedBefore.items.map(d => ({ ...d, entityRef: ref('new-name') })),
      );
      expect(
        (await stores.maturity.latestAssessments([ref('new-name')])).get(
          ref('new-name'),
        )?.author,
      ).toBe('user:default/me');
      expect(
        (await stores.maturity.checkHistory(ref('new-name'), 10)).map(
          h => h.level,
        ),
      ).toEqual([2]);
      // The CALMS score moves with the level.
      expect(
        (await stores.maturity.checkHistorySince(ref('new-name'), 0)).map(
          h => h.calmsScore,
        ),
      ).toEqual([61]);
      expect((await stores.unmatched.listUnmatched(page)).totalCount).toBe(0);
      for (const table of ['dm_deployments', 'dm_incidents']) {
        const [{ n }] = await knex(table)
          .where('entity_ref', ref('old-name'))
          .count({ n: '*' });
        expect(Number(n)).toBe(0);
      }

      // A second settlement, or the old name showing up again empty, moves nothing back.
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([]);
      await mirror(stores, entity('new-name', 'acme/svc'), entity('old-name'));
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([]);
      expect(await storeMetrics(stores, ref('new-name'))).toEqual(before);
    });

    it('keeps the events of a ref that comes back, and moves to a later carrier of the annotation', async () => {
      const { stores, knex } = await createTestStore(databases, databaseId);
      await mirror(
        stores,
        entity('flaky', 'acme/flaky'),
        entity('moved', 'acme/m'),
      );
      await write(stores, historyOf('flaky').deployments);
      await write(stores, historyOf('moved').deployments);
      const flaky = await storeMetrics(stores, ref('flaky'));
      const moved = await storeMetrics(stores, ref('moved'));

      await mirror(stores); // a catalog answering nothing for a while
      expect((await departedRows(knex)).map(d => d.entityRef)).toEqual([
        ref('flaky'),
        ref('moved'),
      ]);
      await mirror(stores, entity('unrelated'));
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([]);

      await mirror(stores, entity('flaky'), entity('successor', 'acme/m'));
      expect(
        (await stores.unmatched.moveDepartedEntities(options)).sort((a, b) =>
          a.from.localeCompare(b.from),
        ),
      ).toEqual([
        { from: ref('flaky'), to: ref('flaky') },
        { from: ref('moved'), to: ref('successor') },
      ]);
      expect(await storeMetrics(stores, ref('flaky'))).toEqual(flaky);
      expect(await storeMetrics(stores, ref('successor'))).toEqual(moved);
      expect(await departedRows(knex)).toEqual([]);
      expect((await stores.unmatched.listUnmatched(page)).totalCount).toBe(0);
    });

    it('merges into an entity with events of its own: a shared sha keeps its earliest deployment, incidents relink', async () => {
      const { stores, knex } = await createTestStore(databases, databaseId);
      await mirror(stores, entity('old', 'acme/svc'), entity('new'));
      const oldEvents = {
        deployments: [
          withCommits('o1', 3, 'old', [['y', 1]]),
          withCommits('o2', 10, 'old', [
            ['x', 4],
            ['z', 6],
          ]),
        ],
        incidents: [
          // linked to o2 by its sha x; x first reached production with n1
          incident('oi1', at(12), {
            entityRef: ref('old'),
            causeSha: 'x',
            resolvedAt: at(13),
          }),
          // latest before: o2, until n3 of the other entity joins
          incident('oi2', at(24), {
            entityRef: ref('old'),
            resolvedAt: at(26),
          }),
        ],
      };
      const newEvents = {
        deployments: [
          withCommits('n1', 5, 'new', [['x', 4]]),
          withCommits('n2', 8, 'new', [['y', 1]]),
          withCommits('n3', 20, 'new', [['w', 18]]),
        ],
        incidents: [
          incident('ni1', at(9), { entityRef: ref('new'), resolvedAt: at(11) }),
        ],
      };
      await write(stores, oldEvents.deployments, oldEvents.incidents);
      await write(stores, newEvents.deployments, newEvents.incidents);

      await mirror(stores, entity('new', 'acme/svc'));
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([
        { from: ref('old'), to: ref('new') },
      ]);
      const all = {
        deployments: [...oldEvents.deployments, ...newEvents.deployments],
        incidents: [...oldEvents.incidents, ...newEvents.incidents],
      };
      expect(await storeMetrics(stores, ref('new'))).toEqual(
        referenceMetrics(ref('new'), all.deployments, all.incidents),
      );
      const changes = await knex('dm_entity_changes')
        .where('entity_ref', ref('new'))
        .orderBy('sha');
      expect(changes.map(c => [c.sha, c.first_external_id])).toEqual([
        ['w', 'n3'],
        ['x', 'n1'],
        ['y', 'o1'],
        ['z', 'o2'],
      ]);
      const causes = (await stores.events.listIncidents(ref('new'), page)).items
        .map(i => [i.id, i.causeDeployment?.id])
        .sort();
      expect(causes).toEqual([
        ['ni1', 'n2'],
        ['oi1', 'n1'],
        ['oi2', 'n3'],
      ]);
    });

    it('does not guess between several carriers, nor keep an annotation the entity shared', async () => {
      const { stores, knex } = await createTestStore(databases, databaseId);
      await mirror(
        stores,
        entity('single', 'acme/single'),
        entity('mono-a', 'acme/mono'),
        entity('mono-b', 'acme/mono'),
      );
      await write(stores, historyOf('single').deployments);
      await write(stores, historyOf('mono-a').deployments);

      await mirror(
        stores,
        entity('twin-1', 'acme/single'),
        entity('twin-2', 'acme/single'),
        entity('mono-b', 'acme/mono'),
      );
      expect(await departedRows(knex)).toEqual([
        { entityRef: ref('mono-a'), identities: [] },
        {
          entityRef: ref('single'),
          identities: [{ annotation: SLUG, value: 'acme/single' }],
        },
      ]);
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([]);
      expect((await stores.unmatched.listUnmatched(page)).totalCount).toBe(8);
      expect(
        (await storeMetrics(stores, ref('mono-b'))).deploymentFrequency
          .deployments,
      ).toBe(0);

      // Once the catalog tells them apart, the history moves.
      await mirror(
        stores,
        entity('twin-1', 'acme/single'),
        entity('twin-2'),
        entity('mono-b', 'acme/mono'),
      );
      expect(await stores.unmatched.moveDepartedEntities(options)).toEqual([
        { from: ref('single'), to: ref('twin-1') },
      ]);
    });

    it('finds the entities that had already left when migrating, and migrates down', async () => {
      const { knex } = await createTestStore(databases, databaseId);
      while (await knex.schema.hasTable('dm_departed_entities'))
        await knex.migrate.down({ directory: migrationsDir });
      await knex('dm_entities').insert({
        entity_ref: ref('here'),
        kind: 'Component',
        namespace: 'default',
        name: 'here',
      });
      const row = (id: string, entityRef: string) => ({
        source: 'api',
        external_id: id,
        entity_ref: entityRef,
      });
      await knex('dm_deployments').insert(
        [
          row('1', ref('here')),
          row('2', ref('left')),
          row('3', ref('left')),
        ].map(r => ({
          ...r,
          environment: 'production',
          status: 'success',
          counts: true,
          finished_at: T0,
          kind: 'normal',
          commit_count: 0,
          commits: '[]',
        })),
      );
      await knex('dm_incidents').insert([
        { ...row('i1', ref('left')), opened_at: T0 },
        { ...row('i2', ref('only-incidents')), opened_at: T0 },
      ]);
      await knex.migrate.latest({ directory: migrationsDir });
      expect(await departedRows(knex)).toEqual([
        { entityRef: ref('left'), identities: [] },
        { entityRef: ref('only-incidents'), identities: [] },
      ]);
      await knex.migrate.down({ directory: migrationsDir, name: MIGRATION });
      expect(await knex.schema.hasTable('dm_departed_entities')).toBe(false);
      await knex.migrate.latest({ directory: migrationsDir });
    });
  },
);
