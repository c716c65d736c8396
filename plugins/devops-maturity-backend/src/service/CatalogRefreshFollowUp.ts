import { LoggerService } from '@backstage/backend-plugin-api';
import { DoraStore } from '../database/types';
import { IngestService } from './IngestService';

/**
 * What follows each refresh of the catalog mirror: demo seeding; the expiry of unmatched
 * events past their retention; the replay of unmatched events that may match now; and, when
 * the catalog changed, every ranking row.
 *
 * Only a changed catalog can match an event that waited: every event was resolved against the
 * mirror when it arrived. So an unchanged refresh replays only the events that arrived since
 * the last replay (resolved, perhaps, against the mirror just before it changed), and a
 * changed one replays them all. 20,000 waiting events used to be replayed, and rewritten, at
 * every refresh.
 */
export class CatalogRefreshFollowUp {
  /** The last unmatched event (by pk) a replay has seen. */
  private replayedUpTo = 0;

  constructor(
    private readonly deps: {
      ingest: Pick<IngestService, 'replayUnmatched'>;
      store: Pick<DoraStore, 'deleteUnmatchedBefore'>;
      refreshRankings: () => Promise<unknown>;
      seedNewServices?: () => Promise<unknown>;
      retentionMs: number;
      logger: LoggerService;
      clock?: () => number;
    },
  ) {}

  async afterRefresh(changed: boolean): Promise<void> {
    const { ingest, store, retentionMs, logger, clock = Date.now } = this.deps;
    await this.deps.seedNewServices?.();
    const expired = await store.deleteUnmatchedBefore(clock() - retentionMs);
    if (expired > 0) {
      logger.info(
        `Deleted ${expired} unmatched events that waited longer than the retention (devopsMaturity.unmatched.retention) for their entity`,
      );
    }
    const { lastPk } = await ingest.replayUnmatched({
      after: changed ? 0 : this.replayedUpTo,
    });
    this.replayedUpTo = Math.max(this.replayedUpTo, lastPk);
    // Owners, systems or groups changed: every ranking row may have.
    if (changed) await this.deps.refreshRankings();
  }
}
