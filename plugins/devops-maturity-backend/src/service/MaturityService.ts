import { InputError } from '@backstage/errors';
import {
  CALMS_QUESTIONS,
  CalmsAnswers,
  CalmsAssessment,
  CalmsScores,
  CheckEntity,
  CheckResult,
  computeCalmsScores,
  DoraMetrics,
  DoraProfile,
  EntityAssessment,
  EntityMaturity,
  evaluateMaturity,
  GoldenPathCheck,
  GoldenPathHealth,
  GoldenPathHealthRow,
  isAssessmentStale,
  MaturityResult,
  runChecks,
  TimeWindow,
  utcDayStart,
  validateCalmsAnswers,
} from '@devops-maturity/backstage-plugin-common';
import { DoraStore, MaturityStore, MirroredEntity } from '../database/types';
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
  private readonly checks: GoldenPathCheck[];

  constructor(
    private readonly store: DoraStore & MaturityStore,
    private readonly settings: DevopsMaturitySettings,
    private readonly dora: DoraService,
    checks: GoldenPathCheck[],
    private readonly clock: () => number = Date.now,
  ) {
    const disabled = new Set(settings.maturity.disabledChecks);
    this.checks = checks.filter(c => !disabled.has(c.id));
  }

  /** Every check's result for each entity, at `now`. */
  async evaluateChecks(
    entities: Entity[],
    now: number,
  ): Promise<Map<string, CheckResult[]>> {
    const signals = await this.store.readCheckSignals(
      entities.map(e => e.entityRef),
      now,
    );
    return new Map(
      entities.map(e => [
        e.entityRef,
        runChecks(this.checks, {
          entity: checkEntity(e),
          signals: signals.get(e.entityRef)!,
          settings: this.settings.maturity.checks,
        }),
      ]),
    );
  }

  /** CALMS and level from checks, DORA figures and the latest assessment: pure. */
  score(input: {
    checks: CheckResult[];
    dora?: DoraMetrics;
    assessment?: CalmsAssessment;
    now: number;
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
      }),
    };
  }

  /** Keeps today's results of these entities (one row per entity and day). */
  async recordHistory(
    results: Array<{ entityRef: string; checks: CheckResult[]; level: number }>,
    now: number,
  ) {
    await this.store.recordCheckHistory(
      results.map(r => ({
        entityRef: r.entityRef,
        day: utcDayStart(now),
        level: r.level,
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
      this.store.latestAssessments([entityRef]),
    ]);
    const entityChecks = checks.get(entityRef)!;
    const { calms, maturity } = this.score({
      checks: entityChecks,
      dora: metrics,
      assessment: assessments.get(entityRef),
      now,
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
      history: await this.store.checkHistory(entityRef, CHECK_HISTORY_DAYS),
    };
  }

  async assessment(entityRef: string): Promise<EntityAssessment> {
    await this.dora.requireEntity(entityRef);
    const history = await this.store.assessmentHistory(
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
    const groups = await this.store.listGroups();
    const ancestry = await this.store.listGroupAncestry();
    const includeChildren = this.settings.includeChildGroups;
    const ancestorsOf = new Map<string, string[]>();
    for (const a of ancestry) {
      if (!includeChildren && a.ancestorRef !== a.groupRef) continue;
      ancestorsOf.set(a.groupRef, [
        ...(ancestorsOf.get(a.groupRef) ?? []),
        a.ancestorRef,
      ]);
    }
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
    await this.store.insertAssessment(assessment);
    return assessment;
  }
}
