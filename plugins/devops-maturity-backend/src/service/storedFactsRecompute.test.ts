import { ConfigReader } from '@backstage/config';
import {
  DAY_MS,
  DeploymentEvent,
  IncidentEvent,
} from '@devops-maturity/backstage-plugin-common';
import { TestDatabaseId } from '@backstage/backend-test-utils';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import { servicesAt } from '../__testUtils__/services';
import { readSettings } from '../config';
import { DoraStores } from '../database/openStores';
import { REREAD_SHARE_PER_RECOMPUTATION } from './ScorecardService';

jest.setTimeout(60_000);

const databases = createTestDatabases();
const NOW = Date.parse('2026-11-21T08:00:00Z');
const HOUR = 3_600_000;
const ENTITIES = 48;
const ref = (i: number) =>
  `component:default/svc-${String(i).padStart(2, '0')}`;
const team = (i: number) => `group:default/team-${i % 4}`;

/** A few weeks of deployments, with commits, and an incident for every third entity. */
function history(i: number): {
  deployments: DeploymentEvent[];
  incidents: IncidentEvent[];
} {
  const deployments = Array.from(
    { length: 3 + (i % 5) },
    (_, n): DeploymentEvent => {
      const finishedAt = NOW - (n * 7 + (i % 3) + 1) * DAY_MS;
      return {
        id: `d-${i}-${n}`,
        source: 'api',
        entityRef: ref(i),
        environment: 'production',
        status: n === 1 && i % 4 === 0 ? 'failure' : 'success',
        finishedAt: new Date(finishedAt).toISOString(),
        commits: [
          {
            sha: `sha-${i}-${n}`,
            committedAt: new Date(
              finishedAt - (i + n + 1) * HOUR,
            ).toISOString(),
          },
        ],
        kind: 'normal',
      };
    },
  );
  const incidents =
    i % 3 === 0
      ? [
          {
            id: `i-${i}`,
            source: 'api',
            entityRef: ref(i),
            openedAt: new Date(NOW - 9 * DAY_MS).toISOString(),
            resolvedAt: new Date(
              NOW - 9 * DAY_MS + (i + 1) * HOUR,
            ).toISOString(),
          },
        ]
      : [];
  return { deployments, incidents };
}

async function setUp(databaseId: TestDatabaseId) {
  const { knex, stores } = await createTestStore(databases, databaseId);
  const settings = readSettings(new ConfigReader({}));
  await stores.catalog.replaceCatalog(
    Array.from({ length: ENTITIES }, (_, i) => ({
      entityRef: ref(i),
      kind: 'Component',
      namespace: 'default',
      name: `svc-${i}`,
      ownerRef: team(i),
      identities: [],
    })),
    Array.from({ length: 4 }, (_, i) => ({ groupRef: team(i) })),
  );
  const all = Array.from({ length: ENTITIES }, (_, i) => history(i));
  await stores.events.writeBatch(
    {
      deployments: all.flatMap(h => h.deployments),
      incidents: all.flatMap(h => h.incidents),
      unmatched: [],
    },
    settings.options,
  );
  // Every entity was marked by the batch: every one is read from its events.
  await servicesAt(stores, settings, NOW).scorecards.refreshAll();
  const read = jest.spyOn(stores.facts, 'readFacts');
  const readRefs = () => {
    const refs = read.mock.calls.flatMap(([r]) => r).sort();
    read.mockClear();
    return refs;
  };
  return { knex, stores, settings, readRefs };
}

/** Every ranking row's figures, by subject, window and profile. */
async function everyRow(stores: DoraStores, knexRows: () => Promise<any[]>) {
  expect(await stores.rankings.countStale()).toEqual({ entities: 0, teams: 0 });
  return Object.fromEntries(
    (await knexRows()).map(r => [
      `${r.subject_type} ${r.subject_ref} ${r.window_days} ${r.profile}`,
      typeof r.metrics === 'string' ? JSON.parse(r.metrics) : r.metrics,
    ]),
  );
}

/** The 30-day rows of every entity or group, by name, as a ranking read answers them. */
async function rankedRows(
  scorecards: ReturnType<typeof servicesAt>['scorecards'],
  subjectType: 'entity' | 'owner',
): Promise<any[]> {
  const ranked = await scorecards.rank({
    subjectType,
    windowDays: 30,
    profile: 'dora-2021',
    sort: 'name',
    order: 'asc',
    limit: 100,
    offset: 0,
  });
  return ranked.items as any[];
}

/** A deployment of svc-05, stored now, at `finishedAt`. */
const oneMore = (finishedAt: number): DeploymentEvent => ({
  id: 'late',
  source: 'api',
  entityRef: ref(5),
  environment: 'production',
  status: 'success',
  finishedAt: new Date(finishedAt).toISOString(),
  commits: [],
  kind: 'normal',
});

describe.each(databaseIds(databases))(
  'A full recomputation from stored facts on %p',
  databaseId => {
    it('reads the events of marked entities and of the share stored longest ago only, and gives the rows the events give', async () => {
      const { knex, stores, settings, readRefs } = await setUp(databaseId);
      const share = Math.ceil(ENTITIES * REREAD_SHARE_PER_RECOMPUTATION);
      expect(share).toBe(2);
      const rows = () =>
        everyRow(stores, () =>
          knex('dm_scorecards').orderBy([
            'subject_type',
            'subject_ref',
            'window_days',
            'profile',
          ]),
        );
      await stores.events.writeBatch(
        {
          deployments: [oneMore(NOW + HOUR / 2)],
          incidents: [],
          unmatched: [],
        },
        settings.options,
      );

      // An hour on: svc-05, marked, and the two stored longest ago (all at NOW: by ref).
      const hourLater = servicesAt(stores, settings, NOW + HOUR).scorecards;
      await hourLater.refreshAll();
      expect(readRefs()).toEqual([ref(0), ref(1), ref(5)]);
      const pooled = await rows();
      const svc5 = pooled[`entity ${ref(5)} 30 dora-2021`];
      expect(svc5.deploymentFrequency.deployments).toBe(
        history(5).deployments.length + 1,
      );

      // Every entity from its events, at the same time: the same figures.
      await hourLater.refreshAll({ rereadEvents: true });
      expect(readRefs()).toHaveLength(ENTITIES);
      expect(await rows()).toEqual(pooled);

      // Facts move with the windows: 26 days on, from the stored facts, the rows the events
      // give; the share read again is the two stored longest ago.
      await knex('dm_entity_facts')
        .whereIn('entity_ref', [ref(7), ref(8)])
        .update({ computed_at: NOW - DAY_MS });
      const later = servicesAt(stores, settings, NOW + 26 * DAY_MS).scorecards;
      await later.refreshAll();
      expect(readRefs()).toEqual([ref(7), ref(8)]);
      const fromStored = await rows();
      await later.refreshAll({ rereadEvents: true });
      expect(await rows()).toEqual(fromStored);
    });

    it('reads again the events of an entity an incident left for another', async () => {
      const { stores, settings, readRefs } = await setUp(databaseId);
      // An incident of svc-04, open; svc-04's rows and facts computed with it. Then its
      // service is mapped to svc-07: the next copy names svc-07.
      const open = (entityRef: string, updatedAt: number): IncidentEvent => ({
        id: 'moving',
        source: 'pagerduty',
        entityRef,
        openedAt: new Date(NOW - DAY_MS).toISOString(),
        updatedAt: new Date(updatedAt).toISOString(),
      });
      const write = (incident: IncidentEvent) =>
        stores.events.writeBatch(
          { deployments: [], incidents: [incident], unmatched: [] },
          settings.options,
        );
      await write(open(ref(4), NOW - DAY_MS));
      await servicesAt(stores, settings, NOW).scorecards.flush('owner');
      await write(open(ref(7), NOW - DAY_MS / 2));
      readRefs();

      const hourLater = servicesAt(stores, settings, NOW + HOUR).scorecards;
      await hourLater.refreshAll();
      expect(readRefs()).toEqual([ref(0), ref(1), ref(4), ref(7)]);
      const openIncidents = async (i: number) =>
        (await rankedRows(hourLater, 'entity')).find(
          r => r.entityRef === ref(i),
        ).timeToRestore.openIncidents;
      expect(await openIncidents(4)).toBe(0);
      expect(await openIncidents(7)).toBe(1);
    });

    it("reads every entity's events again once the ranking rules change, and only then", async () => {
      const { stores, settings, readRefs } = await setUp(databaseId);
      const same = servicesAt(stores, settings, NOW + HOUR).scorecards;
      expect(await same.refreshAllIfRulesChanged()).toBe(false);
      expect(readRefs()).toEqual([]);

      // A new version, or a setting, may derive facts or cover windows differently from
      // those stored: none of them is reused.
      const changed = {
        ...settings,
        includeChildGroups: !settings.includeChildGroups,
      };
      const after = servicesAt(stores, changed, NOW + HOUR).scorecards;
      expect(await after.refreshAllIfRulesChanged()).toBe(true);
      expect(readRefs()).toHaveLength(ENTITIES);
      expect(await after.refreshAllIfRulesChanged()).toBe(false);
      expect(readRefs()).toEqual([]);
    });

    it('reads the events of an entity marked between its first read of the marks and its clock, which a flush with an earlier clock then handles', async () => {
      const { stores, settings } = await setUp(databaseId);
      // Replica A reads the marks; a batch for svc-05 is stored; A reads its clock. Replica B
      // then flushes, its clock a minute behind A's: its rows are older than A's and are not
      // written, and it clears svc-05's mark. A's rows must hold the deployment.
      const a = servicesAt(stores, settings, NOW + HOUR).scorecards;
      const b = servicesAt(stores, settings, NOW + HOUR - 60_000).scorecards;
      const readStale = stores.rankings.readStale.bind(stores.rankings);
      jest
        .spyOn(stores.rankings, 'readStale')
        .mockImplementationOnce(async () => {
          const marks = await readStale();
          await stores.events.writeBatch(
            {
              deployments: [oneMore(NOW + HOUR / 2)],
              incidents: [],
              unmatched: [],
            },
            settings.options,
          );
          return marks;
        });
      await a.refreshAll();
      await b.flush('owner');

      expect(await stores.rankings.countStale()).toEqual({
        entities: 0,
        teams: 0,
      });
      const page = (subjectType: 'entity' | 'owner') =>
        rankedRows(a, subjectType);
      const entities = await page('entity');
      const svc5 = entities.find(r => r.entityRef === ref(5));
      expect(svc5.deploymentFrequency.deployments).toBe(
        history(5).deployments.length + 1,
      );
      // The team's row pools its entities': svc-05's new deployment included.
      const teamOf5 = (await page('owner')).find(r => r.ownerRef === team(5));
      expect(teamOf5.deploymentFrequency.deployments).toBe(
        entities
          .filter(r => r.ownerRef === team(5))
          .reduce((n, r) => n + r.deploymentFrequency.deployments, 0),
      );
    });
  },
);
