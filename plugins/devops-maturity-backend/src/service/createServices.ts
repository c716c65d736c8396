import { LoggerService } from '@backstage/backend-plugin-api';
import { GoldenPathCheck } from '@devops-maturity/backstage-plugin-common';
import { DevopsMaturitySettings } from '../config';
import { MaturityStore } from '../database/types';
import { DoraService } from './DoraService';
import { IngestService, UnscoredKindLookup } from './IngestService';
import { MaturityService } from './MaturityService';
import { ScorecardService, ScorecardStore } from './ScorecardService';
import { RANKINGS_TASK } from '../tasks/rankingsTask';
import { TeamHistoryService } from './TeamHistoryService';

/**
 * The plugin's services on a store, wired as the plugin runs them: stored events mark the
 * entities' ranking rows for recomputation. Shared by the plugin, its tests and the benchmark.
 */
export function createServices(options: {
  store: ScorecardStore & MaturityStore;
  settings: DevopsMaturitySettings;
  logger: LoggerService;
  checks: GoldenPathCheck[];
  clock?: () => number;
  /** The catalog's kind of an unmatched event's entity when it is not a scored kind. */
  unscoredKinds?: UnscoredKindLookup;
}) {
  const { store, settings, logger, checks, clock = Date.now } = options;
  const dora = new DoraService(store, settings, clock);
  const maturity = new MaturityService(store, settings, dora, checks, clock);
  const scorecards = new ScorecardService(
    store,
    settings,
    logger.child({ task: RANKINGS_TASK }),
    maturity,
    clock,
  );
  const ingest = new IngestService(
    store,
    settings.options,
    logger,
    clock,
    refs => scorecards.markDirty(refs),
    options.unscoredKinds,
  );
  const teamHistory = new TeamHistoryService(store, settings, dora);
  return { dora, maturity, scorecards, ingest, teamHistory };
}
