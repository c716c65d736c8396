import { setImmediate as nextTurn } from 'timers/promises';
import { isTeamMark, StaleMark } from '../database/staleRankings';
import { LoggerService } from '@backstage/backend-plugin-api';
import {
  CalmsAssessment,
  CheckResult,
  EntityScope,
  DoraMetrics,
  ScorecardMaturity,
  computeDoraMetrics,
  DAY_MS,
  DoraFacts,
  poolFacts,
  restrictFacts,
} from '@devops-maturity/backstage-plugin-common';
import { DoraStore, MaturityStore, MirroredEntity } from '../database/types';
import { MaturityService } from './MaturityService';
import {
  MaturityRow,
  RankingQuery,
  ScorecardRow,
} from '../database/scorecards';
import { DevopsMaturitySettings } from '../config';
import { DEFAULT_WINDOW_DAYS, scorecardIdentity } from './DoraService';
import { ownedEntitiesByGroup } from './ownership';

/** The windows the rankings keep ready; other windows are computed on request. */
export const PRESET_WINDOW_DAYS = [30, 90, 180, 365];
const LONGEST = Math.max(...PRESET_WINDOW_DAYS);

/** What the service needs of the store beyond DoraStore. */
export interface ScorecardStore extends DoraStore, MaturityStore {
  /** Marks these entities' ranking rows stale, and every team's, for every replica. */
  markStale(entityRefs: Iterable<string>): Promise<void>;
  readStale(): Promise<StaleMark[]>;
  /** Clears the marks read; one renewed meanwhile stays. */
  clearStale(marks: StaleMark[]): Promise<void>;
  /** Writes rows, unless a row computed later is stored already. */
  upsertScorecards(rows: ScorecardRow[]): Promise<void>;
  deleteScorecardsExcept(subjectType: string, keep: string[]): Promise<void>;
  maturityRows(windowDays: number, profile: string): Promise<MaturityRow[]>;
  queryScorecards(query: RankingQuery): Promise<{
    items: any[];
    totalCount: number;
    distribution: any;
    computedAt?: number;
  }>;
}

/**
 * Keeps the rankings' precomputed rows: every entity and every group, for each preset window
 * and profile. Rows of entities touched by new events are recomputed before the next ranking
 * read (read-your-writes); everything is recomputed on a schedule, as windows move with time
 * and ownership changes.
 */
export class ScorecardService {
  private flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: ScorecardStore,
    private readonly settings: DevopsMaturitySettings,
    private readonly logger: LoggerService,
    private readonly maturity: MaturityService,
    private readonly clock: () => number = Date.now,
  ) {}

  /**
   * Called after something a ranking row shows changed for these entities (an assessment, a
   * move of history). Stored batches mark their entities in their own transaction.
   */
  async markDirty(entityRefs: Iterable<string>): Promise<void> {
    await this.store.markStale(entityRefs);
  }

  /** Recomputes every row. */
  async refreshAll(): Promise<{
    entities: number;
    owners: number;
    ms: number;
  }> {
    const started = Date.now();
    // Read first: what is marked from now on is still stale after this recomputation.
    const stale = await this.store.readStale();
    const entities = await this.store.listEntities();
    await this.refreshEntities(entities);
    await this.store.deleteScorecardsExcept(
      'entity',
      entities.map(e => e.entityRef),
    );
    const owners = await this.recomputeOwners();
    await this.store.clearStale(stale);
    const ms = Date.now() - started;
    this.logger.info(
      `Recomputed the rankings of ${entities.length} entities and ${owners} groups in ${ms} ms`,
    );
    return { entities: entities.length, owners, ms };
  }

  /**
   * Brings rows up to date with every stored event, on whichever replica it was stored: the
   * stale marks are in the database. One flush at a time per replica; replicas flushing at once
   * compute the same rows, and a row computed earlier never replaces one computed later.
   */
  async flush(subjectType: 'entity' | 'owner'): Promise<void> {
    const run = this.flushing.then(async () => {
      const stale = await this.store.readStale();
      if (stale.length === 0) return;
      const entityMarks = stale.filter(m => !isTeamMark(m));
      if (entityMarks.length) {
        const dirty = new Set(entityMarks.map(m => m.subjectRef));
        const entities = await this.store.listEntities();
        await this.refreshEntities(
          entities.filter(e => dirty.has(e.entityRef)),
        );
        await this.store.clearStale(entityMarks);
      }
      const owners = stale.filter(isTeamMark);
      if (subjectType === 'owner' && owners.length) {
        await this.recomputeOwners();
        await this.store.clearStale(owners);
      }
    });
    // A failed flush fails its own read, not every read after it; its marks stay.
    this.flushing = run.catch(() => undefined);
    return run;
  }

  private windows(now: number) {
    return PRESET_WINDOW_DAYS.map(days => ({
      days,
      window: { from: now - days * DAY_MS, to: now },
    }));
  }

  private async rowsFor(
    subject: Omit<
      ScorecardRow,
      'windowDays' | 'profile' | 'computedAt' | 'metrics'
    >,
    facts: DoraFacts,
    now: number,
    extra: Record<string, unknown>,
    /** Adds columns that depend on the row's DORA figures, such as the maturity level. */
    decorate?: (metrics: DoraMetrics) => Partial<ScorecardRow>,
  ): Promise<ScorecardRow[]> {
    const rows: ScorecardRow[] = [];
    for (const { days, window } of this.windows(now)) {
      // A turn of the event loop per window: a team's pooled year can hold hundreds of
      // thousands of changes, and its four windows' arithmetic would hold every request.
      await nextTurn();
      const cut = restrictFacts(facts, window);
      for (const profile of Object.values(this.settings.profiles)) {
        const dora = computeDoraMetrics(cut, window, profile);
        const more = decorate?.(dora) ?? {};
        rows.push({
          ...subject,
          ...more,
          windowDays: days,
          profile: profile.id,
          computedAt: now,
          metrics: { ...extra, ...dora, ...more.metrics },
        });
      }
    }
    return rows;
  }

  /** The maturity columns of an entity's row for one window and profile. */
  private maturityColumns(
    checks: CheckResult[],
    assessment: CalmsAssessment | undefined,
    dora: DoraMetrics,
    now: number,
    scope: EntityScope,
  ): Partial<ScorecardRow> & { metrics: { maturity: ScorecardMaturity } } {
    const { calms, maturity } = this.maturity.score({
      checks,
      dora,
      assessment,
      now,
      scope,
    });
    const summary: ScorecardMaturity = {
      level: maturity.level,
      name: maturity.name,
      calms: calms.overall,
      pillars: Object.fromEntries(
        calms.pillars.map(p => [p.pillar, p.score]),
      ) as ScorecardMaturity['pillars'],
      basis: calms.basis,
      checks: Object.fromEntries(checks.map(c => [c.id, c.status])),
    };
    return {
      maturityLevel: maturity.level,
      calmsScore: calms.overall,
      checks: summary.checks,
      metrics: { maturity: summary } as any,
    };
  }

  /** Recomputes the rows of these entities (as the catalog mirror has them). */
  private async refreshEntities(
    entities: Array<Omit<MirroredEntity, 'identities'>>,
  ) {
    const now = this.clock();
    const longest = { from: now - LONGEST * DAY_MS, to: now };
    for (let i = 0; i < entities.length; i += 500) {
      const part = entities.slice(i, i + 500);
      const refs = part.map(e => e.entityRef);
      const facts = await this.store.readFacts(refs, longest);
      const checks = await this.maturity.evaluateChecks(part, now);
      const assessments = await this.store.latestAssessments(refs);
      const history: Array<{
        entityRef: string;
        checks: CheckResult[];
        level: number;
        calms: number | null;
      }> = [];
      const rows: ScorecardRow[] = [];
      for (const e of part) {
        const ref = e.entityRef;
        const identity = scorecardIdentity(e);
        const entityRows = await this.rowsFor(
          { subjectType: 'entity', subjectRef: ref, ...identity },
          facts.get(ref)!,
          now,
          identity,
          dora =>
            this.maturityColumns(
              checks.get(ref)!,
              assessments.get(ref),
              dora,
              now,
              this.maturity.scopeOf(e),
            ),
        );
        // The history keeps the level and CALMS score of the default window and profile.
        const main = entityRows.find(
          r =>
            r.windowDays === DEFAULT_WINDOW_DAYS &&
            r.profile === this.settings.defaultProfile,
        );
        history.push({
          entityRef: ref,
          checks: checks.get(ref)!,
          level: main?.maturityLevel ?? 0,
          calms: main?.calmsScore ?? null,
        });
        rows.push(...entityRows);
      }
      await this.store.upsertScorecards(rows);
      await this.maturity.recordHistory(history, now);
    }
  }

  private async recomputeOwners(): Promise<number> {
    const now = this.clock();
    const longest = { from: now - LONGEST * DAY_MS, to: now };
    const children = this.settings.includeChildGroups;
    const ownedByGroup = await ownedEntitiesByGroup(this.store, children);
    for (const { group: g, entityRefs: owned } of ownedByGroup) {
      const facts = await this.store.readFacts(owned, longest);
      const identity = {
        ownerRef: g.groupRef,
        title: g.title,
        parentRef: g.parentRef,
        entityRefs: owned,
        includeChildren: children,
      };
      await this.store.upsertScorecards(
        await this.rowsFor(
          {
            subjectType: 'owner',
            subjectRef: g.groupRef,
            title: g.title,
            ownerRef: g.parentRef,
          },
          poolFacts([...facts.values()]),
          now,
          identity,
        ),
      );
    }
    await this.store.deleteScorecardsExcept(
      'owner',
      ownedByGroup.map(o => o.group.groupRef),
    );
    return ownedByGroup.length;
  }

  /** Whether a request's window is one the rankings keep ready. */
  static presetDays(query: {
    from?: string;
    to?: string;
    days?: number;
  }): number | undefined {
    if (query.from || query.to) return undefined;
    const days = query.days ?? DEFAULT_WINDOW_DAYS;
    return PRESET_WINDOW_DAYS.includes(days) ? days : undefined;
  }

  /** Every entity's level and check statuses, up to date with every stored event. */
  async maturityRows(windowDays: number, profile: string) {
    await this.flush('entity');
    return this.store.maturityRows(windowDays, profile);
  }

  async rank(query: RankingQuery) {
    await this.flush(query.subjectType);
    return this.store.queryScorecards(query);
  }
}
