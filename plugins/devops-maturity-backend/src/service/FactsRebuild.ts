import { createHash } from 'crypto';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  compareUtf8,
  DoraOptions,
} from '@devops-maturity/backstage-plugin-common';
import { FactRulesStore } from '../database/factRules';
import { chunks } from '../database/util';

/**
 * The version of the derivation itself: raise it when a change to the code derives stored
 * facts differently, and every installation rebuilds them once after upgrading.
 */
export const FACT_RULES_VERSION = 1;

/** How many entities one rebuild transaction covers: short enough not to hold writers up. */
const ENTITIES_PER_STEP = 50;

/**
 * The rules stored facts are derived under, written so that equal rules read the same:
 * environments are compared case-insensitively and in no order.
 */
export function factRules(options: DoraOptions) {
  return {
    version: FACT_RULES_VERSION,
    productionEnvironments: [
      ...new Set(
        options.productionEnvironments.map(e => e.trim().toLowerCase()),
      ),
    ].sort(compareUtf8),
    linkIncidentsToLatestDeployment: options.linkIncidentsToLatestDeployment,
  };
}

export function factRulesFingerprint(options: DoraOptions): string {
  return createHash('sha256')
    .update(JSON.stringify(factRules(options)))
    .digest('hex');
}

/**
 * Keeps stored facts under the configured rules: when `devopsMaturity.productionEnvironments`
 * or `devopsMaturity.incidents.linkToLatestDeployment` changed since the facts were derived,
 * derives them again from the stored events, a few entities per transaction so that reads and
 * writes go on, then recomputes the rankings. Until it finishes the rankings say they are
 * stale. A rebuild cut short (restart, crash) starts over: each step is idempotent.
 */
export class FactsRebuild {
  readonly fingerprint: string;

  constructor(
    private readonly store: FactRulesStore,
    private readonly options: DoraOptions,
    private readonly logger: LoggerService,
    /** Recomputes every ranking row once the facts are rebuilt. */
    private readonly refreshRankings: () => Promise<unknown>,
    private readonly clock: () => number = Date.now,
  ) {
    this.fingerprint = factRulesFingerprint(options);
  }

  /** Whether the stored facts and the rankings follow the configured rules. */
  async isCurrent(): Promise<boolean> {
    return (await this.store.appliedFingerprint()) === this.fingerprint;
  }

  /**
   * Whether a rebuild is needed. With nothing stored yet there is nothing to rebuild: the
   * rules are recorded, and whatever is stored from now on follows them. Cheap: called at
   * start, before anything is stored.
   */
  async isNeeded(): Promise<boolean> {
    const applied = await this.store.appliedFingerprint();
    if (applied === this.fingerprint) return false;
    if (applied === undefined && !(await this.store.hasEvents())) {
      await this.store.markApplied(
        this.fingerprint,
        factRules(this.options),
        this.clock(),
      );
      return false;
    }
    return true;
  }

  /** Rebuilds if the rules changed; answers whether it did. */
  async runIfNeeded(): Promise<{ rebuilt: boolean }> {
    if (!(await this.isNeeded())) return { rebuilt: false };
    const rules = factRules(this.options);
    const entities = await this.store.entitiesWithEvents();
    const started = Date.now();
    this.logger.info(
      `Rebuilding the stored facts of ${entities.length} entities: the rules changed ` +
        `(now ${JSON.stringify(
          rules,
        )}); rankings are marked stale until it finishes`,
    );
    let done = 0;
    let recounted = 0;
    let lastReport = started;
    for (const part of chunks(entities, ENTITIES_PER_STEP)) {
      recounted += (await this.store.rebuild(part, this.options)).recounted;
      done += part.length;
      if (Date.now() - lastReport >= 5_000 || done === entities.length) {
        lastReport = Date.now();
        this.logger.info(
          `Rebuilt the facts of ${done} of ${
            entities.length
          } entities (${Math.floor((100 * done) / entities.length)}%)`,
        );
      }
    }
    await this.refreshRankings();
    await this.store.markApplied(this.fingerprint, rules, this.clock());
    this.logger.info(
      `Rebuilt the stored facts of ${entities.length} entities in ${
        Date.now() - started
      } ms: ${recounted} deployments changed whether they count`,
    );
    return { rebuilt: true };
  }
}
