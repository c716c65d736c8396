import { InputError, NotFoundError } from '@backstage/errors';
import {
  CALMS_QUESTIONS,
  CalmsAnswers,
  CalmsAssessment,
  CalmsScores,
  CheckEntity,
  CheckResult,
  checkStatusChanges,
  EntityScope,
  entityScope,
  computeCalmsScores,
  DAY_MS,
  DoraMetrics,
  DoraProfile,
  EntityAssessment,
  EntityMaturity,
  EntityMaturityHistory,
  evaluateMaturity,
  GoldenPathCheck,
  GoldenPathFailing,
  GoldenPathFailure,
  GoldenPathHealth,
  GoldenPathHealthRow,
  isAssessmentStale,
  MaturityResult,
  runChecks,
  TimeWindow,
  utcDayStart,
  validateCalmsAnswers,
} from '@devops-maturity/backstage-plugin-common';
import { MirroredEntity } from '../database/types';
import { DoraStores } from '../database/openStores';
import { DevopsMaturitySettings } from '../config';
import { MaturityRow } from '../database/scorecards';
import { DoraService } from './DoraService';

type Entity = Omit<MirroredEntity, 'identities'>;

/** How many past assessments and days of check history the API answers. */
const HISTORY_LIMIT = 20;
const CHECK_HISTORY_DAYS = 90;

function checkEntity(e: Entity): CheckEntity {
  return {
    entityRef: e.entityRef,
    kind: e.kind,
    type: e.type,
    description: e.description,
    lifecycle: e.lifecycle,
    ownerRef: e.ownerRef,
    systemRef: e.systemRef,
    annotations: e.annotations ?? {},
    links: e.links ?? [],
  };
}

/**
 * The maturity model of entities: golden-path checks from the catalog mirror and the stored
 * events, CALMS scores with the latest self-assessment, and the level. The math is -common's.
 */
export class MaturityService {
  /** The checks in force: those installed, less the disabled ones. */
  private readonly checks: GoldenPathCheck[];

  constructor(
    private readonly stores: Pick<DoraStores, 'catalog' | 'maturity'>,
    private readonly settings: DevopsMaturitySettings,
    private readonly dora: DoraService,
    private readonly installed: GoldenPathCheck[],
    private readonly clock: () => number = Date.now,
  ) {
    const disabled = new Set(settings.maturity.disabledChecks);
    this.checks = installed.filter(c => !disabled.has(c.id));
  }

  /** Where the entity's type and lifecycle place it, by `maturity.nonDeployableTypes`. */
  scopeOf(entity: Pick<Entity, 'type' | 'lifecycle'>): EntityScope {
    return entityScope(entity, this.settings.maturity.nonDeployableTypes);
  }

  /** Every check's result for each entity, at `now`. */
  async evaluateChecks(
    entities: Entity[],
    now: number,
  ): Promise<Map<string, CheckResult[]>> {
    const signals = await this.stores.maturity.readCheckSignals(
      entities.map(e => e.entityRef),
      now,
    );
    return new Map(
      entities.map(e => [
        e.entityRef,
        // Disabled checks run too, as not applicable, so that a level needing one says why.
        runChecks(
          this.installed,
          {
            entity: checkEntity(e),
            signals: signals.get(e.entityRef)!,
            settings: this.settings.maturity.checks,
          },
          {
            nonDeployableTypes: this.settings.maturity.nonDeployableTypes,
            disabled: this.settings.maturity.disabledChecks,
          },
        ),
      ]),
    );
  }

  /** CALMS and level from checks, DORA figures and the latest assessment: pure. */
  score(input: {
    checks: CheckResult[];
    dora?: DoraMetrics;
    assessment?: CalmsAssessment;
    now: number;
    /** The entity's scope (see `scopeOf`): DORA criteria apply only to delivering entities. */
    scope?: EntityScope;
  }): { calms: CalmsScores; maturity: MaturityResult } {
    const { maturity } = this.settings;
    const calms = computeCalmsScores({
      checks: input.checks,
      dora: input.dora,
      assessment: input.assessment,
      now: input.now,
      staleAfterDays: maturity.assessmentMaxAgeDays,
      weights: maturity.weights,
    });
    return {
      calms,
      maturity: evaluateMaturity(maturity.levels, {
        checks: input.checks,
        calms,
        dora: input.dora,
        scope: input.scope,
      }),
    };
  }

  /** Keeps today's results of these entities (one row per entity and day). */
  async recordHistory(
    results: Array<{
      entityRef: string;
      checks: CheckResult[];
      level: number;
      /** The CALMS overall score, 0..100, or null when unscored. */
      calms: number | null;
    }>,
    now: number,
  ) {
    await this.stores.maturity.recordCheckHistory(
      results.map(r => ({
        entityRef: r.entityRef,
        day: utcDayStart(now),
        level: r.level,
        calmsScore: r.calms,
        results: r.checks.map(c => ({
          id: c.id,
          status: c.status,
          value: c.value,
        })),
      })),
    );
  }

  async entityMaturity(
    entityRef: string,
    window: TimeWindow,
    profile: DoraProfile,
  ): Promise<EntityMaturity> {
    const now = this.clock();
    const entity = await this.dora.requireEntity(entityRef);
    const [metrics, checks, assessments] = await Promise.all([
      this.dora.metricsOf(entityRef, window, profile),
      this.evaluateChecks([entity], now),
      this.stores.maturity.latestAssessments([entityRef]),
    ]);
    const entityChecks = checks.get(entityRef)!;
    const { calms, maturity } = this.score({
      checks: entityChecks,
      dora: metrics,
      assessment: assessments.get(entityRef),
      now,
      scope: this.scopeOf(entity),
    });
    return {
      entityRef,
      computedAt: new Date(now).toISOString(),
      window: metrics.window,
      profile: metrics.profile,
      ...maturity,
      checks: entityChecks,
      calms,
      overallTier: metrics.overallTier,
      history: await this.stores.maturity.checkHistory(
        entityRef,
        CHECK_HISTORY_DAYS,
      ),
    };
  }

  /**
   * The entity's recorded days of the last `days` UTC days (today included), oldest first, and
   * the days its checks started or stopped passing: a change on the window's first day is
   * measured against the last record before the window.
   */
  async entityHistory(
    entityRef: string,
    days: number,
  ): Promise<EntityMaturityHistory> {
    await this.dora.requireEntity(entityRef);
    const fromDay = utcDayStart(this.clock()) - (days - 1) * DAY_MS;
    const rows = await this.stores.maturity.checkHistorySince(
      entityRef,
      fromDay,
    );
    const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    const inWindow = rows.filter(r => r.day >= fromDay);
    // All installed checks, not only those in force: a check disabled since still has its
    // recorded changes, and they should read with its title, not its id.
    const titles = new Map(this.installed.map(c => [c.id, c.title]));
    return {
      entityRef,
      window: { days },
      points: inWindow.map(r => ({
        day: isoDay(r.day),
        level: r.level,
        calms: r.calmsScore ?? null,
      })),
      changes: checkStatusChanges(
        rows.map(r => ({ day: isoDay(r.day), results: r.results })),
      )
        .filter(c => c.day >= isoDay(fromDay))
        .map(c => ({ ...c, title: titles.get(c.checkId) ?? c.checkId })),
    };
  }

  async assessment(entityRef: string): Promise<EntityAssessment> {
    await this.dora.requireEntity(entityRef);
    const history = await this.stores.maturity.assessmentHistory(
      entityRef,
      HISTORY_LIMIT,
    );
    const current = history[0];
    const maxAge = this.settings.maturity.assessmentMaxAgeDays;
    return {
      entityRef,
      current: current ?? null,
      stale: current ? isAssessmentStale(current, this.clock(), maxAge) : false,
      staleAfterDays: maxAge,
      history,
      questions: CALMS_QUESTIONS,
    };
  }

  /** The checks in force, for listings. */
  listChecks() {
    return this.checks.map(c => ({
      id: c.id,
      title: c.title,
      pillar: c.pillar,
    }));
  }

  /**
   * Golden-path health: per team (with its sub-teams' entities, as the team rankings) and for
   * the organisation, how many entities sit at each level and pass each check.
   */
  async goldenPathHealth(
    rows: MaturityRow[],
    window: { days: number },
    profile: string,
  ): Promise<GoldenPathHealth> {
    const { groups, ancestorsOf } = await this.teamMembership();
    const empty = (ownerRef?: string, title?: string): GoldenPathHealthRow => ({
      ownerRef,
      title,
      entities: 0,
      // Keyed by check ids that modules choose: no prototype to collide with.
      levels: Object.create(null),
      checks: Object.create(null),
    });
    const add = (row: GoldenPathHealthRow, r: (typeof rows)[number]) => {
      row.entities += 1;
      const level = String(r.level ?? 0);
      row.levels[level] = (row.levels[level] ?? 0) + 1;
      for (const [id, status] of Object.entries(r.checks)) {
        const c = (row.checks[id] ??= { passed: 0, applicable: 0 });
        if (status === 'not-applicable') continue;
        c.applicable += 1;
        if (status === 'pass') c.passed += 1;
      }
    };
    const organisation = empty();
    const teams = new Map(
      groups.map(g => [g.groupRef, empty(g.groupRef, g.title)]),
    );
    for (const r of rows) {
      add(organisation, r);
      for (const g of r.ownerRef ? ancestorsOf.get(r.ownerRef) ?? [] : []) {
        const team = teams.get(g);
        if (team) add(team, r);
      }
    }
    return {
      window,
      profile,
      checks: this.listChecks(),
      levels: [...this.settings.maturity.levels]
        .sort((a, b) => a.level - b.level)
        .map(l => ({ level: l.level, name: l.name })),
      organisation,
      teams: [...teams.values()]
        .filter(t => t.entities > 0)
        .sort((a, b) => a.ownerRef!.localeCompare(b.ownerRef!)),
    };
  }

  /**
   * Which teams each owner's entities count for: every group with its ancestors (itself
   * included) when teams include their sub-teams, else itself alone.
   */
  private async teamMembership() {
    const groups = await this.stores.catalog.listGroups();
    const ancestry = await this.stores.catalog.listGroupAncestry();
    const includeChildren = this.settings.includeChildGroups;
    const ancestorsOf = new Map<string, string[]>();
    for (const a of ancestry) {
      if (!includeChildren && a.ancestorRef !== a.groupRef) continue;
      ancestorsOf.set(a.groupRef, [
        ...(ancestorsOf.get(a.groupRef) ?? []),
        a.ancestorRef,
      ]);
    }
    return { groups, ancestorsOf };
  }

  /** The check in force with this id, or an InputError naming `check`. */
  requireCheck(id: string): GoldenPathCheck {
    const check = this.checks.find(c => c.id === id);
    if (!check) {
      throw new InputError(
        `check: unknown check '${id}', expected one of ${this.checks
          .map(c => c.id)
          .join(', ')}`,
      );
    }
    return check;
  }

  /**
   * The services behind a cell of the golden-path matrix (or behind a column, without an
   * owner): the `rows` that {@link MaturityService.goldenPathHealth} counts as applicable but
   * not passed for that check and team, with what the check finds today.
   */
  async goldenPathFailing(
    rows: MaturityRow[],
    query: {
      checkId: string;
      ownerRef?: string;
      window: { days: number };
      profile: string;
      /** Whether the reader sees every entity: a team with nothing visible is otherwise absent. */
      seesAll: boolean;
    },
  ): Promise<GoldenPathFailing> {
    const check = this.requireCheck(query.checkId);
    const { groups, ancestorsOf } = await this.teamMembership();
    const titles = new Map(groups.map(g => [g.groupRef, g.title]));
    let inTeam = (_r: MaturityRow) => true;
    if (query.ownerRef) {
      const ownerRef = query.ownerRef;
      inTeam = r =>
        !!r.ownerRef && (ancestorsOf.get(r.ownerRef) ?? []).includes(ownerRef);
      // As the owners' routes answer: to a reader who may not see everything, a team with
      // nothing visible is as absent as one that does not exist.
      if (!titles.has(ownerRef) || (!query.seesAll && !rows.some(inTeam)))
        throw new NotFoundError(`No group or owner ${ownerRef} in the catalog`);
    }
    const teamRows = rows.filter(inTeam);
    const applicable = teamRows.filter(r => {
      const status = r.checks[check.id];
      return status !== undefined && status !== 'not-applicable';
    });
    const failing = applicable.filter(r => r.checks[check.id] !== 'pass');
    const wanted = new Set(failing.map(r => r.entityRef));
    const entities = (await this.stores.catalog.listEntities()).filter(e =>
      wanted.has(e.entityRef),
    );
    const byRef = new Map(entities.map(e => [e.entityRef, e]));
    const results = await this.evaluateChecks(entities, this.clock());
    const items: GoldenPathFailure[] = failing.map(r => {
      const entity = byRef.get(r.entityRef);
      const result = results.get(r.entityRef)?.find(c => c.id === check.id);
      return {
        entityRef: r.entityRef,
        title: entity?.title,
        ownerRef: r.ownerRef,
        ownerTitle: r.ownerRef ? titles.get(r.ownerRef) : undefined,
        level: r.level ?? 0,
        // A row outlives its entity until the next recomputation; the matrix still counts it.
        evidence: result?.evidence ?? 'no longer in the catalog',
        statusNow: result?.status,
      };
    });
    // By team, then service, as their names read (services without an owner last); the ref
    // breaks ties, so the order never depends on the database's.
    const name = (title: string | undefined, ref: string) =>
      (title ?? ref).toLocaleLowerCase('en-US');
    items.sort(
      (a, b) =>
        Number(!a.ownerRef) - Number(!b.ownerRef) ||
        name(a.ownerTitle, a.ownerRef ?? '').localeCompare(
          name(b.ownerTitle, b.ownerRef ?? ''),
          'en-US',
        ) ||
        (a.ownerRef ?? '').localeCompare(b.ownerRef ?? '', 'en-US') ||
        name(a.title, a.entityRef).localeCompare(
          name(b.title, b.entityRef),
          'en-US',
        ) ||
        (a.entityRef < b.entityRef ? -1 : 1),
    );
    return {
      window: query.window,
      profile: query.profile,
      check: {
        id: check.id,
        title: check.title,
        pillar: check.pillar,
        description: check.description,
        howToFix: check.howToFix,
        docsUrl: check.docsUrl,
      },
      owner: query.ownerRef
        ? { ownerRef: query.ownerRef, title: titles.get(query.ownerRef) }
        : undefined,
      applicable: applicable.length,
      items,
    };
  }

  /** Stores a new assessment; the caller has checked the author may submit it. */
  async submitAssessment(
    entityRef: string,
    answers: CalmsAnswers,
    author: string,
  ): Promise<CalmsAssessment> {
    await this.dora.requireEntity(entityRef);
    const problems = validateCalmsAnswers(answers);
    if (problems.length) throw new InputError(problems.join('; '));
    const assessment = {
      entityRef,
      answers,
      author,
      submittedAt: new Date(this.clock()).toISOString(),
    };
    await this.stores.maturity.insertAssessment(assessment);
    return assessment;
  }
}
