import { mockServices } from '@backstage/backend-test-utils';
import {
  BUILT_IN_CHECKS,
  DEFAULT_DORA_OPTIONS,
} from '@devops-maturity/backstage-plugin-common';
import {
  createTestDatabases,
  createTestStore,
  databaseIds,
} from '../__testUtils__/databases';
import {
  CatalogRefreshFollowUp,
  REPLAY_OVERLAP_MS,
} from './CatalogRefreshFollowUp';
import { IngestService } from './IngestService';
import { createServices } from './createServices';
import { readSettings } from '../config';
import { ConfigReader } from '@backstage/config';
import { deploymentItemSchema, parseBatch } from './validation';

const databases = createTestDatabases();
const DAY = 86_400_000;
const START = Date.parse('2026-06-10T00:00:00Z');
const SETTINGS = readSettings(new ConfigReader({}));
const OWNED_BY_GROUP = BUILT_IN_CHECKS[0];
const CHECKS = BUILT_IN_CHECKS.slice(1);

const entity = (name: string) => ({
  entityRef: `component:default/${name}`,
  kind: 'Component',
  namespace: 'default',
  name,
  ownerRef: 'group:default/team',
  identities: [],
});

describe.each(databaseIds(databases))(
  'CatalogRefreshFollowUp on %p',
  databaseId => {
    it('replays waiting events only when the catalog changed, new arrivals always, and drops those past the retention', async () => {
      const { knex, stores } = await createTestStore(databases, databaseId);
      let now = START;
      const ingest = new IngestService(
        stores,
        DEFAULT_DORA_OPTIONS,
        mockServices.logger.mock(),
        () => now,
      );
      // The settings are recorded as applied by the first full recomputation.
      let rulesApplied = false;
      const rankings = jest.fn(async () => {
        const recomputes = !rulesApplied;
        rulesApplied = true;
        return recomputes;
      });
      const markedRankings = jest.fn(async () => {});
      const followUp = new CatalogRefreshFollowUp({
        ingest,
        stores,
        refreshRankingsIfRulesChanged: rankings,
        recomputeMarkedRankings: markedRankings,
        retentionMs: 30 * DAY,
        logger: mockServices.logger.mock(),
        clock: () => now,
      });
      const push = (id: string, name: string) =>
        ingest.ingestDeployments(
          parseBatch(deploymentItemSchema, {
            items: [
              {
                id,
                entityRef: `component:default/${name}`,
                environment: 'production',
                status: 'success',
                finishedAt: '2026-06-01T10:00:00Z',
              },
            ],
          }),
        );
      const waiting = async () =>
        (await knex('dm_unmatched_events').orderBy('external_id')).map(
          r => r.external_id,
        );

      await stores.catalog.replaceCatalog([entity('a')], []);
      await push('for-b', 'b');
      now += REPLAY_OVERLAP_MS + 1;
      await followUp.afterRefresh(true);
      expect(await waiting()).toEqual(['for-b']);
      expect(markedRankings).toHaveBeenCalledTimes(0);

      // The mirror gains b, but this refresh says nothing changed: the waiting event, which
      // arrived well before the last replay, is not replayed (an unchanged catalog cannot
      // match it)...
      await stores.catalog.replaceCatalog(
        [entity('a'), entity('b'), entity('c')],
        [],
      );
      now += 1000;
      await followUp.afterRefresh(false);
      expect(await waiting()).toEqual(['for-b']);
      expect(markedRankings).toHaveBeenCalledTimes(1);
      // ...but an event that arrived since the last replay is.
      await knex('dm_unmatched_events').insert({
        event_type: 'deployment',
        source: 'api',
        external_id: 'for-c',
        identity: JSON.stringify({ entityRef: 'component:default/c' }),
        reason: 'no catalog entity component:default/c',
        payload: JSON.stringify({
          id: 'for-c',
          source: 'api',
          entityRef: 'component:default/c',
          environment: 'production',
          status: 'success',
          finishedAt: '2026-06-01T10:00:00Z',
          commits: [],
          kind: 'normal',
        }),
        // Stored, on PostgreSQL, by a transaction that began before the last replay and
        // committed after it: within the overlap, it is replayed all the same.
        received_at: now - 60_000,
      });
      now += 1000;
      await followUp.afterRefresh(false);
      expect(await waiting()).toEqual(['for-b']);
      // A changed catalog replays everything.
      await followUp.afterRefresh(true);
      expect(await waiting()).toEqual([]);
      // Every ranking row at the first refresh (no settings recorded yet); after the others,
      // those marked stale.
      expect(rankings).toHaveBeenCalledTimes(4);
      expect(markedRankings).toHaveBeenCalledTimes(3);

      // An event that waits longer than the retention is dropped...
      await push('for-x', 'x');
      await push('for-y', 'y');
      now += 30 * DAY - 1;
      await followUp.afterRefresh(false);
      expect(await waiting()).toEqual(['for-x', 'for-y']);
      now += 2;
      // ...unless its entity has just appeared: replayed first, it is matched.
      await stores.catalog.replaceCatalog(
        [entity('a'), entity('b'), entity('c'), entity('y')],
        [],
      );
      await followUp.afterRefresh(true);
      expect(await waiting()).toEqual([]);
      expect(
        await stores.events.listDeployments('component:default/y', {
          limit: 10,
          offset: 0,
        }),
      ).toMatchObject({ totalCount: 1 });
    });

    it('recomputes every ranking row when the settings they follow changed, not at each replica start', async () => {
      const { stores } = await createTestStore(databases, databaseId);
      const replicaStart = (settings: typeof SETTINGS, checks = CHECKS) => {
        const { scorecards } = createServices({
          stores,
          settings,
          logger: mockServices.logger.mock(),
          checks,
          clock: () => START,
        });
        const calls = { all: 0, marked: 0 };
        const followUp = new CatalogRefreshFollowUp({
          ingest: { replayUnmatched: async () => 0 } as any,
          stores,
          refreshRankingsIfRulesChanged: async () => {
            const recomputed = await scorecards.refreshAllIfRulesChanged();
            if (recomputed) calls.all++;
            return recomputed;
          },
          recomputeMarkedRankings: async () => calls.marked++,
          retentionMs: 30 * DAY,
          logger: mockServices.logger.mock(),
        });
        return { scorecards, followUp, calls };
      };
      const first = replicaStart(SETTINGS);
      await first.followUp.afterRefresh(true);
      await first.followUp.afterRefresh(false);
      expect(first.calls).toEqual({ all: 1, marked: 1 });

      // Another replica, or this one restarted, under the same settings.
      const second = replicaStart(SETTINGS);
      await second.followUp.afterRefresh(true);
      expect(second.calls).toEqual({ all: 0, marked: 1 });

      // Child groups no longer count, on two replicas refreshing at once: one recomputes
      // everything; the other, its turn come, finds that done.
      const flat = { ...SETTINGS, includeChildGroups: false };
      const [a, b] = [replicaStart(flat), replicaStart(flat)];
      await Promise.all([
        a.followUp.afterRefresh(false),
        b.followUp.afterRefresh(false),
      ]);
      expect(a.calls.all + b.calls.all).toBe(1);
      expect(a.calls.marked + b.calls.marked).toBe(1);

      // A check is installed, and the scheduled recomputation runs before any catalog
      // refresh: it records the new settings too.
      const more = replicaStart(flat, [...CHECKS, OWNED_BY_GROUP]);
      await more.scorecards.refreshAll();
      await more.followUp.afterRefresh(false);
      expect(more.calls).toEqual({ all: 0, marked: 1 });
      // The checks in another order are the same checks.
      const reordered = replicaStart(
        flat,
        [OWNED_BY_GROUP, ...CHECKS].reverse(),
      );
      await reordered.followUp.afterRefresh(false);
      expect(reordered.calls).toEqual({ all: 0, marked: 1 });
      // One check fewer is a change.
      const fewer = replicaStart(flat);
      await fewer.followUp.afterRefresh(false);
      expect(fewer.calls).toEqual({ all: 1, marked: 0 });
    });
  },
);
