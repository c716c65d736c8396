import { LoggerService } from '@backstage/backend-plugin-api';
import { GoldenPathCheck } from '@devops-maturity/backstage-plugin-common';
import { DevopsMaturitySettings } from '../config';
import { DoraStores } from '../database/openStores';
import { DoraService } from './DoraService';
import { IngestService, UnscoredKindLookup } from './IngestService';
import { MaturityService } from './MaturityService';
import { RankingRules, rankingRules } from './RankingRules';
import { ScorecardService } from './ScorecardService';
import { RANKINGS_TASK } from '../tasks/rankingsTask';
import { TeamHistoryService } from './TeamHistoryService';

/**
 * The plugin's services on the stores, wired as the plugin runs them: stored events mark the
 * entities' ranking rows for recomputation. Shared by the plugin, its tests and the benchmark.
 */
export function createServices(options: {
  stores: Pick<
    DoraStores,
    | 'catalog'
    | 'events'
    | 'unmatched'
    | 'facts'
    | 'rankings'
    | 'rankingRules'
    | 'maturity'
  >;
  settings: DevopsMaturitySettings;
  logger: LoggerService;
  checks: GoldenPathCheck[];
  clock?: () => number;
  /** The catalog's kind of an unmatched event's entity when it is not a scored kind. */
  unscoredKinds?: UnscoredKindLookup;
}) {
  const { stores, settings, logger, checks, clock = Date.now } = options;
  const dora = new DoraService(stores, settings, clock);
  const maturity = new MaturityService(stores, settings, dora, checks, clock);
  const scorecards = new ScorecardService(
    stores,
    settings,
    logger.child({ task: RANKINGS_TASK }),
    maturity,
    new RankingRules(
      stores.rankingRules,
      rankingRules(
        settings,
        checks.map(c => c.id),
      ),
      clock,
    ),
    clock,
  );
  const ingest = new IngestService(
    stores,
    settings.options,
    logger,
    clock,
    refs => scorecards.markDirty(refs),
    options.unscoredKinds,
  );
  const teamHistory = new TeamHistoryService(stores, settings, dora);
  return { dora, maturity, scorecards, ingest, teamHistory };
}
