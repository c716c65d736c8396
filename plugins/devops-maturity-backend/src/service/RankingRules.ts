import { createHash } from 'crypto';
import { RulesRecord } from '../database/factRules';
import { DevopsMaturitySettings } from '../config';

/**
 * The version of the ranking rows' computation: raise it when a change to the code computes
 * rows differently, and every installation recomputes them all once after upgrading.
 */
export const RANKING_ROWS_VERSION = 1;

/**
 * What every ranking row depends on beside the events and the catalog: the profiles and their
 * thresholds, whether child groups count, the maturity model, and the installed checks. The
 * fact rules are not here: their rebuild recomputes the rows itself (see FactsRebuild).
 */
export function rankingRules(
  settings: Pick<
    DevopsMaturitySettings,
    'profiles' | 'defaultProfile' | 'includeChildGroups' | 'maturity'
  >,
  checkIds: string[],
) {
  return {
    version: RANKING_ROWS_VERSION,
    profiles: settings.profiles,
    defaultProfile: settings.defaultProfile,
    includeChildGroups: settings.includeChildGroups,
    maturity: settings.maturity,
    checks: [...checkIds].sort(),
  };
}

/**
 * Whether the ranking rows were all computed under the configured settings, as recorded in
 * the database. Before, each replica recomputed every row at its first catalog refresh,
 * whether or not anything had changed: a restart of three replicas on 10,000 services cost
 * three full recomputations (a minute or two each).
 *
 * Replicas that run with different settings, as during a rolling deploy that changes them,
 * each recompute every row at their refreshes until the last old one stops.
 */
export class RankingRules {
  readonly fingerprint: string;

  constructor(
    private readonly record: RulesRecord,
    private readonly rules: ReturnType<typeof rankingRules>,
    private readonly clock: () => number = Date.now,
  ) {
    this.fingerprint = createHash('sha256')
      .update(JSON.stringify(rules))
      .digest('hex');
  }

  async isCurrent(): Promise<boolean> {
    return (await this.record.appliedFingerprint()) === this.fingerprint;
  }

  async markApplied(): Promise<void> {
    await this.record.markApplied(this.fingerprint, this.rules, this.clock());
  }
}
