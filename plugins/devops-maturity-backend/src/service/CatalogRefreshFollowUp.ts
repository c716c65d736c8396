import { LoggerService } from '@backstage/backend-plugin-api';
import { DoraStores } from '../database/openStores';
import { IngestService } from './IngestService';

/** Longer than any transaction that stores a batch. */
export const REPLAY_OVERLAP_MS = 5 * 60_000;

/**
 * What follows each refresh of the catalog mirror: demo seeding; the expiry of unmatched
 * events past their retention; the replay of unmatched events that may match now; and the
 * ranking rows: every one when the settings they depend on changed (`RankingRules`, recorded in
 * the database, so a replica's restart alone recomputes nothing), else those the refresh marked
 * stale (the catalog store marks the rows its change touches, see `catalogChanges`).
 *
 * Only a changed catalog can match an event that waited: every event was resolved against the
 * mirror when it arrived. So an unchanged refresh replays only the events that arrived since
 * the last replay began (resolved, perhaps, against the mirror just before it changed), and
 * a changed one replays them all. 20,000 waiting events used to be replayed, and rewritten, at
 * every refresh.
 */
export class CatalogRefreshFollowUp {
  /** When the last replay started; undefined before the first. */
  private lastReplayAt?: number;

  constructor(
    private readonly deps: {
      ingest: Pick<IngestService, 'replayUnmatched'>;
      stores: Pick<DoraStores, 'unmatched'>;
      /**
       * Recomputes every ranking row when the settings they follow changed since they were
       * last all computed (`RankingRules`); whether it did.
       */
      refreshRankingsIfRulesChanged: () => Promise<boolean>;
      /** Recomputes the ranking rows marked stale. */
      recomputeMarkedRankings: () => Promise<unknown>;
      seedNewServices?: () => Promise<unknown>;
      retentionMs: number;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {}

  async afterRefresh(changed: boolean): Promise<void> {
    const { ingest, stores, retentionMs, logger, clock = Date.now } = this.deps;
    await this.deps.seedNewServices?.();
    const startedAt = clock();
    // By arrival time, not by pk: on PostgreSQL a pk is taken before its transaction commits,
    // so an event committed late may carry a pk below one already replayed. The overlap
    // covers transactions still open when the last replay began.
    await ingest.replayUnmatched(
      changed || this.lastReplayAt === undefined
        ? {}
        : { receivedSince: this.lastReplayAt - REPLAY_OVERLAP_MS },
    );
    this.lastReplayAt = startedAt;
    // After the replay: an old event whose entity just appeared is matched, not deleted.
    const expired = await stores.unmatched.deleteUnmatchedBefore(
      clock() - retentionMs,
    );
    if (expired > 0) {
      logger.info(
        `Deleted ${expired} unmatched events that waited longer than the retention (devopsMaturity.unmatched.retention) for their entity`,
      );
    }
    if (!(await this.deps.refreshRankingsIfRulesChanged())) {
      await this.deps.recomputeMarkedRankings();
    }
  }
}
